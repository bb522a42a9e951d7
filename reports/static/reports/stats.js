/* /stats/: draw the charts from the json_script data next to each table (Chart.js).
   Progressive: without JavaScript (or Chart.js) the charts stay hidden and the tables,
   which hold every figure, are the page. A hidden count ("< 5") is null: a gap. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  // One colour per figure on every chart (the same figure looks the same everywhere).
  var colours = {
    applicants: "#0b5ed7",
    trainees: "#198754",
    graduates: "#b35900",
    certified: "#6f42c1",
    placed: "#ab296a",
    openings: "#0b7285",
    vacancies: "#5c636a"
  };
  var spare = ["#0b5ed7", "#198754", "#b35900", "#6f42c1", "#ab296a"];
  var LABEL_MAX = 18;

  function shorten(label) {
    label = String(label);
    return label.length > LABEL_MAX ? label.slice(0, LABEL_MAX - 1) + "\u2026" : label;
  }
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var canvas = figure.querySelector("canvas");
    if (!source || !canvas) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = Boolean(spec.horizontal);
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = colours[dataset.key] || spare[index % spare.length];
      return {
        label: dataset.label,
        data: dataset.data,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0,
        spanGaps: false,
        pointRadius: 3
      };
    });
    var yAxis = { beginAtZero: true, ticks: { precision: 0, autoSkip: !horizontal } };
    if (horizontal) {
      // Long track names would be cut off on a phone: shorten them on the axis (the
      // tooltip and the table keep the full name).
      yAxis.ticks.callback = function (value) {
        return shorten(this.getLabelForValue(value));
      };
    }
    figure.hidden = false;
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        plugins: { legend: { position: "bottom" } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0, autoSkip: true } }, y: yAxis }
      }
    });
    var note = figure.querySelector("[data-chart-note]");
    if (note && spec.note) {
      note.textContent = spec.note;
    }
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
