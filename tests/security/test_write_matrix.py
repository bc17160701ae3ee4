"""The write side of the authorisation matrix: every route that accepts a write, tried by a
district lead against another district and against the city-wide settings.

The read matrix (test_authorization_matrix.py) puts another district's object in each
route's path. Writes whose target is not in the path — imports, settings, run triggers,
recomputes, reviews — are listed here with a payload aimed at district B or at a city-wide
setting, each one a request that *would* change something if its check were missing.
A route that accepts a write and is neither here, nor a path-id route the read matrix
covers, nor public, fails ``test_every_write_route_is_covered``: a new write path is
covered the day it is added.

After every case has been sent, nothing of district B and nothing city-wide has changed.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.conftest import login_api
from tests.security.test_authorization_matrix import SHARED, _routes, declared_roles
from zhifu.access import restrict
from zhifu.access.rules import RULES

# Open by design, or acting only on the caller's own session or notifications.
NOT_SCOPED = {"set_language", "accounts:login", "accounts:logout", "accounts-api:token",
              "accounts-api:token-refresh", "accounts-api:logout", "notifications:read-all",
              "notifications-api:read-all"}
# Retailers' own phone forms: they can only ever write for the retailer's own shop.
RETAILER_ONLY = {"demands:order", "demands:need-new", "strategy:recommended-act"}

CITY_WIDE_MODELS = [
    "profiling.Dimension", "profiling.Indicator", "demands.CatalogueItem",
    "strategy.GradeBandTemplate", "strategy.StrategyRule", "evaluation.PointsRule",
    "evaluation.EvaluationSettings", "core.JobRun",
]


@pytest.fixture
def city(db):
    """District A with its lead (the attacker); district B with everything worth taking."""
    from demands import services as demand_services
    from demands.models import CatalogueItem

    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    lead = factories.manager(a)
    theirs = factories.retailer(b)
    theirs_specialist = factories.specialist(b)
    item = CatalogueItem.objects.filter(active=True, is_personalised=False).first()
    demand = demand_services.demand_order(retailer=theirs, item=item, actor=theirs.user,
                                          segment="basic")
    return SimpleNamespace(a=a, b=b, lead=lead, manager_b=factories.manager(b),
                           retailer_b=theirs, specialist_b=theirs_specialist,
                           demand_b=demand, item=item)


def _snapshot(city) -> dict:
    from django.apps import apps

    state = {}
    for label in sorted(RULES):
        model = apps.get_model(label)
        state[label] = sorted(map(repr, restrict(model, city.manager_b).values()))
    for label in CITY_WIDE_MODELS:
        state[label] = sorted(map(repr, apps.get_model(label).objects.values()))
    from dispatch.models import DispatchRun

    state["runs"] = DispatchRun.objects.count()
    return state


def _retailer_file(city) -> bytes:
    """A retailer file with a row that overwrites B's shop and one that creates a shop in B."""
    header = "许可证号,店铺名称,负责人,联系电话,纬度,经度,片区,档位,市场类型,业态\n"
    rows = (f"{city.retailer_b.licence_no},被改的店,坏人,13800000000,23.3,116.6,B1,5,城网,便利店\n"
            "440599999999,新开的店,坏人,13800000001,23.3,116.6,B1,5,城网,便利店\n")
    return (header + rows).encode("utf-8")


def _specialist_file(city) -> bytes:
    """A specialist file that rewrites B's specialist and creates one based in B."""
    s = city.specialist_b
    return ("工号,账号,姓名,联系电话,所属片区,服务片区,驻点纬度,驻点经度\n"
            f"{s.employee_no},{s.user.username},坏人,13800000002,B1,B1,23.3,116.6\n"
            "SP999999,sp999999,坏人,13800000003,B1,B1,23.3,116.6\n").encode()


def _orders_file(city) -> bytes:
    return ("许可证号,订购日期,卷烟订购金额,卷烟规格数,非烟订购金额,非烟SKU数\n"
            f"{city.retailer_b.licence_no},2026-06-01,99999,300,0,0\n").encode()


def _import(client: Client, kind: str, content: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post("/dashboard/profiles/import/", {
        "kind": kind, "file": SimpleUploadedFile("f.csv", content, "text/csv")})
    token = preview.context.get("token") if preview.context else None
    if token:
        client.post("/dashboard/profiles/import/", {"kind": kind, "token": token})


def _web_cases(city, client: Client):
    from profiling.models import Dimension, Indicator
    from strategy.models import GradeBandTemplate, StrategyRule

    dimension = Dimension.objects.get(code="trade_area")
    indicator = Indicator.objects.get(code="daily_opening_hours")
    template = GradeBandTemplate.objects.get(band="1-12")
    rule = StrategyRule.objects.get(code="weak-data")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return {
        "profiling:manager-import": lambda: [
            _import(client, "retailers", _retailer_file(city)),
            _import(client, "specialists", _specialist_file(city)),
            _import(client, "orders", _orders_file(city))],
        "profiling:manager-recompute": lambda: client.post("/dashboard/profiles/recompute/"),
        "profiling:manager-rule-update": lambda: client.post(
            f"/dashboard/profiles/rules/indicators/{indicator.pk}/", {
                "rule_kind": "bands", "max_points": 20,
                "rule_params": '{"thresholds": [8, 12], "points": [5, 10, 20]}'}),
        "profiling:manager-dimension-update": lambda: client.post(
            f"/dashboard/profiles/rules/dimensions/{dimension.pk}/", {
                "weight": 9, "strength_threshold": 80, "weakness_threshold": 40,
                "peer_margin": 5}),
        "demands:manager-catalogue-edit": lambda: client.post(
            f"/dashboard/catalogue/{city.item.pk}/", {
                "name_zh": "改名", "name_en": "renamed", "response_hours": 4,
                "resolution_hours": 30, "service_minutes": 50, "impact_scope": 5,
                "compliance_risk": 5, "capacity_pressure": 5, "active": "on",
                "checklist": "a\n"}),
        "dispatch:run-create": lambda: client.post("/dashboard/dispatch/runs/new/", {
            "date": tomorrow, "districts": [str(city.b.pk)], "mode": "command",
            "seconds": 1}),
        "strategy:template-edit": lambda: client.post(
            f"/dashboard/strategy/templates/{template.pk}/", {
                "visit_cycle_days": 3, "visit_minutes": 45, "visit_priority": 90,
                "talking_points_text": "x"}),
        "strategy:rule-new": lambda: client.post("/dashboard/strategy/rules/new/", {
            "code": "evil", "name": "x", "condition": "weak_dimension", "reason": "r",
            "priority": 99, "parameter": "data_operations", "active": "on"}),
        "strategy:rule-edit": lambda: client.post(f"/dashboard/strategy/rules/{rule.pk}/", {
            "code": rule.code, "name": "数据弱", "condition": "weak_dimension", "reason": "r",
            "priority": 99, "parameter": "data_operations", "active": "on"}),
        "strategy:generate": lambda: client.post("/dashboard/strategy/generate/"),
    }


def _api_cases(city, api):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return {
        "dispatch-api:run-list": lambda: api.post("/api/v1/dispatch/runs/", {
            "date": tomorrow, "districts": ["B1"], "seconds": 1}, format="json"),
        "evaluation-api:reviews": lambda: api.post("/api/v1/reviews/", {
            "demand": city.demand_b.pk, "audit_passed": False, "quality": 1},
            format="json"),
        "dispatch-api:urgent": lambda: api.post("/api/v1/dispatch/urgent/", {
            "retailer": city.retailer_b.pk, "title": "紧急", "service_minutes": 20},
            format="json"),
        "dispatch-api:absences": lambda: api.post("/api/v1/dispatch/absences/", {
            "specialist": city.specialist_b.pk, "reason": "病假"}, format="json"),
    }


def _write_routes():
    """Routes that accept a write (for the lead's role) with no object id in their path."""
    import re

    found = []
    for route, name, callback in _routes():
        if name in NOT_SCOPED or name in RETAILER_ONLY:
            continue
        roles = declared_roles(name, callback) or set()
        if "manager" not in roles:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        ids_in_path = [p for p in params if not any(
            (key == name or key == name.split(":")[0]) and p == param
            for key, param in SHARED)]
        if ids_in_path:
            continue  # another district's id in the path: the read matrix posts to it
        found.append((route, name, callback))
    return found


def _accepts_write(callback) -> bool:
    """A DRF view with a write method, or a page view whose code (decorators included)
    handles a POST."""
    import inspect

    cls = getattr(callback, "cls", None)
    if cls is not None:
        return any(hasattr(cls, method) for method in ("post", "put", "patch", "delete"))
    return "POST" in inspect.getsource(inspect.unwrap(callback))


def test_every_write_route_is_covered(city, api):
    web = Client()
    web.force_login(city.lead)
    login_api(api, city.lead)
    known = {**_web_cases(city, web), **_api_cases(city, api)}
    missing = []
    for _route, name, callback in _write_routes():
        if name not in known and _accepts_write(callback):
            missing.append(name)
    assert missing == [], ("add a write case aimed at another district or a city-wide "
                           f"setting for: {missing}")


def test_a_district_lead_changes_nothing_outside_its_districts(city, api, eager_celery):
    before = _snapshot(city)
    web = Client()
    web.force_login(city.lead)
    login_api(api, city.lead)
    for case in [*_web_cases(city, web).values(), *_api_cases(city, api).values()]:
        case()
    assert _snapshot(city) == before


def test_a_lead_is_told_no_with_a_403_on_the_settings_pages(city):
    web = Client()
    web.force_login(city.lead)
    for name in ("profiling:manager-rule-update", "profiling:manager-dimension-update",
                 "demands:manager-catalogue-edit", "profiling:manager-recompute",
                 "strategy:generate"):
        response = _web_cases(city, web)[name]()
        assert response.status_code == 403, (name, response.status_code)


def test_the_same_cases_do_change_things_for_the_city_department(city, api, eager_celery):
    """The cases are real writes: the city department's own requests change the settings
    (so the test above can fail when a check is missing)."""
    before = _snapshot(city)
    web = Client()
    web.force_login(factories.manager(city.a, city.b, level="city_department"))
    for case in _web_cases(city, web).values():
        case()
    after = _snapshot(city)
    changed = {label for label in before if before[label] != after[label]}
    assert {"profiling.Dimension", "profiling.Indicator", "demands.CatalogueItem",
            "strategy.GradeBandTemplate", "strategy.StrategyRule",
            "accounts.Retailer", "profiling.OrderRecord"} <= changed


def test_the_admin_site_is_for_platform_administrators_only(city):
    staff_manager = factories.manager(city.a)
    staff_manager.is_staff = True
    staff_manager.is_superuser = False
    staff_manager.save()
    client = Client()
    client.force_login(staff_manager)
    response = client.get("/admin/accounts/retailer/")
    assert response.status_code in (302, 403)
    assert city.retailer_b.licence_no not in response.content.decode()
    admin = Client()
    admin.force_login(factories.admin())
    assert admin.get("/admin/accounts/retailer/").status_code == 200


def test_exports_hold_only_the_leads_districts(city):
    """Every page export a lead can start lists only its own districts' rows."""
    import pandas as pd

    factories.retailer(city.a)
    client = Client()
    client.force_login(city.lead)
    for url in ("/dashboard/retailers/?export=xlsx", "/dashboard/retailers/?export=csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith("csv"):
            text = response.content.decode("utf-8-sig")
        else:
            text = pd.read_excel(io.BytesIO(response.content)).to_csv()
        assert city.retailer_b.licence_no not in text, url
