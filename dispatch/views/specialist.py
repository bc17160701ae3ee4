"""The specialist's plan of a day (``/s/plan/?date=``): what a "your plan changed"
notification opens. Work is done in the mobile app; this page is for reading."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.months import parse_day

from .. import selectors


@role_required(Role.SPECIALIST)
def day_plan(request):
    raw = request.GET.get("date")
    day = parse_day(raw) if raw else timezone.localdate()
    return render(request, "dispatch/s_plan.html", {
        "day": day, "tasks": selectors.specialist_day(user=request.user, day=day)})
