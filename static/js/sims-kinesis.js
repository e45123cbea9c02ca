// The Kinesis simulator: click the hash bar to split there; show 400 answers in the panel.
// The page works without this file (forms post and redirect back).
(function () {
  "use strict";

  // A 400 carries the panel with its message: swap it in like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "kinesis-sim") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A click on an open shard splits it at that point of the hash key space.
  document.addEventListener("click", function (event) {
    var band = event.target.closest && event.target.closest("[data-split-band]");
    var form = document.getElementById("split-at-form");
    if (!band || !form) return;
    var svg = band.ownerSVGElement;
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var x = point.matrixTransform(svg.getScreenCTM().inverse()).x / 1000;
    if (!(x > 0 && x < 1)) return;
    form.elements.at.value = x.toFixed(9);
    form.requestSubmit();
  });
})();
