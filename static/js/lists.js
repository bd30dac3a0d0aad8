// Lists: "select all on this page" for a bulk form (progressive enhancement; without
// JavaScript each row is chosen by hand). A form marked data-bulk-form holds a hidden
// [data-select-page-wrap] with a [data-select-page] checkbox and rows' [data-select-row].
(function () {
  "use strict";
  function setUp(form) {
    var wrap = form.querySelector("[data-select-page-wrap]");
    var all = form.querySelector("[data-select-page]");
    if (!wrap || !all) return;
    var rows = function () {
      return Array.prototype.slice.call(form.querySelectorAll("[data-select-row]"));
    };
    var sync = function () {
      var boxes = rows();
      var checked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    };
    wrap.hidden = false;
    all.addEventListener("change", function () {
      rows().forEach(function (b) { b.checked = all.checked; });
    });
    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-select-row")) sync();
    });
    sync();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bulk-form]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
