// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var box = document.getElementById("q") || document.getElementById("site-search");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Selects marked data-autosubmit submit their form on change (the language switcher).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]")) select.form.submit();
  });

  // A simulator page following its stored state (templates/sims/_follow.html) does not ask
  // while the tab is hidden, while another request of the page is under way, or while a field
  // of the panel it would replace is in use (the answer would take what is being typed).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var poller = event.detail.elt;
    if (!poller.matches || !poller.matches("[data-follow]")) return;
    var panel = document.querySelector(poller.getAttribute("data-follow"));
    var busy = document.querySelector(".htmx-request:not([data-follow])");
    var active = document.activeElement;
    if (document.hidden || busy || (panel && panel.contains(active) && isTyping(active))) {
      event.preventDefault();
    }
  });

  document.documentElement.classList.add("js");
})();
