// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Drag and drop onto the upload box puts the file in the ordinary file picker.
  var drop = document.getElementById("drop");
  var input = document.getElementById("workbook");
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
    });
  }
  // While a plan or roll-up is being made, ask for its status and reload when it is ready.
  function poll(element, url) {
    if (!element) { return; }
    var status = element.getAttribute("data-status");
    if (status !== "waiting" && status !== "solving" && status !== "running") { return; }
    window.setTimeout(function check() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        var now = data.plan_status || data.status;
        if (now === "waiting" || now === "solving" || now === "running") { window.setTimeout(check, 1000); }
        else { window.location.reload(); }
      }).catch(function () { window.setTimeout(check, 3000); });
    }, 1000);
  }
  var progress = document.getElementById("progress");
  if (progress) { poll(progress, "/api/submissions/" + progress.getAttribute("data-submission")); }
  var rollup = document.getElementById("rollup-progress");
  if (rollup) { poll(rollup, "/api/rollups/" + rollup.getAttribute("data-rollup")); }
})();
