// Enhancement only: after a failed submit, move focus to the error summary so keyboard and
// screen-reader users start from the list of problems (loaded only on pages that have one).
(function () {
  var summary = document.querySelector(".form-error-summary");
  if (summary) summary.focus();
})();
