// SQS simulator: let htmx show the panel of a 400 answer (bad input), which carries the
// message to read; htmx's default is to drop error responses.
(function () {
  "use strict";

  // With DEBUG on (as with `make run`), django-htmx's script replaces the whole document with
  // the answer to any htmx request that gets a 400, to show Django's debug page. Here a 400
  // is bad input whose answer belongs in the page: keep that script from seeing it (it
  // listens on the document; this listener on <body> runs first).
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status === 400 && event.target.closest && event.target.closest("#sqs-sim")) {
        event.stopPropagation();
      }
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr && detail.xhr.status === 400 && detail.target && detail.target.closest("#sqs-sim")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
