// The application form: the manager's part is not asked of somebody who has retired or
// recently left the role. A <fieldset data-unless-status="recently_left retired"> is hidden
// while the chosen status (the radio buttons marked data-career-status) is one of those; the
// page is sent with the part already hidden or shown, so it works without this script, and
// the server decides what is required.
(function () {
  "use strict";
  function chosen(form) {
    var checked = form.querySelector("[data-career-status]:checked");
    return checked ? checked.value : "";
  }
  function apply(form) {
    var status = chosen(form);
    form.querySelectorAll("fieldset[data-unless-status]").forEach(function (part) {
      var statuses = part.getAttribute("data-unless-status").split(" ");
      part.hidden = statuses.indexOf(status) !== -1;
    });
  }
  function setUp() {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-career-status]")) return;
      form.addEventListener("change", function (event) {
        if (event.target.hasAttribute("data-career-status")) apply(form);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
