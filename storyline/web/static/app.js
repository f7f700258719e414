// storyline web UI: the story page filters (actor, date range, claim status). Ours, no library.
"use strict";
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  var actor = document.getElementById("f-actor");
  var from = document.getElementById("f-from");
  var to = document.getElementById("f-to");
  var status = document.getElementById("f-status");
  var count = document.getElementById("f-count");
  function apply() {
    var a = actor.value, f = from.value, t = to.value, s = status.value, shown = 0, all = 0;
    document.querySelectorAll(".filterable").forEach(function (el) {
      var ok = true;
      var actors = (el.getAttribute("data-actors") || "").split(" ");
      var date = el.getAttribute("data-date") || "";
      if (a && actors.indexOf(a) < 0) ok = false;
      if (f && (!date || date.slice(0, f.length) < f)) ok = false;
      if (t && (!date || date.slice(0, 10) > t)) ok = false;
      if (s && el.hasAttribute("data-status") && el.getAttribute("data-status") !== s) ok = false;
      if (s && !el.hasAttribute("data-status")) ok = ok && true;
      el.classList.toggle("hidden", !ok);
      all += 1;
      if (ok) shown += 1;
    });
    count.textContent = (a || f || t || s) ? shown + " of " + all + " items shown" : "";
  }
  [actor, from, to, status].forEach(function (el) { el.addEventListener("change", apply); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
})();
