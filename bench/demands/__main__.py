"""Benchmark of the retailer's catalogue and demand pages at city scale, on PostgreSQL.

    DATABASE_URL=postgres://root@127.0.0.1:5432/zhifu_bench_demands \\
        .venv/bin/python -m bench.demands --retailers 30000 --demands 1000000 --seconds 20

Loads (once; reruns reuse the data) N retailers with logins and M past demands, each with
its events, through PostgreSQL COPY, then requests each page for a fixed time with
Django's test client in this one process (no network, one worker), cycling through a
sample of retailers, and prints requests per second, p50/p95/p99 latency and the number
of queries per page. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG keeps every query in memory


def _setup():
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: "
                 "set DATABASE_URL=postgres://…/zhifu_bench_demands")
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples of already formatted text, None for NULL) into a table."""
    from django.db import connection

    buffer, count = io.StringIO(), 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            count += 1
            if count % 100_000 == 0:
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _load_people(n_retailers: int, rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from zhifu.accounts.models import City, District, Grid, Retailer, Specialist, User

    have = Retailer.objects.filter(licence_no__startswith="4406").count()
    if have >= n_retailers:
        print(f"retailers: {have} already loaded")
        return
    city, _ = City.objects.get_or_create(code="BENCH", defaults={"name": "基准市"})
    districts = []
    for i in range(20):
        district, _ = District.objects.get_or_create(
            code=f"B{i:02d}", defaults={"city": city, "name": f"基准{i}区",
                                        "center_lat": 23.3 + i / 100, "center_lng": 116.7})
        Grid.objects.get_or_create(code=f"B{i:02d}-1", defaults={"district": district,
                                                                "name": "一网格"})
        districts.append(district)
        if not Specialist.objects.filter(employee_no=f"BS{i:03d}").exists():
            user = User.objects.create(username=f"bench_sp{i}", role="specialist",
                                       first_name=f"专员{i}")
            spec = Specialist.objects.create(user=user, employee_no=f"BS{i:03d}",
                                             home_district=district, base_lat=23.3,
                                             base_lng=116.7)
            spec.districts.add(district)
    grids = {g.district_id: g.pk for g in Grid.objects.filter(code__startswith="B")}
    password = make_password("bench-pass-2026")
    now = timezone.now().isoformat()
    start = have + 1
    names = [f"4406{i:08d}" for i in range(start, n_retailers + 1)]
    t0 = time.perf_counter()
    _copy("accounts_user", ["password", "is_superuser", "username", "first_name", "last_name",
                            "email", "is_staff", "is_active", "date_joined", "role", "phone",
                            "manager_level"],
          ((password, "f", name, "店主", "", "", "f", "t", now, "retailer", "", "")
           for name in names))
    ids = dict(User.objects.filter(username__startswith="4406").values_list("username", "id"))
    formats = ["grocery", "convenience", "tobacco_liquor", "supermarket", "entertainment"]

    def retailers():
        for name in names:
            district = districts[rng.randrange(len(districts))]
            yield (ids[name], name, f"基准店{name[-5:]}", "店主", "13800000000", "基准路1号",
                   23.3, 116.7, district.pk, grids[district.pk], rng.randint(1, 30),
                   "rural" if rng.random() < .3 else "urban", rng.choice(formats),
                   "independent", "2015-01-01", "active", now, now)

    _copy("accounts_retailer", ["user_id", "licence_no", "shop_name", "owner_name", "phone",
                                "address", "latitude", "longitude", "district_id", "grid_id",
                                "grade", "market_type", "business_format", "franchise_type",
                                "opened_on", "status", "created_at", "updated_at"], retailers())
    print(f"retailers: loaded {len(names)} in {time.perf_counter() - t0:.1f} s")


def _load_demands(n_demands: int, rng: random.Random) -> None:
    from django.db import connection
    from django.utils import timezone

    from demands.models import CatalogueItem, Demand
    from zhifu.accounts.models import Retailer, Specialist

    have = Demand.objects.count()
    if have >= n_demands:
        print(f"demands: {have} already loaded")
        return
    shops = list(Retailer.objects.filter(licence_no__startswith="4406")
                 .values_list("id", "district_id", "user_id"))
    items = list(CatalogueItem.objects.filter(is_personalised=False)
                 .values_list("id", "name_zh", "resolution_hours", "priority"))
    specs = {s.home_district_id: s.pk for s in Specialist.objects.filter(
        employee_no__startswith="BS")}
    now = timezone.now()
    statuses = [("closed", .70), ("rated", .05), ("completed", .05), ("cancelled", .05),
                ("rejected", .03), ("in_progress", .04), ("scheduled", .04), ("submitted", .04)]
    fields = [f for f in Demand._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    todo = n_demands - have
    t0 = time.perf_counter()

    def pick_status():
        roll, acc = rng.random(), 0.0
        for status, weight in statuses:
            acc += weight
            if roll <= acc:
                return status
        return "closed"

    def rows():
        for n in range(todo):
            rid, district, _user = shops[n % len(shops)]
            item_id, title, hours, priority = items[rng.randrange(len(items))]
            submitted = now - dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            status = pick_status()
            done = status in ("closed", "rated", "completed")
            values = {
                "retailer_id": rid, "district_id": district, "item_id": item_id,
                "kind": "service", "source": "retailer", "status": status,
                "title": title, "submitted_at": submitted.isoformat(),
                "response_due_at": (submitted + dt.timedelta(days=1)).isoformat(),
                "resolution_due_at": (submitted + dt.timedelta(days=4)).isoformat(),
                "resolution_hours": hours, "priority": priority,
                "assignee_id": specs.get(district) if status != "submitted" else None,
                "completed_at": (submitted + dt.timedelta(days=2)).isoformat() if done
                else None,
                "sla_state": "met" if done else "on_track",
                "updated_at": now.isoformat(),
            }
            row = []
            for field in fields:
                if field.attname in values:
                    value = values[field.attname]
                elif field.null:
                    value = None
                else:
                    value = field.get_default()
                if isinstance(value, bool):
                    value = "t" if value else "f"
                elif isinstance(value, (list, dict)):
                    value = json.dumps(value)
                row.append(value)
            yield row

    _copy(Demand._meta.db_table, columns, rows())
    print(f"demands: loaded {todo} in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # Each demand's submission, and its last step for finished ones (set-based SQL).
        cursor.execute("""
            INSERT INTO demands_demandevent (demand_id, action, from_status, to_status,
                                             actor_id, actor_role, reason, data, created_at)
            SELECT d.id, 'submit', '', 'submitted', r.user_id, 'retailer', '', '{}',
                   d.submitted_at
            FROM demands_demand d JOIN accounts_retailer r ON r.id = d.retailer_id
            WHERE NOT EXISTS (SELECT 1 FROM demands_demandevent e WHERE e.demand_id = d.id)""")
        cursor.execute("""
            INSERT INTO demands_demandevent (demand_id, action, from_status, to_status,
                                             actor_id, actor_role, reason, data, created_at)
            SELECT d.id, 'complete', 'in_progress', 'completed', NULL, 'system', '', '{}',
                   d.completed_at
            FROM demands_demand d WHERE d.completed_at IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM demands_demandevent e
                WHERE e.demand_id = d.id AND e.action = 'complete')""")
        cursor.execute("ANALYZE demands_demand; ANALYZE demands_demandevent; "
                       "ANALYZE accounts_retailer;")
    print(f"events: loaded in {time.perf_counter() - t0:.1f} s")


def _measure(label: str, requests, seconds: float) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client, url = requests[0]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx.captured_queries)
    latencies = []
    deadline = time.perf_counter() + seconds
    index = 0
    while time.perf_counter() < deadline:
        client, url = requests[index % len(requests)]
        t0 = time.perf_counter()
        response = client.get(url)
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        index += 1
        reset_queries()
    latencies.sort()
    total = sum(latencies)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    result = {"page": label, "requests": len(latencies), "rps": len(latencies) / total,
              "p50_ms": pct(.50), "p95_ms": pct(.95), "p99_ms": pct(.99),
              "mean_ms": statistics.fmean(latencies) * 1000, "queries": queries}
    print(f"{label:<22} {result['requests']:>6} req  {result['rps']:>7.1f} rps  "
          f"p50 {result['p50_ms']:>6.1f} ms  p95 {result['p95_ms']:>6.1f} ms  "
          f"p99 {result['p99_ms']:>6.1f} ms  {queries} queries/page")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=30_000)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20, help="per page")
    parser.add_argument("--sample", type=int, default=200, help="retailers cycled through")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--isolated", action="store_true",
                        help="serve only the measured pages (bench/demands/urls.py)")
    args = parser.parse_args()
    _setup()
    if args.isolated:
        from django.conf import settings

        settings.ROOT_URLCONF = "bench.demands.urls"
    rng = random.Random(args.seed)
    _load_people(args.retailers, rng)
    _load_demands(args.demands, rng)

    from django.test import Client

    from demands.models import Demand
    from zhifu.accounts.models import Retailer

    print(f"data: {Retailer.objects.count()} retailers, {Demand.objects.count()} demands")
    sample = list(Retailer.objects.filter(licence_no__startswith="4406")
                  .select_related("user").order_by("?")[:args.sample])
    clients = []
    for retailer in sample:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(retailer.user)
        last = Demand.objects.filter(retailer=retailer).order_by("-submitted_at").first()
        clients.append((client, retailer, last))
    pages = {
        "catalogue": [(c, "/m/services/") for c, _r, _d in clients],
        "my demands (open)": [(c, "/m/demands/") for c, _r, _d in clients],
        "my demands (all)": [(c, "/m/demands/?show=all") for c, _r, _d in clients],
        "my demands page 2": [(c, "/m/demands/?show=all&page=2") for c, _r, _d in clients],
        "demand timeline": [(c, f"/m/demands/{d.pk}/") for c, _r, d in clients if d],
    }
    results = [_measure(label, reqs, args.seconds) for label, reqs in pages.items()]
    print(json.dumps({"retailers": args.retailers, "demands": args.demands,
                      "results": results}, indent=1))


if __name__ == "__main__":
    main()
