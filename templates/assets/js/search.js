/* Site search with Pagefind's JavaScript API. The index (pagefind/) loads on
   the first query only, so the page itself stays light. The query and type
   filters live in the URL (?q=almaty&type=Event). */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) return;
  var input = form.querySelector("[data-search-input]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-search-types] input"));
  var bundle = form.getAttribute("data-bundle"), base = form.getAttribute("data-base");
  var pagefind = null, timer = null, serial = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: base }).then(function () { return pf; });
      });
    }
    return pagefind;
  }
  function types() {
    return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    types().forEach(function (t) { params.append("type", t); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }
  /* Pagefind excerpts are text with <mark> around hits: rebuild them as
     text nodes and <mark> elements, never as HTML. */
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "excerpt";
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    Array.prototype.forEach.call(doc.body.firstChild.childNodes, function (n) {
      if (n.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(n.textContent));
      }
    });
    return p;
  }
  function render(items, total, q) {
    list.textContent = "";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      h.appendChild(a);
      li.appendChild(h);
      var meta = [d.meta.kind, d.meta.when, d.meta.place].filter(Boolean).join(" · ");
      if (meta) {
        var m = document.createElement("p");
        m.className = "card-meta";
        m.textContent = meta;
        li.appendChild(m);
      }
      li.appendChild(excerpt(d.excerpt || ""));
      list.appendChild(li);
    });
    status.textContent = total === 0 ? "No results for “" + q + "”."
      : total + " result" + (total === 1 ? "" : "s") + " for “" + q + "”" +
        (total > items.length ? "; showing the first " + items.length : "") + ".";
  }
  function run() {
    var q = input.value.trim(), mine = ++serial;
    writeUrl();
    if (!q) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pf) {
      var t = types(), opts = t.length ? { filters: { type: { any: t } } } : {};
      return pf.search(q, opts);
    }).then(function (res) {
      if (mine !== serial || !res) return;
      return Promise.all(res.results.slice(0, 30).map(function (r) { return r.data(); }))
        .then(function (data) { if (mine === serial) render(data, res.results.length, q); });
    }).catch(function () {
      status.textContent = "Search is not available right now.";
    });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  boxes.forEach(function (b) { b.addEventListener("change", run); });
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var wanted = params.getAll("type");
  boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
  if (input.value) run();
})();
