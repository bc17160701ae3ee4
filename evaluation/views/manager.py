"""The manager's PC dashboard: KPIs with trends, demand flow, SLA at risk, specialists'
radars and ranking, district comparison; every table exports to Excel."""


from django.shortcuts import render
from django.utils.translation import gettext_lazy

from demands.selectors import sla_at_risk, with_sla_seen
from zhifu.accounts import selectors as people
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.accounts.views.manager import export_response
from zhifu.core.months import add_months, parse_month_range, this_month
from zhifu.core.spreadsheets import spreadsheet_bytes

from .. import dashboard, selectors

# Lazy: the labels follow each request's language, not the one active at import.
KPI_LABELS = {
    "handling_hours": gettext_lazy("Average handling time (h)"),
    "first_time_resolution": gettext_lazy("First-time resolution"),
    "audit_pass_rate": gettext_lazy("Audit pass rate"),
    "self_submitted_rate": gettext_lazy("Self-submitted demands"),
    "catalogue_awareness": gettext_lazy("Catalogue awareness"),
    "personalised_share": gettext_lazy("Personalised-need share"),
    "sla_compliance": gettext_lazy("SLA compliance"),
    "satisfaction": gettext_lazy("Satisfaction (stars)"),
}
PERCENT = {"first_time_resolution", "audit_pass_rate", "self_submitted_rate",
           "catalogue_awareness", "personalised_share", "sla_compliance"}




def _xlsx(rows: list[dict], stem: str):
    headers = list(rows[0]) if rows else []
    content = spreadsheet_bytes(headers=[str(h) for h in headers],
                                rows=[[row.get(h) for h in headers] for row in rows],
                                fmt="xlsx")
    return export_response(content, stem=stem, fmt="xlsx")


@role_required(Role.MANAGER, Role.ADMIN)
def kpi_dashboard(request):
    first, last = parse_month_range(request.GET.get("from"), request.GET.get("to"))
    scope = dashboard.scope_for(user=request.user, district_code=request.GET.get("district"),
                                first=first, last=last)
    months = dashboard.kpis_by_month(scope)
    closed = add_months(this_month(), -1)
    export = request.GET.get("export")
    if export == "kpis":
        return _xlsx([{"month": m, **{str(KPI_LABELS[k]): v for k, v in f.items()}}
                      for m, f in months.items()], "kpis")
    if export == "flow":
        flow = dashboard.demand_flow(scope)
        return _xlsx([{"district": d, **{s: flow["series"][s][i] for s in flow["statuses"]}}
                      for i, d in enumerate(flow["districts"])], "demand-flow")
    if export == "districts":
        return _xlsx(dashboard.district_comparison(scope), "districts")
    if export == "gaps":
        return _xlsx(dashboard.skill_gaps(scope), "capability-gaps")
    if export == "teams":
        return _xlsx(list(selectors.team_radar(user=request.user, period=closed)), "teams")
    if export == "specialists":
        return _xlsx(dashboard.capability_table(user=request.user, scope=scope, period=closed),
                     "specialists")
    totals = dashboard.kpis_total(scope)
    cards = [{"name": k, "label": KPI_LABELS[k], "value": totals.get(k), "percent": k in PERCENT}
             for k in dashboard.KPI_NAMES]
    scope_districts = set(scope.district_ids)
    at_risk = sla_at_risk(user=request.user).filter(district_id__in=scope.district_ids)
    return render(request, "evaluation/dashboard.html", {
        "cards": cards,
        "scope": scope, "closed": closed,
        "districts": people.district_list(user=request.user),
        "chosen": request.GET.get("district", ""),
        "from": request.GET.get("from", scope.start.strftime("%Y-%m")),
        "to": request.GET.get("to", add_months(scope.end, -1).strftime("%Y-%m")),
        "at_risk": with_sla_seen(at_risk.select_related("retailer", "assignee__user")[:20]),
        "comparison": dashboard.district_comparison(scope),
        "specialists": dashboard.capability_table(user=request.user, scope=scope,
                                                  period=closed),
        "gaps": dashboard.skill_gaps(scope),
        "teams": [t for t in selectors.team_radar(user=request.user, period=closed)
                  if not scope_districts or t["district_id"] in scope_districts],
        "chart_data": {
            "months": list(months), "labels": {k: str(v) for k, v in KPI_LABELS.items()},
            "trends": {k: [months[m][k] for m in months] for k in dashboard.KPI_NAMES},
            "flow": dashboard.demand_flow(scope),
        },
    })
