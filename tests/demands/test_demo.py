"""The demo city's demand history: every state present, deterministic, safe to run twice."""

import datetime as dt
import io

from django.core.management import call_command

from demands.choices import DemandStatus
from demands.models import Demand, DemandEvent


def _run():
    call_command("seed_demo", stdout=io.StringIO(), today=dt.date(2026, 11, 20),
                 retailers=400, specialists=10, days=60, seed=3)
    return (list(Demand.objects.order_by("client_token").values_list(
                "client_token", "status", "submitted_at", "resolution_due_at")),
            DemandEvent.objects.count())


def test_demo_demands(db):
    first = _run()
    assert _run() == first
    demands, events = first
    assert 300 < len(demands) < 800 and events > 3 * len(demands)
    statuses = {row[1] for row in demands}
    assert {DemandStatus.CLOSED, DemandStatus.CANCELLED, DemandStatus.REJECTED,
            DemandStatus.WAITING_CUSTOMER, DemandStatus.ESCALATED} <= statuses
    # every demand's events start with its submission and end in its current state
    for demand in Demand.objects.prefetch_related("events")[:200]:
        steps = list(demand.events.all())
        assert steps[0].action == "submit" and steps[-1].to_status == demand.status
