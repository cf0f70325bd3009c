// Progressive enhancement only: every page works without this file (it then offers "Check again").
(function () {
  "use strict";
  document.documentElement.classList.add("js-enabled");

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

  // GOV.UK error summary: focus moves to it, so it is read out first and the links to the fields are at hand.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  focusErrorSummary();
  // A link in the error summary focuses the field itself (the browser would only scroll to it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
  });

  // A page that waits (upload being checked, plan being solved, roll-up running) has a status region
  // (role="status").  Ask the API where things stand; when the state moves on, fetch the page once and put its
  // status text, result and title in place: the status region announces the change, nothing reloads.
  var status = document.getElementById("status");
  if (!status || !status.getAttribute("data-watch")) { return; }
  var api = status.getAttribute("data-watch");
  var kind = status.getAttribute("data-kind");

  function stateOf(data) {
    if (kind === "rollup") { return data.status; }
    if (kind === "comparison") { return data.status === "queued" || data.status === "running" ? "comparing" : data.status; }
    if (data.validation !== "accepted") { return data.validation; }
    if (data.plan_status === "waiting" || data.plan_status === "solving") { return "solving"; }
    return data.plan_status === "none" ? "accepted" : data.plan_status;
  }

  function later(seconds) { window.setTimeout(check, seconds * 1000); }

  function check() {
    if (status.getAttribute("data-busy") !== "yes") { return; }
    fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { if (!answer.ok) { throw new Error(String(answer.status)); } return answer.json(); })
      .then(function (data) {
        if (stateOf(data) === status.getAttribute("data-state")) { later(1); } else { return update(); }
      })
      .catch(function () { later(3); });
  }

  function update() {
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (answer) { if (!answer.ok) { throw new Error(String(answer.status)); } return answer.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newStatus = page.getElementById("status");
        var newResult = page.getElementById("result");
        var result = document.getElementById("result");
        if (!newStatus || !newResult || !result) { throw new Error("unexpected page"); }
        document.title = page.title;
        result.innerHTML = newResult.innerHTML;
        ["data-state", "data-busy", "class"].forEach(function (name) {
          status.setAttribute(name, newStatus.getAttribute(name));
        });
        status.innerHTML = newStatus.innerHTML;  // announced by the status region
        focusErrorSummary();
        later(1);
      });
  }

  later(1);
})();
