"""One regression test per finding of the outside attack on the trust boundary (issue 12).

Each reproduces the attack as it was made — through the real URL where there is one — and
asserts the hole is closed. Lockout, tokens, uploads, exports and free-text masking have
their own files (tests/accounts, tests/demands, tests/core).
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.conftest import login_api
from tests.evaluation.conftest import finished_demand, local

STARS = {"attitude": 5, "professionalism": 4, "timeliness": 3, "result": 5}


# --- 1. imports: every kind refuses rows outside the actor's districts ---------------------

@pytest.fixture
def two_districts(db):
    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    return dict(a=a, b=b, lead=factories.manager(a), ours=factories.retailer(a),
                theirs=factories.retailer(b), their_specialist=factories.specialist(b),
                our_specialist=factories.specialist(a))


def test_every_import_refuses_rows_outside_the_actors_districts(two_districts):
    from evaluation.imports import work_quality_import
    from profiling.imports import order_import, raw_value_import
    from zhifu.accounts.imports import retailer_import, specialist_import
    from zhifu.accounts.models import Retailer, Specialist

    w = two_districts
    lead, theirs, ours = w["lead"], w["theirs"], w["ours"]
    files = {
        retailer_import: (
            "许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
            f"{ours.licence_no},我们的店,张三,23.3,116.6,A1,5,城网,便利店\n"
            f"{theirs.licence_no},被改的店,坏人,23.3,116.6,B1,5,城网,便利店\n"
            "440599999990,新店,坏人,23.3,116.6,B1,5,城网,便利店\n"
            f"{ours.licence_no[:-1]}8,搬走的店,坏人,23.3,116.6,B1,5,城网,便利店\n"),
        specialist_import: (
            "工号,账号,姓名,所属片区,服务片区,驻点纬度,驻点经度\n"
            f"{w['their_specialist'].employee_no},{w['their_specialist'].user.username},"
            "坏人,B1,,23.3,116.6\n"
            f"{w['our_specialist'].employee_no},{w['our_specialist'].user.username},"
            "自己人,A1,B1,23.3,116.6\n"),
        order_import: (
            "许可证号,订购日期,卷烟订购金额\n"
            f"{theirs.licence_no},2026-06-01,99999\n"),
        raw_value_import: (
            "许可证号,月份,数采方式\n"
            f"{theirs.licence_no},2026-06,pos\n"),
        work_quality_import: (
            "工号,月份,订单满足率,电子结算成功率,主动支付成功率,零售终端运行率\n"
            f"{w['their_specialist'].employee_no},2026-06,0.9,0.9,0.9,0.9\n"),
    }
    before = (list(Retailer.objects.values()), list(Specialist.objects.values()))
    for importer, text in files.items():
        for commit in (False, True):
            report = importer(content=text.encode(), filename="f.csv", commit=commit,
                              actor=lead)
            outside = [e for e in report.errors if "districts" in str(e.message)
                       or "片区" in str(e.message)]
            assert outside, (importer.__name__, [str(e.message) for e in report.errors])
            assert all(e.line >= 2 for e in outside)  # line-level, on the file's own lines
    # Nothing of district B was written, and the lead's own shop only where it is allowed.
    assert list(Specialist.objects.values()) == before[1]
    assert Retailer.objects.get(pk=theirs.pk).shop_name == theirs.shop_name
    assert not Retailer.objects.filter(licence_no="440599999990").exists()
    from evaluation.models import WorkQualityRecord
    from profiling.models import OrderRecord, RawValue

    assert not OrderRecord.objects.exists() and not RawValue.objects.exists()
    assert not WorkQualityRecord.objects.exists()


def test_a_command_import_on_someones_behalf_keeps_to_their_districts(two_districts, tmp_path):
    from django.core.management import call_command

    from zhifu.accounts.models import Retailer

    w = two_districts
    path = tmp_path / "r.csv"
    path.write_text("许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
                    f"{w['theirs'].licence_no},被改的店,坏人,23.3,116.6,B1,5,城网,便利店\n",
                    encoding="utf-8")
    call_command("import_retailers", str(path), "--as", w["lead"].username)
    assert Retailer.objects.get(pk=w["theirs"].pk).shop_name == w["theirs"].shop_name


# --- 2. rating anonymity: no channel tells a specialist which demands were rated -----------

@pytest.fixture
def rated_and_completed(team):
    from evaluation import services

    rated = finished_demand(team.shops[0], team.ace, team.manager, when=local(2026, 10, 3))
    completed = finished_demand(team.shops[1], team.ace, team.manager, when=local(2026, 10, 4))
    services.rating_submit(user=team.shops[0].user, demand_id=rated.pk,
                           now=local(2026, 10, 5), **STARS)
    rated.refresh_from_db()
    assert rated.status == "rated"
    return rated, completed


def test_the_status_filter_folds_rated_into_completed(team, api, rated_and_completed):
    rated, completed = rated_and_completed
    login_api(api, team.ace.user)
    ids = lambda status: {d["id"] for d in api.get(  # noqa: E731
        f"/api/v1/demands/?status={status}").json()["results"]}
    assert ids("rated") == set()
    assert ids("completed") == {rated.pk, completed.pk}
    detail = api.get(f"/api/v1/demands/{rated.pk}/").json()
    assert detail["status"] == "completed"
    assert all("rated" not in (e["from_status"], e["to_status"]) for e in detail["events"])


def test_refusals_read_the_same_for_a_rated_and_a_completed_demand(team, api,
                                                                  rated_and_completed):
    login_api(api, team.ace.user)
    answers = []
    for demand in rated_and_completed:
        row = []
        for expected in ("completed", "rated", None):
            body = {"action": "start", **({"expected_status": expected} if expected else {})}
            response = api.post(f"/api/v1/demands/{demand.pk}/actions/", body, format="json",
                                HTTP_ACCEPT_LANGUAGE="en")
            error = response.json()["error"]
            row.append((response.status_code, error["code"], error["message"]))
        answers.append(row)
    assert answers[0] == answers[1]
    assert all("Rated" not in message for _s, _c, message in answers[0])


# --- 9. bounded work: runs are limited in date, repetition and rate ------------------------

@pytest.fixture
def lead_api(db, api):
    district = factories.district("R1", "调度片区")
    lead = factories.manager(district)
    login_api(api, lead)
    return api, district, lead


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "0001-01-01"])
def test_a_run_far_from_today_is_refused(lead_api, day):
    from dispatch.models import DispatchRun, ServiceTask

    api, district, _lead = lead_api
    response = api.post("/api/v1/dispatch/runs/", {"date": day, "districts": ["R1"]},
                        format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]
    assert not DispatchRun.objects.exists() and not ServiceTask.objects.exists()


def test_a_repeated_run_request_returns_the_run_already_active(lead_api, settings):
    from dispatch.models import DispatchRun

    api, district, _lead = lead_api
    body = {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "districts": ["R1"], "seconds": 1}
    # Keep the first run queued (no worker picks it up) to see the second request meet it.
    with mock.patch("dispatch.services.runs.enqueue_on_commit"):
        first = api.post("/api/v1/dispatch/runs/", body, format="json")
        second = api.post("/api/v1/dispatch/runs/", body, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert DispatchRun.objects.count() == 1


def test_run_requests_are_rate_limited_per_person(lead_api, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DISPATCH_RUNS_PER_HOUR = 2
    api, district, _lead = lead_api
    statuses = []
    with mock.patch("dispatch.services.runs.enqueue_on_commit"):
        for n in range(3):
            day = (timezone.localdate() + dt.timedelta(days=1 + n)).isoformat()
            statuses.append(api.post("/api/v1/dispatch/runs/", {
                "date": day, "districts": ["R1"], "seconds": 1}, format="json").status_code)
    assert statuses == [202, 202, 429]


# --- 10. every month and date parameter is a 400, never a 500 ------------------------------

def test_a_collection_for_year_zero_is_a_400(team, api):
    from tests.dispatch.conftest import make_task

    make_task(team.shops[0], timezone.localdate(), specialist=team.ace)
    login_api(api, team.ace.user)
    for period in ("0000-01", "9999-12", "2026-13"):
        response = api.post(f"/api/v1/retailers/{team.shops[0].pk}/collections/",
                            {"period": period, "values": {"daily_opening_hours": 10}},
                            format="json")
        assert response.status_code == 400, period
        assert "period" in response.json()["error"]["fields"]


def test_kpis_for_the_year_9999_are_a_400(team):
    client = Client()
    client.force_login(team.manager)
    for query in ("to=9999-12", "from=0000-01", "from=2026-05&to=2026-01"):
        response = client.get(f"/dashboard/kpis/?{query}")
        assert response.status_code == 400, query


# --- 11. scoping leaks ---------------------------------------------------------------------

def test_a_city_wide_run_is_not_a_district_leads(db, api):
    from dispatch.models import DispatchRun

    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    run = DispatchRun.objects.create(service_date=timezone.localdate())
    run.districts.add(a, b)
    own = DispatchRun.objects.create(service_date=timezone.localdate())
    own.districts.add(a)
    lead = factories.manager(a)
    login_api(api, lead)
    assert api.get(f"/api/v1/dispatch/runs/{run.pk}/").status_code == 404
    assert {r["id"] for r in api.get("/api/v1/dispatch/runs/").json()["results"]} == {own.pk}
    city = factories.manager(a, b, level="city_department")
    login_api(api, city)
    assert api.get(f"/api/v1/dispatch/runs/{run.pk}/").status_code == 200


def test_the_complaint_handler_must_work_in_the_demands_district(db):
    from demands import services
    from demands.models import Demand
    from tests.demands.conftest import MONDAY_9
    from zhifu.core.errors import DomainError

    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    shop = factories.retailer(a)
    lead = factories.manager(a)
    stranger = factories.manager(b)
    complaint = services.demand_submit_need(retailer=shop, actor=shop.user, kind="complaint",
                                            text="送货太慢", now=MONDAY_9)
    with pytest.raises(DomainError) as refused:
        services.demand_assign_handler(demand=complaint, actor=lead, handler=stranger)
    assert refused.value.code == "handler_out_of_scope"
    assert Demand.objects.get(pk=complaint.pk).handler_id is None
    page = Client()
    page.force_login(lead)
    response = page.post(f"/dashboard/demands/{complaint.pk}/act/",
                         {"action": "assign_handler", "handler": stranger.pk})
    assert response.status_code in (400, 404)
    assert Demand.objects.get(pk=complaint.pk).handler_id is None
    services.demand_assign_handler(demand=complaint, actor=lead, handler=lead)
    assert Demand.objects.get(pk=complaint.pk).handler_id == lead.pk


# --- 12. the smaller ones ------------------------------------------------------------------

def test_a_boolean_is_not_a_coordinate(db, api):
    from tests.dispatch.conftest import make_task

    district = factories.district("C1", "坐标片区")
    specialist = factories.specialist(district)
    task = make_task(factories.retailer(district), timezone.localdate(),
                     specialist=specialist, status="accepted")
    login_api(api, specialist.user)
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/",
                        {"latitude": True, "longitude": 116.7}, format="json")
    assert response.status_code == 400
    assert "latitude" in response.json()["error"]["fields"]
    task.refresh_from_db()
    assert task.status == "accepted"


@pytest.mark.parametrize("url", ["/api/v1/demands/?status=AAA", "/api/v1/demands/?open=maybe",
                                 "/api/v1/notifications/?unread=yes-please"])
def test_an_unknown_filter_value_is_a_400(team, api, url):
    login_api(api, team.ace.user)
    response = api.get(url)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_filter"


def test_the_api_schema_and_docs_need_a_login_unless_public(db, settings):
    settings.API_DOCS_PUBLIC = False
    for url in ("/api/schema/", "/api/docs/", "/api/redoc/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    signed_in = Client()
    signed_in.force_login(factories.admin())
    assert signed_in.get("/api/schema/").status_code == 200


def test_the_board_builds_no_html_from_strings():
    """User text reaches the board's tooltips only through textContent."""
    import re
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static/js/dispatch-board.js").read_text()
    assert "textContent" in script
    assert not re.search(r"innerHTML|insertAdjacentHTML|[\"']<\w", script)
