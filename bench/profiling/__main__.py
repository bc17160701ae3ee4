"""Profiling benchmark: import a city of retailers with a year of orders and indicator
values, then recompute every profile, and print the times and peak memory.

    .venv/bin/python -m bench.profiling [--retailers 30000] [--months 12] [--database URL]

Runs on a scratch database (default: a new SQLite file under /tmp; pass a PostgreSQL URL
to measure there — the database is created by migrate and left behind for inspection).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
import tracemalloc


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _recompute(today: dt.date, *, runs: int) -> None:
    from profiling.services import profiles_recompute

    rss_before = _peak_rss_mb()
    for attempt in range(1, runs + 1):
        started = time.perf_counter()
        result = profiles_recompute(today=today)
        seconds = time.perf_counter() - started
        print(f"recompute run {attempt}      {result['retailers']:>9} profiles {seconds:5.2f} s"
              f"  ({result['churn_warnings']} churn warnings)")
    print(f"peak RSS: {rss_before:.0f} MB before the recompute, {_peak_rss_mb():.0f} MB after")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=30_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database", default="sqlite:////tmp/zhifu-bench-profiling.sqlite3")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recompute-only", action="store_true",
                        help="reuse the database of an earlier run: only recompute, in a fresh "
                             "process, so the peak RSS is the recompute's own")
    args = parser.parse_args(argv)

    if args.recompute_only:
        os.environ["DATABASE_URL"] = args.database
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.base")
        os.environ.setdefault("DJANGO_DEBUG", "false")
        import django

        django.setup()
        _recompute(dt.date(2026, 11, 23), runs=3)
        return
    if args.database.startswith("sqlite:////"):
        path = args.database.removeprefix("sqlite:///")
        if os.path.exists(path):
            os.remove(path)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.base")
    # As in production: no per-query SQL logging.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _run(args)


def _run(args) -> None:
    import pandas as pd

    from profiling.imports import order_import, raw_value_import
    from profiling.models import OrderRecord, ProfileSnapshot
    from profiling.resources import RawValueResource
    from profiling.services import collectable_indicators, profiles_recompute
    from zhifu.accounts.imports import retailer_import
    from zhifu.accounts.models import City, District

    rng = random.Random(args.seed)
    city = City.objects.get_or_create(code="BENCH", defaults={"name": "基准市"})[0]
    for k in range(7):
        District.objects.get_or_create(code=f"B{k}", defaults={
            "city": city, "name": f"基准{k}区", "center_lat": 23.3, "center_lng": 116.7})
    today = dt.date(2026, 11, 23)
    n = args.retailers
    print(f"profiling benchmark: {n} retailers, {args.months} months of weekly orders, "
          f"database {args.database.split('@')[-1]}")

    # 1. retailer master data (the accounts import the dashboard reuses)
    formats = ["grocery", "convenience", "tobacco_liquor", "supermarket", "entertainment"]
    rows = [{"licence_no": f"4406{i:08d}", "shop_name": f"店{i}", "owner_name": f"主{i}",
             "phone": f"138{i:08d}", "latitude": 23.3, "longitude": 116.7,
             "district": f"B{i % 7}", "grade": rng.randint(1, 30),
             "market_type": rng.choice(["urban", "rural"]),
             "business_format": rng.choice(formats),
             "opened_on": f"{rng.randint(2000, 2025)}-0{rng.randint(1, 9)}-15"}
            for i in range(n)]
    content = pd.DataFrame(rows).to_csv(index=False).encode()
    started = time.perf_counter()
    report = retailer_import(content=content, filename="retailers.csv", commit=True, actor=None)
    print(f"import retailers     {report.created:>9} rows  {time.perf_counter() - started:7.2f} s")

    from zhifu.accounts.models import Retailer

    ids = dict(Retailer.objects.filter(licence_no__startswith="4406").values_list(
        "licence_no", "id"))
    grades = {r["licence_no"]: r["grade"] for r in rows}

    # 2. one month of orders through the import (what a monthly file looks like)
    start = today - dt.timedelta(days=30 * args.months)
    last_month = today.replace(day=1)
    order_rows, bulk = [], []
    for licence, rid in ids.items():
        weekly = 12_000 * 1.125 ** (grades[licence] - 1) / 52
        day = start + dt.timedelta(days=rng.randrange(7))
        while day <= today:
            amount = round(weekly * rng.lognormvariate(0, 0.2), 2)
            if day >= last_month:
                order_rows.append({"licence_no": licence, "ordered_on": day.isoformat(),
                                   "cigarette_amount": amount, "cigarette_skus": 30,
                                   "non_tobacco_amount": round(amount * 0.3, 2),
                                   "non_tobacco_skus": 12})
            else:
                bulk.append(OrderRecord(retailer_id=rid, ordered_on=day, cigarette_amount=amount,
                                        cigarette_skus=30, non_tobacco_amount=amount * 0.3,
                                        non_tobacco_skus=12))
            day += dt.timedelta(days=7)
    started = time.perf_counter()
    OrderRecord.objects.bulk_create(bulk, batch_size=5000)
    print(f"bulk-load history    {len(bulk):>9} orders {time.perf_counter() - started:6.2f} s"
          "  (not an import: the earlier months)")
    content = pd.DataFrame(order_rows).to_csv(index=False).encode()
    started = time.perf_counter()
    report = order_import(content=content, filename="orders.csv", commit=True, actor=None)
    print(f"import one month     {report.created:>9} orders {time.perf_counter() - started:6.2f} s"
          f"  ({len(report.errors)} errors)")

    # 3. indicator values (terminal + trade-area + collected), one row per retailer
    indicators = collectable_indicators()
    value_rows = []
    for licence in ids:
        row = {"licence_no": licence, "period": last_month.strftime("%Y-%m")}
        for code, indicator in indicators.items():
            if indicator.source == "orders":
                continue
            if indicator.rule_kind == "category":
                row[code] = rng.choice(list(indicator.rule_params["map"]))
            else:
                row[code] = round(rng.uniform(0, 100), 1)
        value_rows.append(row)
    columns = [c.column_name for c in RawValueResource().columns()]
    content = pd.DataFrame(value_rows).reindex(columns=columns).astype("object").fillna("").to_csv(
        index=False).encode()
    started = time.perf_counter()
    report = raw_value_import(content=content, filename="values.csv", commit=True, actor=None)
    cells = sum(1 for r in value_rows for k in r if k not in ("licence_no", "period"))
    print(f"import values        {report.created:>9} rows  {time.perf_counter() - started:7.2f} s"
          f"  ({cells} values, {len(report.errors)} errors)")
    print(f"peak RSS after imports: {_peak_rss_mb():.0f} MB")

    # 4. the full recompute, twice (the second replaces the first), then once traced
    _recompute(today, runs=2)
    tracemalloc.start()
    profiles_recompute(today=today)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"recompute peak Python allocations (tracemalloc run): {peak / 2**20:.0f} MB")
    print(f"snapshots stored: {ProfileSnapshot.objects.count()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
