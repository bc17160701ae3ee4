"""The demo city: deterministic for a seed, safe to run twice, realistic."""

import datetime as dt
import io

from django.core.management import call_command

from profiling.models import OrderRecord
from zhifu.accounts import citymap
from zhifu.accounts.demo import DISTRICTS
from zhifu.accounts.models import District, Retailer, Skill, Specialist, User


def _run(**opts) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, today=dt.date(2026, 11, 1), **opts)
    return out.getvalue()


def _fingerprint():
    return (
        list(Retailer.objects.order_by("licence_no").values_list(
            "licence_no", "grade", "latitude", "longitude", "market_type", "district__code")),
        list(OrderRecord.objects.order_by("retailer__licence_no", "ordered_on").values_list(
            "retailer__licence_no", "ordered_on", "cigarette_amount")),
        list(Specialist.objects.order_by("employee_no").values_list(
            "employee_no", "home_district__code", "base_lat")),
    )


def test_seed_is_deterministic_and_idempotent(db):
    out = _run(retailers=300, specialists=12, days=30, seed=7)
    first = _fingerprint()
    counts = (User.objects.count(), Retailer.objects.count(), OrderRecord.objects.count())
    _run(retailers=300, specialists=12, days=30, seed=7)
    assert _fingerprint() == first
    assert (User.objects.count(), Retailer.objects.count(), OrderRecord.objects.count()) == counts
    for username in ["admin", "manager", "lead_jp", "sp001", "440500000001"]:
        assert username in out
        assert User.objects.filter(username=username).exists()


def test_seed_is_realistic(db):
    _run(retailers=600, specialists=14, days=60, seed=3)
    assert District.objects.count() == 7
    grades = list(Retailer.objects.values_list("grade", flat=True))
    low = sum(1 for g in grades if g <= 12)
    top = sum(1 for g in grades if g >= 24)
    assert low > len(grades) / 2 > top
    markets = set(Retailer.objects.values_list("market_type", flat=True))
    assert markets == {"urban", "rural"}
    lat = [r.latitude for r in Retailer.objects.all()]
    assert 23.0 < min(lat) and max(lat) < 23.7  # around Shantou
    held = set(Skill.objects.filter(specialists__isnull=False).values_list("code", flat=True))
    assert held == set(Skill.objects.values_list("code", flat=True))
    assert all(r.user_id for r in Retailer.objects.all())
    assert OrderRecord.objects.count() > 600 * 6
    assert Specialist.objects.values("home_district").distinct().count() == 7
    # Every shop and every specialist's base lies inside its district's real boundary.
    for shop in Retailer.objects.select_related("district"):
        assert citymap.contains(shop.district.name, shop.latitude, shop.longitude), shop
    for person in Specialist.objects.select_related("home_district"):
        assert citymap.contains(person.home_district.name, person.base_lat, person.base_lng)


def test_if_empty_leaves_existing_data_alone(db):
    _run(retailers=50, specialists=7, days=7, seed=1)
    before = Retailer.objects.count()
    out = _run(retailers=500, specialists=7, days=7, seed=2, if_empty=True)
    assert "not loaded" in out and Retailer.objects.count() == before


def test_different_seeds_differ(db):
    _run(retailers=100, specialists=7, days=7, seed=1)
    first = list(Retailer.objects.order_by("licence_no").values_list("grade", flat=True))
    Retailer.objects.all().delete()
    _run(retailers=100, specialists=7, days=7, seed=2)
    assert list(Retailer.objects.order_by("licence_no").values_list("grade", flat=True)) != first


def test_the_demo_tells_the_truth_about_today(db, django_capture_on_commit_callbacks):
    """What the README promises after ``make run``: today's board planned, the README's
    retailer with a service waiting for its rating (and one rated), the managers' inbox
    holding the first SLA sweep's news."""
    from django.utils import timezone

    from demands.choices import DemandStatus
    from demands.models import Demand
    from dispatch.models import ServiceTask
    from evaluation.selectors import rating_state
    from zhifu.notifications.models import Notification

    # The seeder's runs are sent when its transaction commits; here, inside the test's.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO(), retailers=150, specialists=7,
                     days=20, seed=2)
    today = timezone.localdate()
    assert ServiceTask.objects.filter(service_date=today, specialist__isnull=False).exists()
    mine = Demand.objects.filter(retailer__licence_no="440500000001")
    ratable = [d for d in mine.filter(status=DemandStatus.COMPLETED) if rating_state(
        demand=d).open]
    assert ratable, list(mine.values_list("title", "status"))
    assert mine.filter(status=DemandStatus.RATED, rating__isnull=False).exists()
    assert Notification.objects.filter(recipient__username="manager").exists()


def test_the_map_files_districts_are_the_demos_seven_and_hold_their_centres():
    assert {name for _c, name, *_r in DISTRICTS} == set(citymap.district_polygons())
    for _code, name, (lat, lng), *_rest in DISTRICTS:
        assert citymap.contains(name, lat, lng)

def test_ray_casting_on_a_square_with_a_hole():
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
    hole = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)]
    assert citymap._in_ring(3.0, 3.0, square)
    assert not citymap._in_ring(5.0, 1.0, square)
    assert citymap._in_ring(1.5, 1.5, hole) and not citymap._in_ring(3.0, 3.0, hole)
