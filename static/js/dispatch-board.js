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
  /* The day on Shantou's district map (registered as "汕头" by the vendored map file):
     each route from its base through its numbered stops; borrowed stops (跨片区增援) as
     triangles; unplanned tasks as grey diamonds. */
  function cityMap(data) {
    var c = chart("city-map");
    if (!c || !data || !global.echarts.getMap || !global.echarts.getMap("汕头")) { return; }
    var series = [], labels = data.labels;
    data.routes.forEach(function (r) {
      var line = [r.base].concat(r.stops.map(function (s) { return s.at; }));
      series.push({ name: r.name, type: "lines", coordinateSystem: "geo", polyline: true,
                    data: [{ coords: line }], lineStyle: { width: 2 } });
      series.push({ name: r.name, type: "scatter", coordinateSystem: "geo", symbolSize: 18,
        data: r.stops.map(function (s) {
          return { value: s.at.concat([s.number, s.title]), symbol: s.borrowed ? "triangle" : "circle",
                   itemStyle: s.borrowed ? { color: "#b45309", borderColor: "#111", borderWidth: 2 } : undefined };
        }),
        label: { show: true, formatter: function (p) { return String(p.value[2]); } } });
    });
    series.push({ name: labels.base, type: "scatter", coordinateSystem: "geo", symbol: "rect",
                  symbolSize: 10, itemStyle: { color: "#111827" },
                  data: data.routes.map(function (r) { return { value: r.base.concat(["", r.name]) }; }) });
    series.push({ name: labels.unplanned, type: "scatter", coordinateSystem: "geo", symbol: "diamond",
                  symbolSize: 12, itemStyle: { color: "#6b7280" },
                  data: data.unplanned.map(function (u) { return { value: u.at.concat(["", u.title]) }; }) });
    series.push({ name: labels.borrowed, type: "scatter", coordinateSystem: "geo", symbol: "triangle",
                  symbolSize: 12, itemStyle: { color: "#b45309" }, data: [] });
    c.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        var v = Array.isArray(p.value) ? p.value : [];
        return tooltipNode([String(p.seriesName), v.length > 3 ? String(v[3]) : ""]);
      } },
      legend: { type: "scroll", top: 0 },
      geo: { map: "汕头", roam: true, top: 40, itemStyle: { areaColor: "#f3f4f6", borderColor: "#9ca3af" },
             label: { show: true, color: "#6b7280" } },
      series: series
    });
  }
  global.zhifuBoard = { draw: function (data, map) { gantt(data); cityMap(map); } };
})(window);
