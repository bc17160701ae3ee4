"""Small builders for test data: explicit, no magic."""

from __future__ import annotations

import datetime as dt
import itertools

from zhifu.accounts.choices import BusinessFormat, ManagerLevel, MarketType, Role
from zhifu.accounts.models import (
    City,
    District,
    Grid,
    Retailer,
    Skill,
    Specialist,
    SpecialistSkill,
    User,
)

PASSWORD = "correct-horse-battery"  # noqa: S105
_seq = itertools.count(1)


def city() -> City:
    return City.objects.get_or_create(code="ST", defaults={"name": "汕头市"})[0]


def district(code: str, name: str | None = None, lat: float = 23.37,
             lng: float = 116.70) -> District:
    d, _ = District.objects.get_or_create(
        code=code, defaults={"city": city(), "name": name or code, "center_lat": lat,
                             "center_lng": lng})
    Grid.objects.get_or_create(code=f"{code}-1", defaults={"district": d, "name": "一网格"})
    return d


def user(role: str, username: str | None = None, **extra) -> User:
    u = User(username=username or f"{role}{next(_seq)}", role=role, **extra)
    u.set_password(PASSWORD)
    u.save()
    return u


def manager(*districts: District, level: str = ManagerLevel.DISTRICT_LEAD, **extra) -> User:
    u = user(Role.MANAGER, manager_level=level, **extra)
    u.managed_districts.add(*districts)
    return u


def admin() -> User:
    return user(Role.ADMIN, is_staff=True, is_superuser=True)


def retailer(district: District, *, with_login: bool = True, **fields) -> Retailer:
    n = next(_seq)
    values = {
        "licence_no": f"4405{n:08d}", "shop_name": f"测试店{n}", "owner_name": f"店主{n}",
        "phone": f"138{n:08d}"[:11], "latitude": district.center_lat,
        "longitude": district.center_lng, "district": district,
        "grid": district.grids.first(), "grade": 10, "market_type": MarketType.URBAN,
        "business_format": BusinessFormat.CONVENIENCE, "opened_on": dt.date(2015, 1, 1),
    }
    values.update(fields)
    r = Retailer(**values)
    if with_login:
        r.user = user(Role.RETAILER, username=r.licence_no)
    r.save()
    return r


def specialist(district: District, *, skills: dict[str, int] | None = None, **fields) -> Specialist:
    n = next(_seq)
    u = user(Role.SPECIALIST, first_name=f"专员{n}", phone=f"139{n:08d}"[:11])
    s = Specialist.objects.create(
        user=u, employee_no=f"T{n:04d}", home_district=district,
        base_lat=district.center_lat, base_lng=district.center_lng, **fields)
    s.districts.add(district)
    for code, level in (skills or {"consultation": 3}).items():
        # get_or_create: transactional tests flush the rows the data migration loaded.
        skill = Skill.objects.get_or_create(code=code, defaults={"name": code})[0]
        SpecialistSkill.objects.create(specialist=s, skill=skill, level=level)
    return s


def city_level(manager: User) -> User:
    """Make a manager one of the city department (who edits city-wide settings)."""
    manager.manager_level = ManagerLevel.CITY_DEPARTMENT
    manager.save(update_fields=["manager_level"])
    from zhifu.access.scope import forget_scope

    forget_scope(manager)  # the door caches a user's scope on the object
    return manager


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real, tiny picture (uploads are decoded in full, so a header alone is refused)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()
