// SQS simulator: let htmx show the panel of a 400 answer (bad input), which carries the
// message to read; htmx's default is to drop error responses.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr && detail.xhr.status === 400 && detail.target && detail.target.closest("#sqs-sim")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
