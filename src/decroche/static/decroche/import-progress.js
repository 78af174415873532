/* Progress of an import while its upload is being processed (issue 17).
   The form posts as usual; meanwhile this polls the user's latest import
   (imports/en-cours.json: rows read so far of the rows expected). No dependency. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-import-progress]");
  if (!form) return;
  var box = document.getElementById("import-progress");
  var bar = document.getElementById("import-progress-bar");
  var label = document.getElementById("import-progress-label");
  var text = document.getElementById("import-progress-text");
  var url = form.getAttribute("data-import-progress");
  var before = null;

  function show(batch) {
    if (!batch || batch.id === before) return;
    label.textContent = text.getAttribute("data-importing");
    bar.value = batch.percent;
    text.textContent = text.getAttribute("data-template")
      .replace("ROWS", batch.rows.toLocaleString())
      .replace("EXPECTED", (batch.rows_expected || 0).toLocaleString())
      .replace("ACCEPTED", batch.accepted.toLocaleString())
      .replace("REJECTED", batch.rejected.toLocaleString())
      .replace("DUPLICATES", batch.duplicates.toLocaleString());
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data.batch); })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 1000); });
  }

  // The latest import before this upload, so that its figures are not shown as ours.
  fetch(url, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { before = data && data.batch ? data.batch.id : null; })
    .catch(function () {});

  form.addEventListener("submit", function () {
    box.hidden = false;
    bar.removeAttribute("value");
    window.setTimeout(poll, 500);
  });
})();
