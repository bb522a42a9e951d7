// Enhancement of the document upload forms (trainees/profile.html): a photo larger than
// the stored limit (the file input's data-shrink-to, in bytes) is scaled down in the
// browser before it is sent, so a phone camera's 4-6 MB picture travels as a few hundred
// kilobytes on a slow connection. The server scales down what arrives anyway
// (core.uploads); if anything here is not supported, the original file is sent.
(function () {
  "use strict";
  if (!window.createImageBitmap || !window.DataTransfer || !window.HTMLCanvasElement) return;
  // Longest side and JPEG quality, tried in order until the photo fits (as the server).
  var STEPS = [[2400, 0.85], [2000, 0.8], [1600, 0.75], [1280, 0.65]];

  function encode(bitmap, side, quality) {
    var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG lands on white, as on paper
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", quality);
    });
  }

  function shrink(file, limit) {
    return window.createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var step = 0;
      function attempt() {
        var side = STEPS[step][0];
        var quality = STEPS[step][1];
        return encode(bitmap, side, quality).then(function (blob) {
          if (blob && blob.size <= limit) return blob;
          step += 1;
          if (step < STEPS.length) return attempt();
          return null;
        });
      }
      return attempt();
    });
  }

  document.querySelectorAll("input[type=file][data-shrink-to]").forEach(function (input) {
    var form = input.form;
    if (!form) return;
    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      var limit = parseInt(input.getAttribute("data-shrink-to"), 10);
      if (!file || !limit || file.size <= limit) return;
      if (file.type !== "image/jpeg" && file.type !== "image/png") return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      var note = document.createElement("p");
      note.className = "small text-body-secondary mt-2";
      note.setAttribute("role", "status");
      note.textContent = form.getAttribute("data-shrinking") || "";
      form.appendChild(note);
      shrink(file, limit)
        .then(function (blob) {
          if (blob) {
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            var files = new DataTransfer();
            files.items.add(new File([blob], name, { type: "image/jpeg" }));
            input.files = files.files;
          }
        })
        .catch(function () {
          // Not decodable here (an unusual format): the server decides.
        })
        .then(function () {
          form.submit();
        });
    });
  });
})();
