// DynamoDB simulator: let htmx show the panel (or the item preview) of a 400 answer, which
// carries the message to read; htmx's default is to drop error responses. The page works
// without this file: every control is a plain form.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr && detail.xhr.status === 400 && detail.target && detail.target.closest("#ddb-sim")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
