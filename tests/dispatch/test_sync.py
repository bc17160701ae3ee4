"""A phone that lives offline: each task has a version (ETag), a write on an older version
is refused with what changed (409), and a cursor brings the phone's copy up to date."""

import datetime as dt
from unittest import mock

import pytest

from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask
from dispatch.services import changes, placement
from tests.conftest import login_api
from tests.dispatch.conftest import local, make_task

# Runs are solved in the test process (with a real broker they would go to a worker).
pytestmark = pytest.mark.usefixtures("eager_celery")


@pytest.fixture
def ten_oclock(city):
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 10)):
        yield


def _assigned(city, shop, specialist, sequence):
    start = local(city.day, 10 + sequence)
    return make_task(shop, city.day, status=TaskStatus.ASSIGNED, specialist=specialist,
                     sequence=sequence, planned_start=start,
                     planned_end=start + dt.timedelta(minutes=30))


def test_a_write_on_an_older_version_is_refused_with_what_changed(city, api, ten_oclock):
    task = _assigned(city, city.shops[0], city.plain, 1)
    login_api(api, city.plain.user)
    read = api.get(f"/api/v1/specialist/tasks/{task.pk}/")
    assert read["ETag"] == '"1"' and read.json()["version"] == 1

    # Meanwhile the manager moves it later in the day by hand (a write the phone missed).
    placement.task_reassign(actor=city.manager, task_id=task.pk, specialist_id=city.plain.pk,
                            reason="调整顺序")
    task.refresh_from_db()
    assert task.version > 1

    stale = api.post(f"/api/v1/specialist/tasks/{task.pk}/on-the-way/", {"eta_minutes": 10},
                     format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "version_conflict" and error["version"] == task.version
    assert [c["action"] for c in error["changes"]] == ["reassigned"]
    assert error["changes"][0]["label"] in error["message"]

    fresh = api.post(f"/api/v1/specialist/tasks/{task.pk}/on-the-way/", {"eta_minutes": 10},
                     format="json", HTTP_IF_MATCH=f'"{task.version}"')
    assert fresh.status_code == 200, fresh.content
    # Without If-Match the write is not conditional (older clients keep working).
    accepted = api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/")
    assert accepted.status_code == 200
    assert accepted["ETag"] == f'"{accepted.json()["version"]}"'
    assert accepted.json()["version"] == task.version + 1


def test_a_malformed_if_match_is_a_clear_400(city, api, ten_oclock):
    task = _assigned(city, city.shops[0], city.plain, 1)
    login_api(api, city.plain.user)
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/", HTTP_IF_MATCH="abc")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_if_match"
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED  # nothing written


def test_the_manager_is_refused_on_a_stale_version_too(city, api, ten_oclock):
    task = _assigned(city, city.shops[0], city.plain, 1)
    login_api(api, city.plain.user)
    api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/")
    login_api(api, city.manager)
    response = api.post(f"/api/v1/dispatch/tasks/{task.pk}/cancel/", {"reason": "店主来电取消"},
                        format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert [c["action"] for c in response.json()["error"]["changes"]] == ["accepted"]
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED


def test_the_changes_feed_brings_a_phone_up_to_date(city, api, ten_oclock):
    first = _assigned(city, city.shops[0], city.plain, 1)
    second = _assigned(city, city.shops[1], city.plain, 2)
    tomorrow = make_task(city.shops[2], city.day + dt.timedelta(days=1),
                         status=TaskStatus.ASSIGNED, specialist=city.plain, sequence=1)
    _assigned(city, city.shops[3], city.trainer, 1)
    login_api(api, city.plain.user)

    snapshot = api.get("/api/v1/specialist/changes/").json()
    assert {t["id"] for t in snapshot["tasks"]} == {first.pk, second.pk, tomorrow.pk}
    assert snapshot["removed"] == []
    cursor = snapshot["cursor"]

    later = local(city.day, 10, 5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        # One task moves to the trainer, one is cancelled by the manager.
        placement.task_reassign(actor=city.manager, task_id=first.pk,
                                specialist_id=city.trainer.pk, reason="培训专员顺路")
        changes.task_cancel(actor=city.manager, task_id=second.pk, reason="店主取消",
                            now=later)
    with mock.patch("django.utils.timezone.now",
                    return_value=later + dt.timedelta(minutes=5)):
        feed = api.get("/api/v1/specialist/changes/", {"since": cursor}).json()
        assert feed["removed"] == [first.pk]
        changed = {t["id"]: t for t in feed["tasks"]}
        assert changed[second.pk]["status"] == TaskStatus.CANCELLED
        assert first.pk not in changed

        # The specialist who took it over learns of it from its own feed.
        login_api(api, city.trainer.user)
        trainer_feed = api.get("/api/v1/specialist/changes/", {"since": cursor}).json()
        assert first.pk in {t["id"] for t in trainer_feed["tasks"]}

    assert api.get("/api/v1/specialist/changes/", {"since": "yesterday"}).status_code == 400


def test_every_kind_of_write_raises_the_version(city, start):
    task = make_task(city.shops[0], city.day)
    assert task.version == 1
    start()
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and task.version == 2  # a run's bulk write
    ServiceTask.objects.filter(pk=task.pk).update(priority=80.0)  # a queryset write
    task.refresh_from_db()
    assert task.version == 3
    task.title = "改名"
    task.save(update_fields=["title"])
    task.refresh_from_db()
    assert task.version == 4 and task.title == "改名"
