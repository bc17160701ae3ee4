"""The demo city: Shantou (汕头), its districts, grids, managers, specialists and retailers.

Deterministic for a seed and safe to run twice: every row is keyed by a natural
key derived from the seed and its index, and existing rows are left alone.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import citymap
from .choices import (
    BusinessFormat,
    Education,
    FranchiseType,
    ManagerLevel,
    MarketType,
    RetailerStatus,
    Role,
    Title,
)
from .models import City, District, Grid, Retailer, Skill, Specialist, SpecialistSkill, User

DEMO_PASSWORD = "zhifu2026"  # noqa: S105 - printed for the demo logins on purpose

# code, name, centre (lat, lng), share of retailers, share urban, spread in degrees
DISTRICTS = [
    ("JP", "金平区", (23.3670, 116.7030), 0.20, 0.95, 0.018),
    ("LH", "龙湖区", (23.3720, 116.7270), 0.20, 0.90, 0.020),
    ("HJ", "濠江区", (23.2860, 116.7260), 0.07, 0.60, 0.025),
    ("CH", "澄海区", (23.4660, 116.7560), 0.16, 0.50, 0.035),
    ("CY", "潮阳区", (23.2650, 116.6010), 0.18, 0.40, 0.040),
    ("CN", "潮南区", (23.2500, 116.4330), 0.16, 0.30, 0.045),
    ("NA", "南澳县", (23.4210, 117.0230), 0.03, 0.20, 0.030),
]
GRID_NAMES = ["一网格", "二网格", "三网格", "四网格", "五网格"]
SURNAMES = "陈林黄李郑吴蔡许张王杨刘谢洪马佘翁姚庄卢".replace("", " ").split()
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文辉锋".replace("", " ").split()
SHOP_WORDS = {
    BusinessFormat.TOBACCO_LIQUOR: "烟酒商行",
    BusinessFormat.CONVENIENCE: "便利店",
    BusinessFormat.SUPERMARKET: "超市",
    BusinessFormat.GROCERY: "食杂店",
    BusinessFormat.ENTERTAINMENT: "娱乐会所",
    BusinessFormat.OTHER: "商店",
}
FORMAT_WEIGHTS = [
    (BusinessFormat.GROCERY, 0.35), (BusinessFormat.CONVENIENCE, 0.25),
    (BusinessFormat.TOBACCO_LIQUOR, 0.20), (BusinessFormat.SUPERMARKET, 0.10),
    (BusinessFormat.ENTERTAINMENT, 0.05), (BusinessFormat.OTHER, 0.05),
]
ROADS = ["中山路", "长平路", "金砂路", "汕樟路", "泰山路", "黄河路", "衡山路", "华山路", "大学路",
         "海滨路", "龙眼路", "新兴路", "东厦路", "嵩山路"]


@dataclass
class DemoContext:
    """What one seeder hands the next (ids, counts), and what the command prints."""

    seed: int
    retailers: int
    specialists: int
    days: int
    today: dt.date
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, pairs):
    roll, acc = rng.random(), 0.0
    for value, weight in pairs:
        acc += weight
        if roll <= acc:
            return value
    return pairs[-1][0]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def grade_for(rng: random.Random) -> int:
    """Skewed to the low bands, as real grade distributions are."""
    return 1 + min(29, int(29 * rng.betavariate(1.5, 3.4) + 0.5))


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed)
    with transaction.atomic():
        city, _ = City.objects.get_or_create(code="ST", defaults={"name": "汕头市"})
        districts = {}
        for code, name, (lat, lng), *_rest in DISTRICTS:
            districts[code], _ = District.objects.get_or_create(
                code=code, defaults={"city": city, "name": name, "center_lat": lat,
                                     "center_lng": lng})
            for i, grid_name in enumerate(GRID_NAMES, start=1):
                Grid.objects.get_or_create(code=f"{code}-{i}",
                                           defaults={"district": districts[code],
                                                     "name": grid_name})
        password = make_password(DEMO_PASSWORD)
        _seed_staff(ctx, rng, districts, password)
        _seed_specialists(ctx, rng, districts, password)
        _seed_retailers(ctx, rng, districts, password)


def _user(username: str, *, role: str, password: str, name: str = "", phone: str = "",
          **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "password": password, "first_name": name, "phone": phone,
                  **extra},
    )
    return user


def _seed_staff(ctx, rng, districts, password) -> None:
    _user("admin", role=Role.ADMIN, password=password, name="系统管理员",
                  is_staff=True, is_superuser=True)
    ctx.logins.append(("admin", "admin", DEMO_PASSWORD))
    city = _user("manager", role=Role.MANAGER, password=password, name="市局营销部",
                 phone=_phone(rng), manager_level=ManagerLevel.CITY_DEPARTMENT)
    city.managed_districts.add(*districts.values())
    ctx.logins.append(("manager", "manager", DEMO_PASSWORD))
    leader = _user("leader", role=Role.MANAGER, password=password, name="公司领导",
                   phone=_phone(rng), manager_level=ManagerLevel.LEADERSHIP)
    leader.managed_districts.add(*districts.values())
    for code, district in districts.items():
        lead = _user(f"lead_{code.lower()}", role=Role.MANAGER, password=password,
                     name=f"{district.name}片区主管", phone=_phone(rng),
                     manager_level=ManagerLevel.DISTRICT_LEAD)
        lead.managed_districts.add(district)
    ctx.logins.append(("manager (district lead)", "lead_jp", DEMO_PASSWORD))


def _seed_specialists(ctx, rng, districts, password) -> None:
    skills = list(Skill.objects.order_by("code"))
    shares = [(code, share) for code, _n, _c, share, *_r in DISTRICTS]
    spec_by_code = {code: (lat, lng, urban, spread) for code, _n, (lat, lng), _s, urban, spread
                    in DISTRICTS}
    for index in range(ctx.specialists):
        # Every district gets at least one specialist, the rest follow retailer shares.
        code = DISTRICTS[index][0] if index < len(DISTRICTS) else _weighted(rng, shares)
        lat, lng, urban, spread = spec_by_code[code]
        employee_no = f"SP{index + 1:03d}"
        username = f"sp{index + 1:03d}"
        user = _user(username, role=Role.SPECIALIST, password=password, name=_person(rng),
                     phone=_phone(rng))
        own = rng.sample(skills, rng.randint(3, 6))
        # Round-robin guarantees every skill is held by someone.
        own.append(skills[index % len(skills)])
        jitter = (rng.gauss(0, spread / 2), rng.gauss(0, spread / 2))
        base_lat, base_lng = citymap.place(
            districts[code].name, (round(lat + jitter[0], 6), round(lng + jitter[1], 6)),
            random.Random(f"{ctx.seed}:base:{index}"), spread / 2)
        specialist, created = Specialist.objects.get_or_create(
            employee_no=employee_no,
            defaults={
                "user": user, "home_district": districts[code],
                "base_lat": base_lat, "base_lng": base_lng,
                "service_radius_km": 8.0 if urban > 0.7 else 20.0,
                "shift_start": dt.time(8, 30), "shift_end": dt.time(17, 30),
                "education": _weighted(rng, [(Education.SECONDARY, .1), (Education.COLLEGE, .4),
                                             (Education.BACHELOR, .45), (Education.MASTER, .05)]),
                "years_in_post": rng.randint(0, 20),
                "certificates": rng.sample(["营销师三级", "营销师二级", "数据分析师", "培训师"],
                                           rng.randint(0, 2)),
                "title": _weighted(rng, [(Title.NONE, .3), (Title.JUNIOR, .35),
                                         (Title.INTERMEDIATE, .3), (Title.SENIOR, .05)]),
            },
        )
        levels = {skill.id: rng.randint(1, 5) for skill in own}
        if created:
            specialist.districts.add(districts[code])
            SpecialistSkill.objects.bulk_create(
                [SpecialistSkill(specialist=specialist, skill_id=sid, level=lv)
                 for sid, lv in levels.items()])
    ctx.counts["specialists"] = Specialist.objects.count()
    ctx.logins.append(("specialist", "sp001", DEMO_PASSWORD))


def _seed_retailers(ctx, rng, districts, password) -> None:
    grids = {}
    for grid in Grid.objects.all():
        grids.setdefault(grid.district_id, []).append(grid)
    shares = [(code, share) for code, _n, _c, share, *_r in DISTRICTS]
    info = {code: (lat, lng, urban, spread) for code, _n, (lat, lng), _s, urban, spread
            in DISTRICTS}
    rows = []
    for index in range(ctx.retailers):
        code = _weighted(rng, shares)
        lat, lng, urban, spread = info[code]
        district = districts[code]
        market = MarketType.URBAN if rng.random() < urban else MarketType.RURAL
        # Rural shops sit further from the district centre.
        reach = spread * (1.6 if market == MarketType.RURAL else 1.0)
        angle, radius = rng.uniform(0, 2 * math.pi), abs(rng.gauss(0, reach))
        # Inside the district's real boundary (the board's map); a redraw uses its own
        # random stream so the rest of the city stays as the seed made it.
        latitude, longitude = citymap.place(
            district.name, (round(lat + radius * math.sin(angle), 6),
                            round(lng + radius * math.cos(angle), 6)),
            random.Random(f"{ctx.seed}:shop:{index}"), reach)
        fmt = _weighted(rng, FORMAT_WEIGHTS)
        owner = _person(rng)
        opened = ctx.today - dt.timedelta(days=rng.randint(200, 9000))
        rows.append(Retailer(
            licence_no=f"4405{index + 1:08d}",
            shop_name=f"{owner[0]}记{SHOP_WORDS[fmt]}",
            owner_name=owner,
            phone=_phone(rng),
            address=f"{district.name}{rng.choice(ROADS)}{rng.randint(1, 400)}号",
            latitude=latitude,
            longitude=longitude,
            district=district,
            grid=rng.choice(grids[district.id]),
            grade=grade_for(rng),
            market_type=market,
            business_format=fmt,
            franchise_type=_weighted(rng, [(FranchiseType.INDEPENDENT, .8),
                                           (FranchiseType.CHAIN, .12),
                                           (FranchiseType.PARTNER, .08)]),
            opened_on=opened,
            status=RetailerStatus.ACTIVE if rng.random() > 0.01 else RetailerStatus.SUSPENDED,
        ))
    Retailer.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # A login for each retailer whose shop has none yet (username = licence number).
    without_login = list(Retailer.objects.filter(user__isnull=True,
                                                 licence_no__in=[r.licence_no for r in rows]))
    existing_users = set(User.objects.filter(
        username__in=[r.licence_no for r in without_login]).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=r.licence_no, role=Role.RETAILER, password=password,
              first_name=r.owner_name) for r in without_login
         if r.licence_no not in existing_users],
        batch_size=2000,
    )
    users = User.objects.in_bulk([r.licence_no for r in without_login], field_name="username")
    for retailer in without_login:
        retailer.user = users[retailer.licence_no]
    Retailer.objects.bulk_update(without_login, ["user"], batch_size=2000)
    ctx.counts["retailers"] = Retailer.objects.count()
    if rows:
        ctx.logins.append(("retailer", rows[0].licence_no, DEMO_PASSWORD))
