/* The manager's dashboard charts: KPI trends, demand flow, specialists' radar. */
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
        return { name: s, type: "bar", stack: "flow", data: data.flow.series[s] };
      })
    });
  }
  function radar(rows, id) {
    var c = chart(id || "radar");
    if (!c) { return; }
    var scored = rows.filter(function (r) { return r.basic !== null; }).slice(0, 8);
    c.setOption({
      animation: false, tooltip: {}, legend: { type: "scroll", top: 0 },
      radar: { indicator: [{ name: "基本信息 Basic", max: 100 }, { name: "工作质量 Quality", max: 100 },
                           { name: "服务评价 Service", max: 100 }], center: ["50%", "58%"] },
      series: [{ type: "radar", data: scored.map(function (r) {
        return { name: r.name || r.district, value: [r.basic, r.quality, r.service || 0] }; }) }]
    });
  }
  global.zhifuDashboard = { draw: function (data, rows, teams) {
    trends(data); flow(data); radar(rows, "radar"); radar(teams || [], "team-radar"); } };
})(window);
