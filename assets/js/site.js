/* Progressive enhancement only: every page works without JavaScript. */
(function () {
  "use strict";

  /* "Lyssna": reads the course aloud with the browser's own speech synthesis (no outside service). */
  function setUpListen() {
    var box = document.querySelector("[data-listen]");
    if (!box || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
      return;
    }
    var button = box.querySelector("button");
    var source = document.querySelector(box.getAttribute("data-listen"));
    var synth = window.speechSynthesis;
    var idleLabel = button.textContent;

    function reset() {
      button.textContent = idleLabel;
      button.setAttribute("aria-pressed", "false");
    }

    function swedishVoice() {
      var voices = synth.getVoices() || [];
      for (var i = 0; i < voices.length; i++) {
        if (/^sv/i.test(voices[i].lang)) { return voices[i]; }
      }
      return null;
    }

    function textToRead() {
      var copy = source.cloneNode(true);
      var skip = copy.querySelectorAll("[data-listen], [hidden], .print-only, .visually-hidden, table");
      for (var i = 0; i < skip.length; i++) { skip[i].parentNode.removeChild(skip[i]); }
      return copy.textContent.replace(/\s+/g, " ").trim();
    }

    button.addEventListener("click", function () {
      if (synth.speaking || button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        reset();
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(textToRead());
      utterance.lang = "sv-SE";
      var voice = swedishVoice();
      if (voice) { utterance.voice = voice; }
      utterance.onend = reset;
      utterance.onerror = reset;
      button.textContent = "Sluta läsa";
      button.setAttribute("aria-pressed", "true");
      synth.speak(utterance);
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
    box.classList.add("listen-ready");  /* its place was kept: showing it moves nothing */
  }

  setUpListen();
})();
