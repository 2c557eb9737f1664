/* The start page's search and filters. Progressive enhancement: without JavaScript the page links
   the area and municipality pages, which list every course, and shows the courses whose last
   application day is nearest.

   The data is loaded in parts, each when a choice first needs it, from the folder named by the
   form's data-sok (dalawux_site/finder.py, finder_parts; every list in the build's default order,
   so a course is a position): a filter loads its own file (f-<filter>.json: each course's value
   as a code), the search the word list (ord.json) and the positions of the words that start with
   what was typed (o-<two letters>.json), and the results only the files of cards that are shown
   (k<n>.json), SHOWN at a time. Counts come from the codes and positions of every course, so they
   are exact. The state lives in the address (?q=…&kommun=…), so a view can be shared and the back
   button works. "Nära" (?nara=<municipality-id>&km=<n>) measures from the municipality's main town
   to each course's place, as the crow flies, with the coordinates the build put on the options of
   "Nära" and "Ort". */
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

  var SHOWN = parseInt(form.getAttribute("data-shown"), 10);  // cards made at a time; "Visa fler" makes the next ones
  var MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december"];
  var total = parseInt(form.getAttribute("data-total"), 10);
  var folder = form.getAttribute("data-sok");
  var chunk = parseInt(form.getAttribute("data-chunk"), 10);  // courses per file of cards
  var labels = {studieform: {}, takt: {}, kommun: {}};  // value -> what the card says, from the filters' options
  ["studieform", "takt", "kommun"].forEach(function (name) {
    Array.prototype.forEach.call(form.elements[name].options, function (o) { labels[name][o.value] = o.textContent; });
  });
  var loaded = {};         // file name -> Promise of its JSON
  var facets = {};         // filter -> Promise of {values, codes}
  var cards = {};          // position -> course, once its file of cards is loaded
  var matches = [];        // the current results, as positions, sorted
  var made = 0;            // how many of them are cards in the list
  var more = document.createElement("button");
  more.type = "button";
  more.className = "button-secondary show-more";
  more.hidden = true;
  resultList.insertAdjacentElement("afterend", more);

  var searchRun = 0;       // the newest update; older answers are dropped
  var announceTimer = 0;
  var typing = false;      // a run of keystrokes makes one history entry

  /* --- the parts, each loaded once ------------------------------------------------------- */

  function load(name) {
    if (!loaded[name]) {
      loaded[name] = fetch(folder + name).then(function (r) {
        if (!r.ok) { throw new Error(name); }
        return r.json();
      }).catch(function (failure) { delete loaded[name]; throw failure; });  // try again on the next change
    }
    return loaded[name];
  }

  /* A filter's file as each course's code (a position in values). Codes are written in the
     characters # to ~ without the backslash (finder.py, CODE_CHARS), `width` characters a course. */
  function facet(name) {
    if (!facets[name]) {
      facets[name] = load("f-" + name + ".json").then(function (f) {
        var codes = new Uint16Array(total), text = f.codes, width = f.width;
        for (var i = 0, at = 0; i < total; i++) {
          var code = 0;
          for (var k = 0; k < width; k++, at++) {
            var c = text.charCodeAt(at);
            code = code * 91 + c - (c > 92 ? 36 : 35);
          }
          codes[i] = code;
        }
        return {values: f.values, codes: codes};
      }).catch(function (failure) { delete facets[name]; throw failure; });
    }
    return facets[name];
  }

  /* The cards of these positions, loading the files they are in. */
  function cardsOf(positions) {
    var files = {};
    positions.forEach(function (p) { if (!cards[p]) { files[Math.floor(p / chunk)] = true; } });
    return Promise.all(Object.keys(files).map(function (n) {
      return load("k" + n + ".json").then(function (rows) {
        rows.forEach(function (row, i) {
          var p = n * chunk + i;
          if (!cards[p]) { cards[p] = course(row); }
        });
      });
    })).then(function () { return positions.map(function (p) { return cards[p]; }); });
  }

  /* A row of a file of cards (finder.py, ROW) as the course a card shows. */
  function course(row) {
    return {
      el: null, path: "/utbildningar/" + row[0] + "/", title: row[1], local: row[2],
      begins: row[11], aid: row[12], language: row[13],
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

  /* --- words ------------------------------------------------------------------------------ */

  /* The terms of the words, as the index compares them. While typing, a last term of one letter
     is left out: it would match a large part of the index and is about to change. */
  function termsOf(words, whileTyping) {
    var terms = normalise(words).split(" ").filter(Boolean);
    if (whileTyping && terms.length && terms[terms.length - 1].length < 2 && /\S$/.test(words)) { terms.pop(); }
    return terms;
  }

  /* The positions of the courses that have every term, sorted; null when there is no term. */
  function matchingPositions(terms) {
    if (!terms.length) { return Promise.resolve(null); }
    return load("ord.json").then(function (sorted) {
      var wanted = terms.map(function (t) { return wordsFor(sorted, corrected(sorted, t)); });
      if (wanted.some(function (w) { return !w.length; })) { return []; }
      return Promise.all(wanted.map(positionsOf)).then(function (sets) {
        sets.sort(function (a, b) { return a.length - b.length; });
        return sets.slice(1).reduce(intersect, sets[0]);
      });
    });
  }

  /* As the index compares words: lower case, no accents, punctuation dropped. */
  function normalise(words) {
    return words.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function lowerBound(sorted, prefix) {  // binary search in the sorted word list
    var lo = 0, hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  function startingWith(sorted, prefix) {
    var found = [];
    for (var i = lowerBound(sorted, prefix); i < sorted.length && sorted[i].indexOf(prefix) === 0; i++) { found.push(sorted[i]); }
    return found;
  }

  /* The indexed words a term stands for: those that start with it, else those that start with it
     but for its last few letters (an ending, or a typo: "svetsningen", "underskoterka"). A shorter
     beginning is not the word the visitor meant, so nothing is found then. */
  function wordsFor(sorted, term) {
    var found = startingWith(sorted, term);
    for (var end = term.length - 1; !found.length && end >= Math.max(4, term.length - 4); end--) {
      found = startingWith(sorted, term.slice(0, end));
    }
    return found;
  }

  /* The index matches beginnings of words, so a term of six letters or more that no indexed word
     starts with is replaced by the indexed word one letter away from it (a letter missing, added,
     changed or two swapped): "underskötersak", "lastbilsfrare". */
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
    if (term.length < TYPO_FROM || startingWith(sorted, term).length) { return term; }
    for (var i = 0; i < sorted.length; i++) {
      if (sorted[i].length >= TYPO_FROM && oneEditApart(term, sorted[i])) { return sorted[i]; }
    }
    return term;
  }

  /* The sorted positions of the courses that have any of the words (from their files of
     positions: each word's first position, then the steps to the next). */
  function positionsOf(words) {
    var keys = {};
    words.forEach(function (w) { keys[w.slice(0, 2)] = true; });
    return Promise.all(Object.keys(keys).map(function (key) { return load("o-" + key + ".json"); })).then(function (files) {
      var index = Object.assign.apply(null, [{}].concat(files)), marks = new Uint8Array(total), found = [];
      words.forEach(function (w) {
        for (var steps = index[w], i = 0, p = 0; i < steps.length; i++) { p += steps[i]; marks[p] = 1; }
      });
      for (var q = 0; q < total; q++) { if (marks[q]) { found.push(q); } }
      return found;
    });
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
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

  /* A place's distance from the town: -1 given across Dalarna, null where the place is unknown. */
  function kmOf(place, near) {
    return place === across ? -1 : places[place] ? haversine(near.at, places[place]) : null;
  }

  function aboutKm(km) { return km < 10 ? Math.round(km) : 5 * Math.round(km / 5); }

  function distanceText(km, near) {
    if (km === -1) { return "i hela Dalarna"; }
    var shown = aboutKm(km);
    return shown === 0 ? "i " + near.town : "ca " + shown + " km från " + near.town;
  }

  function showDistances(items, near) {
    items.forEach(function (c) {
      var km = near ? kmOf(c.data.ort, near) : null;
      if (km === null) { if (c.note) { c.note.hidden = true; } return; }
      if (!c.note) {
        c.note = document.createElement("p");
        c.note.className = "distance";
        c.el.querySelector(".course-card-title").insertAdjacentElement("afterend", c.note);
      }
      c.note.textContent = distanceText(km, near);
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

  /* Whether a value of a filter's file is what the visitor chose. */
  var TESTS = {
    kommun: function (v, s) { return v === s.kommun; },
    ort: function (v, s) { return v === s.ort; },
    omrade: function (v, s) { return v === s.omrade; },
    studieform: function (v, s) { return v.split(" ").indexOf(s.studieform) !== -1; },
    takt: function (v, s) { return v === s.takt; },
    start: function (v, s) { return inTerm(v.split(" "), s.start); },
    oppen: function (v) { return v === "ja"; }
  };

  /* The filters' files the state needs: each chosen filter's, the places' for "Nära", and for
     sorting by name the names, municipalities and places that make the titles. */
  function needed(state, near) {
    var names = FILTERS.slice(1).filter(function (name) { return state[name]; });
    if (near) { names.push("ort"); }
    if (state.sortera === "namn") { names.push("namn", "kommun", "ort"); }
    return names.filter(function (name, i) { return names.indexOf(name) === i; });
  }

  /* The positions (of those given, else of every course) that pass every chosen filter. */
  function select(state, near, files, positions) {
    var tests = [];
    FILTERS.slice(1).forEach(function (name) {
      if (state[name]) {
        tests.push({codes: files[name].codes, ok: files[name].values.map(function (v) { return TESTS[name](v, state); })});
      }
    });
    if (near) {
      tests.push({codes: files.ort.codes, ok: files.ort.values.map(function (v) { var km = kmOf(v, near); return km !== null && km <= near.km; })});
    }
    var found = [], n = positions ? positions.length : total;
    next: for (var i = 0; i < n; i++) {
      var p = positions ? positions[i] : i;
      for (var t = 0; t < tests.length; t++) { if (!tests[t].ok[tests[t].codes[p]]) { continue next; } }
      found.push(p);
    }
    return found;
  }

  function byText(a, b) {
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  /* Positions are in default order (soonest last application day first, then by title): sorting
     by name compares the titles, each distinct title once; "Nära" puts the nearest first and those
     given across Dalarna after the places. */
  function sorted(found, state, near, files) {
    var rank;
    if (state.sortera === "namn") {
      var names = files.namn, munis = files.kommun, towns = files.ort, titles = {}, keys = [];
      var key = function (p) { return (names.codes[p] * munis.values.length + munis.codes[p]) * towns.values.length + towns.codes[p]; };
      found.forEach(function (p) {
        var k = key(p);
        if (!(k in titles)) {
          titles[k] = names.values[names.codes[p]] + " – " + labels.kommun[munis.values[munis.codes[p]]] + " (" + towns.values[towns.codes[p]] + ")";
          keys.push(k);
        }
      });
      keys.sort(function (a, b) { return byText(titles[a], titles[b]); });
      var order = {};
      keys.forEach(function (k, i) { order[k] = i; });
      rank = function (p) { return order[key(p)]; };
    } else if (near) {
      var kms = files.ort.values.map(function (v) { var km = kmOf(v, near); return km === -1 ? Infinity : aboutKm(km); });
      rank = function (p) { return kms[files.ort.codes[p]]; };
    } else {
      return found;
    }
    var ranks = new Float64Array(total);
    found.forEach(function (p) { ranks[p] = rank(p); });
    return found.sort(function (a, b) { return ranks[a] - ranks[b] || a - b; });
  }

  function showCatalogue() {
    resultList.textContent = "";
    matches = [];
    made = 0;
    results.hidden = true;
    more.hidden = true;
    catalogue.hidden = browse.hidden = false;
  }

  /* The next SHOWN results as cards, after those already made (their cards loaded). */
  function showMore(near) {
    var batch = document.createDocumentFragment();
    var items = matches.slice(made, made + SHOWN).map(function (p) { return cards[p]; });
    items.forEach(function (c) { batch.appendChild(cardOf(c)); });
    showDistances(items, near);
    resultList.appendChild(batch);
    made += items.length;
    var left = matches.length - made;
    more.hidden = left <= 0;
    more.textContent = "Visa " + Math.min(left, SHOWN) + " till (" + left + " kvar)";
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

  /* found: the results in order (their first cards loaded), or null for the page as the server made it. */
  function render(state, found, near, searched) {
    sortDefault.textContent = near ? "Närmast först" : sortDefaultText;
    if (found) {
      matches = found;
      made = 0;
      resultList.textContent = "";
      showMore(near);
      noResults.hidden = matches.length > 0;
      catalogue.hidden = browse.hidden = true;
      results.hidden = false;
      var count = searched || activeFilters(state) ? countText(found.length) + (near ? ", " + nearText(near) : "") : "Alla " + total + " utbildningar";
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

  /* Shows the view for the form's current state, loading what it needs; the newest call wins. */
  function update(whileTyping) {
    var state = readForm(), run = ++searchRun, near = nearOf(state);
    if (!wantsResults(state)) { render(state, null, near, false); return Promise.resolve(); }
    form.setAttribute("aria-busy", "true");
    var terms = termsOf(state.q, whileTyping), names = needed(state, near);
    return Promise.all([matchingPositions(terms), Promise.all(names.map(facet))]).then(function (got) {
      if (run !== searchRun) { return null; }
      var files = {};
      names.forEach(function (name, i) { files[name] = got[1][i]; });
      var found = sorted(select(state, near, files, got[0]), state, near, files);
      return cardsOf(found.slice(0, SHOWN)).then(function () {
        if (run === searchRun) { render(state, found, near, terms.length > 0); }
      });
    }).catch(function () {
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
    update(true).then(bringResultsIntoView);
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

  form.elements.q.addEventListener("focus", function () { load("ord.json").catch(function () {}); });
  more.addEventListener("click", function () {
    var run = searchRun;
    cardsOf(matches.slice(made, made + SHOWN)).then(function () {
      if (run === searchRun) { showMore(nearOf(readForm())); }
    }, function () { resultCount.textContent = "Det gick inte att hämta utbildningarna. Försök igen."; });
  });
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
  if (wantsResults(initial)) { update().then(bringResultsIntoView); } else { render(initial, null, nearOf(initial), false); }
})();
