/* Profile charts: the six-dimension radar and the score trend. Data comes from a
   json_script block rendered by the server (selectors.profile_detail). Needs charts.js. */
(function (global) {
  "use strict";
  var mount = global.zhifuCharts.mount;  // charts.js, loaded first
  function labels(el) {
    return { shop: el.getAttribute("data-shop-label") || "",
             peer: el.getAttribute("data-peer-label") || "",
             total: el.getAttribute("data-total-label") || "" };
  }
  global.zhifuProfileCharts = {
    spread: function (id, data) {
      var chart = mount(id);
      if (!chart || !data) { return; }
      var el = document.getElementById(id);
      chart.setOption({
        animation: false, tooltip: {},
        grid: [{ left: 50, right: "42%", top: 30, bottom: 40 }],
        xAxis: [{ type: "category", data: data.bins, name: el.getAttribute("data-score-label"),
                  nameLocation: "middle", nameGap: 28 }],
        yAxis: [{ type: "value", name: el.getAttribute("data-count-label") }],
        series: [
          { type: "bar", data: data.counts, name: el.getAttribute("data-count-label") },
          { type: "pie", radius: ["20%", "45%"], center: ["78%", "50%"], data: data.segments,
            label: { formatter: "{b}\n{c}" } }
        ]
      });
    },
    radar: function (id, profile, withPeers) {
      var chart = mount(id);
      if (!chart) { return null; }
      var names = labels(chart.getDom());
      var data = [{ name: names.shop, value: profile.radar.values, areaStyle: { opacity: 0.25 } }];
      var hasPeers = profile.radar.peer.some(function (v) { return v !== null; });
      if (withPeers && hasPeers) {
        data.push({ name: names.peer, lineStyle: { type: "dashed" },
                    value: profile.radar.peer.map(function (v) { return v === null ? 0 : v; }) });
      }
      chart.setOption({
        animation: false,
        tooltip: {},
        legend: { bottom: 0, data: data.map(function (d) { return d.name; }) },
        radar: { indicator: profile.radar.indicators, radius: "62%" },
        series: [{ type: "radar", data: data }]
      });
      return chart;
    },
    trend: function (id, profile) {
      var chart = mount(id);
      if (!chart) { return null; }
      var names = labels(chart.getDom());
      var periods = profile.trend.map(function (p) { return p.period; });
      var series = [{ name: names.total, type: "line", lineStyle: { width: 3 },
                      data: profile.trend.map(function (p) { return p.total; }) }];
      profile.dimensions.forEach(function (d) {
        series.push({ name: d.name, type: "line",
                      data: profile.trend.map(function (p) { return p.scores[d.code]; }) });
      });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 56, bottom: 28 },
        xAxis: { type: "category", data: periods },
        yAxis: { type: "value", min: 0, max: 100 },
        series: series
      });
      return chart;
    }
  };
})(window);
