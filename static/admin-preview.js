// Live preview for the admin's page editor: while the operator types, the
// Markdown is rendered by the server (the same renderer and sanitiser the
// shop uses) and shown under the form. Without JavaScript the Preview
// button does the same with a page load.
(function () {
  var form = document.querySelector("form[data-form=content]");
  var body = form && form.querySelector("textarea[data-body]");
  var section = document.querySelector("[data-section=preview]");
  var out = section && section.querySelector("[data-preview-body]");
  if (!body || !out) return;
  var timer = 0, seq = 0;
  function render() {
    var mine = ++seq;
    var data = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-live-preview"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      if (mine !== seq) return; // a later keystroke's answer wins
      out.innerHTML = html; // rendered and sanitised by the server
      section.hidden = false;
      section.removeAttribute("data-stale");
    }).catch(function () {
      section.setAttribute("data-stale", "");
    });
  }
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, 400);
  });
})();
