// Keys for practice and mock exams: 1-9 / A-F choose, Enter submits, f flags, arrows move.
(function () {
  "use strict";

  function form() {
    return document.querySelector("[data-quiz-panel] form.question-form, form.question-form[data-quiz-panel]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && /^(TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (target && target.tagName === "INPUT" && !/^(radio|checkbox)$/.test(target.type)) return;
    var key = event.key;
    var next = document.getElementById("next-question");
    if (next && key === "Enter") {
      event.preventDefault();
      next.click();
      return;
    }
    var current = form();
    if (!current) return;
    var index = -1;
    if (/^[1-9]$/.test(key)) index = Number(key) - 1;
    else if (/^[a-fA-F]$/.test(key) && key.toLowerCase() !== "f") index = key.toLowerCase().charCodeAt(0) - 97;
    else if (key === "F" || key === "f") {
      var flag = document.getElementById("flag");
      if (flag) {
        event.preventDefault();
        flag.click();
        return;
      }
      if (key === "F" || key === "f") index = 5; // practice pages have no flag: F picks option F
    }
    if (index >= 0) {
      var inputs = current.querySelectorAll("input[name='choice']");
      if (index < inputs.length) {
        event.preventDefault();
        var input = inputs[index];
        input.checked = input.type === "radio" ? true : !input.checked;
        input.focus({ preventScroll: true });
        // A key press ticks the option as a click would: the exam page saves it at once.
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (key === "Enter") {
      event.preventDefault();
      // The primary action: "Save and next" on exams, "Check answer" in practice.
      var submit = current.querySelector("button[data-nav='next']") || current.querySelector("button[type='submit']");
      if (submit && !submit.disabled) submit.click();
      return;
    }
    if (key === "ArrowRight" || key === "ArrowLeft") {
      var button = current.querySelector("button[data-nav='" + (key === "ArrowRight" ? "next" : "prev") + "']");
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });

  document.documentElement.dataset.keys = "quiz"; // tests wait for this before typing

  // The countdown is the server's: the page starts from its figure and ticks locally.
  var timer = document.querySelector(".timer[data-remaining]");
  if (timer) {
    var ends = Date.now() + Number(timer.dataset.remaining) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = String(left % 60).padStart(2, "0");
      timer.textContent = minutes + ":" + seconds;
      if (left === 0) window.location.reload();
      else window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
