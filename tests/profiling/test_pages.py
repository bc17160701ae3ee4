"""Manager and retailer pages: scope, filters, export, import preview/commit, rule editing."""

import datetime as dt
import io

import pandas as pd
import pytest
from django.test import Client

from profiling.models import Dimension, Indicator, OrderRecord, ProfileSnapshot
from profiling.services import profiles_recompute
from tests import factories

from .helpers import PERIOD, TODAY, orders, raw, weekly

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


@pytest.fixture
def computed(org):
    raw(org.retailer_north, "data_collection_method", "pos")
    # Twelve steady weeks, then nothing in the last four: a churn warning.
    orders(org.retailer_north2, *weekly(TODAY - dt.timedelta(days=28), 12, 500))
    profiles_recompute(period=PERIOD, today=TODAY)
    return org


def test_list_shows_only_managed_districts_with_scores(computed):
    org = computed
    response = client_for(org.manager_north).get("/dashboard/profiles/")
    assert response.status_code == 200
    shops = [row["retailer"] for row in response.context["rows"]]
    assert set(shops) == {org.retailer_north, org.retailer_north2}
    assert org.retailer_south.licence_no not in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ("churn=true", {"retailer_north2"}),
    ("churn=false", {"retailer_north"}),
    ("segment=basic", {"retailer_north", "retailer_north2"}),
    ("segment=value", set()),
    ("weak_dimension=trade_area", {"retailer_north", "retailer_north2"}),
    ("grade_band=1-12&district=N1", {"retailer_north", "retailer_north2"}),
])
def test_list_filters(computed, query, expected):
    org = computed
    response = client_for(org.manager_north).get(f"/dashboard/profiles/?{query}")
    assert response.status_code == 200
    got = {name for name in ("retailer_north", "retailer_north2")
           if getattr(org, name) in [row["retailer"] for row in response.context["rows"]]}
    assert got == expected


def test_weak_dimension_filter_uses_the_verdict(computed):
    org = computed
    ProfileSnapshot.objects.filter(retailer=org.retailer_north).update(
        verdicts={"data_operations": "strength"})
    response = client_for(org.manager_north).get("/dashboard/profiles/?weak_dimension="
                                                 "data_operations")
    assert [row["retailer"] for row in response.context["rows"]] == [org.retailer_north2]


def test_bad_filter_value_is_a_400_not_a_500(computed):
    response = client_for(computed.manager_north).get("/dashboard/profiles/?weak_dimension=x;--")
    assert response.status_code == 400


def test_export_to_excel_is_scoped_and_filtered(computed):
    org = computed
    response = client_for(org.manager_north).get("/dashboard/profiles/?export=xlsx&churn=true")
    assert response.status_code == 200
    frame = pd.read_excel(io.BytesIO(response.content), dtype=str)
    assert list(frame["Licence number"]) == [org.retailer_north2.licence_no]
    assert "Data operations" in frame.columns or "data operations" in frame.columns


def test_wrong_roles_are_refused(computed):
    org = computed
    assert client_for(org.retailer_north.user).get("/dashboard/profiles/").status_code == 403
    assert client_for(org.specialist_north.user).get(
        "/dashboard/profiles/rules/").status_code == 403
    assert Client().get("/dashboard/profiles/").status_code == 302


def test_detail_page_has_radar_data_and_foreign_retailer_is_404(computed):
    org = computed
    c = client_for(org.manager_north)
    response = c.get(f"/dashboard/profiles/{org.retailer_north.pk}/")
    assert response.status_code == 200
    assert 'id="profile-data"' in response.content.decode()
    assert response.context["profile"]["radar"]["values"][1] == 30
    assert c.get(f"/dashboard/profiles/{org.retailer_south.pk}/").status_code == 404


def test_retailer_sees_only_its_own_profile_in_plain_words(computed):
    org = computed
    response = client_for(org.retailer_north.user).get("/m/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Where you can improve" in body and "数据运营" in body
    assert response.context["profile"]["retailer_id"] == org.retailer_north.pk
    assert client_for(org.manager_north).get("/m/profile/").status_code == 403


def test_retailer_without_a_profile_gets_a_friendly_page(org):
    response = client_for(org.retailer_south.user).get("/m/profile/")
    assert response.status_code == 200
    assert "has not been computed yet" in response.content.decode()


def test_recompute_button_queues_the_job(org, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lead = client_for(org.manager_north).post("/dashboard/profiles/recompute/")
        # A city-wide recompute is the city department's to start, not a district lead's.
        assert lead.status_code == 403 and ProfileSnapshot.objects.count() == 0
        response = client_for(factories.city_level(org.manager_north)).post(
            "/dashboard/profiles/recompute/")
    assert response.status_code == 302
    assert ProfileSnapshot.objects.count() == 3
    assert client_for(org.manager_north).get("/dashboard/profiles/recompute/").status_code == 405


# --- import page --------------------------------------------------------------------------

def _upload(c, kind, content, name="f.csv"):
    f = io.BytesIO(content)
    f.name = name
    return c.post("/dashboard/profiles/import/", {"kind": kind, "file": f})


def test_dashboard_import_lists_bad_rows_and_commits_good_ones(org):
    c = client_for(org.manager_north)
    lic = org.retailer_north.licence_no
    content = f"许可证号,订购日期,卷烟订购金额\n{lic},2026-06-01,1000\n{lic},bad,1\n".encode()
    preview = _upload(c, "orders", content)
    assert preview.status_code == 200
    report = preview.context["report"]
    assert [(e.line, e.column) for e in report.errors] == [(3, "ordered_on")]
    assert not OrderRecord.objects.exists()
    token = preview.context["token"]
    done = c.post("/dashboard/profiles/import/", {"token": token, "kind": "orders"})
    assert done.status_code == 302
    assert OrderRecord.objects.count() == 1
    # The staged file is gone: committing twice is refused, nothing changes.
    again = c.post("/dashboard/profiles/import/", {"token": token, "kind": "orders"})
    assert again.status_code == 400 and OrderRecord.objects.count() == 1


def test_dashboard_import_of_retailers_reuses_the_accounts_import(org):
    c = client_for(org.manager_north)
    content = ("许可证号,店铺名称,负责人,联系电话,纬度,经度,片区,档位,市场类型,业态\n"
               "440599000777,新店,王五,01380000777,23.3,116.6,N1,5,城网,便利店\n").encode()
    preview = _upload(c, "retailers", content)
    assert preview.context["report"].created == 1
    c.post("/dashboard/profiles/import/", {"token": preview.context["token"],
                                           "kind": "retailers"})
    from zhifu.accounts.models import Retailer

    assert Retailer.objects.get(licence_no="440599000777").phone == "01380000777"


@pytest.mark.parametrize(("kind", "content", "name"), [
    ("orders", b"", "f.csv"),
    ("orders", b"%PDF", "f.pdf"),
    ("nonsense", b"a,b\n1,2\n", "f.csv"),
])
def test_dashboard_import_bad_uploads_are_4xx(org, kind, content, name):
    response = _upload(client_for(org.manager_north), kind, content, name)
    assert response.status_code == 400
    assert not OrderRecord.objects.exists()


def test_dashboard_import_forged_token_is_refused(org):
    response = client_for(org.manager_north).post(
        "/dashboard/profiles/import/", {"token": "../../etc/passwd", "kind": "orders"})
    assert response.status_code == 400


# --- rules page ---------------------------------------------------------------------------

def test_rules_page_edits_a_rule_and_refuses_a_bad_one(org):
    c = client_for(factories.city_level(org.manager_north))
    assert c.get("/dashboard/profiles/rules/").status_code == 200
    indicator = Indicator.objects.get(code="daily_opening_hours")
    ok = c.post(f"/dashboard/profiles/rules/indicators/{indicator.pk}/", {
        "rule_kind": "bands", "max_points": 20,
        "rule_params": '{"thresholds": [8, 12], "points": [5, 10, 20]}'})
    assert ok.status_code == 302
    indicator.refresh_from_db()
    assert indicator.rule_kind == "bands" and indicator.rule_params["points"] == [5, 10, 20]
    for params in ('{"thresholds": [12, 8], "points": [5, 10, 20]}', "not json",
                   '{"lower": 1, "upper": 1}'):
        bad = c.post(f"/dashboard/profiles/rules/indicators/{indicator.pk}/", {
            "rule_kind": "bands" if "thresholds" in params else "linear", "max_points": 20,
            "rule_params": params})
        assert bad.status_code == 400
    indicator.refresh_from_db()
    assert indicator.rule_params["thresholds"] == [8, 12]


def test_rules_page_edits_weights_and_thresholds_with_validation(org):
    c = client_for(factories.city_level(org.manager_north))
    dim = Dimension.objects.get(code="trade_area")
    ok = c.post(f"/dashboard/profiles/rules/dimensions/{dim.pk}/", {
        "weight": 2, "strength_threshold": 75, "weakness_threshold": 45, "peer_margin": 5})
    assert ok.status_code == 302
    dim.refresh_from_db()
    assert (dim.weight, dim.strength_threshold, dim.weakness_threshold) == (2, 75, 45)
    bad = c.post(f"/dashboard/profiles/rules/dimensions/{dim.pk}/", {
        "weight": 1, "strength_threshold": 40, "weakness_threshold": 60, "peer_margin": 5})
    assert bad.status_code == 400
    assert c.post(f"/dashboard/profiles/rules/dimensions/{dim.pk}/", {
        "weight": "heavy", "strength_threshold": 70, "weakness_threshold": 50,
        "peer_margin": 5}).status_code == 400
    dim.refresh_from_db()
    assert dim.weight == 2 and dim.strength_threshold == 75
    assert c.post("/dashboard/profiles/rules/dimensions/99999/", {}).status_code == 404


def test_all_weights_zero_is_refused(org):
    Dimension.objects.exclude(code="trade_area").update(weight=0)
    dim = Dimension.objects.get(code="trade_area")
    response = client_for(org.admin).post(f"/dashboard/profiles/rules/dimensions/{dim.pk}/", {
        "weight": 0, "strength_threshold": 70, "weakness_threshold": 50, "peer_margin": 10})
    assert response.status_code == 400
    dim.refresh_from_db()
    assert dim.weight == 1



def test_list_before_any_recompute_shows_retailers_without_scores(org):
    response = client_for(org.manager_north).get("/dashboard/profiles/?segment=basic")
    assert response.status_code == 200 and response.context["rows"] == []
    response = client_for(org.manager_north).get("/dashboard/profiles/")
    assert len(response.context["rows"]) == 2
    assert "No profile has been computed yet." in response.content.decode()


def test_a_reversed_linear_rule_is_read_back_as_less_is_better(org):
    """"lower 50, upper 10" is a valid rule (fewer is better); the page says so in words
    beside it, so it is not taken for a mistake."""
    c = client_for(factories.city_level(org.manager_north))
    c.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    indicator = Indicator.objects.get(code="daily_opening_hours")
    assert c.post(f"/dashboard/profiles/rules/indicators/{indicator.pk}/", {
        "rule_kind": "linear", "max_points": 20,
        "rule_params": '{"lower": 50, "upper": 10}'}).status_code == 302
    page = c.get("/dashboard/profiles/rules/").content.decode()
    assert "50 及以上得 0 分，10 及以下得 20 分（越少越好）" in page
