"""The specialist's page of one demand (``/s/demands/<pk>/``): what a notification to a
specialist opens. Work is done in the mobile app; this page is for reading."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required

from .. import selectors
from ..choices import DemandStatus
from ..lifecycle import event_label
from ..policies import SPECIALIST, event_seen_by, status_seen_by


@role_required(Role.SPECIALIST)
def demand_detail(request, pk: int):
    demand = selectors.demand_get(user=request.user, demand_id=pk)
    if demand is None:
        raise Http404
    events = [e for e in demand.events.all() if event_seen_by(SPECIALIST, e.action)]
    for event in events:
        event.label = event_label(event)
    status = status_seen_by(SPECIALIST, demand.status)
    return render(request, "demands/s_demand.html", {
        "demand": demand, "events": events, "status": status,
        "status_label": DemandStatus(status).label,
    })
