/* The manager's dashboard charts: KPI trends, demand flow, and the three capability
   dimensions as grouped bars (a three-axis radar with many overlapping series is unreadable).
   Every label comes from the server in the reader's language. */
(function (global) {
  "use strict";
  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !global.echarts) { return null; }
    var c = global.echarts.init(el);
    global.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  var RATES = ["first_time_resolution", "audit_pass_rate", "self_submitted_rate",
               "catalogue_awareness", "personalised_share", "sla_compliance"];
  function trends(data) {
    var c = chart("trends");
    if (!c) { return; }
    c.setOption({
      animation: false, tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: RATES.map(function (k) {
        return { name: data.labels[k], type: "line", connectNulls: true,
                 data: data.trends[k].map(function (v) { return v === null ? null : Math.round(v * 1000) / 10; }) };
      })
    });
  }
  function flow(data) {
    var c = chart("flow");
    if (!c) { return; }
    c.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.flow.districts }, yAxis: { type: "value" },
      series: data.flow.statuses.map(function (s) {
        return { name: data.status_labels[s] || s, type: "bar", stack: "flow",
                 data: data.flow.series[s] };
      })
    });
  }
  function dimensionBars(rows, id, labels, limit) {
    var c = chart(id);
    if (!c) { return; }
    var scored = rows.filter(function (r) { return r.basic !== null; }).slice(0, limit);
    var keys = ["basic", "quality", "service"];
    c.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0, data: labels },
      grid: { left: 90, right: 20, top: 36, bottom: 20 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true,
               data: scored.map(function (r) { return r.name || r.district; }) },
      series: keys.map(function (k, i) {
        return { name: labels[i], type: "bar",
                 data: scored.map(function (r) { return r[k] === null ? null : Math.round(r[k]); }) };
      })
    });
  }
  global.zhifuDashboard = { draw: function (data, rows, teams) {
    trends(data); flow(data);
    dimensionBars(rows, "radar", data.dimension_labels, 15);
    dimensionBars(teams || [], "team-radar", data.dimension_labels, 20); } };
})(window);
