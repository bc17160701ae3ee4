"""The SLA state a reader sees is computed when read, from the deadlines on the working
calendar: a demand past its deadline shows breached (or at risk) before any sweep ran."""

import datetime as dt

from django.utils import timezone

from demands.choices import DemandStatus, SlaState
from demands.models import Demand
from demands.sla import attach_sla_seen, sla_state_seen
from tests.conftest import login_api
from tests.demands.conftest import MONDAY_9, catalogue_item, make_demand
from tests.demands.test_pages import login

H = dt.timedelta(hours=1)


def _wall_clock_demand(retailer, *, hours_ago: float, response_hours: int,
                       resolution_hours: int, responded: bool, **fields) -> Demand:
    """A demand on plain hours submitted ``hours_ago`` before now (no sweep has run)."""
    item = catalogue_item("seen-item", response_hours=response_hours,
                          resolution_hours=resolution_hours)
    submitted = timezone.now() - dt.timedelta(hours=hours_ago)
    demand = make_demand(retailer, item=item, submitted_at=submitted, wall_clock=True,
                         responded_at=submitted + H if responded else None, **fields)
    assert demand.sla_state == SlaState.ON_TRACK  # what the (absent) sweep last wrote
    return demand


def _row(html: str, title: str) -> str:
    return next(r for r in html.split("<tr>") if title in r)


def test_state_follows_the_working_calendar_without_a_sweep(org):
    item = catalogue_item("cal-item", response_hours=2, resolution_hours=7)
    demand = make_demand(org.retailer_north, item=item, status=DemandStatus.SCHEDULED,
                         assignee=org.specialist_north, responded_at=MONDAY_9)
    # Monday 16:00: 5 of 7 working hours; 17:00: 6 of 7; Tuesday 09:30: past the deadline.
    assert sla_state_seen(demand, now=MONDAY_9 + 7 * H) == SlaState.ON_TRACK
    assert sla_state_seen(demand, now=MONDAY_9 + 8 * H) == SlaState.AT_RISK
    # Overnight is not working time: still at risk at Tuesday 08:00.
    assert sla_state_seen(demand, now=MONDAY_9 + 23 * H) == SlaState.AT_RISK
    assert sla_state_seen(demand, now=MONDAY_9 + 24.5 * H) == SlaState.BREACHED
    demand.refresh_from_db()
    assert demand.sla_state == SlaState.ON_TRACK  # nothing was written


def test_missed_response_deadline_is_breached(org):
    demand = make_demand(org.retailer_north,
                         item=catalogue_item("resp-item", response_hours=2, resolution_hours=40))
    assert sla_state_seen(demand, now=MONDAY_9 + 3 * H) == SlaState.BREACHED
    responded = make_demand(org.retailer_north, item=demand.item, responded_at=MONDAY_9 + H)
    assert sla_state_seen(responded, now=MONDAY_9 + 3 * H) == SlaState.ON_TRACK


def test_stopped_clocks_keep_their_written_state(org):
    paused = make_demand(org.retailer_north, status=DemandStatus.WAITING_CUSTOMER,
                         paused_at=MONDAY_9 + H, sla_state=SlaState.PAUSED)
    done = make_demand(org.retailer_north, status=DemandStatus.COMPLETED,
                       sla_state=SlaState.MET, completed_at=MONDAY_9 + H)
    late = MONDAY_9 + 24 * 30 * H
    assert sla_state_seen(paused, now=late) == SlaState.PAUSED
    assert sla_state_seen(done, now=late) == SlaState.MET


def test_attach_reads_the_calendar_once(org, django_assert_num_queries):
    item = catalogue_item("resp-item", response_hours=2, resolution_hours=40)
    demands = [make_demand(org.retailer_north, item=item) for _ in range(5)]
    with django_assert_num_queries(2):  # working periods and holidays, for all five
        attach_sla_seen(demands, now=MONDAY_9 + 3 * H)
    assert {d.sla_seen for d in demands} == {SlaState.BREACHED}


def test_manager_pages_show_and_filter_the_breach_before_the_sweep(org):
    late = _wall_clock_demand(org.retailer_north, hours_ago=3, response_hours=2,
                              resolution_hours=40, responded=False, title="过了响应时限")
    fine = _wall_clock_demand(org.retailer_north, hours_ago=1, response_hours=8,
                              resolution_hours=40, responded=True, title="时间还多")
    client = login(org.manager_north)
    html = client.get("/dashboard/demands/").content.decode()
    assert "Breached" in _row(html, "过了响应时限") and "On track" in _row(html, "时间还多")
    breached = client.get("/dashboard/demands/?sla_state=breached").content.decode()
    assert "过了响应时限" in breached and "时间还多" not in breached
    on_track = client.get("/dashboard/demands/?sla_state=on_track").content.decode()
    assert "时间还多" in on_track and "过了响应时限" not in on_track
    detail = client.get(f"/dashboard/demands/{late.pk}/").content.decode()
    assert "Breached" in detail
    assert "Breached" not in client.get(f"/dashboard/demands/{fine.pk}/").content.decode()
    kpis = client.get("/dashboard/kpis/").content.decode()
    assert "过了响应时限" in kpis and "时间还多" not in kpis


def test_at_risk_shows_on_the_list_before_the_sweep(org):
    _wall_clock_demand(org.retailer_north, hours_ago=9, response_hours=2,
                       resolution_hours=10, responded=True, title="快到时限")
    client = login(org.manager_north)
    page = client.get("/dashboard/demands/?sla_state=at_risk").content.decode()
    assert "At risk" in _row(page, "快到时限")


def test_retailer_page_and_api_show_the_breach(org, api):
    late = _wall_clock_demand(org.retailer_north, hours_ago=3, response_hours=2,
                              resolution_hours=40, responded=False,
                              status=DemandStatus.SCHEDULED, assignee=org.specialist_north)
    html = login(org.retailer_north.user).get("/m/demands/").content.decode()
    assert "d-sla-breached" in html
    login_api(api, org.specialist_north.user)
    assert api.get(f"/api/v1/demands/{late.pk}/").json()["sla_state"] == "breached"
    rows = api.get("/api/v1/demands/").json()["results"]
    assert [r["sla_state"] for r in rows if r["id"] == late.pk] == ["breached"]
