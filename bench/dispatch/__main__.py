"""Dispatch a day of the demo city end to end, with 1 and with 2 worker processes.

    python -m bench.dispatch [--retailers 3000] [--specialists 40] [--seconds 10]
                             [--workers 1,2] [--configs before,after]
                             [--database zhifu_bench_dispatch]

Needs PostgreSQL and Redis (the production shape): it creates its own database,
loads the demo city, starts real Celery workers on the ``dispatch`` queue, starts a
run for the next working day through the same service a manager's button calls,
and reports wall time from request to applied plan, with what the plan achieved: served
and unserved (mandatory apart), borrowed across districts, travel, and the spread of the
specialists' day spans per district, for the plan before the field-day work (no balance
term, no reinforcement) and after.
Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(database_url: str, broker: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker,
           "DJANGO_SETTINGS_MODULE": "zhifu.settings.base", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return result.stdout


def _recreate_database(server_url: str, name: str) -> None:
    import psycopg

    connection = psycopg.connect(f"{server_url}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _next_working_day() -> dt.date:
    day = dt.date.today() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


DRIVER = """
import time, json, statistics
from dispatch.services.runs import run_start
from dispatch.models import DispatchRun, ServiceTask
from dispatch.choices import RunTrigger
from zhifu.accounts.models import Specialist
import datetime as dt
day = dt.date.fromisoformat("{day}")
t0 = time.monotonic()
run = run_start(actor=None, day=day, seconds={seconds}, seed=1, trigger=RunTrigger.MANUAL,
                allow_cross_district={cross})
while True:
    run.refresh_from_db()
    if run.status in ("succeeded", "failed"):
        break
    time.sleep(0.2)
elapsed = time.monotonic() - t0
solves = list(run.district_solves.values_list("seconds", flat=True))
tasks = list(ServiceTask.objects.filter(service_date=day).select_related("district"))
spans = {{}}
for task in tasks:
    if task.specialist_id and task.planned_start:
        first, last = spans.get(task.specialist_id, (task.planned_start, task.planned_end))
        spans[task.specialist_id] = (min(first, task.planned_start), max(last, task.planned_end))
spread = {{}}
for person in Specialist.objects.filter(active=True).select_related("home_district"):
    first_last = spans.get(person.pk)
    minutes = (first_last[1] - first_last[0]).total_seconds() / 60 if first_last else 0.0
    spread.setdefault(person.home_district.code, []).append(minutes)
print(json.dumps({{"status": run.status, "elapsed": elapsed, "error": run.error,
                  "result": {{k: run.result.get(k) for k in ("tasks", "served", "unserved",
                  "travel_minutes", "served_priority", "unserved_priority")}},
                  "mandatory": sum(t.mandatory for t in tasks),
                  "mandatory_unserved": sum(t.mandatory and t.status == "open" for t in tasks),
                  "borrowed": len(run.result.get("borrowed", [])),
                  "spread": {{code: [round(min(v)), round(statistics.median(v)), round(max(v))]
                             for code, v in sorted(spread.items())}},
                  "district_seconds": solves}}))
"""

# "before" is the plan as it was made before the field-day work: no balance term and no
# cross-district reinforcement; "after" is today's default.
CONFIGS = {
    "before": ({"DISPATCH_IMBALANCE_WEIGHT": "0"}, False),
    "after": ({}, True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=3000)
    parser.add_argument("--specialists", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10.0, help="solver time per district")
    parser.add_argument("--workers", default="1,2", help="worker process counts to compare")
    parser.add_argument("--configs", default="before,after",
                        help="plans to compare: before (no balance, no reinforcement), after")
    parser.add_argument("--server", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="zhifu_bench_dispatch")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    import json

    database_url = f"{args.server}/{args.database}"
    env = _env(database_url, args.broker)
    print(f"database {database_url}, broker {args.broker}")
    _recreate_database(args.server, args.database)
    _manage(env, "migrate", "--noinput")
    t0 = time.monotonic()
    _manage(env, "seed_demo", "--retailers", str(args.retailers), "--specialists",
            str(args.specialists), "--days", "30")
    print(f"demo city loaded in {time.monotonic() - t0:.1f} s")
    day = _next_working_day()
    rows = []
    configs = [c for c in args.configs.split(",") if c]
    for name in configs:
        extra_env, cross = CONFIGS[name]
        for count in [int(n) for n in args.workers.split(",")]:
            # The same day re-planned from scratch each time: every task back to open.
            _manage(env, "shell", "-c", "from dispatch.models import ServiceTask, DispatchRun; "
                                        "ServiceTask.objects.update(status='open', "
                                        "specialist=None, sequence=None, planned_start=None, "
                                        "planned_end=None, run=None); "
                                        "DispatchRun.objects.all().delete()")
            queue = f"dispatch-bench-{uuid.uuid4().hex[:6]}"
            worker_env = {**env, **extra_env}
            workers = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "zhifu", "worker", "-Q", "dispatch",
                 "--concurrency", str(count), "--loglevel", "WARNING", "-n", f"{queue}@%h",
                 "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(4)  # let the pool start
                out = _manage(env, "shell", "-c", DRIVER.format(
                    day=day.isoformat(), seconds=args.seconds, cross=cross))
                figures = json.loads(out.strip().splitlines()[-1])
            finally:
                workers.terminate()
                workers.wait(timeout=60)
            rows.append((name, count, figures))
            r = figures["result"]
            print(f"{name}, workers={count} ({count} cores): {figures['status']} in "
                  f"{figures['elapsed']:.1f} s wall; tasks {r['tasks']}, served {r['served']}, "
                  f"unserved {r['unserved']} (mandatory {figures['mandatory_unserved']} of "
                  f"{figures['mandatory']}), borrowed {figures['borrowed']}, travel "
                  f"{r['travel_minutes']} min")
            if figures["status"] != "succeeded":
                print(f"  error: {figures['error']}")
            print("  day span per specialist, minutes (min / median / max) by district: "
                  + "; ".join(f"{code} {a}/{b}/{c}"
                              for code, (a, b, c) in figures["spread"].items()))
    for name in configs:
        timed = {count: f["elapsed"] for n, count, f in rows if n == name}
        if len(timed) == 2:
            one, two = sorted(timed)
            print(f"{name}: speed-up with {two} workers over {one}: "
                  f"{timed[one] / max(timed[two], 1e-9):.2f}x")


if __name__ == "__main__":
    main()
