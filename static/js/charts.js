/* Chart helpers shared by the dashboard pages. Data always comes from a
   json_script block rendered by the server; nothing is fetched from elsewhere. */
(function (global) {
  "use strict";
  function mount(id) {
    var el = document.getElementById(id);
    if (!el || !global.echarts) { return null; }
    var chart = global.echarts.init(el);
    global.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  global.zhifuCharts = {
    mount: mount,
    bandBars: function (id, overview) {
      var chart = mount(id);
      if (!chart) { return; }
      var bands = ["24-30", "13-23", "1-12"];
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: bands, top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 32 },
        xAxis: { type: "category", data: overview.map(function (d) { return d.name; }) },
        yAxis: { type: "value" },
        series: bands.map(function (band) {
          return { name: band, type: "bar", stack: "bands",
                   data: overview.map(function (d) { return d.bands[band]; }) };
        })
      });
    }
  };
})(window);
