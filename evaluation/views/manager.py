"""The manager's PC dashboard: KPIs with trends, demand flow, SLA at risk, specialists'
radars and ranking, district comparison; every table exports to Excel."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from demands.choices import DemandStatus
from demands.selectors import sla_at_risk, with_sla_seen
from zhifu.accounts import selectors as people
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.accounts.views.manager import export_response
from zhifu.core.errors import DomainError
from zhifu.core.months import add_months, parse_month_range, this_month
from zhifu.core.spreadsheets import spreadsheet_bytes

from .. import dashboard, selectors, services

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




# Every column of the dashboard's exports, in the reader's language (ids are left out).
COLUMN_LABELS = {
    **KPI_LABELS,
    "month": gettext_lazy("Month"), "district": gettext_lazy("District"),
    "demands": gettext_lazy("Demands"), "completed": gettext_lazy("Completed"),
    "rank": gettext_lazy("Rank"), "name": gettext_lazy("Specialist"),
    "points": gettext_lazy("Points"), "basic": gettext_lazy("Basic information"),
    "quality": gettext_lazy("Work quality"), "service": gettext_lazy("Service evaluation"),
    "specialists": gettext_lazy("Specialists"), "skill": gettext_lazy("Skill"),
    "demand_share": gettext_lazy("Share of demand (%)"),
    "supply_share": gettext_lazy("Share of skill supply (%)"),
    "gap_points": gettext_lazy("Gap (points)"),
    **{status: label for status, label in DemandStatus.choices},
}


def _cell(key: str, value):
    """Rates as percentages, other numbers to two decimals (a sheet for people)."""
    if isinstance(value, float):
        return round(value * 100, 1) if key in PERCENT else round(value, 2)
    return value


def _xlsx(rows: list[dict], stem: str):
    keys = [k for k in (rows[0] if rows else {}) if not k.endswith("_id")]
    headers = [f"{COLUMN_LABELS[k]} (%)" if k in PERCENT else str(COLUMN_LABELS.get(k, k))
               for k in keys]
    content = spreadsheet_bytes(headers=headers,
                                rows=[[_cell(k, row.get(k)) for k in keys] for row in rows],
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
        return _xlsx([{"month": m, **f} for m, f in months.items()], "kpis")
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
        "awards": selectors.awards(period=closed),
        "gaps": dashboard.skill_gaps(scope),
        "teams": [t for t in selectors.team_radar(user=request.user, period=closed)
                  if not scope_districts or t["district_id"] in scope_districts],
        "chart_data": {
            "months": list(months), "labels": {k: str(v) for k, v in KPI_LABELS.items()},
            "trends": {k: [months[m][k] for m in months] for k in dashboard.KPI_NAMES},
            "flow": dashboard.demand_flow(scope),
            "status_labels": {code: str(label) for code, label in DemandStatus.choices},
            "dimension_labels": [str(COLUMN_LABELS[k]) for k in ("basic", "quality", "service")],
        },
    })


@require_POST
@role_required(Role.MANAGER, Role.ADMIN)
def review(request, pk: int):
    """The manager's review of a finished service, from its demand page."""
    try:
        quality = int(request.POST.get("quality", ""))
    except ValueError:
        quality = 0
    try:
        services.review_submit(user=request.user, demand_id=pk,
                               audit_passed=request.POST.get("audit_passed") == "on",
                               quality=quality,
                               complaint_upheld=request.POST.get("complaint_upheld") == "on",
                               note=request.POST.get("note", ""))
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Review saved."))
    return redirect(reverse("demands:manager-demand", args=[pk]) + "#review")
