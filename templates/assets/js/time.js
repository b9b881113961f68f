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
  Array.prototype.forEach.call(document.querySelectorAll("time[data-local-time]"), function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var local = pad(when.getHours()) + ":" + pad(when.getMinutes());
    var span = document.createElement("span");
    span.className = "local-time";
    span.textContent = " — " + local + " your time";
    el.parentNode.insertBefore(span, el.nextSibling);
  });
})();
