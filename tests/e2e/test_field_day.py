"""A whole field day against a live server, through the public API only, the way the
dispatcher and the specialists' phones use it:

morning plan with accepts landing while it solves; at least ten mid-day changes of each
kind (cancel, urgent work, a specialist absent, in late or gone home, a task running over,
a shop closed, a move by hand); an offline replay; the evening's end of the day; the next
morning's plan.

The server runs ``make run``'s shape (SQLite, the embedded worker) on a simulated clock
(``tests/e2e/sim_clock.py``). The checks at the end read the server's database in a
command of its own (``tests/e2e/field_day_checks.py``): no accepted, started or finished
task moved by a plan; nothing planned before the moment it was planned; no task of the
day left without a fate; no mandatory task unserved while an eligible specialist of its
district or a neighbour had room; no write doubled by a replay.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tests.e2e.sim_clock import set_clock

ROOT = Path(settings.BASE_DIR)
TZ = ZoneInfo(settings.TIME_ZONE)
PASSWORD = "zhifu2026"
EVENTS_PER_KIND = 10

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="the simulated day runs make run's shape (SQLite, embedded worker) in the "
           "SQLite pass; the PostgreSQL pass covers the same services with a real worker")


class Api:
    """A thin client, as a phone or the dispatcher's tool would be."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.access = ""

    def call(self, method: str, path: str, body=None, *, headers=None, query=None):
        url = self.base + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        sent = {"Accept": "application/json", "Accept-Language": "zh-hans", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if self.access:
            sent["Authorization"] = f"Bearer {self.access}"
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), error.headers
        assert status < 500, f"{method} {path}: {status} {raw[:500]!r}"
        return status, (json.loads(raw) if raw else None), answer_headers

    def get(self, path: str, **query):
        status, body, _ = self.call("GET", path, query=query or None)
        assert status == 200, (path, status, body)
        return body

    def post(self, path: str, body=None, **kwargs):
        status, answer, _ = self.call("POST", path, body, **kwargs)
        return status, answer

    def login(self, username: str) -> Api:
        status, body, _ = self.call("POST", "/api/v1/auth/token/",
                                    {"username": username, "password": PASSWORD})
        assert status == 200, body
        self.access = body["access"]
        return self


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sim(tmp_path):
    clock = tmp_path / "clock"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="tests.e2e.sim_settings", DJANGO_DEBUG="false",
               SQLITE_PATH=str(tmp_path / "day.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"),
               ZHIFU_SIM_CLOCK=str(clock), PYTHONPATH=str(ROOT),
               # Thirty-six people sign in from one address within a minute.
               LOGIN_THROTTLE_RATE="1000/min")

    def manage(*args, timeout=600):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput")
    days = manage("shell", "-c", (
        "from django.utils import timezone; from demands.selectors import work_calendar; "
        "c = work_calendar(); d = c.next_working_day(timezone.localdate()); "
        "print(d, c.next_working_day(d))")).split()
    day, next_day = (dt.date.fromisoformat(x) for x in days[-2:])
    set_clock(clock, dt.datetime.combine(day, dt.time(7, 0), TZ))
    manage("seed_demo", "--retailers", "1200", "--specialists", "35", "--days", "14",
           "--today", day.isoformat())
    port = _free_port()
    log_path = tmp_path / "server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(log_path.read_text()[-3000:])
        yield SimpleNamespace(base=base, day=day, next_day=next_day, clock=clock,
                              manage=manage, log=log_path)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


class Day:
    """The simulation's moves and what it recorded of them."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self.manager = Api(sim.base).login("manager")
        self.specialists = self.manager.get("/api/v1/specialists/", page_size=200)["results"]
        self.phones = {s["id"]: Api(sim.base).login(s["employee_no"].lower())
                       for s in self.specialists}
        self.counts: dict[str, int] = {}
        self.absent: set[int] = set()

    def at(self, hour: int, minute: int = 0, day: dt.date | None = None) -> None:
        set_clock(self.sim.clock, dt.datetime.combine(day or self.sim.day,
                                                      dt.time(hour, minute), TZ))

    def count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def idle(self, timeout: float = 600) -> None:
        """Wait until no run is queued or running (re-plans included)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = self.manager.get("/api/v1/dispatch/runs/", page_size=200)["results"]
            if all(r["status"] not in ("queued", "running") for r in runs):
                failed = [r for r in runs if r["status"] == "failed"]
                assert not failed, failed
                return
            time.sleep(0.5)
        pytest.fail("runs did not finish")

    def plan(self, day: dt.date | None = None) -> dict:
        return self.manager.get("/api/v1/dispatch/day/",
                                date=(day or self.sim.day).isoformat())

    def my_day(self, specialist_id: int) -> list[dict]:
        return self.phones[specialist_id].get("/api/v1/specialist/day/",
                                              date=self.sim.day.isoformat())

    def present(self) -> list[int]:
        return [s["id"] for s in self.specialists if s["id"] not in self.absent]


def _morning(day: Day) -> dict[int, int]:
    """The morning plan, with specialists accepting what they hold while it solves."""
    day.at(7, 30)
    status, run = day.manager.post("/api/v1/dispatch/runs/", {
        "date": day.sim.day.isoformat(), "seconds": 2, "seed": 7})
    assert status == 202, run
    accepted: dict[int, int] = {}
    for specialist_id in day.present():
        for task in [t for t in day.my_day(specialist_id) if t["status"] == "assigned"][:2]:
            status, body = day.phones[specialist_id].post(
                f"/api/v1/specialist/tasks/{task['id']}/accept/")
            if status == 200:
                accepted[task["id"]] = specialist_id
    running = day.manager.get(f"/api/v1/dispatch/runs/{run['id']}/")
    day.idle()
    assert accepted, "no specialist had work to accept"
    # Accepted while the plan solved: each stays with whoever accepted it.
    final = day.manager.get(f"/api/v1/dispatch/runs/{run['id']}/")
    assert final["status"] == "succeeded", final
    holders = {stop["task"]: route["specialist"] for route in day.plan()["routes"]
               for stop in route["stops"]}
    assert {t: holders.get(t) for t in accepted} == accepted
    assert running["status"] in ("queued", "running", "succeeded")
    return accepted


def _assigned_stops(day: Day, *, exclude: set[int]) -> list[tuple[dict, dict]]:
    return [(route, stop) for route in day.plan()["routes"] for stop in route["stops"]
            if stop["status"] == "assigned" and stop["task"] not in exclude]


def _cancel(day: Day, touched: set[int]) -> None:
    for _route, stop in _assigned_stops(day, exclude=touched)[::3]:
        if day.counts.get("cancel", 0) >= EVENTS_PER_KIND:
            return
        status, body = day.manager.post(f"/api/v1/dispatch/tasks/{stop['task']}/cancel/",
                                        {"reason": "店主来电说本周不需要了"})
        assert status in (200, 409), body
        if status == 200:
            touched.add(stop["task"])
            day.count("cancel")


def _urgent(day: Day, touched: set[int]) -> None:
    shops = day.manager.get("/api/v1/retailers/", page_size=200)["results"]
    for shop in shops[5::17][:EVENTS_PER_KIND]:
        status, task = day.manager.post("/api/v1/dispatch/urgent/", {
            "retailer": shop["id"], "title": "紧急：价格标签错误需更换", "service_minutes": 20})
        assert status == 201, task
        touched.add(task["id"])
        day.count("urgent")


def _absences(day: Day, touched: set[int], accepted: dict[int, int]) -> None:
    # Half of the absent had accepted work: it is freed by the absence, not by a plan.
    holders = sorted(set(accepted.values()))
    others = [s for s in day.present() if s not in holders]
    for specialist_id in (holders[:5] + others[:EVENTS_PER_KIND])[:EVENTS_PER_KIND]:
        status, body = day.manager.post("/api/v1/dispatch/absences/", {
            "specialist": specialist_id, "reason": "身体不适，下午请假"})
        assert status == 201, body
        day.absent.add(specialist_id)
        touched.update(t for t, s in accepted.items() if s == specialist_id)
        day.count("absence")


def _late_or_home(day: Day, touched: set[int], accepted: dict[int, int]) -> None:
    """Five specialists report being late (from 12:00), five go home early (at 15:30)."""
    for n, specialist_id in enumerate(day.present()[-EVENTS_PER_KIND:]):
        hours = ({"available_from": "12:00"} if n % 2 else {"available_until": "15:30"})
        status, body = day.manager.post("/api/v1/dispatch/absences/", {
            "specialist": specialist_id, "reason": "堵车晚到" if n % 2 else "家中有事提前离开",
            **hours})
        assert status == 201, body
        touched.update(t for t, s in accepted.items() if s == specialist_id)
        day.count("late_or_home")


def _start(day: Day, specialist_id: int, task: dict, **extra):
    shop = task["retailer"]
    return day.phones[specialist_id].post(
        f"/api/v1/specialist/tasks/{task['id']}/start/",
        {"latitude": shop["latitude"], "longitude": shop["longitude"]}, **extra)


def _running_over(day: Day, touched: set[int]) -> list[tuple[int, dict]]:
    """Check in at the first stop; the work runs over (completed later)."""
    started = []
    for specialist_id in day.present():
        if len(started) >= EVENTS_PER_KIND:
            break
        stops = [t for t in day.my_day(specialist_id)
                 if t["status"] in ("assigned", "accepted") and t["id"] not in touched]
        if not stops:
            continue
        status, body = _start(day, specialist_id, stops[0])
        assert status == 200, body
        touched.add(stops[0]["id"])
        started.append((specialist_id, body))
        day.count("running_over")
    return started


def _complete(day: Day, specialist_id: int, task: dict, **extra):
    return day.phones[specialist_id].post(
        f"/api/v1/specialist/tasks/{task['id']}/complete/",
        {"notes": "陈列调整完毕，已向店主说明", "checklist_confirmed": task["checklist"]},
        **extra)


def _shop_closed(day: Day, touched: set[int]) -> None:
    for specialist_id in day.present():
        if day.counts.get("shop_closed", 0) >= EVENTS_PER_KIND:
            return
        stops = [t for t in day.my_day(specialist_id)
                 if t["status"] in ("assigned", "accepted") and t["id"] not in touched]
        if not stops:
            continue
        status, body = day.phones[specialist_id].post(
            f"/api/v1/specialist/tasks/{stops[-1]['id']}/exception/",
            {"kind": "shop_closed", "note": "卷帘门拉下，电话无人接"})
        assert status == 200, body
        touched.add(stops[-1]["id"])
        day.count("shop_closed")


def _moves(day: Day, touched: set[int]) -> None:
    by_district: dict[str, list[int]] = {}
    for s in day.specialists:
        if s["id"] not in day.absent:
            by_district.setdefault(s["home_district"]["code"], []).append(s["id"])
    for route, stop in _assigned_stops(day, exclude=touched):
        if day.counts.get("move", 0) >= EVENTS_PER_KIND:
            return
        colleagues = [s for s in by_district.get(route["district"], [])
                      if s != route["specialist"]]
        for colleague in colleagues:
            status, body = day.manager.post(
                f"/api/v1/dispatch/tasks/{stop['task']}/reassign/",
                {"specialist": colleague, "reason": "顺路，由同片区同事接手"})
            assert status in (200, 400, 409), body
            if status == 200:
                touched.add(stop["task"])
                day.count("move")
                break


def _offline_replay(day: Day, started: list[tuple[int, dict]]) -> int:
    """A phone sends a completion it queued offline twice (the first answer was lost)."""
    specialist_id, task = started[0]
    key = f"replay-{uuid.uuid4().hex[:16]}"
    occurred = dt.datetime.combine(day.sim.day, dt.time(12, 40), TZ).isoformat()
    first = day.phones[specialist_id].call(
        "POST", f"/api/v1/specialist/tasks/{task['id']}/complete/",
        {"notes": "离线记录：补货建议已反馈", "checklist_confirmed": task["checklist"],
         "occurred_at": occurred}, headers={"Idempotency-Key": key})
    again = day.phones[specialist_id].call(
        "POST", f"/api/v1/specialist/tasks/{task['id']}/complete/",
        {"notes": "离线记录：补货建议已反馈", "checklist_confirmed": task["checklist"],
         "occurred_at": occurred}, headers={"Idempotency-Key": key})
    assert first[0] == 200 and again[0] == 200, (first[1], again[1])
    assert again[2].get("Idempotent-Replayed") == "true"
    assert again[1] == first[1]
    return task["id"]


def test_a_whole_field_day(sim):
    day = Day(sim)
    accepted = _morning(day)
    touched: set[int] = set(accepted)

    day.at(10, 0)
    _cancel(day, touched)
    _urgent(day, touched)
    day.idle()
    day.at(10, 30)
    _moves(day, touched)
    _late_or_home(day, touched, accepted)
    day.idle()
    day.at(11, 0)
    started = _running_over(day, touched)
    _shop_closed(day, touched)
    day.idle()
    day.at(12, 30)
    # Whatever kind is still short of ten gets another round on the re-planned day.
    _moves(day, touched)
    _shop_closed(day, touched)
    _cancel(day, touched)
    day.idle()
    day.at(13, 0)
    replayed = _offline_replay(day, started)
    # The rest of those who ran over finish late, well past their planned end.
    for specialist_id, task in started[1:]:
        status, body = _complete(day, specialist_id, task)
        assert status == 200, body
    day.idle()
    day.at(14, 0)
    _absences(day, touched, accepted)
    day.idle()

    for kind in ("cancel", "urgent", "absence", "late_or_home", "running_over", "shop_closed",
                 "move"):
        assert day.counts.get(kind, 0) >= EVENTS_PER_KIND, (kind, day.counts)

    # The evening: the nightly job closes the day and plans the next working day.
    day.at(20, 0)
    sim.manage("shell", "-c", "from zhifu.core import embedded\n"
                              "from dispatch.tasks import plan_tomorrow\n"
                              "with embedded.inline():\n    plan_tomorrow(2.0)\n")

    # The next morning's plan, through the API, as the dispatcher starts it.
    day.at(7, 30, sim.next_day)
    status, run = day.manager.post("/api/v1/dispatch/runs/", {
        "date": sim.next_day.isoformat(), "seconds": 2, "seed": 8})
    assert status == 202, run
    day.idle()
    assert day.plan(sim.next_day)["routes"]

    out = sim.manage("shell", "-c", (
        "from tests.e2e.field_day_checks import main\n"
        f"main(day='{sim.day.isoformat()}', next_day='{sim.next_day.isoformat()}', "
        f"replayed={replayed})\n"))
    report = json.loads(out.strip().splitlines()[-1])
    print("field day:", json.dumps(report, ensure_ascii=False))
    assert report["tasks_of_the_day"] > 100, report
    assert report["promises_checked"] >= 40 and report["plans_checked"] > 100, report
    assert report["moved_promises"] == [], report
    assert report["planned_in_the_past"] == [], report
    assert report["without_fate"] == [], report
    assert report["rolled_over"] > 0, report
    assert report["unserved_with_room"] == [], report
    assert report["replay_duplicates"] == [], report
