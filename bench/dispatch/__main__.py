"""Dispatch a day of the demo city end to end, with 1 and with 2 worker processes.

    python -m bench.dispatch [--retailers 3000] [--specialists 40] [--seconds 10]
                             [--workers 1,2] [--database zhifu_bench_dispatch]

Needs PostgreSQL and Redis (the production shape): it creates its own database,
loads the demo city, starts real Celery workers on the ``dispatch`` queue, starts a
run for the next working day through the same service a manager's button calls,
and reports wall time from request to applied plan, with what the plan achieved.
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
import time, json
from dispatch.services.runs import run_start
from dispatch.models import DispatchRun
from dispatch.choices import RunTrigger
import datetime as dt
day = dt.date.fromisoformat("{day}")
t0 = time.monotonic()
run = run_start(actor=None, day=day, seconds={seconds}, seed=1, trigger=RunTrigger.MANUAL)
while True:
    run.refresh_from_db()
    if run.status in ("succeeded", "failed"):
        break
    time.sleep(0.2)
elapsed = time.monotonic() - t0
solves = list(run.district_solves.values_list("seconds", flat=True))
print(json.dumps({{"status": run.status, "elapsed": elapsed, "error": run.error,
                  "result": {{k: run.result.get(k) for k in ("tasks", "served", "unserved",
                  "travel_minutes", "served_priority", "unserved_priority")}},
                  "district_seconds": solves}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retailers", type=int, default=3000)
    parser.add_argument("--specialists", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10.0, help="solver time per district")
    parser.add_argument("--workers", default="1,2", help="worker process counts to compare")
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
    for count in [int(n) for n in args.workers.split(",")]:
        # The same day re-planned from scratch each time: every task back to open.
        _manage(env, "shell", "-c", "from dispatch.models import ServiceTask, DispatchRun; "
                                    "ServiceTask.objects.update(status='open', "
                                    "specialist=None, sequence=None, planned_start=None, "
                                    "planned_end=None, run=None); "
                                    "DispatchRun.objects.all().delete()")
        queue = f"dispatch-bench-{uuid.uuid4().hex[:6]}"
        worker_env = {**env}
        workers = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "zhifu", "worker", "-Q", "dispatch",
             "--concurrency", str(count), "--loglevel", "WARNING", "-n", f"{queue}@%h",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(4)  # let the pool start
            out = _manage(env, "shell", "-c",
                          DRIVER.format(day=day.isoformat(), seconds=args.seconds))
            figures = json.loads(out.strip().splitlines()[-1])
        finally:
            workers.terminate()
            workers.wait(timeout=60)
        rows.append((count, figures))
        r = figures["result"]
        print(f"workers={count}: {figures['status']} in {figures['elapsed']:.1f} s wall; "
              f"tasks {r['tasks']}, served {r['served']}, unserved {r['unserved']}, "
              f"travel {r['travel_minutes']} min; district solves "
              f"{', '.join(f'{s:.1f}' for s in figures['district_seconds'])} s")
    if len(rows) == 2:
        speedup = rows[0][1]["elapsed"] / max(rows[1][1]["elapsed"], 1e-9)
        print(f"speed-up with {rows[1][0]} workers over {rows[0][0]}: {speedup:.2f}x")


if __name__ == "__main__":
    main()
