"""A specialist never learns who gave which rating: try every way in."""

import json
from unittest import mock

from django.test import Client

from evaluation import services
from tests.conftest import login_api
from tests.evaluation.conftest import finished_demand, local

STARS = {"attitude": 5, "professionalism": 4, "timeliness": 3, "result": 5}
NOW = local(2026, 11, 20)


def _rate(team, shops, month=10, stars=STARS):
    for n, shop in enumerate(shops):
        demand = finished_demand(shop, team.ace, team.manager, when=local(2026, month, 3 + n))
        services.rating_submit(user=shop.user, demand_id=demand.pk, comment=f"秘密评价{n}",
                               now=local(2026, month, 4 + n, 15, 17), **stars)


def _everything_a_specialist_can_read(team, api) -> str:
    """Every GET endpoint under /api/v1/ with no path parameter, plus the evaluation ones
    for both months, as this specialist."""
    login_api(api, team.ace.user)
    bodies = []
    urls = ["/api/v1/me/", "/api/v1/specialist/day/", "/api/v1/specialist/pool/",
            "/api/v1/notifications/"]
    for period in ("2026-10", "2026-11"):
        urls += [f"/api/v1/specialist/scores/?period={period}",
                 f"/api/v1/specialist/points/?period={period}",
                 f"/api/v1/specialist/rank/?period={period}"]
    for url in urls:
        response = api.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_no_endpoint_names_a_rater_or_a_rating(team, api):
    _rate(team, team.shops[:4])
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        seen = _everything_a_specialist_can_read(team, api)
    for shop in team.shops:
        assert shop.licence_no not in seen and shop.shop_name not in seen
    assert "秘密评价" not in seen  # no comment text
    assert "15:17" not in seen  # no rating time
    for field in ('"overall"', '"attitude"', '"comment"', '"retailer_id"'):
        assert field not in seen


def test_aggregates_only_for_a_closed_month_with_enough_ratings(team, api):
    _rate(team, team.shops[:2])  # October: 2 ratings, below the minimum of 3
    _rate(team, team.shops[2:5], month=11)  # November: 3 ratings, but the month is open
    login_api(api, team.ace.user)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        october = api.get("/api/v1/specialist/scores/?period=2026-10").json()
        november = api.get("/api/v1/specialist/scores/?period=2026-11").json()
        points = api.get("/api/v1/specialist/points/?period=2026-10").json()
    assert october["ratings"] == {"shown": False, "why": "too_few_ratings", "minimum": 3}
    assert november["ratings"] == {"shown": False, "why": "month_open"}
    assert points["rating_points_shown"] is False
    assert all(line["kind"] != "rating" for line in points["lines"])
    # Once November closes, its three ratings appear as one aggregate and one line.
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 12, 2)):
        closed = api.get("/api/v1/specialist/scores/?period=2026-11").json()
        lines = api.get("/api/v1/specialist/points/?period=2026-11").json()["lines"]
    assert closed["ratings"]["shown"] is True and closed["ratings"]["count"] == 3
    rating_lines = [line for line in lines if line["kind"] == "rating"]
    assert len(rating_lines) == 1 and rating_lines[0]["date"] is None


def test_rank_and_totals_hide_rating_points_under_the_threshold(team, api):
    _rate(team, team.shops[:2])  # 2 ratings: their points must not show anywhere
    login_api(api, team.ace.user)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        rank = api.get("/api/v1/specialist/rank/?period=2026-10").json()
        points = api.get("/api/v1/specialist/points/?period=2026-10").json()
    assert rank["mine"]["points"] == points["total"]
    from evaluation.models import PointsEntry

    without = sum(e.points for e in PointsEntry.objects.filter(specialist=team.ace)
                  .exclude(kind="rating"))
    assert points["total"] == without
    assert set(rank["top"][0]) == {"rank", "name", "points"}


def test_specialists_cannot_reach_rating_rows_elsewhere(team):
    _rate(team, team.shops[:3])
    client = Client()
    client.force_login(team.ace.user)
    for url in ("/admin/evaluation/servicerating/", "/dashboard/", "/dashboard/demands/",
                "/api/v1/retailers/"):
        response = client.get(url)
        body = response.content.decode() if response.status_code == 200 else ""
        assert "秘密评价" not in body
        assert response.status_code in (302, 403) or url == "/api/v1/retailers/"



def test_the_demand_api_shows_no_trace_of_ratings_to_the_specialist(team, api):
    _rate(team, team.shops[:3])
    login_api(api, team.ace.user)
    listing = api.get("/api/v1/demands/?page_size=50").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert len(rows) == 3
    for row in rows:
        assert row["status"] == "completed"
        detail = api.get(f"/api/v1/demands/{row['id']}/").json()
        text = json.dumps(detail, ensure_ascii=False)
        assert detail["status"] == "completed"
        assert '"rate"' not in text and "rated" not in text and "秘密评价" not in text
    # The manager still sees the real state.
    api.credentials()
    login_api(api, team.manager)
    statuses = {r["status"] for r in api.get("/api/v1/demands/?page_size=50").json()["results"]}
    assert statuses == {"rated"}


def test_period_parameter_is_validated(team, api):
    login_api(api, team.ace.user)
    for bad in ("2026-13", "oct", "2026/10", "9999-99"):
        response = api.get(f"/api/v1/specialist/scores/?period={bad}")
        assert response.status_code == 400 and response.json()["error"]["code"] == "bad_period"
    retailer = team.shops[0]
    assert Client().get("/api/v1/specialist/scores/").status_code == 401
    client = Client()
    client.force_login(retailer.user)
    assert client.get("/api/v1/specialist/points/").status_code == 403
