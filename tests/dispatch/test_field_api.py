"""The specialist's day through the API, grab-mode claims and manual moves."""

import datetime as dt
import io
import threading
from unittest import mock

import pytest
from django.db import connection
from PIL import Image

from dispatch.choices import DispatchMode, TaskStatus
from dispatch.models import ServiceTask, TaskEvent, TaskPhoto
from dispatch.services import follow, placement
from tests import factories
from tests.conftest import login_api
from tests.dispatch.conftest import local, make_task
from zhifu.core.errors import Conflict, DomainError


def _png(name="photo.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def _assigned(city, shop, specialist, sequence, **fields):
    start = local(city.day, 9 + sequence)
    fields.setdefault("status", TaskStatus.ASSIGNED)
    return make_task(shop, city.day, specialist=specialist, sequence=sequence,
                     planned_start=start, planned_end=start + dt.timedelta(minutes=30),
                     **fields)


@pytest.fixture
def frozen_day(city):
    """The API's "today" is the city's service day, at 10:00."""
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 10)):
        yield


def test_my_day_in_route_order_with_masked_phones(city, api, frozen_day):
    second = _assigned(city, city.shops[1], city.trainer, 2)
    first = _assigned(city, city.shops[0], city.trainer, 1)
    _assigned(city, city.shops[2], city.plain, 1)
    login_api(api, city.trainer.user)
    body = api.get("/api/v1/specialist/day/").json()
    assert [t["id"] for t in body] == [first.pk, second.pk]
    assert "****" in body[0]["retailer"]["phone"]
    other_day = api.get(f"/api/v1/specialist/day/?date={city.day + dt.timedelta(days=1)}")
    assert other_day.json() == []
    assert api.get("/api/v1/specialist/day/?date=yesterday").status_code == 400


def test_task_detail_has_profile_strategy_and_checklist(city, api, frozen_day):
    task = _assigned(city, city.shops[0], city.trainer, 1, checklist=["签到表", "宣传单"])
    login_api(api, city.trainer.user)
    body = api.get(f"/api/v1/specialist/tasks/{task.pk}/").json()
    assert body["checklist"] == ["签到表", "宣传单"]
    assert body["strategy"]["band"] == "1-12" and body["strategy"]["visit_cadence"]
    assert "profile" in body


def test_someone_elses_task_is_not_found(city, api, frozen_day):
    task = _assigned(city, city.shops[0], city.plain, 1)
    login_api(api, city.trainer.user)
    for url in (f"/api/v1/specialist/tasks/{task.pk}/",):
        assert api.get(url).status_code == 404
    for action in ("accept", "exception"):
        response = api.post(f"/api/v1/specialist/tasks/{task.pk}/{action}/",
                            {"kind": "shop_closed"}, format="json")
        assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_accept_start_complete_with_photo_lands_on_the_demand_timeline(city, api, frozen_day):
    from demands import services as demand_services
    from demands.models import CatalogueItem, DemandEvent

    item, _ = CatalogueItem.objects.get_or_create(
        code="test-maintenance", defaults={"tier": "inclusive", "name_zh": "终端维护",
                                           "name_en": "Terminal maintenance",
                                           "checklist": ["设备检查"]})
    shop = city.shops[0]
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic", now=local(city.day, 8))
    demand_services.demand_accept(demand=demand, actor=city.manager, now=local(city.day, 8))
    task = _assigned(city, shop, city.trainer, 1, demand=demand, source="demand",
                     checklist=["设备检查"])
    follow.demand_follow_task(task=task)
    login_api(api, city.trainer.user)
    assert api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/").status_code == 200
    assert api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/").status_code == 200  # no-op
    # The demand moves only through its task: no bare start or complete on the demand.
    for step in ("start", "complete"):
        bare = api.post(f"/api/v1/demands/{demand.pk}/actions/", {"action": step},
                        format="json")
        assert bare.status_code == 409 and bare.json()["error"]["code"] == "use_the_task"
    far = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/",
                   {"latitude": shop.latitude + 0.02, "longitude": shop.longitude},
                   format="json")
    assert far.status_code == 200 and far.json()["check_in_far"] is True
    incomplete = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/",
                          {"notes": "检查完毕"}, format="multipart")
    assert incomplete.status_code == 400
    assert incomplete.json()["error"]["code"] == "checklist_incomplete"
    done = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/",
                    {"notes": "检查完毕，设备正常", "checklist_confirmed": ["设备检查"],
                     "photos": [_png()]}, format="multipart")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and len(done.json()["photos"]) == 1
    actions = list(DemandEvent.objects.filter(demand=demand).values_list("action", flat=True))
    assert actions[-4:] == ["schedule", "start", "check", "complete"]
    assert TaskEvent.objects.filter(task=task, action="completed").exists()


@pytest.mark.parametrize("body,code", [
    ({}, "validation_error"),
    ({"latitude": 123, "longitude": 0}, "validation_error"),
    ({"latitude": "x", "longitude": "y"}, "validation_error"),
])
def test_bad_check_in_positions_are_refused(city, api, frozen_day, body, code):
    task = _assigned(city, city.shops[0], city.trainer, 1)
    login_api(api, city.trainer.user)
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_bad_photos_are_refused_and_nothing_is_saved(city, api, frozen_day):
    task = _assigned(city, city.shops[0], city.trainer, 1, status=TaskStatus.IN_PROGRESS)
    login_api(api, city.trainer.user)
    text = io.BytesIO(b"not an image")
    text.name = "photo.png"
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/",
                        {"notes": "ok", "photos": [text]}, format="multipart")
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and not TaskPhoto.objects.exists()


def test_cannot_complete_before_starting(city, api, frozen_day):
    task = _assigned(city, city.shops[0], city.trainer, 1)
    login_api(api, city.trainer.user)
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/", {"notes": "x"},
                        format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "wrong_state"


def test_exception_frees_the_task_and_replans(city, api, frozen_day, eager_celery,
                                              django_capture_on_commit_callbacks):
    task = _assigned(city, city.shops[0], city.trainer, 1)
    login_api(api, city.trainer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/specialist/tasks/{task.pk}/exception/",
                            {"kind": "shop_closed", "note": "拉闸"}, format="json")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.exception_kind == "shop_closed"
    from dispatch.models import DispatchRun

    replan = DispatchRun.objects.get()
    assert replan.trigger == "replan" and replan.status == "succeeded"
    bad = api.post(f"/api/v1/specialist/tasks/{task.pk}/exception/", {"kind": "alien"},
                   format="json")
    assert bad.status_code in (400, 404)


def test_claims_first_valid_claim_wins(city):
    task = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED,
                     mode=DispatchMode.GRAB)
    won = placement.task_claim(user=city.trainer.user, task_id=task.pk)
    assert won.specialist_id == city.trainer.pk and won.status == TaskStatus.ACCEPTED
    with pytest.raises(Conflict):
        placement.task_claim(user=city.plain.user, task_id=task.pk)


def test_claim_checks_skills_and_radius(city):
    needs = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED,
                      mode=DispatchMode.GRAB, required_skills=[{"code": "training", "level": 3}])
    with pytest.raises(DomainError) as refused:
        placement.task_claim(user=city.plain.user, task_id=needs.pk)
    assert refused.value.code == "not_eligible"
    far_shop = factories.retailer(city.district, latitude=24.5, longitude=118.0)
    far = make_task(far_shop, city.day, status=TaskStatus.OFFERED, mode=DispatchMode.GRAB)
    with pytest.raises(DomainError):
        placement.task_claim(user=city.trainer.user, task_id=far.pk)
    assert ServiceTask.objects.get(pk=far.pk).status == TaskStatus.OFFERED


def test_pool_lists_only_claimable_tasks(city, api):
    ok = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED, mode=DispatchMode.GRAB)
    make_task(city.shops[1], city.day, status=TaskStatus.OFFERED, mode=DispatchMode.GRAB,
              required_skills=[{"code": "cigar", "level": 1}])
    login_api(api, city.plain.user)
    body = api.get(f"/api/v1/specialist/pool/?date={city.day}").json()
    assert [t["id"] for t in body] == [ok.pk]
    claim = api.post(f"/api/v1/specialist/pool/{ok.pk}/claim/")
    assert claim.status_code == 200
    again = api.post(f"/api/v1/specialist/pool/{ok.pk}/claim/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_taken"


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_have_exactly_one_winner(city):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    task = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED,
                     mode=DispatchMode.GRAB)
    contenders = [city.trainer, city.plain] + [
        factories.specialist(city.district, skills={"consultation": 1}) for _ in range(4)]
    barrier = threading.Barrier(len(contenders))
    outcomes = []

    def claim(specialist):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            placement.task_claim(user=specialist.user, task_id=task.pk)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=claim, args=(s,)) for s in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1 and outcomes.count("conflict") == len(contenders) - 1
    assert ServiceTask.objects.get(pk=task.pk).status == TaskStatus.ACCEPTED


def test_manager_reassigns_within_the_same_constraints(city):
    task = _assigned(city, city.shops[0], city.plain, 1,
                     required_skills=[{"code": "consultation", "level": 1}])
    moved = placement.task_reassign(actor=city.manager, task_id=task.pk,
                                specialist_id=city.trainer.pk)
    assert moved.specialist_id == city.trainer.pk and moved.status == TaskStatus.ASSIGNED
    needs = _assigned(city, city.shops[1], city.trainer, 2,
                      required_skills=[{"code": "training", "level": 3}])
    with pytest.raises(DomainError) as refused:
        placement.task_reassign(actor=city.manager, task_id=needs.pk, specialist_id=city.plain.pk)
    assert refused.value.code == "not_eligible"
    assert ServiceTask.objects.get(pk=needs.pk).specialist_id == city.trainer.pk
    outsider = factories.manager(factories.district("D7", "七片区"))
    from zhifu.core.errors import NotFound

    with pytest.raises(NotFound):
        placement.task_reassign(actor=outsider, task_id=task.pk, specialist_id=None)


def test_managers_start_and_read_runs_through_the_api(city, api, eager_celery,
                                                      django_capture_on_commit_callbacks):
    make_task(city.shops[0], city.day)
    login_api(api, city.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/dispatch/runs/", {"date": str(city.day), "seconds": 1,
                                                       "districts": ["D1"]}, format="json")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    assert api.get(f"/api/v1/dispatch/runs/{run_id}/").json()["status"] == "succeeded"
    bad = api.post("/api/v1/dispatch/runs/", {"date": "2020-01-01", "districts": ["ZZ"]},
                   format="json")
    assert bad.status_code == 400 and "districts" in bad.json()["error"]["fields"]
    api.credentials()
    login_api(api, city.trainer.user)
    assert api.get("/api/v1/dispatch/runs/").status_code == 403
    assert api.get(f"/api/v1/dispatch/runs/{run_id}/").status_code == 403


def test_an_exception_on_a_claimed_grab_task_returns_it_to_the_pool(city, api):
    """It must neither vanish from every pool nor start a command re-plan that assigns and
    empties the whole pool."""
    from django.utils import timezone

    from dispatch.models import DispatchRun

    today = timezone.localdate()
    offered = [make_task(shop, today, status=TaskStatus.OFFERED, mode="grab")
               for shop in city.shops[:3]]
    # Mid-morning: a claim is timed from now, so at the end of a real afternoon it would
    # not fit the day.
    with mock.patch("django.utils.timezone.now", return_value=local(today, 10)):
        placement.task_claim(user=city.trainer.user, task_id=offered[0].pk)
        login_api(api, city.trainer.user)
        response = api.post(f"/api/v1/specialist/tasks/{offered[0].pk}/exception/",
                            {"kind": "shop_closed", "note": "关门"}, format="json")
    assert response.status_code == 200, response.content
    pool = {t.pk: (t.status, t.specialist_id) for t in ServiceTask.objects.filter(
        pk__in=[t.pk for t in offered])}
    assert pool == {t.pk: (TaskStatus.OFFERED, None) for t in offered}
    assert not DispatchRun.objects.exists()
