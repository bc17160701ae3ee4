"""Server time of the manager's pages for a city of 30,000 retailers and a year of history.

    python -m bench.evaluation [--retailers 30000] [--days 365] [--requests 20]
                               [--database zhifu_bench_dashboard] [--reuse]

Loads the demo city at that size into its own PostgreSQL database (``--reuse`` keeps
an earlier one), then requests each manager page in process through Django's test
client as the city-wide manager and prints the median and p95 server time and the
number of queries. Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MEASURE = """
import statistics, time
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from zhifu.accounts.models import User
from demands.models import Demand
from evaluation.models import ServiceRating
print(f"demands {{Demand.objects.count()}}, ratings {{ServiceRating.objects.count()}}", flush=True)
client = Client()
client.force_login(User.objects.get(username="manager"))
PAGES = [
    ("dashboard, last 6 months", "/dashboard/kpis/"),
    ("dashboard, 12 months", "/dashboard/kpis/?from={first}&to={last}"),
    ("dashboard, one district", "/dashboard/kpis/?district=JP"),
    ("overview", "/dashboard/"),
    ("retailer profiles", "/dashboard/profiles/"),
    ("demands", "/dashboard/demands/"),
    ("dispatch board", "/dashboard/dispatch/"),
    ("strategy", "/dashboard/strategy/"),
]
for label, url in PAGES:
    client.get(url)  # warm
    times = []
    for _ in range({requests}):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    median = statistics.median(times) * 1000
    print(f"{{label:<28}} {{response.status_code}}  median {{median:7.0f}} ms"
          f"  p95 {{p95*1000:7.0f}} ms  {{len(queries.captured_queries):3d}} queries", flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=30000)
    parser.add_argument("--specialists", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--server", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="zhifu_bench_dashboard")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": f"{args.server}/{args.database}",
           "DJANGO_SETTINGS_MODULE": "zhifu.settings.base", "DJANGO_DEBUG": "false",
           "LOG_LEVEL": "WARNING"}
    env.pop("CELERY_BROKER_URL", None)

    def manage(*command: str) -> None:
        if subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env).returncode:
            raise SystemExit("failed: " + " ".join(command))

    if not args.reuse:
        import psycopg

        connection = psycopg.connect(f"{args.server}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            cursor.execute(f'CREATE DATABASE "{args.database}"')
        connection.close()
        manage("migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        manage("seed_demo", "--retailers", str(args.retailers), "--specialists",
               str(args.specialists), "--days", str(args.days))
        print(f"demo city loaded in {time.monotonic() - started:.0f} s", flush=True)
    import datetime as dt

    today = dt.date.today().replace(day=1)
    first = (today - dt.timedelta(days=330)).replace(day=1)
    manage("shell", "-c", MEASURE.format(requests=args.requests, first=first.strftime("%Y-%m"),
                                         last=today.strftime("%Y-%m")))


if __name__ == "__main__":
    main()
