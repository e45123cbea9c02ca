// Anki-like keys for the review and custom-study pages. Without this file, links and forms work.
(function () {
  "use strict";

  function panel() {
    return document.querySelector("[data-review-panel]");
  }

  function reveal(event) {
    var answer = document.getElementById("answer");
    var show = document.getElementById("show-answer");
    if (!answer || !answer.hidden) return false;
    if (event) event.preventDefault();
    answer.hidden = false;
    if (show) show.parentElement.remove();
    var first = answer.querySelector("button[data-rating='3']");
    if (first) first.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#show-answer");
    if (link) reveal(event);
  });

  document.documentElement.dataset.keys = "review"; // tests wait for this before typing

  // "Done for now": count down to the next learning card. The server wrote the same text and
  // htmx brings the card in when it is due; this only keeps the number moving. Never "0".
  function formatWait(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    if (hours) return minutes ? hours + " h " + minutes + " min" : hours + " h";
    if (minutes) return rest ? minutes + " min " + rest + " s" : minutes + " min";
    return rest + " s";
  }

  function tick() {
    var timers = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < timers.length; i++) {
      var timer = timers[i];
      if (!timer.dataset.until) {
        timer.dataset.until = String(Date.now() + Number(timer.dataset.countdown) * 1000);
      }
      var left = Math.max(1, Math.ceil((Number(timer.dataset.until) - Date.now()) / 1000));
      var text = formatWait(left);
      if (timer.textContent !== text) timer.textContent = text;
    }
  }

  tick();
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 1000);

  document.addEventListener("keydown", function (event) {
    if (!panel() || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var answer = document.getElementById("answer");
    if (event.key === " " || event.key === "Enter") {
      if (answer && answer.hidden) {
        reveal(event);
      } else if (event.key === " ") {
        event.preventDefault(); // Space never scrolls or re-presses a focused grade button
      }
      return;
    }
    if (/^[1-4]$/.test(event.key) && answer && !answer.hidden) {
      var button = answer.querySelector("button[data-rating='" + event.key + "']");
      if (button && !button.disabled) {
        event.preventDefault();
        button.click();
      }
      return;
    }
    if (event.key === "u" || event.key === "U") {
      var undo = document.getElementById("undo");
      if (undo && !undo.disabled) {
        event.preventDefault();
        undo.click();
      }
    }
  });
})();
