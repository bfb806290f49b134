// Campaign progress bar: polls the page's JSON endpoint every 2 s until nothing is pending.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) { return; }
  function show(data) {
    ["sent", "skipped", "failed", "pending"].forEach(function (key) {
      var cell = document.getElementById("n-" + key);
      if (cell) { cell.textContent = String(data[key]); }
    });
    document.getElementById("percent").textContent = String(data.percent);
    document.getElementById("bar").value = data.percent;
    return data.pending > 0 || data.status === "running";
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (show(data)) { setTimeout(poll, 2000); return; }
        // finished while open: draw the page again once, so its buttons and funnel match the new state
        if (data.status !== box.dataset.status) { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  poll();
}());
