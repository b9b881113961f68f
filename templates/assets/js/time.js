/* Keeps a static page from going stale: re-labels events as past, ongoing or
   upcoming from the reader's clock, and adds the reader's local time to timed
   events. Without JavaScript the labels as of the build date stand. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var labels = { past: "Past", ongoing: "Ongoing", upcoming: "Upcoming" };
  Array.prototype.forEach.call(document.querySelectorAll("[data-first][data-last]"), function (el) {
    var first = el.getAttribute("data-first"), last = el.getAttribute("data-last");
    var timing = last < today ? "past" : (first <= today ? "ongoing" : "upcoming");
    el.classList.remove("timing-past", "timing-ongoing", "timing-upcoming");
    el.classList.add("timing-" + timing);
    var badge = el.querySelector("[data-timing]");
    if (badge) badge.textContent = labels[timing];
  });
  /* Home page: every event still to come at build time is in the list; show
     the next few that are not past for this reader. */
  var home = document.querySelector("[data-home-events]");
  if (home) {
    var shown = parseInt(home.getAttribute("data-shown"), 10) || 6, n = 0;
    Array.prototype.forEach.call(home.querySelectorAll("[data-upcoming-list] > li"), function (li) {
      var keep = li.getAttribute("data-last") >= today && n < shown;
      li.hidden = !keep;
      if (keep) n++;
    });
    var none = home.querySelector("[data-no-upcoming]");
    if (none) none.hidden = n > 0;
    var asOf = home.querySelector("[data-as-of]");
    if (asOf) asOf.hidden = true;
  }
  Array.prototype.forEach.call(document.querySelectorAll("time[data-local-time]"), function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var local = pad(when.getHours()) + ":" + pad(when.getMinutes());
    var day = when.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
    var span = document.createElement("span");
    span.className = "local-time";
    span.textContent = " — " + day + ", " + local + " your time";
    el.parentNode.insertBefore(span, el.nextSibling);
  });
})();
