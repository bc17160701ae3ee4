/* The dispatch board's charts: a Gantt of each specialist's day and the routes drawn
   from coordinates (longitude as x, latitude as y; no online map tiles). */
(function (global) {
  "use strict";
  function hhmm(minutes) {
    var h = Math.floor(minutes / 60), m = Math.round(minutes % 60);
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }
  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !global.echarts) { return null; }
    var c = global.echarts.init(el);
    global.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  /* Tooltips are built as DOM nodes with textContent: task titles come from retailers'
     own words and must never be read as HTML. */
  function tooltipNode(lines) {
    var box = document.createElement("div");
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }
  function gantt(data) {
    var c = chart("gantt");
    if (!c) { return; }
    c.setOption({
      animation: false,
      tooltip: { formatter: function (p) {
        return tooltipNode([String(p.value[3]), hhmm(p.value[1]) + "–" + hhmm(p.value[2])]);
      } },
      grid: { left: 90, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value", min: 480, max: 1110, axisLabel: { formatter: hhmm } },
      yAxis: { type: "category", data: data.lanes, inverse: true },
      series: [{
        type: "custom",
        encode: { x: [1, 2], y: 0 },
        data: data.bars,
        renderItem: function (params, api) {
          var lane = api.value(0), from = api.coord([api.value(1), lane]);
          var to = api.coord([api.value(2), lane]), height = api.size([0, 1])[1] * 0.6;
          var done = api.value(4) === "done";
          return { type: "rect", shape: { x: from[0], y: from[1] - height / 2,
            width: Math.max(2, to[0] - from[0]), height: height },
            style: { fill: done ? "#15803d" : "#b4232a" } };
        }
      }]
    });
  }
  function routes(data) {
    var c = chart("routes");
    if (!c) { return; }
    var series = data.routes.map(function (r) {
      return { name: r.name, type: "line", data: r.points, symbolSize: 6 };
    });
    series.push({ name: "—", type: "scatter", data: data.shops, symbol: "diamond",
                  symbolSize: 10, itemStyle: { color: "#6b7280" } });
    c.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        var where = Array.isArray(p.value) ? p.value : [];
        var label = where.length > 2 ? String(where[2]) : String(p.seriesName);
        return tooltipNode([label]);
      } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "value", scale: true, name: "lng" },
      yAxis: { type: "value", scale: true, name: "lat" },
      series: series
    });
  }
  global.zhifuBoard = { draw: function (data) { gantt(data); routes(data); } };
})(window);
