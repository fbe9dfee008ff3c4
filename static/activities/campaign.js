/* Campaign progress: one bar chart per measure (target and reached per township or group),
   drawn with Apache ECharts served from static/vendor/echarts. The table beside each chart
   holds the same figures. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = JSON.parse(document.getElementById("campaign-charts").textContent);
  var labels = JSON.parse(document.getElementById("campaign-labels").textContent);
  var drawn = [];
  charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [labels.target, labels.reached] },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: c.units, inverse: true },
      series: [
        { name: labels.target, type: "bar", data: c.target, itemStyle: { color: "#c8c8c8" } },
        { name: labels.reached, type: "bar", data: c.reached, itemStyle: { color: "#b71c1c" } }
      ]
    });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
