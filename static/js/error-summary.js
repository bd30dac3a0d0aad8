// A form that comes back with errors: focus moves to its error summary
// (<div class="error-summary" tabindex="-1">), so a screen reader reads what to correct and a
// keyboard user starts there; its links lead to the fields. Also after an htmx swap.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      focusSummary(document);
    });
  } else {
    focusSummary(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    focusSummary(event.detail && event.detail.target);
  });
})();
