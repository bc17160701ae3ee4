/* Starts each page's scripts from its data-page marker and its json_script data, so no
   page needs an inline script (the Content-Security-Policy allows none). */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var pages = {
    "manager-home": function () { window.zhifuCharts.bandBars("band-chart", data("overview-data")); },
    "dispatch-board": function () { window.zhifuBoard.draw(data("board-data"), data("map-data")); },
    "kpi-dashboard": function () {
      window.zhifuDashboard.draw(data("dashboard-data"), data("radar-data"), data("team-data"));
    },
    "profile-manager": function () {
      var profile = data("profile-data");
      if (profile && profile.period) {
        window.zhifuProfileCharts.radar("profile-radar", profile, true);
        window.zhifuProfileCharts.trend("profile-trend", profile);
      }
    },
    "profile-list": function () { window.zhifuProfileCharts.spread("profile-spread", data("spread-data")); },
    "specialist-task": function () {
      var profile = data("profile-data");
      if (profile && profile.period) { window.zhifuProfileCharts.radar("task-radar", profile, true); }
    },
    "profile-retailer": function () {
      var profile = data("profile-data");
      if (profile && profile.period) { window.zhifuProfileCharts.radar("my-radar", profile, false); }
    }
  };
  var page = document.body.getAttribute("data-page");
  if (page && pages[page]) { pages[page](); }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
