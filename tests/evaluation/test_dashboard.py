"""The manager's dashboard: right figures, own districts only, exports, constant queries."""

import io
import re

import pandas as pd
import pytest
from django.test import Client
from selenium.webdriver.common.by import By

from evaluation import services
from tests import factories
from tests.evaluation.conftest import finished_demand, local

STARS = {"attitude": 5, "professionalism": 4, "timeliness": 4, "result": 5}


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def history(team):
    for n, shop in enumerate(team.shops[:4]):
        demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 5 + n))
        services.rating_submit(user=shop.user, demand_id=demand.pk,
                               now=local(2026, 10, 6 + n), **STARS)
    services.review_submit(user=team.manager, demand_id=demand.pk, audit_passed=False,
                           quality=2)
    return team


def test_kpis_match_the_history(history):
    # The review was written today, so the range runs to this month.
    body = _client(history.manager).get("/dashboard/kpis/?from=2026-10")
    assert body.status_code == 200
    cards = {c["name"]: c["value"] for c in body.context["cards"]}
    assert cards["satisfaction"] == pytest.approx(4.5)
    assert cards["sla_compliance"] == 1.0
    assert cards["self_submitted_rate"] == 1.0
    assert cards["audit_pass_rate"] == 0.0
    assert cards["catalogue_awareness"] == pytest.approx(4 / 5)
    assert cards["first_time_resolution"] == 1.0
    assert cards["handling_hours"] == pytest.approx(3.0)


def test_another_managers_districts_stay_empty(history):
    outsider = factories.manager(factories.district("K1", "其他片区"))
    response = _client(outsider).get("/dashboard/kpis/?from=2026-10&to=2026-10")
    assert all(c["value"] in (None, 0) for c in response.context["cards"])
    assert response.context["comparison"] == []
    # Asking for a district that is not theirs shows nothing either.
    sneaky = _client(outsider).get("/dashboard/kpis/?district=E1&from=2026-10&to=2026-10")
    assert sneaky.context["comparison"] == []


@pytest.mark.parametrize("table", ["kpis", "flow", "districts", "specialists", "gaps"])
def test_every_table_exports_to_excel(history, table):
    response = _client(history.manager).get(f"/dashboard/kpis/?from=2026-10&to=2026-10"
                                            f"&export={table}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    frame = pd.read_excel(io.BytesIO(response.content))
    assert len(frame) >= 1
    # Headers people read: no code or snake_case left, no id column, numbers rounded.
    assert not [h for h in frame.columns if re.fullmatch(r"[a-z_0-9]+", str(h))], frame.columns
    numbers = frame.select_dtypes("float").to_numpy().ravel()
    assert all(round(v, 2) == v for v in numbers if v == v)


@pytest.mark.parametrize("query,status", [
    ("from=2026-13", 400), ("to=garbage", 400), ("district=%00", 400),
    ("from=2027-01&to=2026-01", 400), ("to=9999-12", 400), ("from=0000-01", 400),
    ("export=pdf", 200)])
def test_bad_filters_never_fail(history, query, status):
    """A bad month is a 400 that says what is wrong, never a 500 or a silent full range."""
    response = _client(history.manager).get(f"/dashboard/kpis/?{query}")
    assert response.status_code == status


def test_other_roles_are_refused(history):
    assert _client(history.ace.user).get("/dashboard/kpis/").status_code == 403
    assert _client(history.shops[0].user).get("/dashboard/kpis/").status_code == 403


def test_queries_do_not_grow_with_the_data(team, django_assert_max_num_queries):
    client = _client(team.manager)
    finished_demand(team.shops[0], team.ace, team.manager, when=local(2026, 10, 5))
    with django_assert_max_num_queries(30) as small:
        client.get("/dashboard/kpis/?from=2026-10&to=2026-10")
    for n, shop in enumerate(team.shops[1:]):
        demand = finished_demand(shop, team.rookie, team.manager, when=local(2026, 10, 7 + n))
        services.rating_submit(user=shop.user, demand_id=demand.pk,
                               now=local(2026, 10, 8 + n), **STARS)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/dashboard/kpis/?from=2026-10&to=2026-10")


@pytest.mark.browser
def test_dashboard_renders_its_charts(browser, history):
    services.month_close(period=local(2026, 10, 1).date())
    browser.login(history.manager)
    browser.get("/dashboard/kpis/?from=2026-06&to=2026-11")
    for chart in ("trends", "flow", "radar"):
        assert browser.driver.find_elements(By.CSS_SELECTOR, f"#{chart} canvas"), chart
    browser.screenshot("evaluation-dashboard")


def test_first_time_resolution_and_handling_time_with_a_reopened_demand(team):
    from demands import services as d

    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 5))
    d.demand_reopen(demand=demand, actor=shop.user, reason="没修好", now=local(2026, 10, 5, 12))
    d.demand_complete(demand=demand, actor=None, now=local(2026, 10, 5, 13))
    finished_demand(team.shops[1], team.ace, team.manager, when=local(2026, 10, 6))
    response = _client(team.manager).get("/dashboard/kpis/?from=2026-10&to=2026-10")
    cards = {c["name"]: c["value"] for c in response.context["cards"]}
    assert cards["first_time_resolution"] == 0.5
    # (6 h for the reopened one, 3 h for the other) / 2, each demand counted once.
    assert cards["handling_hours"] == pytest.approx(4.5)


def test_capability_gaps_follow_the_demand_mix(history):
    """Every demand here needs terminal maintenance, which nobody in the team has."""
    from demands.models import Demand

    assert Demand.objects.filter(item__skills__code="terminal_maintenance").exists()
    response = _client(history.manager).get("/dashboard/kpis/?from=2026-10")
    gaps = {(g["district"], g["skill"]): g for g in response.context["gaps"]}
    gap = next(g for (d, s), g in gaps.items() if d == history.district.name
               and g["supply_share"] == 0)
    assert gap["demand_share"] > 0 and gap["gap_points"] == gap["demand_share"]


def test_team_radar_averages_each_district(history):
    services.month_close(period=local(2026, 10, 1).date())
    from evaluation.selectors import team_radar

    rows = team_radar(user=history.manager, period=local(2026, 10, 1).date())
    assert len(rows) == 1 and rows[0]["specialists"] == 2
    # ace: 25 × 4; rookie: college 15 + under a year 5 + no certificate 5 + no title 5.
    assert rows[0]["basic"] == pytest.approx((100 + 30) / 2, abs=0.1)


def test_kpi_labels_follow_the_readers_language(history):
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(history.manager)
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(history.manager)
    assert "平均处理时长" in chinese.get("/dashboard/kpis/?from=2026-10").content.decode()
    assert "Average handling time" in english.get("/dashboard/kpis/?from=2026-10").content.decode()
