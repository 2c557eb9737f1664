/* Runs before Decap CMS loads: assets/js/admin.js starts it after registering our file format. */
window.CMS_MANUAL_INIT = true;
