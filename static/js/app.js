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

  document.documentElement.classList.add("js");
})();
