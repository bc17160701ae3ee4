"""The specialist's phone-app script against a live server, through the public API only."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SETUP = """
import datetime as dt
from django.utils import timezone
from zhifu.accounts.models import Specialist, Retailer
from dispatch.models import ServiceTask
sp = Specialist.objects.get(employee_no="SP001")
today = timezone.localdate()
shops = (Retailer.objects.filter(district=sp.home_district)
         .exclude(pk__in=ServiceTask.objects.filter(service_date=today).values("retailer_id"))
         .order_by("id")[:3])
# The demo plans today; this script's phone walks three known stops of its own instead.
ServiceTask.objects.filter(specialist=sp, service_date=today).update(
    specialist=None, status="open", sequence=None, planned_start=None, planned_end=None)
for n, shop in enumerate(shops, start=1):
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(8 + n, 0)))
    ServiceTask.objects.create(
        source="visit", retailer=shop, district=shop.district, title="计划拜访",
        service_date=today, window_start=dt.time(8, 30), window_end=dt.time(17, 30),
        service_minutes=30, priority=30, status="assigned", specialist=sp, sequence=n,
        planned_start=start, planned_end=start + dt.timedelta(minutes=30),
        checklist=["价格公示检查"] if n == 1 else [])
print("tasks", ServiceTask.objects.filter(specialist=sp, service_date=today).count())
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_platform(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="zhifu.settings.base", DJANGO_DEBUG="false",
               SQLITE_PATH=str(tmp_path / "live.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"))

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result.stdout

    manage("migrate", "--noinput")
    manage("seed_demo", "--retailers", "150", "--specialists", "7", "--days", "14")
    assert "tasks 3" in manage("shell", "-c", SETUP)
    port = _free_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail((tmp_path / "server.log").read_text()[-3000:])
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_specialist_app_script_passes_against_a_live_server(live_platform):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "e2e" / "specialist_app.py"), "--base",
         live_platform, "--username", "sp001", "--password", "zhifu2026"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("login ok", "day ok", "accept ok", "check-in ok", "complete with photo ok",
                 "exception ok", "refresh ok", "logout ok", "ALL STEPS PASSED"):
        assert step in result.stdout
