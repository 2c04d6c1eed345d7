// Paceline's only script, served from 'self' so the Content-Security-Policy can forbid inline
// scripts. Everything works without it; it only adds confirmations and conveniences.
(function () {
  "use strict";
  // <form data-confirm="..."> asks before it submits (withdraw, revoke, deactivate).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // <input data-select-on-click> selects its text (a token shown once).
  document.addEventListener("click", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-select-on-click")) {
      event.target.select();
    }
  });
  // The phone simulator shows the newest messages, as a phone does, and fetches new ones
  // every few seconds (the texts the worker sends arrive on their own).
  var bubbles = document.getElementById("bubbles");
  if (bubbles) {
    bubbles.scrollTop = bubbles.scrollHeight;
    var every = parseInt(bubbles.getAttribute("data-refresh") || "0", 10);
    if (every > 0 && window.fetch && window.DOMParser) {
      window.setInterval(function () {
        // Marked as a poll: it keeps the messages fresh, not the staff session alive.
        fetch(window.location.href, { credentials: "same-origin", headers: { "X-Paceline-Poll": "1" } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (!html) { return; }
            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("bubbles");
            if (fresh && fresh.innerHTML !== bubbles.innerHTML) {
              bubbles.innerHTML = fresh.innerHTML;
              bubbles.scrollTop = bubbles.scrollHeight;
            }
          })
          .catch(function () { /* offline for a moment: try again next time */ });
      }, every * 1000);
    }
  }
})();
