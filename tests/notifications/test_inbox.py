"""The managers' inbox: who is told about breaches, escalations, complaints and work the
plan could not serve (each once), the inbox page with its filters, and the unread badge on
every page at the cost of one COUNT."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demands import services
from demands.choices import DemandKind, DemandStatus
from demands.sla import demands_sla_sweep
from tests import factories
from tests.demands.conftest import MONDAY_9, catalogue_item, make_demand
from zhifu.accounts.choices import ManagerLevel
from zhifu.notifications.models import Notification
from zhifu.notifications.services import notify

H = dt.timedelta(hours=1)


def login(user, language="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.post("/login/", {"username": user.username,
                                   "password": factories.PASSWORD}).status_code == 302
    return client


@pytest.fixture
def running(org):
    """Scheduled 7-working-hour work: at risk Monday 17:00, breached Tuesday 09:00."""
    item = catalogue_item("inbox-item", response_hours=2, resolution_hours=7)
    return make_demand(org.retailer_north, item=item, status=DemandStatus.SCHEDULED,
                       assignee=org.specialist_north, responded_at=MONDAY_9,
                       title="冰柜维修")


def test_sla_notices_reach_the_district_leads_once(org, running):
    city = factories.manager(org.north, org.south, level=ManagerLevel.CITY_DEPARTMENT)
    lead, other = org.manager_north, org.manager_south
    for _ in range(2):  # a second sweep (or a redelivered task) tells nobody again
        demands_sla_sweep(now=MONDAY_9 + 8 * H)
    for _ in range(2):
        demands_sla_sweep(now=MONDAY_9 + 25 * H)
    kinds = list(Notification.objects.filter(recipient=lead).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["demand.escalation.1", "demand.escalation.2"]
    breach = Notification.objects.get(recipient=lead, kind="demand.escalation.2")
    assert breach.link == f"/dashboard/demands/{running.pk}/"
    assert "超时" in breach.title or "升级" in breach.title  # Chinese, whoever swept
    assert not Notification.objects.filter(recipient=other).exists()  # not its district
    assert not Notification.objects.filter(recipient=city).exists()  # not yet its rung


def test_notify_with_a_key_tells_each_person_once(org):
    first = notify(recipients=[org.manager_north, org.admin], kind="t", title="x", key="k:1")
    again = notify(recipients=[org.manager_north, org.admin, org.manager_south], kind="t",
                   title="x", key="k:1")
    assert len(first) == 2 and [r.recipient for r in again] == [org.manager_south]
    notify(recipients=[org.manager_north], kind="t", title="x")  # no key: no such rule
    notify(recipients=[org.manager_north], kind="t", title="x")
    assert Notification.objects.filter(recipient=org.manager_north).count() == 3


def test_a_new_complaint_reaches_the_leads_as_a_complaint(org):
    demand = services.demand_submit_need(retailer=org.retailer_north,
                                         actor=org.retailer_north.user,
                                         text="送货延迟两天，请核查", kind=DemandKind.COMPLAINT)
    notice = Notification.objects.get(recipient=org.manager_north)
    assert notice.kind == "demand.complaint" and notice.link == (
        f"/dashboard/demands/{demand.pk}/")
    assert "投诉" in notice.title
    assert not Notification.objects.filter(recipient=org.manager_south).exists()


def test_a_person_escalating_tells_the_leads(org):
    demand = make_demand(org.retailer_north, status=DemandStatus.IN_PROGRESS,
                         assignee=org.specialist_north, responded_at=MONDAY_9)
    services.demand_escalate(demand=demand, actor=org.specialist_north.user,
                             reason="需要片区协调车辆")
    notice = Notification.objects.get(recipient=org.manager_north, kind="demand.escalated")
    assert notice.body == "需要片区协调车辆" and notice.link.endswith(f"/{demand.pk}/")


def test_unserved_dispatch_task_is_told_once_per_task(org, django_capture_on_commit_callbacks,
                                                      eager_celery):
    from dispatch.choices import TaskStatus
    from dispatch.models import ServiceTask
    from dispatch.services import runs
    from tests.dispatch.conftest import make_task

    day = timezone.localdate() + dt.timedelta(days=1)
    factories.specialist(org.north, skills={"consultation": 2})
    impossible = make_task(org.retailer_north, day,
                           required_skills=[{"code": "cigar", "level": 1}])
    for _ in range(2):  # the same task unserved by a re-plan is not told again
        with django_capture_on_commit_callbacks(execute=True):
            runs.run_start(actor=org.manager_north, day=day, district_ids=[org.north.pk],
                           seconds=1, seed=3)
    impossible.refresh_from_db()
    assert impossible.status == TaskStatus.OPEN and impossible.unserved_reason
    notices = Notification.objects.filter(recipient=org.manager_north,
                                          kind="dispatch.unserved")
    assert notices.count() == ServiceTask.objects.filter(
        service_date=day, status=TaskStatus.OPEN).exclude(unserved_reason="").count() >= 1
    notice = notices.get(body__startswith=impossible.title)
    assert notice.link == f"/dashboard/dispatch/?date={day.isoformat()}&district=N1"
    assert login(org.manager_north).get(notice.link).status_code == 200
    assert not Notification.objects.filter(recipient=org.manager_south).exists()


def _seed_inbox(org):
    notify(recipients=[org.manager_north], kind="demand.escalation.2", title="超时的需求",
           link="/dashboard/demands/")
    notify(recipients=[org.manager_north], kind="demand.complaint", title="新的投诉",
           link="/dashboard/demands/")
    notify(recipients=[org.manager_north], kind="dispatch.unserved", title="无人可派")
    read = notify(recipients=[org.manager_north], kind="demand.new", title="已读的新需求")
    Notification.objects.filter(pk=read[0].pk).update(read_at=timezone.now())
    notify(recipients=[org.manager_south], kind="demand.complaint", title="南片区的投诉")


def test_inbox_page_filters_by_unread_and_kind(org):
    _seed_inbox(org)
    client = login(org.manager_north)
    page = client.get("/notifications/").content.decode()
    for title in ("超时的需求", "新的投诉", "无人可派", "已读的新需求"):
        assert title in page
    assert "南片区的投诉" not in page
    unread = client.get("/notifications/?unread=1").content.decode()
    assert "超时的需求" in unread and "已读的新需求" not in unread
    sla = client.get("/notifications/?kind=sla").content.decode()
    assert "超时的需求" in sla and "新的投诉" not in sla and "无人可派" not in sla
    complaints = client.get("/notifications/?kind=complaint&unread=1").content.decode()
    assert "新的投诉" in complaints and "超时的需求" not in complaints
    assert "无人可派" in client.get("/notifications/?kind=dispatch").content.decode()
    assert client.get("/notifications/?kind=bogus").status_code == 200


def test_mark_read_and_mark_all_read(org):
    _seed_inbox(org)
    client = login(org.manager_north)
    sla = Notification.objects.get(title="超时的需求")
    # "View details" marks read and follows the link; "Mark read" stays on the list.
    assert client.post(f"/notifications/{sla.pk}/read/")["Location"] == "/dashboard/demands/"
    complaint = Notification.objects.get(title="新的投诉")
    back = client.post(f"/notifications/{complaint.pk}/read/",
                       {"next": "/notifications/?kind=complaint"})
    assert back["Location"] == "/notifications/?kind=complaint"
    assert Notification.objects.filter(recipient=org.manager_north,
                                       read_at__isnull=True).count() == 1
    done = client.post("/notifications/read-all/", {"next": "/notifications/?unread=1"})
    assert done["Location"] == "/notifications/?unread=1"
    assert not Notification.objects.filter(recipient=org.manager_north,
                                           read_at__isnull=True).exists()
    assert Notification.objects.get(title="南片区的投诉").read_at is None  # not mine
    assert client.post("/notifications/read-all/", {"next": "https://evil.example/"})[
        "Location"] == "/notifications/"


def _badge(html: str) -> str | None:
    import re

    found = re.search(r'data-unread-badge>(\d+)<', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("who,url", [
    ("manager_north", "/dashboard/"), ("manager_north", "/dashboard/demands/"),
    ("manager_north", "/dashboard/dispatch/"), ("manager_north", "/dashboard/kpis/"),
    ("specialist", "/s/"), ("retailer", "/m/"), ("retailer", "/m/demands/"),
    ("retailer", "/m/services/"), ("admin", "/dashboard/"),
])
def test_every_portal_page_shows_the_unread_badge(org, who, url):
    user = {"specialist": org.specialist_north.user, "retailer": org.retailer_north.user}.get(
        who) or getattr(org, who)
    client = login(user)
    assert _badge(client.get(url).content.decode()) is None  # nothing unread: no badge
    notify(recipients=[user], kind="t", title="一", key="a")
    notify(recipients=[user], kind="t", title="二", key="b")
    assert _badge(client.get(url).content.decode()) == "2"


def test_the_badge_costs_one_count_whatever_the_inbox_holds(org):
    client = login(org.manager_north)

    def notification_queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries
                if "notifications_notification" in q["sql"]]

    few = notification_queries("/dashboard/")
    Notification.objects.bulk_create([
        Notification(recipient=org.manager_north, kind="t", title=f"n{i}",
                     created_at=timezone.now()) for i in range(60)])
    many = notification_queries("/dashboard/")
    assert len(few) == len(many) == 1
    assert "COUNT(" in many[0].upper()
    # The login page (no one signed in) asks nothing of the inbox.
    with CaptureQueriesContext(connection) as ctx:
        Client().get("/login/")
    assert not any("notifications_notification" in q["sql"] for q in ctx.captured_queries)


def test_the_api_filters_like_the_inbox(org, api):
    from tests.conftest import login_api

    notify(recipients=[org.specialist_north.user], kind="demand.escalation.1", title="预警")
    notify(recipients=[org.specialist_north.user], kind="dispatch_changed", title="计划有变",
           link="/s/plan/")
    login_api(api, org.specialist_north.user)
    rows = api.get("/api/v1/notifications/?kind=dispatch").json()["results"]
    assert [r["title"] for r in rows] == ["计划有变"] and rows[0]["link"] == "/s/plan/"
    assert api.get("/api/v1/notifications/?kind=sla&unread=1").json()["count"] == 1
    assert api.get("/api/v1/notifications/").json()["count"] == 2
