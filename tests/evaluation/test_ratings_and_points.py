"""Ratings, the ledger's idempotency, period boundaries, capability and awards."""

import datetime as dt
from unittest import mock

import pytest

from evaluation import services
from evaluation.choices import PointsKind
from evaluation.models import CapabilitySnapshot, MonthlyAward, PointsEntry, ServiceRating
from tests import factories
from tests.evaluation.conftest import finished_demand, local
from zhifu.core.errors import Conflict, DomainError, NotFound, PermissionDenied

STARS = {"attitude": 5, "professionalism": 5, "timeliness": 4, "result": 5}


def test_rating_a_finished_service_marks_the_demand_rated(team):
    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 12))
    rating = services.rating_submit(user=shop.user, demand_id=demand.pk, comment="很好",
                                    now=local(2026, 10, 13), **STARS)
    demand.refresh_from_db()
    assert demand.status == "rated" and rating.overall == 4.75
    assert rating.specialist_id == team.ace.pk and rating.period == dt.date(2026, 10, 1)
    entry = PointsEntry.objects.get(kind=PointsKind.RATING)
    assert entry.points == 10 and entry.specialist_id == team.ace.pk


@pytest.mark.parametrize("bad", [{"attitude": 0}, {"attitude": 6}, {"attitude": "x"},
                                 {"attitude": None}])
def test_bad_stars_are_refused_and_nothing_changes(team, bad):
    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 12))
    with pytest.raises(DomainError) as refused:
        services.rating_submit(user=shop.user, demand_id=demand.pk, **{**STARS, **bad})
    assert refused.value.code == "bad_stars" and "attitude" in refused.value.fields
    demand.refresh_from_db()
    assert demand.status == "completed" and not ServiceRating.objects.exists()


def test_only_the_own_completed_demand_can_be_rated(team):
    shop, other = team.shops[0], team.shops[1]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 12))
    with pytest.raises(NotFound):
        services.rating_submit(user=other.user, demand_id=demand.pk, **STARS)
    with pytest.raises(PermissionDenied):
        services.rating_submit(user=team.ace.user, demand_id=demand.pk, **STARS)
    from demands import services as d
    from demands.models import CatalogueItem

    open_demand = d.demand_order(retailer=other, item=CatalogueItem.objects.get(
        code="order_tracking"), actor=other.user, segment="basic")
    with pytest.raises(Conflict):
        services.rating_submit(user=other.user, demand_id=open_demand.pk, **STARS)


def test_rerating_changes_the_entry_never_adds_one(team):
    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 12))
    services.rating_submit(user=shop.user, demand_id=demand.pk, now=local(2026, 10, 13), **STARS)
    services.rating_submit(user=shop.user, demand_id=demand.pk, now=local(2026, 10, 14),
                           **{"attitude": 2, "professionalism": 2, "timeliness": 2,
                              "result": 2})
    assert ServiceRating.objects.count() == 1
    entries = PointsEntry.objects.filter(kind=PointsKind.RATING)
    assert [e.points for e in entries] == [-5]
    with pytest.raises(Conflict) as late:
        services.rating_submit(user=shop.user, demand_id=demand.pk,
                               now=local(2026, 10, 25), **STARS)
    assert late.value.code == "rating_closed"


def test_ledger_sync_is_idempotent_and_follows_reopening(team):
    from demands import services as d

    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 12))
    first = services.points_sync(period=dt.date(2026, 10, 1))
    kinds = set(PointsEntry.objects.values_list("kind", flat=True))
    assert kinds == {PointsKind.SLA_MET, PointsKind.FIRST_TIME}
    assert first["created"] == 2
    assert services.points_sync(period=dt.date(2026, 10, 1)) == {"created": 0, "updated": 0,
                                                                "deleted": 0}
    d.demand_reopen(demand=demand, actor=shop.user, reason="没修好", now=local(2026, 10, 13))
    d.demand_complete(demand=demand, actor=None, now=local(2026, 10, 14))
    services.points_sync(period=dt.date(2026, 10, 1))
    assert set(PointsEntry.objects.values_list("kind", flat=True)) == {PointsKind.SLA_MET}
    assert PointsEntry.objects.count() == 1


def test_month_boundaries_are_local(team):
    shop = team.shops[0]
    last_second = local(2026, 10, 31, 23, 59, 59)
    demand = finished_demand(shop, team.ace, team.manager, when=last_second)
    services.rating_submit(user=shop.user, demand_id=demand.pk, now=last_second, **STARS)
    assert ServiceRating.objects.get().period == dt.date(2026, 10, 1)
    assert set(PointsEntry.objects.values_list("period", flat=True)) == {dt.date(2026, 10, 1)}
    second = finished_demand(team.shops[1], team.ace, team.manager, when=local(2026, 11, 1, 0))
    services.rating_submit(user=team.shops[1].user, demand_id=second.pk,
                           now=local(2026, 11, 1, 0, 0, 0), **STARS)
    assert ServiceRating.objects.get(demand=second).period == dt.date(2026, 11, 1)


def test_capability_snapshot_and_awards(team):
    for n, shop in enumerate(team.shops[:3]):
        demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 10, 5 + n))
        services.rating_submit(user=shop.user, demand_id=demand.pk,
                               now=local(2026, 10, 6 + n), **STARS)
    demand = finished_demand(team.shops[3], team.rookie, team.manager, when=local(2026, 10, 9))
    services.month_close(period=dt.date(2026, 10, 1))
    ace = CapabilitySnapshot.objects.get(specialist=team.ace, period=dt.date(2026, 10, 1))
    assert ace.basic_information == 100
    assert ace.details["ratings"] == {"count": 3, "mean": 4.75}
    # 3 ratings: the blend of stars (4.75 × 20) and the catalogue score (all on time: 100).
    assert ace.service_evaluation == pytest.approx(0.5 * 95 + 0.5 * 100)
    rookie = CapabilitySnapshot.objects.get(specialist=team.rookie)
    assert rookie.details["ratings"]["mean"] is None  # too few ratings to count
    awards = list(MonthlyAward.objects.order_by("rank"))
    assert [a.specialist_id for a in awards] == [team.ace.pk, team.rookie.pk]
    assert awards[0].points > awards[1].points
    # Closing the month again gives the same result.
    services.month_close(period=dt.date(2026, 10, 1))
    assert MonthlyAward.objects.count() == 2 and CapabilitySnapshot.objects.count() == 2


def test_reviews_and_co_creation_validate_their_input(team):
    from dispatch.models import ServiceTask

    demand = finished_demand(team.shops[0], team.ace, team.manager, when=local(2026, 10, 12))
    with pytest.raises(DomainError):
        services.review_submit(user=team.manager, demand_id=demand.pk, audit_passed=True,
                               quality=9)
    with pytest.raises(DomainError) as not_complaint:
        services.review_submit(user=team.manager, demand_id=demand.pk, audit_passed=False,
                               quality=2, complaint_upheld=True)
    assert not_complaint.value.code == "not_a_complaint"
    outsider = factories.manager(factories.district("E9", "九片区"))
    with pytest.raises(NotFound):
        services.review_submit(user=outsider, demand_id=demand.pk, audit_passed=True,
                               quality=4)
    review = services.review_submit(user=team.manager, demand_id=demand.pk,
                                    audit_passed=True, quality=4)
    assert review.audit_passed
    task = ServiceTask.objects.create(
        source="visit", retailer=team.shops[0], district=team.district, title="拜访",
        service_date=dt.date(2026, 10, 12), window_start=dt.time(9), window_end=dt.time(17),
        service_minutes=20, status="done", specialist=team.ace)
    with pytest.raises(DomainError):
        services.co_creation_submit(user=team.ace.user, task_id=task.pk, cooperation=0,
                                    data_provided=3)
    with pytest.raises(NotFound):
        services.co_creation_submit(user=team.rookie.user, task_id=task.pk, cooperation=4,
                                    data_provided=3)
    rating = services.co_creation_submit(user=team.ace.user, task_id=task.pk, cooperation=4,
                                         data_provided=3, note="配合")
    assert rating.retailer_id == team.shops[0].pk


def test_visit_completion_counts_in_work_quality(team):
    from dispatch.models import ServiceTask

    for n, status in enumerate(["done", "done", "done", "assigned", "cancelled"]):
        ServiceTask.objects.create(
            source="visit", retailer=team.shops[n], district=team.district, title="拜访",
            service_date=dt.date(2026, 10, 10 + n), window_start=dt.time(9),
            window_end=dt.time(17), service_minutes=20, status=status, specialist=team.ace,
            completed_at=local(2026, 10, 10 + n) if status == "done" else None)
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 11, 1)):
        services.capability_compute(period=dt.date(2026, 10, 1))
    parts = CapabilitySnapshot.objects.get(specialist=team.ace).details["work_quality"]
    assert parts["visit_completion"] == pytest.approx(20 * 3 / 4)


def test_a_retailer_rates_and_changes_the_rating_through_the_form(team):
    """The phone's rating form, posted to its real URL (it was once shadowed by another
    app's pattern and answered 404)."""
    from django.test import Client

    from evaluation.models import ServiceRating
    from tests.evaluation.conftest import finished_demand, local

    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 11, 2))
    client = Client()
    client.force_login(shop.user)
    page = client.get(f"/m/demands/{demand.pk}/")
    assert page.status_code == 200 and f"/m/demands/{demand.pk}/rate/" in page.content.decode()
    stars = {"attitude": "5", "professionalism": "4", "timeliness": "4", "result": "5"}
    done = client.post(f"/m/demands/{demand.pk}/rate/", {**stars, "comment": "很好"})
    assert done.status_code == 302 and done["Location"] == f"/m/demands/{demand.pk}/#rating"
    rating = ServiceRating.objects.get(demand=demand)
    assert rating.overall == 4.5 and rating.comment == "很好"
    changed = client.post(f"/m/demands/{demand.pk}/rate/", {**stars, "result": "3"})
    assert changed.status_code == 302
    assert ServiceRating.objects.get(demand=demand).overall == 4.0


def test_the_page_offers_the_form_only_while_the_rule_allows_it(team):
    """The page asks the same rule as the service: once the change window has passed it
    shows the rating given and no form, and a post is refused in words."""
    from django.test import Client

    shop = team.shops[0]
    demand = finished_demand(shop, team.ace, team.manager, when=local(2026, 11, 2))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(shop.user)
    stars = {"attitude": "5", "professionalism": "4", "timeliness": "4", "result": "5"}
    assert client.post(f"/m/demands/{demand.pk}/rate/", stars).status_code == 302
    page = client.get(f"/m/demands/{demand.pk}/").content.decode()
    assert "修改评价" in page and "前可以修改" in page
    ServiceRating.objects.filter(demand=demand).update(
        created_at=local(2026, 11, 2) - dt.timedelta(days=30))
    page = client.get(f"/m/demands/{demand.pk}/").content.decode()
    assert f"/m/demands/{demand.pk}/rate/" not in page
    assert "该评价已不能修改" in page and "您的评价" in page
    late = client.post(f"/m/demands/{demand.pk}/rate/", {**stars, "result": "1"}, follow=True)
    assert ServiceRating.objects.get(demand=demand).result == 5
    assert late.status_code in (200, 409)
