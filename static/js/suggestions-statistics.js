// The statistics chart of the suggestions console. The figures come from the page's
// json_script element; the table below the chart shows the same figures without JavaScript.
(function () {
  "use strict";
  var container = document.getElementById("statistics-chart");
  var source = document.getElementById("statistics-chart-data");
  if (!container || !source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) {
    container.hidden = true;
    return;
  }
  var chart = echarts.init(container);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 48, bottom: 72, top: 40 },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [
      { type: "value", name: data.series[0].name, minInterval: 1 },
      { type: "value", name: "%", min: 0, max: 100 }
    ],
    series: data.series.map(function (series, index) {
      return {
        name: series.name,
        type: series.type,
        yAxisIndex: index === 0 ? 0 : 1,
        data: series.data,
        connectNulls: false
      };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
