// The related-articles picker (Django's autocomplete, select2) draws its own
// search box without a label, and draws it again after each choice: name it
// from the field's own label each time (axe: "Form elements must have labels").
(function () {
  "use strict";
  function name(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      var container = input.closest(".related-widget-wrapper, .form-row, .fieldBox");
      var label = container && container.querySelector("label");
      input.setAttribute("aria-label", label ? label.textContent.replace(/:\s*$/, "") : "Search");
    });
  }
  window.addEventListener("load", function () {
    name(document);
    new MutationObserver(function () { name(document); }).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
