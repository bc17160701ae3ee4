"""The specialist's own scores on its phone (``/s/scores/?month=YYYY-MM``): points, rank,
the capability breakdown and the month's service stars. Ratings only as a closed month's
aggregate (``evaluation.selectors``)."""

from django.shortcuts import render

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.months import add_months, parse_month, this_month

from .. import overview, selectors


@role_required(Role.SPECIALIST)
def my_scores(request):
    raw = request.GET.get("month")
    period = parse_month(raw) if raw else this_month()
    month = selectors.specialist_month(specialist=request.user.specialist, period=period)
    return render(request, "evaluation/s_scores.html", {
        "tab": "scores", "month": month, **overview.capability_breakdown(month["capability"]),
        "previous": add_months(period, -1),
        "next": add_months(period, 1) if period < this_month() else None})
