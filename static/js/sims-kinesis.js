// The Kinesis simulator: click the hash bar (or use the keyboard on it) to split there; show
// 400 answers in the panel.
// The page works without this file (forms post and redirect back).
(function () {
  "use strict";

  // With DEBUG on (as with `make run`), django-htmx's script replaces the whole document with
  // the answer to any htmx request that gets a 400, to show Django's debug page. Here a 400
  // is bad input whose answer belongs in the page: keep that script from seeing it (it
  // listens on the document; this listener on <body> runs first).
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status === 400 && event.target.closest && event.target.closest("#kinesis-sim")) {
        event.stopPropagation();
      }
    });
  });

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

  // By keyboard: a focused shard shows a split point (its middle first); the arrow keys
  // move it (a 32nd of the shard, with Shift an 8th), Enter or Space splits there.
  function marker(band) {
    var svg = band.ownerSVGElement;
    var line = svg.querySelector(".split-point");
    if (!line) {
      line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", "split-point");
      line.setAttribute("y1", "16");
      line.setAttribute("y2", "94");
      svg.appendChild(line);
    }
    return line;
  }

  function showPoint(band, at) {
    band.setAttribute("data-at", String(at));
    var line = marker(band);
    line.setAttribute("x1", String(at));
    line.setAttribute("x2", String(at));
    var said = document.getElementById("split-point");
    if (said) said.textContent = (at / 10).toFixed(2) + " %";
  }

  document.addEventListener("focusin", function (event) {
    var band = event.target.closest && event.target.closest("[data-split-band]");
    if (!band) return;
    var left = parseFloat(band.getAttribute("x"));
    var width = parseFloat(band.getAttribute("width"));
    showPoint(band, parseFloat(band.getAttribute("data-at")) || left + width / 2);
  });

  document.addEventListener("focusout", function (event) {
    var band = event.target.closest && event.target.closest("[data-split-band]");
    var line = band && band.ownerSVGElement.querySelector(".split-point");
    if (line) line.remove();
  });

  document.addEventListener("keydown", function (event) {
    var band = event.target.closest && event.target.closest("[data-split-band]");
    var form = document.getElementById("split-at-form");
    if (!band || !form) return;
    var left = parseFloat(band.getAttribute("x"));
    var width = parseFloat(band.getAttribute("width"));
    var at = parseFloat(band.getAttribute("data-at")) || left + width / 2;
    var step = width / (event.shiftKey ? 8 : 32);
    if (event.key === "ArrowLeft" || event.key === "ArrowDown") {
      event.preventDefault();
      showPoint(band, Math.max(left + width / 64, at - step));
    } else if (event.key === "ArrowRight" || event.key === "ArrowUp") {
      event.preventDefault();
      showPoint(band, Math.min(left + width - width / 64, at + step));
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      form.elements.at.value = (at / 1000).toFixed(9);
      form.requestSubmit();
    }
  });
})();
