// Claim pages, progressive enhancement only: everything works without it.
// - the error summary takes focus, so screen readers hear the problems first;
// - chosen photos show a preview at once, then upload one by one with a
//   progress bar to the same address the plain form posts to;
// - a submit button cannot be pressed twice by accident.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function preview(container, file) {
    var item = document.createElement("div");
    item.className = "photo-preview";
    if (/^image\/(jpeg|png|webp)$/.test(file.type)) {
      var img = document.createElement("img");
      img.alt = "";
      img.src = URL.createObjectURL(file);
      img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
      item.appendChild(img);
    }
    var name = document.createElement("span");
    name.textContent = file.name;
    item.appendChild(name);
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    item.appendChild(bar);
    container.appendChild(item);
    return { item: item, bar: bar };
  }

  // The wizard's photo step: upload each chosen file on its own with progress.
  function setUpWizardUploads(form) {
    var inputs = form.querySelectorAll("[data-photo-input]");
    var management = form.querySelector("input[name$='current_step']");
    if (!management || !window.XMLHttpRequest || !window.FormData) return;
    // One upload at a time: the answers live in one session, and parallel
    // requests would each save their own copy of it and lose the others' photos.
    var queue = [];
    var busy = false;
    var failed = false;

    function next() {
      if (busy) return;
      var job = queue.shift();
      if (!job) {
        // Show the server's list (thumbnails, Remove buttons) once all are in;
        // after a failure, leave the messages on screen instead.
        if (!failed) window.location.reload();
        return;
      }
      busy = true;
      uploadOne(job.input, job.file, job.view, function () {
        busy = false;
        next();
      });
    }

    function uploadOne(input, file, view, done) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      data.append(management.name, management.value);
      data.append("action", "upload");
      data.append(input.name, file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.addEventListener("loadend", function () {
        var reply = null;
        try { reply = JSON.parse(xhr.responseText); } catch (error) { reply = null; }
        if (!reply || !reply.ok) {
          failed = true;
          view.item.className += " photo-preview--error";
          var message = document.createElement("span");
          message.textContent = reply && reply.errors ? reply.errors.join(" ") : "Upload failed: try again.";
          view.item.appendChild(message);
        } else {
          view.bar.value = 100;
        }
        done();
      });
      xhr.send(data);
    }

    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", function () {
        var container = input.parentElement.querySelector("[data-photo-previews]");
        failed = false;
        Array.prototype.forEach.call(input.files, function (file) {
          queue.push({ input: input, file: file, view: preview(container, file) });
        });
        input.value = "";
        next();
      });
    });
    var uploadButton = form.querySelector("[data-upload-button]");
    if (uploadButton) uploadButton.hidden = true;
    form.setAttribute("data-enhanced", "");
  }

  // The customer's page posts all photos together: previews only.
  function setUpPreviews(form) {
    form.setAttribute("data-enhanced", "");
    Array.prototype.forEach.call(form.querySelectorAll("[data-photo-input]"), function (input) {
      input.addEventListener("change", function () {
        var container = input.parentElement.querySelector("[data-photo-previews]");
        container.textContent = "";
        Array.prototype.forEach.call(input.files, function (file) {
          preview(container, file).bar.remove();
        });
      });
    });
  }

  function preventDoubleSubmit() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-prevent-double-click]"), function (button) {
      var form = button.form;
      if (!form) return;
      form.addEventListener("submit", function () {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  }

  function init() {
    focusErrorSummary();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-photo-form]"), function (form) {
      if (form.querySelector("input[name$='current_step']")) setUpWizardUploads(form);
      else setUpPreviews(form);
    });
    preventDoubleSubmit();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
