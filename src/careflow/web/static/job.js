// Moves the progress bar of a running projection by polling its JSON status; reloads the page when it ends.
// Loaded as a file (the Content-Security-Policy forbids inline script); without JavaScript a meta refresh does this.
(function () {
  var group = document.getElementById("job-progress-group");
  if (!group) return;
  var url = group.getAttribute("data-job-url");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        var percent = Math.round(job.progress * 100);
        bar.value = percent;
        bar.textContent = percent + "%";
        text.textContent = job.done + " of " + (job.total || "?") + " runs done (" + percent + "%).";
        if (job.status === "queued" || job.status === "running") {
          window.setTimeout(poll, 700);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 500);
})();
