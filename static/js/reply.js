// The reply check as people type, without a request per key (one after each
// pause): the seller's reply on their claim page, and what reviewers write
// to customers and Kingston Express from the admin.
//
// - <form data-reply-form> (the seller's page): its "reply" box is checked by
//   posting the form itself; its email link follows the edited text.
// - <textarea data-reply-check-url="..." data-reply-findings="ID"> (the
//   admin): the box's text is posted as "reply" to that address, with the
//   page's CSRF token, and the findings shown in element #ID.
(function () {
  "use strict";

  var PAUSE_MS = 600;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function checker(url, findings, body) {
    var timer = null;
    var latest = 0;
    function run() {
      var sent = ++latest;
      fetch(url, {
        method: "POST",
        body: body(),
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
          // The page's own button (or the server) still checks; nothing is lost.
        });
    }
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, PAUSE_MS);
    };
  }

  function setUpForm(form) {
    var text = form.querySelector("textarea[name=reply]");
    var findings = document.querySelector("[data-reply-findings]");
    var mailto = form.querySelector("[data-reply-mailto]");
    if (!text || !findings) return;
    var mailtoBase = mailto
      ? mailto.getAttribute("href").replace(/([?&])body=[^&]*/, "$1").replace(/[?&]$/, "")
      : "";
    var schedule = checker(form.action, findings, function () {
      return new FormData(form);
    });
    text.addEventListener("input", function () {
      if (mailto) {
        var body = encodeURIComponent(text.value.replace(/\r?\n/g, "\r\n"));
        mailto.setAttribute("href", mailtoBase + (mailtoBase.indexOf("?") < 0 ? "?" : "&") + "body=" + body);
      }
      schedule();
    });
  }

  function setUpBox(box) {
    var findings = document.getElementById(box.getAttribute("data-reply-findings"));
    if (!findings) return;
    var schedule = checker(box.getAttribute("data-reply-check-url"), findings, function () {
      var data = new FormData();
      data.append("reply", box.value);
      data.append("csrfmiddlewaretoken", csrfToken());
      return data;
    });
    box.addEventListener("input", function () {
      if (box.value.trim()) {
        schedule();
      } else {
        findings.innerHTML = "";
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-reply-form]"), setUpForm);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-reply-check-url]"), setUpBox);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
