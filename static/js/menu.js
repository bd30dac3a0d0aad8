// Menus that fold at phone width: <details class="collapsible" data-collapse open>.
// The page sends them open (so they work without this script); here they close on a narrow
// screen and open again on a wide one. The <summary> is the button; nothing else is needed.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 40rem)");
  function apply() {
    document.querySelectorAll("details[data-collapse]").forEach(function (menu) {
      menu.open = !narrow.matches;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
  if (narrow.addEventListener) {
    narrow.addEventListener("change", apply);
  }
})();
