/* The service page's day picker, enhanced: picking a day loads its free times without a
   page reload. Without this script the days are plain links and the page works the same. */
(function () {
  "use strict";
  var region = document.getElementById("slots");
  var days = document.querySelector("[data-days]");
  if (!region || !days || !window.fetch || !window.history) return;
  var slotsUrl = region.getAttribute("data-slots-url");

  function showCurrent(date) {
    var current = null;
    days.querySelectorAll("a[data-date]").forEach(function (link) {
      if (link.getAttribute("data-date") === date) {
        link.setAttribute("aria-current", "date");
        current = link;
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (current) current.scrollIntoView({block: "nearest", inline: "nearest"});
  }

  function load(date, remember) {
    region.setAttribute("aria-busy", "true");
    fetch(slotsUrl + "?date=" + encodeURIComponent(date), {headers: {Accept: "text/html"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html;  // our own server's HTML for this region
        showCurrent(date);
        if (remember) history.pushState({date: date}, "", "?date=" + encodeURIComponent(date));
      })
      .catch(function () {
        window.location.search = "?date=" + encodeURIComponent(date);  // the plain page instead
      })
      .then(function () {
        region.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-date]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    load(link.getAttribute("data-date"), true);
  });

  window.addEventListener("popstate", function () {
    var first = days.querySelector("a[data-date]");
    var date = new URLSearchParams(window.location.search).get("date") || (first && first.getAttribute("data-date"));
    if (date) load(date, false);
  });

  var current = days.querySelector("a[aria-current]");
  if (current) current.scrollIntoView({block: "nearest", inline: "nearest"});
})();
