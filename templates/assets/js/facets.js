/* Faceted filtering, one script for the catalog, the calendar and the directory.
   Without JavaScript every facet value is a link to a pre-rendered page; here
   the same links become in-place toggles on the index page.
   One URL per filter state: a state that has a pre-rendered page (one value,
   or, where the family has them, two values of two facets that match
   something) is written as that page's path (/projects/region/africa/);
   any other state as a query on the index
   (?region=africa&region=asia&q=words). A query URL for a state with a page
   is rewritten to the path on load.
   On a pre-rendered page the script only sends a click whose link would lose
   the state (a second region, say) to the index with the query form.
   Rule: OR within a facet, AND across facets (as wego_site/facets.py). */
(function () {
  "use strict";
  var nav = document.querySelector("[data-facets]");
  var results = document.querySelector("[data-results]");
  if (!nav || !results) return;
  var panel = nav.querySelector("[data-collapse-narrow]");
  if (panel && window.matchMedia("(max-width: 60rem)").matches) panel.open = false;
  var showResults = nav.querySelector("[data-show-results]");
  if (showResults) showResults.addEventListener("click", function () {
    // on a phone the panel closes and the results come into view (the link's #results)
    if (panel && window.matchMedia("(max-width: 60rem)").matches) panel.open = false;
  });
  var base = nav.getAttribute("data-base");
  var pairs = nav.hasAttribute("data-pairs");
  var facets = Array.prototype.map.call(nav.querySelectorAll("[data-facet]"), function (el) {
    return { key: el.getAttribute("data-facet"), el: el,
             links: Array.prototype.slice.call(el.querySelectorAll(".facet-value")) };
  });
  var order = facets.map(function (f) { return f.key; });

  function fromPath(path) {
    // the state of a pre-rendered page's path, or null if it is not one of ours
    if (path.slice(0, base.length) !== base) return null;
    var parts = path.slice(base.length).replace(/(^|\/)index\.html$/, "").split("/")
      .filter(function (p) { return p; });
    if (parts.length % 2) return null;
    var out = {};
    for (var i = 0; i < parts.length; i += 2) {
      var f = decodeURIComponent(parts[i]), k = decodeURIComponent(parts[i + 1]);
      if (order.indexOf(f) < 0) return null;
      (out[f] = out[f] || []).push(k);
    }
    return out;
  }
  function selected(st) {
    // [[facet, key], ...] in facet order, keys sorted (wego_site/facets.py normal())
    var out = [];
    order.forEach(function (f) {
      (st[f] || []).slice().sort().forEach(function (k) { out.push([f, k]); });
    });
    return out;
  }
  function urlOf(st, q, count) {
    // the one URL of a state; count: how many items it matches (pages exist
    // only for states that match something)
    var sel = selected(st);
    var paged = !q && count > 0 && (sel.length === 1 ||
      (sel.length === 2 && pairs && sel[0][0] !== sel[1][0]));
    if (paged) return base + sel.map(function (fk) {
      return encodeURIComponent(fk[0]) + "/" + encodeURIComponent(fk[1]) + "/";
    }).join("");
    var params = new URLSearchParams();
    sel.forEach(function (fk) { params.append(fk[0], fk[1]); });
    if (q) params.set("q", q);
    var qs = params.toString();
    return base + (qs ? "?" + qs : "");
  }
  function same(a, b) {
    return JSON.stringify(selected(a)) === JSON.stringify(selected(b));
  }

  var here = fromPath(location.pathname);
  if (!here) return;
  if (selected(here).length) {
    // a pre-rendered page: its links are right unless the state has no page
    facets.forEach(function (f) {
      f.links.forEach(function (a) {
        a.addEventListener("click", function (ev) {
          var href = a.getAttribute("href");
          if (!href) return;
          var next = JSON.parse(JSON.stringify(here)), list = next[f.key] || (next[f.key] = []);
          var key = a.getAttribute("data-key"), i = list.indexOf(key);
          if (i >= 0) list.splice(i, 1); else list.push(key);
          var target = fromPath(new URL(href, location.href).pathname);
          if (target && same(target, next)) return;
          ev.preventDefault();
          location.href = urlOf(next, "", 0);
        });
      });
    });
    // history entries pushed before a reload stay this document's: load each
    window.addEventListener("popstate", function () { location.reload(); });
    return;
  }
  var items = Array.prototype.slice.call(results.querySelectorAll("[data-item]"));
  var refs = Array.prototype.slice.call(results.querySelectorAll("[data-item-ref]"));
  var groups = Array.prototype.slice.call(results.querySelectorAll("[data-group], [data-month], .band"));
  // outside the results, filtered alike but not counted: the calendar's overview
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-filtered]"));
  var jumps = Array.prototype.slice.call(document.querySelectorAll("[data-jump]"));
  var counter = document.querySelector("[data-result-count]");
  var empty = document.querySelector("[data-empty]");
  var clear = nav.querySelector("[data-clear]");
  var box = document.querySelector("[data-text-filter]");
  var input = box && box.querySelector("[data-q]");
  var noun = (counter && counter.getAttribute("data-noun")) || "items";
  var initialCount = counter ? counter.textContent : "";
  var chips = document.querySelector("[data-chips]");
  var showCount = nav.querySelector("[data-show-count]");
  var heading = document.querySelector(".page-head h1");
  var headingBase = heading ? heading.textContent : "";
  var titleBase = document.title;
  var state = {}, query = "";

  function keysOf(el, facet) {
    var v = el.getAttribute("data-f-" + facet);
    return v ? v.split(" ") : [];
  }
  function matches(el, skip) {
    for (var i = 0; i < facets.length; i++) {
      var f = facets[i].key, wanted = state[f];
      if (f === skip || !wanted || !wanted.length) continue;
      var have = keysOf(el, f), ok = false;
      for (var j = 0; j < have.length; j++) if (wanted.indexOf(have[j]) >= 0) { ok = true; break; }
      if (!ok) return false;
    }
    if (query) {
      var text = el.getAttribute("data-text") || el.textContent.toLowerCase();
      var words = query.split(/\s+/);
      for (var w = 0; w < words.length; w++) if (words[w] && text.indexOf(words[w]) < 0) return false;
    }
    return true;
  }
  function readUrl() {
    var params = new URLSearchParams(location.search);
    var fromHere = fromPath(location.pathname) || {};
    state = {};
    facets.forEach(function (f) {
      var vals = (fromHere[f.key] || []).slice();
      params.getAll(f.key).forEach(function (v) {
        v.split(",").forEach(function (k) { if (k && vals.indexOf(k) < 0) vals.push(k); });
      });
      state[f.key] = vals;
    });
    query = (params.get("q") || "").trim().toLowerCase();
    if (input) input.value = params.get("q") || "";
  }
  function writeUrl(replace) {
    var q = input ? input.value.trim() : "";
    var count = q ? 0 : items.filter(function (el) { return matches(el, null); }).length;
    var target = urlOf(state, q, count) + location.hash;
    if (target === location.pathname + location.search + location.hash) return;
    if (replace) history.replaceState(null, "", target); else history.pushState(null, "", target);
  }
  function apply() {
    var shown = 0, any = query !== "";
    items.forEach(function (el) {
      var ok = matches(el, null);
      el.hidden = !ok;
      if (ok) shown++;
    });
    refs.forEach(function (el) {
      var ok = matches(el, null);
      el.hidden = !ok;
      if (el.nextElementSibling && el.nextElementSibling.classList.contains("muted")) el.nextElementSibling.hidden = !ok;
    });
    for (var g = groups.length - 1; g >= 0; g--) {
      var el = groups[g];
      var visible = el.querySelector("[data-item]:not([hidden]), [data-item-ref]:not([hidden]), [data-today]");
      el.hidden = !visible;
      var cont = el.querySelector("[data-continuing]");
      if (cont) cont.hidden = !cont.querySelector("[data-item-ref]:not([hidden])");
    }
    rows.forEach(function (el) { el.hidden = !matches(el, null); });
    jumps.forEach(function (a) {
      var target = document.getElementById(a.getAttribute("data-jump"));
      a.parentNode.classList.toggle("is-empty", !!target && !!target.closest("[hidden]"));
    });
    facets.forEach(function (f) {
      var wanted = state[f.key] || [];
      if (wanted.length) any = true;
      f.links.forEach(function (a) {
        var key = a.getAttribute("data-key"), n = 0;
        items.forEach(function (el) { if (keysOf(el, f.key).indexOf(key) >= 0 && matches(el, f.key)) n++; });
        var on = wanted.indexOf(key) >= 0;
        if (n > 0 || on) a.setAttribute("aria-pressed", on ? "true" : "false");
        a.classList.toggle("is-selected", on);
        var off = n === 0 && !on;
        a.classList.toggle("is-empty", off);
        // an option that would show nothing is not a link (nor a button) meanwhile
        // (no href, no role: plain text to the keyboard and to screen readers)
        if (off) { a.removeAttribute("href"); a.removeAttribute("role"); a.removeAttribute("aria-pressed"); }
        else { a.setAttribute("href", a.getAttribute("data-href")); a.setAttribute("role", "button"); }
        var c = a.querySelector("[data-count]");
        if (c) c.textContent = n;
      });
    });
    if (counter) counter.textContent = any ? "Showing " + shown + " of " + items.length + " " + noun : initialCount;
    if (showCount) showCount.textContent = shown;
    renderChips();
    retitle();
    if (empty) empty.hidden = shown !== 0;
    if (clear) clear.hidden = !any;
  }
  function chosen() {
    // [facet, key, label] of the selected values, in facet and vocabulary order
    var out = [];
    facets.forEach(function (f) {
      f.links.forEach(function (a) {
        var key = a.getAttribute("data-key");
        if ((state[f.key] || []).indexOf(key) >= 0) out.push([f.key, key, a.querySelector(".label").textContent]);
      });
    });
    return out;
  }
  function renderChips() {
    if (!chips) return;
    var list = chosen();
    while (chips.firstChild) chips.removeChild(chips.firstChild);
    list.forEach(function (c) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.className = "chip";
      b.setAttribute("aria-label", "Remove filter: " + c[2]);
      b.appendChild(document.createTextNode(c[2] + " "));
      var x = document.createElement("span");
      x.setAttribute("aria-hidden", "true");
      x.textContent = "\u00d7";
      b.appendChild(x);
      b.addEventListener("click", function () { toggle(c[0], c[1]); writeUrl(false); apply(); });
      li.appendChild(b);
      chips.appendChild(li);
    });
    chips.hidden = !list.length;
  }
  function retitle() {
    // the page says what it shows: "Africa · Water Management: Smart ... Catalog"
    var byFacet = {};
    chosen().forEach(function (c) { (byFacet[c[0]] = byFacet[c[0]] || []).push(c[2]); });
    var parts = facets.map(function (f) { return (byFacet[f.key] || []).join(" or "); })
      .filter(function (t) { return t; });
    var label = parts.join(" · ");
    document.title = label ? label + ": " + titleBase : titleBase;
    if (!heading) return;
    while (heading.firstChild) heading.removeChild(heading.firstChild);
    heading.appendChild(document.createTextNode(headingBase + (label ? ": " : "")));
    if (label) {
      var span = document.createElement("span");
      span.className = "filter-name";
      span.textContent = label;
      heading.appendChild(span);
    }
  }
  function toggle(facet, key) {
    var list = state[facet] || (state[facet] = []);
    var i = list.indexOf(key);
    if (i >= 0) list.splice(i, 1); else list.push(key);
  }

  facets.forEach(function (f) {
    f.links.forEach(function (a) {
      a.setAttribute("role", "button");
      a.removeAttribute("aria-current");
      a.setAttribute("data-href", a.getAttribute("href") || base);
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (!a.hasAttribute("href")) return;  // an option that would show nothing
        toggle(f.key, a.getAttribute("data-key"));
        writeUrl(false);
        apply();
      });
      a.addEventListener("keydown", function (ev) {
        if (ev.key === " ") { ev.preventDefault(); a.click(); }
      });
    });
  });
  if (clear) clear.addEventListener("click", function (ev) {
    ev.preventDefault();
    state = {};
    if (input) input.value = "";
    query = "";
    writeUrl(false);
    apply();
  });
  if (box && input) {
    box.hidden = false;
    input.addEventListener("input", function () {
      query = input.value.trim().toLowerCase();
      writeUrl(true);
      apply();
    });
  }
  window.addEventListener("popstate", function () { readUrl(); apply(); });
  readUrl();
  writeUrl(true);  // ?region=africa is written /projects/region/africa/
  apply();
})();
