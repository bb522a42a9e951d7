// Profile page enhancements (a file, not inline: the Content-Security-Policy allows no
// inline scripts). Loaded with `defer`, so the page is parsed when it runs.
// Enhancement only: hide the kecamatan list unless the address is in Kabupaten Batang.
(function () {
  var regency = document.getElementById("id_regency");
  var kecamatan = document.getElementById("div_id_kecamatan");
  if (!regency || !kecamatan) return;
  function sync() { kecamatan.hidden = regency.value !== "3325"; }
  regency.addEventListener("change", sync);
  sync();
})();
document.querySelectorAll("[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
