/* The start page's search and filters. Progressive enhancement: without JavaScript the page links
   the area and municipality pages, which list every course, and shows the courses whose last
   application day is nearest.

   Filters run on every course's facts, loaded on first use from the JSON parts named by the form's
   data-parts (dalawux_site/finder.py, finder_parts), fetched side by side; only the first results
   are made into cards, more on request. The text search uses
   Pagefind (/pagefind/), loaded on first use only; /pagefind/katalog.json maps its page ids to
   course paths and lists every indexed word (see dalawux_site/search_index.py). The state lives
   in the address (?q=…&kommun=…), so a view can be shared and the back button works. "Nära"
   (?nara=<municipality-id>&km=<n>) measures from the municipality's main town to each card's
   place, as the crow flies, with the coordinates the build put on the options of "Nära" and "Ort". */
(function () {
  "use strict";

  var form = document.querySelector("[data-finder]");
  if (!form || !window.history.pushState || !window.URLSearchParams || !window.Promise) { return; }

  var FILTERS = ["nara", "kommun", "ort", "omrade", "studieform", "takt", "start", "oppen"];
  var FIELDS = ["q", "nara", "km"].concat(FILTERS.slice(1), ["sortera"]);  // the address: ?nara=…&km=… together
  var EARTH_RADIUS_KM = 6371.0088;  // as dalawux_site/geo.py, so both say the same distance
  var ANNOUNCE_DELAY = 600; // ms of quiet before the screen reader hears the count
  var phone = window.matchMedia("(max-width: 47.99em)");  // below the width where the filters open themselves

  var catalogue = document.querySelector("[data-catalogue]");
  var browse = document.querySelector("[data-browse]");  // the area and municipality pages: hidden while results show
  var results = document.querySelector("[data-results]");
  var resultList = results.querySelector("[data-result-list]");
  var noResults = results.querySelector("[data-no-results]");
  var resultCount = form.querySelector("[data-result-count]");
  var announcer = form.querySelector("[data-announce]");
  var filterCount = form.querySelector("[data-filter-count]");
  var panel = form.querySelector("[data-filter-panel]");
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("sv") : null;
  var across = form.querySelector("[data-across]").getAttribute("data-across");  // "Dalarna": given everywhere
  var kmField = form.elements.km;
  var kmDefault = Array.prototype.filter.call(kmField.options, function (o) { return o.defaultSelected; })[0].value;
  var sortDefault = form.elements.sortera.options[0];
  var sortDefaultText = sortDefault.textContent;
  var places = {};  // place name -> [lat, lon]
  Array.prototype.forEach.call(form.elements.ort.options, function (o) {
    if (o.dataset.lat) { places[o.value] = [parseFloat(o.dataset.lat), parseFloat(o.dataset.lon)]; }
  });

  var SHOWN = 100;  // cards made at a time; "Visa fler" makes the next ones
  var MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december"];
  var total = parseInt(form.getAttribute("data-total"), 10);
  var partUrls = (form.getAttribute("data-parts") || "").split(" ").filter(Boolean);
  var labels = {studieform: {}, takt: {}};  // value -> what the card says, from the filters' options
  ["studieform", "takt"].forEach(function (name) {
    Array.prototype.forEach.call(form.elements[name].options, function (o) { labels[name][o.value] = o.textContent; });
  });
  var cards = [];          // every course, once loaded
  var loading = null;      // Promise of cards
  var matches = [];        // the current results, sorted
  var made = 0;            // how many of them are cards in the list
  var more = document.createElement("button");
  more.type = "button";
  more.className = "button-secondary show-more";
  more.hidden = true;
  resultList.insertAdjacentElement("afterend", more);

  var search = null;       // Promise of {pagefind, pages} once loading has started
  var searchRun = 0;       // the newest search; older answers are dropped
  var announceTimer = 0;
  var typing = false;      // a run of keystrokes makes one history entry

  /* --- every course's facts, loaded on first use ----------------------------------------- */

  function loadCards() {
    if (!loading) {
      loading = Promise.all(partUrls.map(function (url) {
        return fetch(url).then(function (r) { if (!r.ok) { throw new Error(url); } return r.json(); });
      })).then(function (parts) {
        cards = [];
        parts.forEach(function (rows) { rows.forEach(function (row) { cards.push(course(row, cards.length)); }); });
        return cards;
      }).catch(function (failure) { loading = null; throw failure; });  // try again on the next change
    }
    return loading;
  }

  /* A row of a part (finder.py, ROW) as the course the filters and the cards use. */
  function course(row, order) {
    return {
      el: null, order: order, path: "/utbildningar/" + row[0] + "/", title: row[1], local: row[2],
      text: (row[1] + " " + row[2]).toLowerCase(), begins: row[11], aid: row[12], language: row[13],
      data: {kommun: row[3], ort: row[4], omrade: row[5], studieform: row[6], takt: row[7], start: row[8],
        sista: row[9], oppen: row[10] ? "ja" : ""}
    };
  }

  function dateSv(iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  /* The same card as the server's (templates/_macros.html, course_card). */
  function cardOf(c) {
    if (c.el) { return c.el; }
    var li = element("li", "course-card"), heading = element("h3", "course-card-title"), link = element("a", "", c.title);
    link.href = c.path;
    heading.appendChild(link);
    li.appendChild(heading);
    if (c.local) { li.appendChild(element("p", "local-name", "Lokal benämning: " + c.local)); }
    var facts = element("dl", "facts");
    var shown = [["Start", c.begins ? dateSv(c.begins) : "Löpande start"], ["Sista ansökningsdag", dateSv(c.data.sista)],
      ["Studieform", c.data.studieform.split(" ").map(function (f) { return labels.studieform[f]; }).join(", ")],
      ["Studietakt", labels.takt[c.data.takt]]];
    if (c.aid !== "") { shown.push(["CSN", c.aid ? "Ja" : "Nej"]); }
    if (c.language) { shown.push(["Språk", c.language]); }
    shown.forEach(function (fact) {
      var div = element("div");
      div.appendChild(element("dt", "", fact[0]));
      div.appendChild(element("dd", "", fact[1]));
      facts.appendChild(div);
    });
    li.appendChild(facts);
    Object.keys(c.data).forEach(function (name) { if (c.data[name]) { li.dataset[name] = c.data[name]; } });  // what it was found by
    c.el = li;
    return li;
  }

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
      var terms = normalise(words).split(" "), fixed = terms.map(function (t) { return corrected(s.words, t); });
      if (!fixed.every(function (t) { return known(s.words, t); })) { return {}; }
      var changed = fixed.some(function (t, i) { return t !== terms[i]; });
      return s.pagefind.search(changed ? fixed.join(" ") : words).then(function (found) {
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

  /* Pagefind has no typo tolerance (it matches beginnings of words), so a term of six letters or
     more that no indexed word starts with is replaced by the indexed word one letter away from it
     (a letter missing, added, changed or two swapped): "underskötersak", "lastbilsfrare". */
  var TYPO_FROM = 6;

  function oneEditApart(a, b) {
    if (Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i++; }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function corrected(sorted, term) {
    if (term.length < TYPO_FROM || startsWith(sorted, term)) { return term; }
    for (var i = 0; i < sorted.length; i++) {
      if (sorted[i].length >= TYPO_FROM && oneEditApart(term, sorted[i])) { return sorted[i]; }
    }
    return term;
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
    if (!kmField.value) { kmField.value = kmDefault; }  // none, or not one of the choices
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name] && (name !== "km" || state.nara)) { params.set(name, state[name]); }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function remember(state, replace) {
    var url = toQuery(state);
    if (url === window.location.pathname + window.location.search + window.location.hash) { return; }
    window.history[replace ? "replaceState" : "pushState"](null, "", url);
  }

  /* --- Nära: distances ------------------------------------------------------------------ */

  function haversine(a, b) {
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* The chosen municipality's main town and distance, or null when "Nära" is not chosen. */
  function nearOf(state) {
    var option = state.nara && form.elements.nara.selectedOptions[0];
    if (!option || !option.dataset.lat) { return null; }
    return {
      town: option.dataset.ort, km: parseInt(state.km || kmDefault, 10),
      at: [parseFloat(option.dataset.lat), parseFloat(option.dataset.lon)]
    };
  }

  /* Each card's distance from the town: -1 given across Dalarna, null where the place is unknown. */
  function measure(near) {
    cards.forEach(function (c) {
      if (c.from === near.town) { return; }
      c.from = near.town;
      c.km = c.data.ort === across ? -1 : places[c.data.ort] ? haversine(near.at, places[c.data.ort]) : null;
    });
  }

  function aboutKm(km) { return km < 10 ? Math.round(km) : 5 * Math.round(km / 5); }

  function distanceText(c, near) {
    if (c.km === -1) { return "i hela Dalarna"; }
    var shown = aboutKm(c.km);
    return shown === 0 ? "i " + near.town : "ca " + shown + " km från " + near.town;
  }

  function showDistances(items, near) {
    items.forEach(function (c) {
      if (!near || c.km === null) { if (c.note) { c.note.hidden = true; } return; }
      if (!c.note) {
        c.note = document.createElement("p");
        c.note.className = "distance";
        c.el.querySelector(".course-card-title").insertAdjacentElement("afterend", c.note);
      }
      c.note.textContent = distanceText(c, near);
      c.note.hidden = false;
    });
  }

  function nearText(near) {
    return "högst " + near.km + " km från " + near.town + " eller i hela Dalarna, närmast först";
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

  function passes(card, state, near) {
    var d = card.data;
    return (!near || (card.km !== null && card.km <= near.km)) &&
      (!state.kommun || d.kommun === state.kommun) &&
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

  function byDeadline(a, b) {
    return a.data.sista < b.data.sista ? -1 : a.data.sista > b.data.sista ? 1 : byTitle(a, b);
  }

  function compare(sort, near) {
    if (sort === "namn") { return byTitle; }
    if (!near) { return byDeadline; }
    return function (a, b) {  // nearest first; those given across Dalarna after the places
      var x = a.km === -1 ? Infinity : aboutKm(a.km), y = b.km === -1 ? Infinity : aboutKm(b.km);
      return x !== y ? x - y : byDeadline(a, b);
    };
  }

  function showCatalogue() {
    resultList.textContent = "";
    matches = [];
    made = 0;
    results.hidden = true;
    more.hidden = true;
    catalogue.hidden = browse.hidden = false;
  }

  /* The next SHOWN results as cards, after those already made. */
  function showMore(near) {
    var batch = document.createDocumentFragment(), items = matches.slice(made, made + SHOWN);
    items.forEach(function (c) { batch.appendChild(cardOf(c)); });
    showDistances(items, near);
    resultList.appendChild(batch);
    made += items.length;
    var left = matches.length - made;
    more.hidden = left <= 0;
    more.textContent = "Visa " + Math.min(left, SHOWN) + " till (" + left + " kvar)";
  }

  function showResults(found, sort, near) {
    matches = found.sort(compare(sort, near));
    made = 0;
    resultList.textContent = "";
    showMore(near);
    noResults.hidden = matches.length > 0;
    catalogue.hidden = browse.hidden = true;
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

  /* Results show for words, filters or a chosen order; else the page as the server made it. */
  function wantsResults(state) {
    return Boolean(state.q || activeFilters(state) || state.sortera);
  }

  function render(state, paths) {
    var near = nearOf(state);
    if (near) { measure(near); }
    sortDefault.textContent = near ? "Närmast först" : sortDefaultText;
    if (wantsResults(state)) {
      var found = cards.filter(function (c) { return (!paths || paths[c.path]) && passes(c, state, near); });
      showResults(found, state.sortera, near);
      var count = paths || activeFilters(state) ? countText(found.length) + (near ? ", " + nearText(near) : "") : "Alla " + total + " utbildningar";
      resultCount.textContent = count;
      announce(count + (found.length ? "." : ". Prova ett annat ord, ett längre avstånd eller färre val."));
    } else {
      showCatalogue();
      resultCount.textContent = total ? "Alla " + total + " utbildningar" : "Ingen utbildning att söka just nu";
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
    if (!wantsResults(state)) { render(state, null); return Promise.resolve(); }
    form.setAttribute("aria-busy", "true");
    return loadCards().then(function () {
      return matchingPaths(state.q).catch(function () { return textMatch(state.q); });
    }).then(function (paths) {
      if (run === searchRun) { render(state, paths); }
    }, function () {
      if (run === searchRun) { form.setAttribute("aria-busy", "false"); resultCount.textContent = "Det gick inte att hämta utbildningarna. Försök igen."; }
    });
  }

  /* On a phone the form fills the first screen: the page scrolls as little as brings the first
     result into view, but never past the search box while it is typed in (else the result
     count). Nothing moves when the first result is already in view. */
  function bringResultsIntoView() {
    if (!phone.matches || results.hidden) { return; }
    var first = resultList.firstElementChild || noResults;
    var height = window.visualViewport ? window.visualViewport.height : window.innerHeight;
    var box = first.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= height) { return; }
    var anchor = document.activeElement === form.elements.q ? form.elements.q.parentNode : resultCount.parentNode;
    var y = window.pageYOffset, highest = anchor.getBoundingClientRect().top + y - 8;
    window.scrollTo(0, Math.max(0, Math.min(highest, box.bottom + y + 8 - height)));
  }

  /* --- events --------------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();  // the list already follows the form: "Visa" takes you to it
    typing = false;
    update().then(function () {
      var heading = results.hidden ? null : results.querySelector("h2");
      if (heading) { heading.focus(); }
      bringResultsIntoView();
    });
  });

  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") { return; }
    remember(readForm(), typing);
    typing = true;
    update().then(bringResultsIntoView);
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") { return; }
    typing = false;
    remember(readForm(), false);
    update().then(bringResultsIntoView);
  });

  form.addEventListener("reset", function () {
    window.setTimeout(function () {  // the form is cleared after this event
      typing = false;
      remember(readForm(), false);
      update();
    }, 0);
  });

  form.elements.q.addEventListener("focus", function () { loadSearch(); loadCards().catch(function () {}); });
  more.addEventListener("click", function () { showMore(nearOf(readForm())); });
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
  if (wantsResults(initial)) { update().then(bringResultsIntoView); } else { render(initial, null); }
})();
