/* The start page's search and filters. Progressive enhancement: without JavaScript the page lists
   every course grouped by area, with links to the area and municipality pages.

   Filters run on the data-* attributes of the server-rendered course cards. The text search uses
   Pagefind (/pagefind/), loaded on first use only; /pagefind/katalog.json maps its page ids to
   course paths and lists every indexed word (see dalawux_site/search_index.py). The state lives
   in the address (?q=…&kommun=…), so a view can be shared and the back button works. */
(function () {
  "use strict";

  var form = document.querySelector("[data-finder]");
  if (!form || !window.history.pushState || !window.URLSearchParams || !window.Promise) { return; }

  var FILTERS = ["kommun", "ort", "omrade", "studieform", "takt", "start", "oppen"];
  var FIELDS = ["q"].concat(FILTERS, ["sortera"]);
  var ANNOUNCE_DELAY = 600; // ms of quiet before the screen reader hears the count

  var catalogue = document.querySelector("[data-catalogue]");
  var results = document.querySelector("[data-results]");
  var resultList = results.querySelector("[data-result-list]");
  var noResults = results.querySelector("[data-no-results]");
  var resultCount = form.querySelector("[data-result-count]");
  var announcer = form.querySelector("[data-announce]");
  var filterCount = form.querySelector("[data-filter-count]");
  var panel = form.querySelector("[data-filter-panel]");
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("sv") : null;

  var cards = Array.prototype.map.call(catalogue.querySelectorAll(".course-card"), function (el, i) {
    var link = el.querySelector("a");
    return {
      el: el, list: el.parentNode, order: i, path: link.getAttribute("href"),
      title: link.textContent, text: el.textContent.toLowerCase(), data: el.dataset
    };
  });

  var search = null;       // Promise of {pagefind, pages} once loading has started
  var searchRun = 0;       // the newest search; older answers are dropped
  var announceTimer = 0;
  var typing = false;      // a run of keystrokes makes one history entry

  /* --- Pagefind, loaded on first use --------------------------------------------------- */

  function loadSearch() {
    if (!search) {
      search = Promise.all([
        import("/pagefind/pagefind.js"),
        fetch("/pagefind/katalog.json").then(function (r) { return r.json(); })
      ]).then(function (loaded) {
        var catalogue = loaded[1];
        return loaded[0].init().then(function () {
          return {pagefind: loaded[0], pages: catalogue.pages, words: catalogue.words};
        });
      }).catch(function () { return null; }); // old browser or offline: plain text match below
    }
    return search;
  }

  /* The course paths that match the words, or null when nothing was typed. */
  function matchingPaths(words) {
    if (!words) { return Promise.resolve(null); }
    return loadSearch().then(function (s) {
      if (!s) { return textMatch(words); }
      if (!normalise(words).split(" ").every(function (t) { return known(s.words, t); })) { return {}; }
      return s.pagefind.search(words).then(function (found) {
        var paths = {};
        found.results.forEach(function (r) { if (s.pages[r.id]) { paths[s.pages[r.id]] = true; } });
        return paths;
      });
    });
  }

  /* As Pagefind compares words: lower case, no accents, punctuation dropped. */
  function normalise(words) {
    return words.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function startsWith(sorted, prefix) {  // binary search in the sorted word list
    var lo = 0, hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) { lo = mid + 1; } else { hi = mid; }
    }
    return lo < sorted.length && sorted[lo].indexOf(prefix) === 0;
  }

  /* A term is known when an indexed word starts with it, or with all but its last few letters
     (an ending, or a typo: "svetsningen", "underskoterka"). A shorter match is not the word the
     visitor meant, so Pagefind's own fall-back to it is not used. */
  function known(sorted, term) {
    if (!term || startsWith(sorted, term)) { return true; }
    for (var end = term.length - 1; end >= Math.max(4, term.length - 4); end--) {
      if (startsWith(sorted, term.slice(0, end))) { return true; }
    }
    return false;
  }

  function textMatch(words) {
    var terms = words.toLowerCase().split(/\s+/);
    var paths = {};
    cards.forEach(function (c) {
      if (terms.every(function (t) { return c.text.indexOf(t) !== -1; })) { paths[c.path] = true; }
    });
    return paths;
  }

  /* --- state: form <-> address ---------------------------------------------------------- */

  function readForm() {
    var state = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      state[name] = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value.trim();
    });
    return state;
  }

  function fillForm(params) {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name) || "";
      if (field.type === "checkbox") { field.checked = value === field.value; } else { field.value = value; }
    });
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function remember(state, replace) {
    var url = toQuery(state);
    if (url === window.location.pathname + window.location.search + window.location.hash) { return; }
    window.history[replace ? "replaceState" : "pushState"](null, "", url);
  }

  /* --- matching and showing ------------------------------------------------------------- */

  function inTerm(months, wanted) {
    var parts = wanted.split("-");
    if (parts[0] !== "vt" && parts[0] !== "ht") { return months.indexOf(wanted) !== -1; }
    return months.some(function (m) {
      var month = parseInt(m.slice(5), 10);
      return m.slice(0, 4) === parts[1] && (parts[0] === "vt" ? month <= 6 : month >= 7);
    });
  }

  function passes(card, state) {
    var d = card.data;
    return (!state.kommun || d.kommun === state.kommun) &&
      (!state.ort || d.ort === state.ort) &&
      (!state.omrade || d.omrade === state.omrade) &&
      (!state.studieform || d.studieform.split(" ").indexOf(state.studieform) !== -1) &&
      (!state.takt || d.takt === state.takt) &&
      (!state.start || inTerm(d.start.split(" "), state.start)) &&
      (!state.oppen || d.oppen === "ja");
  }

  function byTitle(a, b) {
    return collator ? collator.compare(a.title, b.title) : (a.title < b.title ? -1 : 1);
  }

  function compare(sort) {
    if (sort === "namn") { return byTitle; }
    return function (a, b) {
      return a.data.sista < b.data.sista ? -1 : a.data.sista > b.data.sista ? 1 : byTitle(a, b);
    };
  }

  function fill(list, items) {
    var batch = document.createDocumentFragment();
    items.forEach(function (c) { batch.appendChild(c.el); });
    list.appendChild(batch);
  }

  function showCatalogue(sort) {
    var byList = new Map();
    cards.forEach(function (c) {
      if (!byList.has(c.list)) { byList.set(c.list, []); }
      byList.get(c.list).push(c);
    });
    byList.forEach(function (items, list) {
      fill(list, items.sort(sort === "namn" ? byTitle : function (a, b) { return a.order - b.order; }));
    });
    results.hidden = true;
    catalogue.hidden = false;
  }

  function showResults(matches, sort) {
    var keep = new Set(matches);
    cards.forEach(function (c) {  // cards that no longer match go home to the hidden catalogue
      if (c.el.parentNode === resultList && !keep.has(c)) { c.list.appendChild(c.el); }
    });
    fill(resultList, matches.sort(compare(sort)));
    noResults.hidden = matches.length > 0;
    catalogue.hidden = true;
    results.hidden = false;
  }

  function countText(n) {
    return n === 0 ? "Ingen utbildning passar" : n === 1 ? "1 utbildning passar" : n + " utbildningar passar";
  }

  function announce(text) {
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { announcer.textContent = text; }, ANNOUNCE_DELAY);
  }

  function activeFilters(state) {
    return FILTERS.filter(function (name) { return state[name]; }).length;
  }

  function render(state, paths) {
    var filtering = activeFilters(state) > 0;
    var matches = cards.filter(function (c) { return (!paths || paths[c.path]) && passes(c, state); });
    if (paths || filtering) {
      showResults(matches, state.sortera);
      resultCount.textContent = countText(matches.length);
      announce(countText(matches.length) + (matches.length ? "." : ". Prova ett annat ord eller färre val."));
    } else {
      showCatalogue(state.sortera);
      resultCount.textContent = cards.length ? "Alla " + cards.length + " utbildningar" : "Ingen utbildning att söka just nu";
      announce("");
    }
    var n = activeFilters(state);
    filterCount.textContent = n ? "(" + n + (n === 1 ? " vald)" : " valda)") : "";
    form.setAttribute("aria-busy", "false");
  }

  /* Shows the view for the form's current state; the newest call wins. */
  function update() {
    var state = readForm();
    var run = ++searchRun;
    if (state.q) { form.setAttribute("aria-busy", "true"); }
    return matchingPaths(state.q).catch(function () { return textMatch(state.q); }).then(function (paths) {
      if (run === searchRun) { render(state, paths); }
    });
  }

  /* --- events --------------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();  // the list already follows the form: "Visa" takes you to it
    typing = false;
    update().then(function () {
      var heading = results.hidden ? null : results.querySelector("h2");
      if (heading) { heading.focus(); }
    });
  });

  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") { return; }
    remember(readForm(), typing);
    typing = true;
    update();
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") { return; }
    typing = false;
    remember(readForm(), false);
    update();
  });

  form.addEventListener("reset", function () {
    window.setTimeout(function () {  // the form is cleared after this event
      typing = false;
      remember(readForm(), false);
      update();
    }, 0);
  });

  form.elements.q.addEventListener("focus", loadSearch);
  form.elements.q.addEventListener("blur", function () { typing = false; });

  window.addEventListener("popstate", function () {
    typing = false;
    fillForm(new URLSearchParams(window.location.search));
    update();
  });

  /* --- start ---------------------------------------------------------------------------- */

  fillForm(new URLSearchParams(window.location.search));
  var initial = readForm();
  if (activeFilters(initial) || window.matchMedia("(min-width: 48em)").matches) { panel.open = true; }
  form.hidden = false;
  document.querySelector("[data-browse]").hidden = true;
  var count = catalogue.querySelector(".count");
  if (count) { count.hidden = true; }  // the form says how many (none on a day with no course)
  if (initial.q || activeFilters(initial) || initial.sortera) { update(); } else { render(initial, null); }
})();
