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
  var pagefind = null, timer = null, serial = 0, PAGE = 20;
  var more = document.createElement("button");
  more.type = "button";
  more.className = "button secondary load-more";
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        // titles weigh most (data-pagefind-weight); long pages, such as a city that
        // lists its many events, are not pushed down for their length
        return pf.options({ baseUrl: base, ranking: { pageLength: 0.2 } })
          .then(function () { return pf; });
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
  function render(items, total, q, append) {
    if (!append) list.textContent = "";
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
    var shown = list.children.length;
    status.textContent = total === 0 ? "No results for “" + q + "”."
      : total + " result" + (total === 1 ? "" : "s") + " for “" + q + "”" +
        (total > shown ? "; showing " + shown : "") + ".";
    more.hidden = total <= shown;
    more.textContent = "Show " + Math.min(PAGE, total - shown) + " more";
  }
  /* A member whose name (or one of its spellings) is the query comes first:
     "Seoul" finds the city before the events with Seoul in their titles. */
  function namedFirst(data, q) {
    var want = q.toLowerCase();
    var hit = function (d) {
      return ((d.meta && d.meta.names) || "").toLowerCase().split("|").indexOf(want) >= 0;
    };
    return data.filter(hit).concat(data.filter(function (d) { return !hit(d); }));
  }
  var current = null;
  function page(res, q, from, mine) {
    current = { res: res, q: q, from: from + PAGE, mine: mine };
    return Promise.all(res.results.slice(from, from + PAGE).map(function (r) { return r.data(); }))
      .then(function (data) {
        if (mine !== serial) return;
        if (from === 0) data = namedFirst(data, q);
        render(data, res.results.length, q, from > 0);
      });
  }
  more.addEventListener("click", function () {
    if (!current || current.mine !== serial) return;
    var first = list.children.length;
    page(current.res, current.q, current.from, current.mine).then(function () {
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) link.focus();  // keyboard and screen-reader users land on the first new result
    });
  });
  function run() {
    var q = input.value.trim(), mine = ++serial;
    writeUrl();
    if (!q) { list.textContent = ""; status.textContent = ""; more.hidden = true; return; }
    status.textContent = "Searching…";
    load().then(function (pf) {
      var t = types(), opts = t.length ? { filters: { type: { any: t } } } : {};
      return pf.search(q, opts);
    }).then(function (res) {
      if (mine !== serial || !res) return;
      return page(res, q, 0, mine);
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
