// Live quiz polling: send back the fragment's ETag so an unchanged screen costs a 304.
(function () {
  "use strict";
  if (!window.htmx) return;
  // A 304 keeps the screen as it is; 4xx answers carry a message worth showing (swap them).
  htmx.config.responseHandling = [
    { code: "304", swap: false },
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(400|403|404|409|410|429)", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false }
  ];
  var etags = {};
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb === "get" && etags[detail.path]) detail.headers["If-None-Match"] = etags[detail.path];
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var path = event.detail.requestConfig && event.detail.requestConfig.path;
    if (!xhr || !path || event.detail.requestConfig.verb !== "get") return;
    var tag = xhr.getResponseHeader("ETag");
    if (tag) etags[path] = tag;
  });
})();
