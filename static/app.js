// esimshop: optional enhancements. Every page works without this file.
(function () {
  "use strict";

  // fold lower-cases and strips accents so "japon" finds "Japón".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // Destination search: filter the list named by the input's data-filter
  // attribute as the buyer types; the form still submits to /search.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-search]"));
    var keys = items.map(function (li) { return fold(li.getAttribute("data-search")); });
    var empty = document.getElementById(input.getAttribute("data-filter") + "-empty");
    function run() {
      var q = fold(input.value);
      var shown = 0;
      items.forEach(function (li, i) {
        var hit = q === "" || keys[i].indexOf(q) !== -1;
        li.hidden = !hit;
        if (hit) shown++;
      });
      document.body.classList.toggle("searching", q !== "");
      if (empty) empty.hidden = shown !== 0;
    }
    input.addEventListener("input", run);
    if (input.value) run();
  });

  // Copy buttons: <button data-copy="text" data-copied="Copied">.
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(btn.getAttribute("data-copy")).then(function () {
        var label = btn.textContent;
        btn.textContent = btn.getAttribute("data-copied") || label;
        setTimeout(function () { btn.textContent = label; }, 2000);
      });
    });
  });
})();
