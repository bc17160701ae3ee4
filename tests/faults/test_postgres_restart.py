"""PostgreSQL restarted under a running server: the next requests reconnect and succeed.

It uses no test database of pytest's (a restart would break pytest's own connection):
the server runs in its own process on a database of its own."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]
DATABASE = "zhifu_faults_restart"


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0


def _get(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}
                                     if token else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_app_reconnects_after_a_postgres_restart(tmp_path):
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres") or not shutil.which("pg_ctlcluster"):
        pytest.skip("needs the local PostgreSQL server (DATABASE_URL=postgres://…)")
    import psycopg

    base = server_url.rsplit("/", 1)[0]
    connection = psycopg.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DATABASE_URL=f"{base}/{DATABASE}", DJANGO_SETTINGS_MODULE="zhifu.settings.base",
               DJANGO_DEBUG="false", DB_CONN_MAX_AGE="600")
    for args in (["migrate", "--noinput", "-v", "0"],
                 ["seed_demo", "--retailers", "30", "--specialists", "7", "--days", "7"]):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(tmp_path / "server.log", "w")
    # gunicorn's one sync worker keeps one connection across requests, as production does
    # (runserver would open a fresh one per request thread and prove nothing).
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "zhifu.wsgi:application",
                               "--workers", "1", "--bind", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{url}/healthz/") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        request = urllib.request.Request(
            f"{url}/api/v1/auth/token/", method="POST",
            data=json.dumps({"username": "sp001", "password": "zhifu2026"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as response:
            token = json.loads(response.read())["access"]
        assert _get(f"{url}/api/v1/specialist/day/", token) == 200
        cluster = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main",
                        "restart"], check=True, timeout=120)
        for _ in range(100):
            if _pg_ready():
                break
            time.sleep(0.2)
        # The server's kept connection died with the restart: the very next requests
        # must notice, reconnect and answer (readiness queries the database).
        assert _get(f"{url}/readyz/") == 200
        assert _get(f"{url}/api/v1/specialist/day/", token) == 200
        assert _get(f"{url}/api/v1/me/", token) == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        if not _pg_ready():
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect",
                            sorted(os.listdir("/etc/postgresql"))[-1], "main", "start"])
