"""The authorisation matrix, generated from the URL configuration.

Every route (outside Django's admin) × every role: anonymous users are sent to log in
(pages) or get 401 (API); roles a view does not declare get 403; roles it declares get
a working page (never a 5xx), and with another district's object in the path they get
403 or 404, never the object. A view that declares nothing fails this test, and a
route parameter this test does not know how to fill fails it too: a new endpoint is
covered the day it is added.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny, IsAuthenticated

from tests import factories
from tests.conftest import login_api
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import IsManagerOrAdmin, IsSpecialist, IsStaffRole

ROLES = ["retailer", "specialist", "manager", "admin"]
# Open to everyone by design: logging in and out, language, health, the API docs.
PUBLIC = {"set_language", "healthz", "readyz", "favicon", "schema", "api-docs", "api-redoc",
          "accounts:login", "accounts:logout", "accounts:no-portal", "accounts-api:token",
          "accounts-api:token-refresh", "accounts-api:logout"}
# Views that send each role on its way: any logged-in user.
HUBS = {"accounts:home", "media"}
# Ending the session is tested on its own (tests/accounts): requesting it here would log
# the matrix's own user out halfway through.
SKIP = {"accounts:logout"}
PERMISSION_ROLES = {
    IsSpecialist: {"specialist"},
    IsManagerOrAdmin: {"manager", "admin"},
    IsStaffRole: {"specialist", "manager", "admin"},
    IsAuthenticated: set(ROLES),
}
# Parameters whose object is shared by the whole city (catalogue items, rules): only the
# role check applies to them.
SHARED = {
    ("demands", "item_id"), ("demands:manager-catalogue-edit", "pk"),
    ("strategy:template-edit", "pk"), ("strategy:rule-edit", "pk"),
    ("strategy:recommended-act", "code"), ("strategy:recommended-act", "action"),
    ("profiling:manager-rule-update", "pk"), ("profiling:manager-dimension-update", "pk"),
    ("demands:demand-act", "action"),
}


def _routes():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield prefix + str(p.pattern), name, p.callback

    return [r for r in walk(get_resolver().url_patterns) if not r[0].startswith("admin/")]


def declared_roles(name: str, callback) -> set[str] | None:
    """Who a view says may use it; None when it says nothing (a failure)."""
    if name in PUBLIC:
        return {"anonymous", *ROLES}
    if name in HUBS:
        return set(ROLES)
    cls = getattr(callback, "cls", None)
    if cls is not None:
        roles: set[str] | None = None
        for permission in getattr(cls, "permission_classes", []):
            if permission is AllowAny:
                return {"anonymous", *ROLES}
            allowed = PERMISSION_ROLES.get(permission)
            if allowed is None:
                return None
            roles = allowed if roles is None else roles & allowed
        return roles
    allowed = getattr(callback, "allowed_roles", None)
    return {str(r) for r in allowed} if allowed else None


@pytest.fixture
def world(db):
    """Our side (district A) and another district's objects (district B)."""
    from demands import services as demand_services
    from demands.models import CatalogueItem
    from dispatch.models import DispatchRun, ServiceTask
    from zhifu.notifications.services import notify

    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    ours = SimpleNamespace(retailer=factories.retailer(a), specialist=factories.specialist(a),
                           manager=factories.manager(a), admin=factories.admin())
    theirs_retailer = factories.retailer(b)
    theirs_specialist = factories.specialist(b)
    theirs_manager = factories.manager(b)
    item = CatalogueItem.objects.filter(active=True).first()
    demand = demand_services.demand_order(retailer=theirs_retailer, item=item,
                                          actor=theirs_retailer.user, segment="basic")
    task = ServiceTask.objects.create(
        source="visit", retailer=theirs_retailer, district=b, title="拜访",
        service_date=dt.date.today(), window_start=dt.time(9), window_end=dt.time(17),
        service_minutes=20, status="assigned", specialist=theirs_specialist)
    from django.core.files.base import ContentFile

    demand.photo.save("x.png", ContentFile(factories.image_bytes()))
    run = DispatchRun.objects.create(service_date=dt.date.today())
    run.districts.add(b)
    note = notify(recipients=[theirs_manager], kind="test", title="别人的消息")[0]
    foreign = {"retailer": theirs_retailer.pk, "specialist": theirs_specialist.pk,
               "demand": demand.pk, "task": task.pk, "run": run.pk,
               "notification": note.pk, "photo": demand.photo.name}
    return SimpleNamespace(ours=ours, foreign=foreign, item=item)


def foreign_value(name: str, param: str, world) -> str | None:
    """The id of another district's object for this route's parameter."""
    namespace = name.split(":")[0]
    if (namespace, param) in SHARED or (name, param) in SHARED:
        if name == "demands:demand-act" and param == "action":
            return "cancel"
        if param in ("code", "action"):
            return {"code": "shop_management", "action": "order"}[param]
        return str(world.item.pk)
    table = {
        ("accounts-api:retailer-detail", "pk"): "retailer",
        ("accounts-api:specialist-detail", "pk"): "specialist",
        ("profiling-api", "pk"): "retailer", ("profiling", "pk"): "retailer",
        ("strategy", "retailer_id"): "retailer",
        ("demands-api", "pk"): "demand", ("demands", "pk"): "demand",
        ("evaluation:retailer-page", "pk"): "retailer",
        ("evaluation:specialist-page", "pk"): "specialist",
        ("evaluation", "pk"): "demand",
        ("dispatch-api:run-detail", "pk"): "run",
        ("dispatch-api", "pk"): "task", ("dispatch", "pk"): "task",
        ("evaluation-api", "pk"): "task",
        ("notifications-api", "pk"): "notification", ("notifications", "pk"): "notification",
        ("media", "name"): "photo",
    }
    key = table.get((name, param)) or table.get((namespace, param))
    return str(world.foreign[key]) if key else None


MISSING_ID = "987654321"


def _path(route: str, name: str, world, missing: bool = False) -> tuple[str, bool]:
    """The route with its parameters filled in (another district's objects, or ids that
    exist nowhere); whether it names someone else's object."""
    import re

    foreign = False
    for converter, param in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        value = foreign_value(name, param, world)
        assert value is not None, f"{name}: add a foreign object for parameter {param!r}"
        shared = any((key == name or key == name.split(":")[0]) and p == param
                     for key, p in SHARED)
        foreign = foreign or not shared
        if missing and not shared:
            value = MISSING_ID
        pattern = f"<{converter}:{param}>" if converter else f"<{param}>"
        route = route.replace(pattern, value)
    return "/" + route, foreign


def _request(client, path: str):
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


def _client_for(role: str, world, api_client):
    if role == "anonymous":
        return Client(), Client()
    user = getattr(world.ours, role).user if role in ("retailer", "specialist") else getattr(
        world.ours, role)
    web = Client()
    web.force_login(user)
    if role == "retailer":
        return web, web  # retailers get no API tokens; their session is all they have
    login_api(api_client, user)
    return web, api_client


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_route_for_every_role(world, api, role):
    web, api_client = _client_for(role, world, api)
    problems = []
    for route, name, callback in _routes():
        if name in SKIP:
            continue
        roles = declared_roles(name, callback)
        if roles is None:
            problems.append(f"{name}: the view declares no roles")
            continue
        path, names_foreign = _path(route, name, world)
        is_api = path.startswith("/api/")
        response = _request(api_client if is_api else web, path)
        status = response.status_code
        if status >= 500:
            problems.append(f"{name} {path}: {status}")
        elif role == "anonymous" and "anonymous" not in roles:
            expected = (401,) if is_api else (302,)
            if status not in expected or (not is_api and "/login/" not in response["Location"]):
                problems.append(f"{name} {path}: anonymous got {status}")
        elif role != "anonymous" and role not in roles:
            if status not in (403, 404):
                problems.append(f"{name} {path}: {role} is not allowed but got {status}")
        elif names_foreign and role not in ("anonymous", "admin"):  # admins see the city
            # Someone else's object must look exactly like one that does not exist.
            missing_path, _ = _path(route, name, world, missing=True)
            baseline = _request(api_client if is_api else web, missing_path).status_code
            method = response.request["REQUEST_METHOD"]
            if status != baseline or (method == "GET" and status == 200):
                problems.append(f"{name} {path}: {role} got {method} {status} for another "
                                f"district's object but {baseline} for a missing one")
    assert problems == [], "\n".join(problems)


def test_a_view_without_declared_roles_is_caught():
    def naked(request):
        return None

    assert declared_roles("demo:naked", naked) is None
    assert declared_roles("accounts:login", naked) == {"anonymous", *ROLES}


def test_every_role_is_in_the_matrix():
    assert set(ROLES) == set(Role.values)
