"""Load on loopback: retailers, specialists and managers against gunicorn + PostgreSQL + Redis.

    python -m bench.load [--database zhifu_bench_dashboard] [--seconds 30] [--users 24]
                         [--workers 3] [--port 8765]

Uses a city database made by ``python -m bench.evaluation`` (30,000 retailers, a year of
history). Starts gunicorn with production settings on 127.0.0.1 only, logs in users
through the public pages and API, then runs a closed-loop scenario for a fixed time:
each virtual user repeats its role's visit (retailers 60%, specialists 30%, managers
10%) over keep-alive connections, with no think time. Prints requests per second and
p50/p95 per endpoint. Prints figures; never passes or fails. Traffic never leaves
127.0.0.1, and every loop is bounded by ``--seconds``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "zhifu2026"  # noqa: S105 - the demo city's published password

USERS = """
import json, datetime as dt
from django.utils import timezone
from zhifu.accounts.models import Retailer, Specialist, User
shops = list(Retailer.objects.filter(user__isnull=False, status="active")
             .order_by("id").values_list("user__username", flat=True)[:400])
staff = list(Specialist.objects.order_by("id").values_list("user__username", flat=True)[:60])
print(json.dumps({"retailers": shops, "specialists": staff,
                  "managers": ["manager"] + [f"lead_{c}" for c in ("jp", "lh", "ch", "cy")]}))
"""


class Session:
    """One virtual user's keep-alive connection, cookies and bearer token."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, data

    def web_login(self, username: str) -> bool:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            return False
        form = urlencode({"username": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": token.group(1).decode()}).encode()
        status, _ = self.request("POST", "/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://127.0.0.1/login/"})
        return status == 302

    def api_login(self, username: str) -> bool:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, data = self.request("POST", "/api/v1/auth/token/", body,
                                    {"Content-Type": "application/json"})
        if status != 200:
            return False
        self.token = json.loads(data)["access"]
        return True


def retailer_visit(session: Session, rng: random.Random):
    yield "retailer home /m/", "/m/"
    yield "catalogue /m/services/", "/m/services/"
    yield "my demands /m/demands/", "/m/demands/"


def specialist_visit(session: Session, rng: random.Random):
    yield "specialist day (API)", "/api/v1/specialist/day/"
    yield "my demands (API)", "/api/v1/demands/?page_size=20"
    yield "notifications (API)", "/api/v1/notifications/"


def manager_visit(session: Session, rng: random.Random):
    yield "dashboard demands", "/dashboard/demands/"
    yield "dispatch board", "/dashboard/dispatch/"


SCENARIOS = {"retailers": (0.6, retailer_visit, "web"),
             "specialists": (0.3, specialist_visit, "api"),
             "managers": (0.1, manager_visit, "web")}


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.1f %.1f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status, summary.requests))
end
"""
WRK_TARGETS = [("specialists", "specialist day (API)", "/api/v1/specialist/day/"),
               ("retailers", "retailer home /m/", "/m/"),
               ("retailers", "catalogue /m/services/", "/m/services/"),
               ("retailers", "my demands /m/demands/", "/m/demands/")]


def run_wrk(args, sessions) -> None:
    """One endpoint at a time, 8 keep-alive connections, 10 s, with a logged-in user."""
    script = Path(tempfile.mkdtemp(prefix="zhifu-wrk-")) / "report.lua"
    script.write_text(WRK_REPORT)
    by_role = {}
    for role, session, _visit in sessions:
        by_role.setdefault(role, session)
    print(f"wrk: 1 thread, 8 connections, 10 s per endpoint; gunicorn with {args.workers} "
          f"workers")
    print(f"{'endpoint':<28} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'non-2xx':>8}")
    for role, label, path in WRK_TARGETS:
        session = by_role[role]
        # wrk counts redirects as successes: make sure this user really gets the page.
        status, _ = session.request("GET", path)
        if status != 200:
            raise SystemExit(f"{path} answered {status} for the logged-in {role[:-1]}")
        header = (f"Authorization: Bearer {session.token}" if session.token else
                  "Cookie: " + "; ".join(f"{k}={v}" for k, v in session.cookies.items()))
        out = subprocess.run(["wrk", "-t1", "-c8", "-d10s", "-s", str(script), "-H", header,
                              f"http://127.0.0.1:{args.port}{path}"],
                             capture_output=True, text=True, timeout=60).stdout
        line = next(line for line in out.splitlines() if line.startswith("RESULT"))
        rps, p50, p95, errors, _total = line.split()[1:]
        print(f"{label:<28} {float(rps):>7.1f} {float(p50):>7.1f} {float(p95):>7.1f} "
              f"{errors:>8}")


def process_cpu_seconds(parent_pid: int) -> float:
    """User + system CPU seconds used so far by the children of ``parent_pid`` (gunicorn's
    workers). Unlike requests per second it barely moves when other work shares the cores,
    so it compares two builds of the server fairly on a busy machine."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, …; utime and stime are fields 14 and 15 of stat.
        if int(fields[1]) == parent_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_wrk_mix(args, sessions, server_pid: int) -> None:
    """The same 60/30/10 mix of users and pages, driven by wrk: every request draws a
    random (user, page) pair from the logged-in users' visits."""
    entries = []
    for role, session, visit in sessions:
        header = ({"Authorization": f"Bearer {session.token}"} if session.token else
                  {"Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items())})
        for _label, path in visit(session, random.Random(0)):
            status, _ = session.request("GET", path)
            if status != 200:
                raise SystemExit(f"{path} answered {status} for a logged-in {role}")
            entries.append((path, header))
    def lua_entry(path: str, header: dict) -> str:
        (name, value), = header.items()
        return f"{{path={json.dumps(path)}, headers={{[{json.dumps(name)}]={json.dumps(value)}}}}}"

    lines = ",\n".join(lua_entry(path, header) for path, header in entries)
    script = Path(tempfile.mkdtemp(prefix="zhifu-wrk-")) / "mix.lua"
    script.write_text("local entries = {\n" + lines + "\n}\nmath.randomseed(1)\n"
                      "request = function()\n  local e = entries[math.random(#entries)]\n"
                      "  return wrk.format('GET', e.path, e.headers)\nend\n" + WRK_REPORT)
    cpu_before = process_cpu_seconds(server_pid)
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{int(args.seconds)}s", "-s", str(script),
                          f"http://127.0.0.1:{args.port}/"], capture_output=True, text=True,
                         timeout=args.seconds + 60).stdout
    server_cpu = process_cpu_seconds(server_pid) - cpu_before
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    rps, p50, p95, errors, total = line.split()[1:]
    print(f"wrk mix: {len(sessions)} users' visits ({len(entries)} requests drawn at random), "
          f"16 connections, {args.seconds:.0f} s; gunicorn with {args.workers} workers")
    print(f"requests {total}, {float(rps):.1f} req/s, p50 {float(p50):.1f} ms, "
          f"p95 {float(p95):.1f} ms, non-2xx {errors}, "
          f"server CPU {server_cpu * 1000 / max(1, int(total)):.1f} ms per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="zhifu_bench_dashboard")
    parser.add_argument("--server", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wrk", action="store_true",
                        help="instead of the mixed scenario, measure single endpoints with wrk "
                             "(a native client, so the client costs little CPU)")
    parser.add_argument("--wrk-mix", action="store_true",
                        help="the mixed scenario driven by wrk instead of Python threads")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": f"{args.server}/{args.database}",
           "REDIS_URL": args.redis, "CELERY_BROKER_URL": args.redis,
           "DJANGO_SETTINGS_MODULE": "zhifu.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_SECURE_SSL_REDIRECT": "false",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DB_CONN_MAX_AGE": "600",
           "LOGIN_THROTTLE_RATE": "100000/min", "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=env, check=True)
    users = json.loads(subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", USERS], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    # Production serves hashed static file names from a manifest: build it first.
    env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="zhifu-load-static-")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zhifu.wsgi:application", "--workers",
         str(args.workers), "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                if Session(args.port).request("GET", "/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        sessions = []
        for role, (share, visit, kind) in SCENARIOS.items():
            for n in range(max(1, round(args.users * share))):
                session = Session(args.port)
                name = users[role][n % len(users[role])]
                ok = session.api_login(name) if kind == "api" else session.web_login(name)
                if not ok:
                    raise SystemExit(f"login failed for {role} {name}")
                sessions.append((role, session, visit))
        if args.wrk:
            run_wrk(args, sessions)
            return
        if args.wrk_mix:
            run_wrk_mix(args, sessions, server.pid)
            return
        print(f"{len(sessions)} virtual users logged in "
              f"({', '.join(f'{r}: {sum(1 for s in sessions if s[0] == r)}' for r in SCENARIOS)});"
              f" gunicorn with {args.workers} workers; {args.seconds:.0f} s", flush=True)
        timings: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def loop(role, session, visit, seed):
            local = random.Random(seed)
            while time.monotonic() < deadline:
                for label, path in visit(session, local):
                    if time.monotonic() >= deadline:
                        return
                    started = time.perf_counter()
                    status, _ = session.request("GET", path)
                    elapsed = time.perf_counter() - started
                    with lock:
                        timings[label].append(elapsed)
                        if status != 200:
                            errors[label] += 1

        threads = [threading.Thread(target=loop, args=(*s, i)) for i, s in enumerate(sessions)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        total = sum(len(t) for t in timings.values())
        print(f"\n{'endpoint':<28} {'requests':>8} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'errors':>6}")
        for label, values in sorted(timings.items()):
            values.sort()
            p95 = values[max(0, int(len(values) * 0.95) - 1)]
            print(f"{label:<28} {len(values):>8} {len(values) / wall:>7.1f} "
                  f"{statistics.median(values) * 1000:>7.0f} {p95 * 1000:>7.0f} "
                  f"{errors[label]:>6}")
        everything = sorted(v for values in timings.values() for v in values)
        print(f"{'all':<28} {total:>8} {total / wall:>7.1f} "
              f"{statistics.median(everything) * 1000:>7.0f} "
              f"{everything[int(len(everything) * 0.95) - 1] * 1000:>7.0f} "
              f"{sum(errors.values()):>6}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
