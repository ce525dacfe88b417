/* Draws the contact-station statistics chart from the page's json_script data (no inline script,
   so the CSP needs no exception). The tables on the page carry the same figures for anyone
   without JavaScript or a screen reader. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw(container) {
    var data = readJson(container.dataset.chart);
    var labels = readJson(container.dataset.labels) || {};
    if (!data || !window.echarts || !data.labels.length) {
      return;
    }
    container.style.height = "320px";
    var chart = window.echarts.init(container);
    var names = Object.keys(data.series);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: names.map(function (name) { return labels[name] || name; }) },
      grid: { left: 40, right: 16, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: names.map(function (name) {
        return { name: labels[name] || name, type: "bar", data: data.series[name] };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
