// Show the print buttons (hidden without JavaScript: the browser menu still prints).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
