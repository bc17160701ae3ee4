"""Brute-force protection for every login (web, admin, API).

Failures are counted per username and per client address in the shared cache
(Redis in production, so the count holds across gunicorn workers). After
``MAX_FAILURES`` within ``WINDOW_SECONDS`` the pair is locked for ``LOCK_SECONDS``;
a success clears the username's count.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError

logger = logging.getLogger(__name__)

MAX_FAILURES = getattr(settings, "LOGIN_MAX_FAILURES", 5)
WINDOW_SECONDS = getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60)
LOCK_SECONDS = getattr(settings, "LOGIN_LOCK_SECONDS", 15 * 60)
# An address trying many usernames is locked too, at a higher count.
MAX_FAILURES_PER_ADDRESS = MAX_FAILURES * 4


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login:{kind}:{digest}"


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


class LoginLocked(DomainError):
    status_code = 429

    def __init__(self) -> None:
        minutes = max(1, LOCK_SECONDS // 60)
        super().__init__(
            _("Too many failed logins. Try again in %(minutes)s minutes.") % {"minutes": minutes},
            code="login_locked",
        )


def login_check_allowed(*, username: str, address: str) -> None:
    """Raise ``LoginLocked`` when this username or this address is locked."""
    if cache.get(_key("lock-user", username)) or cache.get(_key("lock-addr", address)):
        raise LoginLocked()


def _bump(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def login_record_failure(*, username: str, address: str) -> None:
    if _bump(_key("fail-user", username)) >= MAX_FAILURES:
        cache.set(_key("lock-user", username), 1, timeout=LOCK_SECONDS)
        logger.warning("login locked for a username after %s failures", MAX_FAILURES)
    if _bump(_key("fail-addr", address)) >= MAX_FAILURES_PER_ADDRESS:
        cache.set(_key("lock-addr", address), 1, timeout=LOCK_SECONDS)
        logger.warning("login locked for address %s", address)


def login_record_success(*, username: str) -> None:
    cache.delete_many([_key("fail-user", username), _key("lock-user", username)])
