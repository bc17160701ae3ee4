"""The in-app notification centre, its page and API, and the pluggable senders."""

import logging

from django.test import Client

from tests import factories
from tests.conftest import login_api
from zhifu.notifications import senders
from zhifu.notifications.models import Notification
from zhifu.notifications.services import notify


def test_notify_stores_rows_once_per_recipient_and_logs_masked(org, caplog,
                                                                django_capture_on_commit_callbacks):
    user = org.manager_north
    with caplog.at_level(logging.INFO, logger="zhifu.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify(recipients=[user, user, None, org.admin], kind="test",
                          title="请回电 13812345678", body="正文", link="/m/")
    assert len(rows) == 2 and Notification.objects.count() == 2
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_senders_are_pluggable_and_failures_are_contained(org,
                                                          django_capture_on_commit_callbacks):
    sent = []
    sms = senders.SmsSender(gateway=lambda phone, text: sent.append((phone, text)))

    class Broken:
        name = "broken"

        def send(self, notification):
            raise RuntimeError("gateway down")

    senders.register_sender(sms)
    senders.register_sender(Broken())
    try:
        org.manager_north.phone = "13900001111"
        org.manager_north.save()
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[org.manager_north], kind="t", title="标题", body="内容")
        assert sent == [("13900001111", "标题\n内容")]
    finally:
        senders.unregister_sender("sms")
        senders.unregister_sender("broken")
    assert [s.name for s in senders.registered_senders()] == ["log"]


def test_nothing_is_sent_when_the_action_rolls_back(org, django_capture_on_commit_callbacks):
    from django.db import transaction

    sent = []
    sms = senders.SmsSender(gateway=lambda phone, text: sent.append(phone))
    senders.register_sender(sms)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    notify(recipients=[org.manager_north], kind="t", title="x")
                    raise ValueError("abort")
            except ValueError:
                pass
    finally:
        senders.unregister_sender("sms")
    assert sent == [] and not Notification.objects.exists()


def test_page_lists_only_mine_and_marks_read(org):
    notify(recipients=[org.retailer_north.user], kind="t", title="我的消息", link="/m/demands/")
    notify(recipients=[org.retailer_south.user], kind="t", title="别人的消息")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/login/", {"username": org.retailer_north.user.username,
                            "password": factories.PASSWORD})
    page = client.get("/notifications/").content.decode()
    assert "我的消息" in page and "别人的消息" not in page and "1 unread" in page
    mine = Notification.objects.get(title="我的消息")
    theirs = Notification.objects.get(title="别人的消息")
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"/notifications/{mine.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/m/demands/"
    evil = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/m/demands/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405


def test_api_list_and_mark_read(org, api):
    notify(recipients=[org.specialist_north.user], kind="t", title="一")
    notify(recipients=[org.specialist_north.user], kind="t", title="二")
    other = notify(recipients=[org.manager_north], kind="t", title="三")[0]
    login_api(api, org.specialist_north.user)
    listing = api.get("/api/v1/notifications/").json()
    assert listing["count"] == 2 and {r["title"] for r in listing["results"]} == {"一", "二"}
    first = listing["results"][0]["id"]
    assert api.post(f"/api/v1/notifications/{first}/read/").json()["read"] is True
    missing = api.post(f"/api/v1/notifications/{other.pk}/read/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 1
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=org.specialist_north.user,
                                           read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    api.credentials()
    assert api.get("/api/v1/notifications/").status_code == 401
