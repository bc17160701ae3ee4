"""No Docker engine runs here, so the production shape is checked by reading it:
compose services, healthchecks and volumes, and the image's build steps run for real."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


APP_SERVICES = ("migrate", "web", "worker-default", "worker-dispatch", "beat")


def test_compose_has_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", *APP_SERVICES}
    for name in APP_SERVICES:
        assert services[name]["image"] == "zhifu:latest"  # one image for all of them
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "zhifu.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "web", "worker-default", "worker-dispatch"):
        assert "test" in services[name]["healthcheck"]
    assert "/readyz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "gunicorn" in services["web"]["command"]
    assert "beat" in services["beat"]["command"]
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


def test_migrations_run_once_before_everything_else():
    """A one-shot job, not part of web's command: scaling web never races two migrations."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for name in ("web", "worker-default", "worker-dispatch", "beat"):
        assert "migrate" not in " ".join(services[name]["command"])
        assert (services[name]["depends_on"]["migrate"]["condition"]
                == "service_completed_successfully")


def test_the_image_build_steps_work(tmp_path):
    """What the Dockerfile runs: the dependency list from pyproject and collectstatic."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text().splitlines()
              if "==" in line}
    for dep in deps:
        name = re.split(r"[\[<>=!~ ]", dep, maxsplit=1)[0].strip().lower()
        assert name.replace("_", "-") in pinned, f"{name} is not pinned in constraints.txt"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifu.settings.production",
           "DJANGO_SECRET_KEY": "s" * 30 + "3#k" * 10, "STATIC_ROOT": str(tmp_path / "static")}
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "vendor").rglob("echarts.min.*.js"))


def test_ci_lints_before_the_suites():
    """ruff and makemigrations --check run first, through the same `make lint` developers
    run (the layer test, tests/core/test_layers.py, runs in every suite)."""
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check ." in lint
    assert "makemigrations --check --dry-run" in lint
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in ci and ci.index("make lint") < ci.index("make test")
