// IAM simulator: small enhancements; the page works without this file.
(function () {
  "use strict";

  // With DEBUG on (as with `make run`), django-htmx's script replaces the whole document with
  // the answer to any htmx request that gets a 400, to show Django's debug page. Here a 400
  // is bad input whose answer belongs in the page: keep that script from seeing it (it
  // listens on the document; this listener on <body> runs first).
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status === 400 && event.target.closest && event.target.closest("#iam-workspace, .iam-presets")) {
        event.stopPropagation();
      }
    });
  });

  // An evaluation that fails validation answers 400 with the list of problems: show it
  // (htmx leaves 4xx responses unswapped by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 400 && detail.target && detail.target.closest("#iam-workspace, .iam-workspace")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // The share box: a copy button, and the whole link selected on focus.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || "✓";
      }, function () { /* the link stays selected for Ctrl+C */ });
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.id === "iam-share-url") event.target.select();
  });

  function showCopyButtons(root) {
    root.querySelectorAll("button.js-only[hidden]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { showCopyButtons(document); });
  document.addEventListener("htmx:afterSwap", function (event) { showCopyButtons(event.detail.target); });
})();
