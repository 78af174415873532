/* Progress of a background job (issue 12 point 8): polls the job's etat.json every
   second until it is done or failed, then shows its download link or its error.
   Same shape as import-progress.js; no dependency, no inline script. */
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.getAttribute("data-finished") === "1") return;
  var url = box.getAttribute("data-job-state");
  var bar = document.getElementById("job-progress-bar");
  var status = document.getElementById("job-status");
  var message = document.getElementById("job-message");

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + " %";
    status.textContent = job.status_label;
    message.textContent = job.message;
    if (job.status === "failed") {
      document.getElementById("job-error-text").textContent = job.error;
      document.getElementById("job-error").hidden = false;
    }
    if (job.download) document.getElementById("job-download").hidden = false;
    if (job.status === "done" && job.result_url) {
      document.getElementById("job-result-link").setAttribute("href", job.result_url);
      document.getElementById("job-result").hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) show(data.job);
        if (!data || !data.job.finished) window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  window.setTimeout(poll, 500);
})();
