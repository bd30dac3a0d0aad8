// Where focus goes when a page comes back from a form:
// - with errors: to the error summary (<div class="error-summary" tabindex="-1">), so a screen
//   reader reads what to correct and a keyboard user starts there; its links lead to the fields;
// - after a success (a message is shown): to the part of the page the address points at
//   (#meetings-title), or else, when the form was sent from this same page, to the message.
//   (Arriving elsewhere, as after signing in, focus stays where the browser puts it, so the
//   first Tab reaches the skip link.)
// Also after an htmx swap that brings an error summary.
(function () {
  "use strict";
  function focusable(element) {
    // A heading or a box takes focus from a script only with tabindex="-1"; a field or a
    // link already can (and must keep its place in the tab order).
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    return element;
  }
  function focusSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) {
      focusable(summary).focus();
    }
  }
  function hashTarget() {
    if (window.location.hash.length < 2) {
      return null;
    }
    try {
      return document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    } catch (error) {
      return null;
    }
  }
  var SENT_FROM = "form-sent-from";
  function sentFromHere() {
    var from = null;
    try {
      from = window.sessionStorage.getItem(SENT_FROM);
      window.sessionStorage.removeItem(SENT_FROM);
    } catch (error) {
      from = null;
    }
    return from === window.location.pathname;
  }
  document.addEventListener("submit", function () {
    try {
      window.sessionStorage.setItem(SENT_FROM, window.location.pathname);
    } catch (error) {
      // No storage (a private window may refuse it): focus simply stays where it is.
    }
  });
  var chosen = null;
  function onReady() {
    var fromHere = sentFromHere();
    var summary = document.querySelector(".error-summary");
    var messages = document.querySelector(".messages");
    if (!summary && !messages) {
      return;
    }
    var target = hashTarget();
    // An address kept from an error summary's link (#id_field: a browser keeps the fragment
    // through the form's redirect) names a field, not where the page now begins: drop it, or
    // the browser would move focus to that field.
    if (target && target.matches("input, select, textarea, button")) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      target = null;
    }
    chosen = summary || target || (fromHere ? messages : null);
    if (chosen) {
      focusable(chosen).focus();
    }
  }
  // Once loaded, the browser may have moved focus to the address's target: bring it back,
  // unless the person has already moved on.
  window.addEventListener("load", function () {
    if (chosen && (document.activeElement === document.body || document.activeElement === null)) {
      chosen.focus();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    focusSummary(event.detail && event.detail.target);
  });
})();
