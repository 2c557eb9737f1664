/* Progressive enhancement only: every page works without JavaScript. */
(function () {
  "use strict";

  var VOICE_WAIT = 1500;  // ms to wait for the browser to list its voices (Chrome lists them late)
  /* What is not the page's content: the listen box itself, what is hidden or only printed, and the
     error report link. */
  var FURNITURE = "[data-listen], [hidden], [aria-hidden='true'], .print-only, .visually-hidden, .report-error, " +
    "script, style, template, button, nav";
  var BLOCKS = /^(H[1-6]|P|LI|BLOCKQUOTE|FIGCAPTION|CAPTION|SUMMARY|PRE)$/;

  function words(node) {
    return node.textContent.replace(/\s+/g, " ").trim();
  }

  function lowerFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
  }

  /* A table as one sentence per row: "Start 11 januari 2027, sista ansökningsdag 22 november 2026". */
  function tableSentences(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), words);
    return Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (row) {
      return Array.prototype.map.call(row.cells, function (cell, i) {
        var header = headers[i] ? (i ? lowerFirst(headers[i]) : headers[i]) + " " : "";
        return header + words(cell);
      }).join(", ");
    });
  }

  /* A list of facts as "Ort: Ludvika", one a block. */
  function factSentences(list) {
    return Array.prototype.map.call(list.querySelectorAll("dt"), function (term) {
      var values = [], next = term.nextElementSibling;
      for (; next && next.tagName === "DD"; next = next.nextElementSibling) { values.push(words(next)); }
      return words(term) + ": " + values.join(", ");
    });
  }

  /* The text to read, in the page's order, as blocks: each is spoken on its own, with a pause
     between them, so that "ludvika.se" and "Telefon" never run together. */
  function blocksOf(root) {
    var blocks = [];
    function add(text) { if (text) { blocks.push(text); } }
    (function walk(node) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === 3) { add(child.textContent.replace(/\s+/g, " ").trim()); return; }
        if (child.nodeType !== 1 || child.matches(FURNITURE)) { return; }
        if (child.tagName === "TABLE") { tableSentences(child).forEach(add); }
        else if (child.tagName === "DL") { factSentences(child).forEach(add); }
        else if (BLOCKS.test(child.tagName) && !child.querySelector("p, ul, ol, dl, table")) { add(words(withoutFurniture(child))); }
        else { walk(child); }
      });
    })(root);
    return blocks;
  }

  function withoutFurniture(node) {
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(FURNITURE), function (el) { el.parentNode.removeChild(el); });
    return copy;
  }

  /* "Lyssna": reads the page aloud with the browser's own speech synthesis (no outside service),
     in a Swedish voice; where the browser has none, it says so instead. */
  function setUpListen() {
    var box = document.querySelector("[data-listen]");
    if (!box || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
      return;
    }
    var button = box.querySelector("button");
    var status = box.querySelector("[data-listen-status]");
    var source = document.querySelector(box.getAttribute("data-listen"));
    var synth = window.speechSynthesis;
    var idleLabel = button.textContent;
    var reading = 0;  // the current reading; a stopped one's last "end" is ignored

    function reset() {
      reading++;
      button.textContent = idleLabel;
      button.setAttribute("aria-pressed", "false");
    }

    function swedishVoice() {
      var voices = synth.getVoices() || [];
      for (var i = 0; i < voices.length; i++) {
        if (/^sv([-_]|$)/i.test(voices[i].lang)) { return voices[i]; }
      }
      return null;
    }

    /* Calls back with a Swedish voice or null, once the browser has listed its voices. */
    function findVoice(then) {
      if ((synth.getVoices() || []).length) { then(swedishVoice()); return; }
      var done = false;
      function finish() { if (!done) { done = true; then(swedishVoice()); } }
      if (synth.addEventListener) { synth.addEventListener("voiceschanged", finish); }
      window.setTimeout(finish, VOICE_WAIT);
    }

    function read(voice) {
      var run = ++reading;
      var blocks = blocksOf(source);
      status.textContent = "";
      button.textContent = "Sluta läsa";
      button.setAttribute("aria-pressed", "true");
      blocks.forEach(function (text, i) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = "sv-SE";
        utterance.voice = voice;
        if (i === blocks.length - 1) { utterance.onend = function () { if (run === reading) { reset(); } }; }
        utterance.onerror = function (event) {
          if (run === reading && event.error !== "interrupted" && event.error !== "canceled") { synth.cancel(); reset(); }
        };
        synth.speak(utterance);
      });
    }

    button.addEventListener("click", function () {
      if (synth.speaking || button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        reset();
        return;
      }
      findVoice(function (voice) {
        if (voice) { read(voice); return; }
        status.textContent = "Din webbläsare har ingen svensk röst, så den kan inte läsa upp sidan. " +
          "Du kan installera svenska (talsyntes) i datorns eller telefonens inställningar för språk, eller använda en annan webbläsare.";
      });
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
    box.classList.add("listen-ready");  /* its place was kept: showing it moves nothing */
  }

  setUpListen();
})();
