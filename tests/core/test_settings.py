"""DEBUG is off unless asked for; importing settings touches no disk; each entry point
picks the settings it is for (manage.py and Celery: development, gunicorn: production)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

PROBE = """
import importlib, json, os
module = importlib.import_module(os.environ["PROBE_SETTINGS"])
print(json.dumps({"debug": module.DEBUG, "docs": module.API_DOCS_PUBLIC}))
"""


def _python(code: str, **env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "API_DOCS_PUBLIC",
                        "DJANGO_SECRET_KEY", "SENTRY_DSN")}
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _debug(module: str, **env) -> dict:
    result = _python(PROBE, PROBE_SETTINGS=module, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_turned_on():
    assert _debug("zhifu.settings.base") == {"debug": False, "docs": False}
    assert _debug("zhifu.settings.base", DJANGO_DEBUG="1") == {"debug": True, "docs": True}
    assert _debug("zhifu.settings.base", DJANGO_DEBUG="yes")["debug"] is True
    assert _debug("zhifu.settings.base", DJANGO_DEBUG="maybe")["debug"] is False


def test_make_run_shows_the_products_own_pages_unless_a_developer_asks_for_debug():
    """A person trying the demo never meets Django's debug 404 listing every URL."""
    assert _debug("zhifu.settings.development") == {"debug": False, "docs": True}
    assert _debug("zhifu.settings.development", DJANGO_DEBUG="1")["debug"] is True


def test_importing_settings_creates_nothing_and_the_apps_make_their_folders(tmp_path):
    sqlite = tmp_path / "fresh" / "var" / "zhifu.sqlite3"
    static = tmp_path / "static-root"
    code = """
import os, django
from pathlib import Path
import zhifu.settings.base
assert not Path(os.environ["SQLITE_PATH"]).parent.exists(), "settings made the database folder"
assert not Path(os.environ["STATIC_ROOT"]).exists(), "settings made STATIC_ROOT"
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifu.settings.base"
django.setup()
assert Path(os.environ["SQLITE_PATH"]).parent.is_dir()
assert Path(os.environ["STATIC_ROOT"]).is_dir()
print("ok")
"""
    result = _python(code, SQLITE_PATH=str(sqlite), STATIC_ROOT=str(static), DATABASE_URL=None)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_manage_py_defaults_to_development_and_gunicorn_to_production(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DJANGO_SECRET_KEY")}
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    env.pop("DATABASE_URL", None)
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert shown.stdout.split()[-2:] == ["zhifu.settings.development", "False"]
    # The WSGI module is production's: without a secret it refuses to start.
    wsgi = subprocess.run([sys.executable, "-c", "import zhifu.wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert wsgi.returncode != 0 and "DJANGO_SECRET_KEY" in wsgi.stderr


DATABASE_PROBE = """
import json
import zhifu.settings.base as s
db = s.DATABASES["default"]
print(json.dumps({"engine": db["ENGINE"], "max_age": db["CONN_MAX_AGE"],
                  "options": db.get("OPTIONS", {})}))
"""


def _database(**env) -> dict:
    result = _python(DATABASE_PROBE, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_uses_psycopg3s_pool_unless_turned_off(tmp_path):
    url = "postgres://zhifu@db.example.invalid:5432/zhifu"
    pooled = _database(DATABASE_URL=url, DB_CONN_MAX_AGE="600")
    assert pooled["engine"] == "django.db.backends.postgresql"
    assert pooled["max_age"] == 0  # Django's pool requires it; the pool keeps connections
    assert pooled["options"]["pool"] == {"min_size": 1, "max_size": 10, "timeout": 10.0}
    assert pooled["options"]["connect_timeout"] == 5
    persistent = _database(DATABASE_URL=url, DB_CONN_MAX_AGE="600", DB_POOL="0")
    assert persistent["max_age"] == 600 and "pool" not in persistent["options"]
    sqlite = _database(DATABASE_URL=None, SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    assert sqlite["engine"] == "django.db.backends.sqlite3" and sqlite["max_age"] == 0
    assert "pool" not in sqlite["options"]


def test_the_postgresql_driver_is_psycopg_3():
    import importlib.util

    assert importlib.util.find_spec("psycopg") and importlib.util.find_spec("psycopg_pool")
    from django.db.backends.postgresql import base

    assert base.is_psycopg3
