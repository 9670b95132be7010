// Copy buttons: <button data-copy="ID" hidden> copies the text of element #ID
// (the current value of a text box).
// The button stays hidden without JavaScript; the text is there to select.
(function () {
  "use strict";

  // The partial may be included with other scripts that load this file too.
  if (document.documentElement.hasAttribute("data-copy-ready")) return;
  document.documentElement.setAttribute("data-copy-ready", "");

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-offscreen";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUp(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var status = button.parentElement.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      // A text box copies what is in it now, edits included.
      var text = (source.tagName === "TEXTAREA" ? source.value : source.innerText).trim();
      copyText(text).then(
        function () {
          if (status) status.textContent = button.getAttribute("data-copied") || "";
        },
        function () {
          selectContents(source);
          if (status) status.textContent = button.getAttribute("data-copy-failed") || "";
        }
      );
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
