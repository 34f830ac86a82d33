// Progress without a reload: every element with data-progress fetches its JSON every 30 s and fills
// the [data-field] elements inside it. No inline script anywhere (the CSP forbids it).
"use strict";
(function () {
  function refresh(box) {
    fetch(box.dataset.progress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.querySelectorAll("[data-field]").forEach(function (el) {
          var key = el.dataset.field;
          if (!(key in data)) { return; }
          if (el.tagName === "METER") { el.value = data[key] || 0; } else { el.textContent = String(data[key]); }
        });
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-progress]");
    boxes.forEach(function (box) {
      refresh(box);
      setInterval(function () { refresh(box); }, 30000);
    });
    document.documentElement.classList.add("js");
  });
})();
