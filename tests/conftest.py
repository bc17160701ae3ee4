from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and the like must not leak from one test into another.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    """Two districts, each with its manager, specialist and two retailers, plus an admin."""
    north = factories.district("N1", "北片区", 23.40, 116.70)
    south = factories.district("S1", "南片区", 23.30, 116.60)
    return SimpleNamespace(
        north=north,
        south=south,
        admin=factories.admin(),
        manager_north=factories.manager(north),
        manager_south=factories.manager(south),
        specialist_north=factories.specialist(north),
        specialist_south=factories.specialist(south),
        retailer_north=factories.retailer(north),
        retailer_north2=factories.retailer(north),
        retailer_south=factories.retailer(south),
    )


@pytest.fixture
def api():
    return APIClient()


def login_api(client: APIClient, user) -> dict:
    response = client.post("/api/v1/auth/token/",
                           {"username": user.username, "password": factories.PASSWORD},
                           format="json")
    assert response.status_code == 200, response.content
    tokens = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return tokens


def worker_database_url() -> str:
    """The URL of the test database, for worker processes that must read the same rows."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def spawn_worker(queue: str, log_path, **extra_env):
    """Start a Celery worker process (solo pool) consuming only ``queue``."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": worker_database_url(),
           "DJANGO_SETTINGS_MODULE": "zhifu.settings.test", **extra_env}
    with open(log_path, "a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "zhifu", "worker", "--pool=solo",
             "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO", "-n", f"{queue}-{os.getpid()}@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop_worker(worker) -> None:
    import subprocess

    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def require_real_broker() -> None:
    from django.conf import settings
    from django.db import connection

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs CELERY_BROKER_URL (a real broker); the SQLite run uses eager tasks")
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot share an in-memory SQLite test database")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker process on the configured broker, reading the test database.

    Yields the name of a queue only this worker consumes, so nothing else on the
    broker can take the test's messages.
    """
    import uuid

    require_real_broker()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    worker = spawn_worker(queue, log)
    try:
        yield SimpleNamespace(queue=queue, process=worker, log=log)
    finally:
        stop_worker(worker)


@pytest.fixture
def eager_celery():
    """Run tasks in process for this test even when a real broker is configured."""
    from zhifu.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def browser(live_server):
    """Headless Chromium on the live test server; see tests/browser.py."""
    from tests.browser import Browser, browser_available

    if not browser_available():
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    instance = Browser(live_server.url)
    try:
        yield instance
    finally:
        instance.quit()


def pytest_collection_modifyitems(items):
    """Tests on real transactions (live server and browser, real workers, races) start with
    the data the migrations load (catalogue, band templates, request promises, profile
    rules): the flush after each such test would otherwise leave the next one without it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = ({"transactional_db", "live_server"} & set(item.fixturenames)
                         or (marker is not None and marker.kwargs.get("transaction")))
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
