// esimshop: optional enhancements. Every page works without this file.
(function () {
  "use strict";

  // fold lower-cases and strips accents so "japon" finds "Japón".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // typo is the server's rule (web/find): a term, or its start, within
  // one edit of a 4–6 letter query and two of a longer one, a swap of
  // neighbouring letters counting as one.
  function dist(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }
  function typo(q, list) {
    var max = q.length < 4 ? 0 : q.length <= 6 ? 1 : 2;
    if (!max) return false;
    return list.some(function (t) {
      return t.split(" ").concat([t]).some(function (w) {
        return dist(q, w) <= max || (w.length > q.length && dist(q, w.slice(0, q.length)) <= max);
      });
    });
  }

  // Destination search: filter the list named by the input's data-filter
  // attribute as the buyer types; the form still submits to /search.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-search]"));
    var keys = items.map(function (li) { return fold(li.getAttribute("data-search")); });
    var terms = keys.map(function (k) { return k.split("|").map(function (x) { return x.trim(); }); });
    var empty = document.getElementById(input.getAttribute("data-filter") + "-empty");
    function run() {
      var q = fold(input.value);
      var shown = 0;
      // As on the server, typos are the fallback when nothing matches as typed.
      var hits = keys.map(function (k) { return q === "" || k.indexOf(q) !== -1; });
      if (hits.indexOf(true) === -1) hits = terms.map(function (t) { return typo(q, t); });
      items.forEach(function (li, i) {
        li.hidden = !hits[i];
        if (hits[i]) shown++;
      });
      document.body.classList.toggle("searching", q !== "");
      if (empty) empty.hidden = shown !== 0;
    }
    input.addEventListener("input", run);
    if (input.value) run();
  });

  // Buy form: the total for the chosen option and quantity, on the form
  // and in the phone's sticky bar, as the buyer changes them. The server
  // renders the same total first and charges its own; this only keeps the
  // display in step.
  var buy = document.querySelector("form.buy[data-currency]");
  if (buy && window.Intl) {
    var fmt = null;
    try {
      fmt = new Intl.NumberFormat(buy.getAttribute("data-lang") === "es" ? "es-ES" : "en-US",
        { style: "currency", currency: buy.getAttribute("data-currency") });
    } catch (e) { fmt = null; }
    var qty = buy.querySelector("#quantity");
    var update = function () {
      var opt = buy.querySelector('input[name="copies"]:checked');
      var n = qty ? parseInt(qty.value, 10) : 1;
      if (!opt || !fmt || !(n >= 1 && n <= parseInt(qty.max || "10", 10))) return;
      var digits = fmt.resolvedOptions().maximumFractionDigits;
      var text = fmt.format(parseInt(opt.getAttribute("data-minor"), 10) * n / Math.pow(10, digits));
      document.querySelectorAll("[data-total], [data-bar-total]").forEach(function (el) { el.textContent = text; });
      var h1 = document.querySelector("[data-plan-title]");
      if (h1 && opt.getAttribute("data-title")) h1.textContent = opt.getAttribute("data-title");
    };
    buy.addEventListener("change", update);
    if (qty) qty.addEventListener("input", update);
  }

  // Copy buttons: <button class="needs-js" data-copy="text" data-copied="Copied">.
  // They are hidden until now (class needs-js): without JavaScript they
  // could do nothing, and the value beside them selects whole on a tap.
  var copyStatus = document.querySelector("[data-copy-status]");
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }
  // legacyCopy copies through a selected, off-screen textarea: the only
  // way on plain-HTTP pages and older browsers.
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.top = "0";
      ta.style.left = "-9999px";
      ta.style.fontSize = "16px"; // stops iOS zooming in
      document.body.appendChild(ta);
      ta.select();
      ta.setSelectionRange(0, text.length);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    btn.hidden = false;
    btn.classList.remove("needs-js");
    var label = btn.textContent;
    var timer;
    btn.addEventListener("click", function () {
      copyText(btn.getAttribute("data-copy")).then(function () {
        var done = btn.getAttribute("data-copied") || label;
        btn.textContent = done;
        btn.classList.add("copied");
        if (copyStatus) copyStatus.textContent = done;
        clearTimeout(timer);
        timer = setTimeout(function () {
          btn.textContent = label;
          btn.classList.remove("copied");
          if (copyStatus) copyStatus.textContent = "";
        }, 2000);
      }, function () {
        // Copying is blocked: select the value so a long-press copies it.
        var code = btn.parentNode && btn.parentNode.querySelector("code");
        if (!code || !window.getSelection) return;
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      });
    });
  });

  // Times: <time datetime="RFC 3339" data-localtime>… UTC</time> is shown
  // in the browser's own time zone and language; without JS it stays UTC.
  document.querySelectorAll("time[data-localtime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    try {
      el.textContent = d.toLocaleString(document.documentElement.lang || undefined,
        { dateStyle: "medium", timeStyle: "short" });
      el.title = el.getAttribute("datetime");
    } catch (e) { /* old browser: keep the UTC text */ }
  });

  // Print buttons.
  document.querySelectorAll("button[data-print]").forEach(function (btn) {
    btn.classList.remove("needs-js");
    btn.addEventListener("click", function () { window.print(); });
  });

  // One-tap install: lead with the button for the phone in hand. Both stay
  // visible; a guess from the user agent only changes their order and style.
  var ua = navigator.userAgent || "";
  var os = /android/i.test(ua) ? "android" :
    (/iphone|ipad|ipod/i.test(ua) || (/macintosh/i.test(ua) && navigator.maxTouchPoints > 1)) ? "ios" : "";
  if (os) document.documentElement.setAttribute("data-os", os);

  // Live order status: <div data-status-url="/orders/…/status" data-status="paid">.
  // Poll the JSON endpoint and reload when the status differs from the one
  // this page shows. The <noscript> meta refresh covers browsers without JS.
  var live = document.querySelector("[data-status-url]");
  if (live && window.fetch) {
    var url = live.getAttribute("data-status-url");
    var shown = live.getAttribute("data-status");
    var every = 4000, maxDelay = 60000, delay = every;
    var deadline = Date.now() + 30 * 60 * 1000;
    var guardKey = "esimshop-reload:" + url;
    var stopped = false;
    var stop = function () {
      stopped = true;
      var note = document.querySelector("[data-auto-refresh]");
      if (note && note.getAttribute("data-stopped")) note.textContent = note.getAttribute("data-stopped");
    };
    var schedule = function (ms) { if (!stopped) setTimeout(poll, ms); };
    var poll = function () {
      if (Date.now() > deadline) { stop(); return; }
      if (document.hidden) { schedule(every); return; } // no traffic from a background tab
      fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          return r.json();
        })
        .then(function (j) {
          delay = every;
          var now = j && typeof j.status === "string" ? j.status : "";
          if (now && now !== shown) {
            // Never loop: if the last reload was for this same change and
            // the page still shows the old status, stop and leave it be.
            var change = shown + ">" + now;
            var last = null;
            try { last = sessionStorage.getItem(guardKey); } catch (e) { last = null; }
            if (last === change) { stop(); return; }
            try { sessionStorage.setItem(guardKey, change); } catch (e) { /* private mode */ }
            location.reload();
            return;
          }
          schedule(delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, maxDelay);
          schedule(delay);
        });
    };
    schedule(every);
  }
})();
