// Claim pages, progressive enhancement only: everything works without it.
// - the error summary takes focus, so screen readers hear the problems first;
//   otherwise a message the page marks (photos added) does, so a keyboard user
//   is not left on the body after the reload an upload ends with;
// - chosen photos show a preview at once, then upload one by one with a
//   progress bar to the same address the plain form posts to;
// - a submit button cannot be pressed twice by accident.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]") ||
      document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  }

  // "%(name)s uploaded" with the page's translated text.
  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // One line per file in the status region: each is read out on its own
  // (replacing one text would cut the previous file's line short).
  function announce(status, text) {
    if (!status || !text) return;
    var line = document.createElement("p");
    line.textContent = text;
    status.appendChild(line);
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function preview(container, file, label) {
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
    // A progress bar needs a name of its own: "Uploading photo1.jpg", not "45%".
    bar.setAttribute("aria-label", format(label, { name: file.name }) || file.name);
    item.appendChild(bar);
    container.appendChild(item);
    return { item: item, bar: bar };
  }

  // The wizard's photo step: upload each chosen file on its own with progress.
  function setUpWizardUploads(form) {
    var inputs = form.querySelectorAll("[data-photo-input]");
    var management = form.querySelector("input[name$='current_step']");
    var status = form.querySelector("[data-upload-status]");
    var text = function (name) { return status ? status.getAttribute("data-" + name) : ""; };
    if (!management || !window.XMLHttpRequest || !window.FormData) return;
    // One upload at a time: the answers live in one session, and parallel
    // requests would each save their own copy of it and lose the others' photos.
    var queue = [];
    var busy = false;
    var failed = false;
    var done = 0;
    var total = 0;

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

    function uploadOne(input, file, view, finished) {
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
        done += 1;
        if (!reply || !reply.ok) {
          failed = true;
          markFailed(view);
          var message = document.createElement("span");
          message.textContent = reply && reply.errors
            ? reply.errors.join(" ")
            : format(text("upload-failed"), { name: file.name });
          view.item.appendChild(message);
          announce(status, message.textContent);
        } else {
          view.bar.value = 100;
          announce(status, format(text("uploaded"), { name: file.name, n: done, total: total }));
        }
        finished();
      });
      xhr.send(data);
    }

    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", function () {
        var container = input.parentElement.querySelector("[data-photo-previews]");
        failed = false;
        if (!busy && !queue.length) { done = 0; total = 0; if (status) status.textContent = ""; }
        Array.prototype.forEach.call(input.files, function (file) {
          total += 1;
          queue.push({ input: input, file: file, view: preview(container, file, text("uploading")) });
        });
        input.value = "";
        next();
      });
    });
    var uploadButton = form.querySelector("[data-upload-button]");
    if (uploadButton) uploadButton.hidden = true;
    form.setAttribute("data-enhanced", "");
  }

  // A failed upload must not look like a success: the bar goes (it may have
  // reached 100% before the server refused) and the preview is marked.
  function markFailed(view) {
    view.item.className += " photo-preview--error";
    if (view.bar.parentNode) view.bar.remove();
  }

  // Shrink a photo on the phone to the size the server keeps (the longest side
  // `box`, turned upright), as a fresh JPEG: a 4 MB photo sends a few hundred KB,
  // and the re-encoding leaves its location data on the phone. The server still
  // checks and re-encodes it. Anything the browser cannot draw (HEIC, say) goes
  // as it is.
  function shrink(file, box) {
    if (!box || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, box / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  // What the camera wrote, read before shrinking drops it: EXIF's capture time
  // (DateTimeOriginal, with its offset) and whether a Make or Model is named. The
  // server keeps them as facts of the photo for the reviewer. The GPS block is
  // never read. JPEG only; anything else, or anything unreadable, gives {}.
  function cameraFacts(file) {
    if (file.type !== "image/jpeg" || !file.slice || !window.DataView) return Promise.resolve({});
    return file.slice(0, 131072).arrayBuffer().then(function (buffer) {
      var view = new DataView(buffer);
      if (view.getUint16(0) !== 0xffd8) return {};
      for (var at = 2; at + 10 <= view.byteLength; at += 2 + view.getUint16(at + 2)) {
        var marker = view.getUint16(at);
        if (marker === 0xffe1 && view.getUint32(at + 4) === 0x45786966) return readTiff(view, at + 10);
        if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) break;
      }
      return {};
    }).catch(function () { return {}; });
  }

  function readTiff(view, start) {
    var little = view.getUint16(start) === 0x4949;
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function text(entry) {
      var count = Math.min(u32(entry + 4), 64);
      var at = count > 4 ? u32(entry + 8) : entry + 8;
      var out = "";
      for (var i = 0; i < count; i++) {
        var code = view.getUint8(start + at + i);
        if (!code) break;
        out += String.fromCharCode(code);
      }
      return out.trim();
    }
    function tags(ifd, wanted) {
      var found = {};
      for (var i = 0, n = u16(ifd); i < n; i++) {
        var entry = ifd + 2 + i * 12;
        var name = wanted[u16(entry)];
        if (name) found[name] = name === "exif" ? u32(entry + 8) : text(entry);
      }
      return found;
    }
    var main = tags(u32(4), { 271: "make", 272: "model", 34665: "exif" });
    var details = main.exif ? tags(main.exif, { 36867: "taken", 36881: "offset" }) : {};
    return { camera: !!(main.make || main.model), taken: details.taken || "", offset: details.offset || "" };
  }

  // The customer's page: a preview per chosen photo; on send, each photo is
  // shrunk, then all go in one post with a progress bar per photo. The server's
  // own page answers: its messages on success, its problems on a refusal.
  function setUpPreviews(form) {
    var box = parseInt(form.getAttribute("data-shrink-to"), 10) || 0;
    var status = form.querySelector("[data-upload-status]");
    var views = [];
    form.setAttribute("data-enhanced", "");
    Array.prototype.forEach.call(form.querySelectorAll("[data-photo-input]"), function (input) {
      input.addEventListener("change", function () {
        var container = input.parentElement.querySelector("[data-photo-previews]");
        container.textContent = "";
        views = views.filter(function (view) { return view.input !== input; });
        Array.prototype.forEach.call(input.files, function (file) {
          var view = preview(container, file, form.getAttribute("data-sending-file"));
          view.input = input;
          view.file = file;
          view.bar.hidden = true;
          views.push(view);
        });
      });
    });
    if (!window.XMLHttpRequest || !window.FormData || !window.Promise) return;
    form.addEventListener("submit", function (event) {
      if (!views.length) return; // a note alone: the plain post is fine
      event.preventDefault();
      var button = form.querySelector("[data-prevent-double-click]");
      if (status) status.textContent = form.getAttribute("data-sending") || "";
      Promise.all(views.map(function (view) {
        return cameraFacts(view.file).then(function (facts) { view.facts = facts; return shrink(view.file, box); });
      })).then(function (files) {
        var data = new FormData();
        Array.prototype.forEach.call(form.elements, function (element) {
          if (!element.name || element.type === "file" || element.disabled) return;
          data.append(element.name, element.value);
        });
        files.forEach(function (file, index) {
          var name = views[index].input.name, facts = views[index].facts || {};
          data.append(name, file, file.name);
          data.append(name + "-taken", facts.taken || "");
          data.append(name + "-offset", facts.offset || "");
          data.append(name + "-camera", facts.camera ? "1" : "");
        });
        views.forEach(function (view) { view.bar.hidden = false; view.bar.value = 0; });
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.getAttribute("action") || window.location.pathname);
        xhr.upload.addEventListener("progress", function (progress) {
          if (!progress.lengthComputable) return;
          var share = Math.round((progress.loaded / progress.total) * 100);
          views.forEach(function (view) { view.bar.value = share; });
        });
        xhr.addEventListener("load", function () {
          // The server's own page answers (after its redirect, with its thank-you:
          // loading the address again would lose that message). On a refusal it
          // explains why, with a fresh form: the photos must be chosen again.
          if (xhr.status >= 400) views.forEach(markFailed);
          var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var main = page.querySelector("main");
          var current = document.querySelector("main");
          if (main && current) {
            current.replaceWith(document.importNode(main, true));
            document.title = page.title;
            init();
          } else if (status) {
            status.textContent = form.getAttribute("data-upload-failed") || "";
          }
        });
        xhr.addEventListener("error", function () {
          views.forEach(markFailed);
          if (status) status.textContent = form.getAttribute("data-upload-failed") || "";
          if (button) button.disabled = false;
        });
        xhr.send(data);
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
