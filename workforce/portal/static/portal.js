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
  // While an upload is being checked, or a plan or roll-up made, ask for its status and reload when it moves on.
  var BUSY = ["checking", "waiting", "solving", "running", "queued"];
  function stage(data) {
    if (data.validation === "checking") { return "checking"; }
    return data.plan_status || data.status;
  }
  function poll(element, url) {
    if (!element || BUSY.indexOf(element.getAttribute("data-status")) < 0) { return; }
    var first = element.getAttribute("data-status");
    window.setTimeout(function check() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        var now = stage(data);
        if (now === first || (BUSY.indexOf(now) >= 0 && first !== "checking")) { window.setTimeout(check, 1000); }
        else { window.location.reload(); }
      }).catch(function () { window.setTimeout(check, 3000); });
    }, 1000);
  }
  var progress = document.getElementById("progress");
  if (progress) { poll(progress, "/api/submissions/" + progress.getAttribute("data-submission")); }
  var rollup = document.getElementById("rollup-progress");
  if (rollup) { poll(rollup, "/api/rollups/" + rollup.getAttribute("data-rollup")); }
  var comparison = document.getElementById("comparison-progress");
  if (comparison) { poll(comparison, "/api/comparisons/" + comparison.getAttribute("data-comparison")); }
})();
