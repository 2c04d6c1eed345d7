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
  // The phone simulator shows the newest messages, as a phone does.
  var bubbles = document.getElementById("bubbles");
  if (bubbles) { bubbles.scrollTop = bubbles.scrollHeight; }
})();
