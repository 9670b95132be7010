// The reply box on the seller's claim page: the same check as the "Check my
// reply" button, run as the seller types (one request after each pause, not
// per key), and the email link kept in step with the edited text.
(function () {
  "use strict";

  var PAUSE_MS = 600;

  function setUp(form) {
    var text = form.querySelector("textarea[name=reply]");
    var findings = document.querySelector("[data-reply-findings]");
    var mailto = form.querySelector("[data-reply-mailto]");
    if (!text || !findings) return;
    var mailtoBase = mailto ? mailto.getAttribute("href").replace(/([?&])body=[^&]*/, "$1").replace(/[?&]$/, "") : "";
    var timer = null;
    var latest = 0;

    function updateMailto() {
      if (!mailto) return;
      var body = encodeURIComponent(text.value.replace(/\r?\n/g, "\r\n"));
      mailto.setAttribute("href", mailtoBase + (mailtoBase.indexOf("?") < 0 ? "?" : "&") + "body=" + body);
    }

    function runCheck() {
      var sent = ++latest;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (response.status !== 200 && response.status !== 400) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          // Only the answer to the latest text counts.
          if (sent === latest) findings.innerHTML = html;
        })
        .catch(function () {
          // The button still checks with a full page; nothing is lost.
        });
    }

    text.addEventListener("input", function () {
      updateMailto();
      window.clearTimeout(timer);
      timer = window.setTimeout(runCheck, PAUSE_MS);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-reply-form]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
