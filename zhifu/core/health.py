"""Readiness checks: the database, the cache and the broker, each bounded in time.

Each check answers ``"ok"``, ``"skipped"`` (nothing to reach: no broker configured, tasks
run in process) or raises. What failed is logged here; the HTTP answer names only the
check, never an address, a password or an error text.
"""

from __future__ import annotations

import logging
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

# Seconds any one dependency may take before it counts as down.
CHECK_TIMEOUT_SECONDS = 2


def check_database() -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Connecting is bounded by connect_timeout (settings); this bounds the query.
                cursor.execute("SET LOCAL statement_timeout = %s",
                               [CHECK_TIMEOUT_SECONDS * 1000])
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return "ok"


def check_cache() -> str:
    """A round trip: the Redis cache answers "no value" while Redis is down (it degrades
    rather than failing requests), so only reading back what was written proves it."""
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=CHECK_TIMEOUT_SECONDS * 5)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("cache round trip lost the value")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "skipped"
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                               timeout=CHECK_TIMEOUT_SECONDS)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def readiness() -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # noqa: BLE001 - any failure of a dependency means "not ready"
            logger.warning("readiness: %s check failed", name, exc_info=True)
            results[name] = "failed"
    return all(result != "failed" for result in results.values()), results
