// The county page's charts, drawn by the vendored Apache ECharts from the
// figures the page embeds (#county-charts). The page's tables carry the
// same figures, so without this script, or without ECharts, nothing is
// lost but the pictures.
(function () {
  "use strict";
  var source = document.getElementById("county-charts");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = { red: "#b42318", yellow: "#d9a400", blue: "#1a56a8" };
  var options = {
    rates: function () {
      return {
        animation: false,
        grid: { left: 48, right: 16, top: 48, bottom: 32 },
        legend: { top: 0, data: ["数值", "目标"] },
        xAxis: { type: "category", data: data.rates.map(function (r) { return r.name; }) },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: "数值", type: "bar", data: data.rates.map(function (r) { return r.value; }), label: { show: true, position: "top", formatter: "{c}%" } },
          { name: "目标", type: "scatter", symbol: "rect", symbolSize: [28, 3], data: data.rates.map(function (r) { return r.target === undefined ? null : r.target; }) }
        ]
      };
    },
    warnings: function () {
      var areas = data.areas || [];
      return {
        animation: false,
        grid: { left: 96, right: 16, top: 40, bottom: 24 },
        legend: { top: 0, data: ["本月", "上月"] },
        yAxis: { type: "category", inverse: true, data: areas.map(function (a) { return a.name; }) },
        xAxis: { type: "value", max: 100 },
        series: [
          { name: "本月", type: "bar", data: areas.map(function (a) { return { value: a.score, itemStyle: { color: colours[a.colour] || "#59636e" } }; }), label: { show: true, position: "right" } },
          { name: "上月", type: "bar", data: areas.map(function (a) { return a.previous; }), itemStyle: { color: "#c9d1d9" } }
        ]
      };
    }
  };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var build = options[el.dataset.chart];
    if (!build) return;
    el.classList.add("drawn");
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build());
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
