/* "Kopiera" buttons for code and text snippets (on /for-kommuner/).
   Progressive enhancement: the buttons exist only where the browser can write to the clipboard;
   without them the snippets can still be selected and copied by hand. */
(function () {
  "use strict";
  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") return;
  var status = document.getElementById("copy-status");

  function announce(message) {
    if (!status) return;
    // Emptying first makes screen readers repeat the message when the same button is used twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function addButton(block) {
    var code = block.querySelector("code, pre");
    if (!code) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Kopiera";
    button.setAttribute("aria-label", "Kopiera " + block.getAttribute("data-copy"));
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(
        function () {
          button.textContent = "Kopierat";
          announce("Kopierat");
          window.setTimeout(function () { button.textContent = "Kopiera"; }, 2500);
        },
        function () { announce("Det gick inte att kopiera. Markera texten och kopiera den själv."); }
      );
    });
    block.appendChild(button);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), addButton);
})();
