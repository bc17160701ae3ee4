"""Generate strategies for a whole city and plan its visits; print the timings.

    python -m bench.strategy [--retailers 30000] [--specialists 100]
                             [--database zhifu_bench_strategy]

Loads the demo city at that size into its own PostgreSQL database, computes the
profiles, then times: the first generation (every retailer gets version 1), a
regeneration with nothing changed, a regeneration after 10% of the profiles moved,
and planning four weeks of visits. Prints figures; never passes or fails.
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
import time, random, resource
from django.db import connection
from profiling.services import profiles_recompute
from profiling.models import ProfileSnapshot
from strategy import services
from django.utils import timezone

def timed(label, fn):
    t = time.monotonic(); result = fn(); dt = time.monotonic() - t
    print(f"{{label}}: {{dt:.2f}} s  {{result}}", flush=True)
    return dt

from strategy.models import RecommendationFeedback, RetailerStrategy, PlannedVisit
timed("profiles recompute", lambda: profiles_recompute())
# The demo seeder generated strategies already: start from none, as a new city would.
PlannedVisit.objects.all().delete()
RecommendationFeedback.objects.all().delete()
RetailerStrategy.objects.all().delete()
timed("strategies, first generation", services.strategies_generate)
timed("strategies, nothing changed", services.strategies_generate)
latest = ProfileSnapshot.objects.order_by("-period").values_list("period", flat=True).first()
rng = random.Random(1)
ids = list(ProfileSnapshot.objects.filter(period=latest).values_list("id", flat=True))
moved = rng.sample(ids, len(ids) // 10)
for snap in ProfileSnapshot.objects.filter(id__in=moved):
    snap.churn_warning = not snap.churn_warning
    snap.save(update_fields=["churn_warning"])
timed("strategies, 10% of profiles moved", services.strategies_generate)
timed("visits, four weeks planned", lambda: services.visits_plan(start=timezone.localdate(),
                                                                    weeks=4))
print(f"peak memory: {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}} MiB")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=30000)
    parser.add_argument("--specialists", type=int, default=100)
    parser.add_argument("--server", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="zhifu_bench_strategy")
    args = parser.parse_args()
    import psycopg

    connection = psycopg.connect(f"{args.server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        cursor.execute(f'CREATE DATABASE "{args.database}"')
    connection.close()
    env = {**os.environ, "DATABASE_URL": f"{args.server}/{args.database}",
           "DJANGO_SETTINGS_MODULE": "zhifu.settings.base", "LOG_LEVEL": "WARNING"}
    env.pop("CELERY_BROKER_URL", None)

    def manage(*command: str) -> None:
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env)
        if result.returncode:
            raise SystemExit(result.returncode)

    manage("migrate", "--noinput", "-v", "0")
    started = time.monotonic()
    manage("seed_demo", "--retailers", str(args.retailers), "--specialists",
           str(args.specialists), "--days", "90")
    print(f"demo city of {args.retailers} retailers loaded in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    manage("shell", "-c", MEASURE.format())


if __name__ == "__main__":
    main()
