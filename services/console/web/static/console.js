// The village picker shows only the chosen township's villages. Without
// this script every village is offered, and intake still refuses one
// outside the township, next to the field.
(function () {
  "use strict";
  document.querySelectorAll("select[data-villages]").forEach(function (township) {
    var village = document.getElementById(township.dataset.villages);
    if (!village) return;
    function filter() {
      Array.prototype.forEach.call(village.options, function (o) {
        var other = o.dataset.township && o.dataset.township !== township.value;
        o.hidden = other;
        o.disabled = other;
        if (other && o.selected) village.value = "";
      });
    }
    township.addEventListener("change", filter);
    filter();
  });
  // A field the service refused gets the focus, so a keyboard or screen
  // reader user lands on it.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  // The slip's print button (an inline handler is outside the page's
  // Content-Security-Policy).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
