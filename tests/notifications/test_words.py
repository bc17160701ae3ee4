"""Words: each status word means one thing (docs/glossary.md), notices are written in the
recipient's language whoever caused them, and a specialist's notice opens a page."""

import datetime as dt

from django.utils import timezone, translation

from demands import services
from demands.choices import DemandStatus
from dispatch.choices import TaskStatus
from tests import factories
from tests.demands.conftest import MONDAY_9, make_demand
from tests.notifications.test_inbox import login
from zhifu.notifications.models import Notification
from zhifu.notifications.services import notify


def test_a_notice_caused_in_english_is_stored_in_chinese(org):
    demand = make_demand(org.retailer_north, status=DemandStatus.ACCEPTED)
    with translation.override("en"):  # an English browser, or a worker
        services.demand_schedule(demand=demand, actor=org.manager_north,
                                 specialist=org.specialist_north)
    notice = Notification.objects.get(recipient=org.specialist_north.user)
    assert notice.title == f"需求 #{demand.pk}：已排程"


def test_a_specialist_notice_opens_its_page_not_json(org):
    demand = make_demand(org.retailer_north, status=DemandStatus.ACCEPTED, title="门头灯箱维修")
    services.demand_schedule(demand=demand, actor=org.manager_north,
                             specialist=org.specialist_north)
    notice = Notification.objects.get(recipient=org.specialist_north.user)
    client = login(org.specialist_north.user)
    followed = client.post(f"/notifications/{notice.pk}/read/", follow=True)
    assert followed.redirect_chain[-1][0] == f"/s/demands/{demand.pk}/"
    assert followed["Content-Type"].startswith("text/html")
    html = followed.content.decode()
    assert "门头灯箱维修" in html and "已排程" in html
    # Another specialist (or district) gets the same answer as for a missing demand.
    other = login(factories.specialist(org.south).user)
    assert other.get(f"/s/demands/{demand.pk}/").status_code == 404
    assert login(org.manager_north).get(f"/s/demands/{demand.pk}/").status_code == 403


def test_a_rated_demand_reads_completed_on_the_specialist_page(org):
    demand = make_demand(org.retailer_north, status=DemandStatus.RATED,
                         assignee=org.specialist_north, completed_at=MONDAY_9)
    html = login(org.specialist_north.user).get(f"/s/demands/{demand.pk}/").content.decode()
    assert "已完成" in html and "已评价" not in html


def test_plan_notices_open_the_specialists_day(org):
    from tests.dispatch.conftest import make_task

    day = timezone.localdate() + dt.timedelta(days=1)
    make_task(org.retailer_north, day, title="陈列检查", status=TaskStatus.ASSIGNED,
              specialist=org.specialist_north, sequence=1)
    client = login(org.specialist_north.user)
    html = client.get(f"/s/plan/?date={day.isoformat()}").content.decode()
    assert "陈列检查" in html and "已分派" in html
    assert 'href="/s/plan/"' in client.get("/s/").content.decode()  # in the specialist's menu
    assert "陈列检查" not in login(factories.specialist(org.north).user).get(
        f"/s/plan/?date={day.isoformat()}").content.decode()


def test_awaiting_dispatch_names_only_unassigned_work(org):
    with translation.override("zh-hans"):
        assert str(TaskStatus.OPEN.label) == "待分派"
        assert str(DemandStatus.IN_PROGRESS.label) == "处理中"
    # The retailer's default tab lists all unfinished work, and says so.
    make_demand(org.retailer_north, status=DemandStatus.IN_PROGRESS)
    html = login(org.retailer_north.user).get("/m/demands/").content.decode()
    assert "未完成" in html and "待分派" not in html
    # The notification button says what it does.
    notify(recipients=[org.manager_north], kind="t", title="x", link="/dashboard/")
    inbox = login(org.manager_north).get("/notifications/").content.decode()
    assert "查看详情" in inbox and "待分派" not in inbox


def test_the_photo_link_is_not_a_status(org, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    demand = make_demand(org.retailer_north)
    demand.photo.save("shop.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    html = login(org.manager_north).get(f"/dashboard/demands/{demand.pk}/").content.decode()
    assert "查看照片" in html and "待分派" not in html
