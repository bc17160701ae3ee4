"""Brute-force protection for every login (web, admin, API).

Each attempt takes its place in two counters in the shared cache (Redis in production,
so the counts hold across gunicorn workers) *before* the password is checked:

- per account, keyed on the normalised name (NFKC + casefold, see ``normalise_username``),
  so another spelling of the same name shares the count; ``MAX_FAILURES`` checks within
  ``WINDOW_SECONDS``, then the account is locked for everyone for ``LOCK_SECONDS``;
- per client address (``client_address``: the real client behind ``TRUSTED_PROXY_COUNT``
  proxies), ``MAX_FAILURES_PER_ADDRESS`` attempts; that locks only the address.

Taking the place with the cache's atomic ``incr`` first means parallel attempts cannot
all slip past the limit: at most ``MAX_FAILURES`` passwords are ever checked. A success
clears the account's count and gives the address its place back; anything else (a wrong
or empty password, an unknown or disabled account, a malformed request) stays counted.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

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


def normalise_username(username: str) -> str:
    """The one form of a login name: what the counter is keyed on and what the login
    backend resolves (``NormalisedUsernameBackend``)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"login:{kind}:{digest}"


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` reverse
    proxies the address the outermost trusted proxy put into X-Forwarded-For.

    The same rule as DRF's throttles with ``NUM_PROXIES`` (set from the same setting), so
    the login guard and the API throttle see one address. Without trusted proxies the
    header is ignored: any client can write it.
    """
    if request is None:
        return "unknown"
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = forwarded.split(",")
    return hops[-min(proxies, len(hops))].strip()[:64] or remote


class LoginLocked(DomainError):
    status_code = 429

    def __init__(self) -> None:
        minutes = max(1, LOCK_SECONDS // 60)
        super().__init__(
            _("Too many failed logins. Try again in %(minutes)s minutes.") % {"minutes": minutes},
            code="login_locked",
        )


@dataclass
class Attempt:
    account_key: str | None
    address_key: str
    succeeded: bool = False


def _take_place(key: str) -> int:
    """Atomically count one more attempt; the count after it."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        return cache.incr(key)


def _count(key: str) -> int:
    return cache.get(key) or 0


@contextmanager
def login_attempt(*, username: str, address: str):
    """Guard one password check: raises ``LoginLocked`` before it when the address or the
    account has used up its attempts. The caller sets ``attempt.succeeded`` once the
    password is verified; leaving the block any other way counts as a failure.
    """
    name = normalise_username(username)
    attempt = Attempt(account_key=_key("account", name) if name else None,
                      address_key=_key("address", address))
    # The address first: a locked-out address must not go on to use up the attempts of
    # the accounts it names.
    if _take_place(attempt.address_key) > MAX_FAILURES_PER_ADDRESS:
        raise LoginLocked()
    if attempt.account_key and _take_place(attempt.account_key) > MAX_FAILURES:
        raise LoginLocked()
    try:
        yield attempt
    finally:
        if attempt.succeeded:
            _record_success(attempt)
        else:
            _record_failure(attempt, address)


def _record_failure(attempt: Attempt, address: str) -> None:
    # The lock lasts LOCK_SECONDS from the failure that reached the limit.
    if attempt.account_key and _count(attempt.account_key) >= MAX_FAILURES:
        cache.touch(attempt.account_key, LOCK_SECONDS)
        logger.warning("login locked for an account after %s failures", MAX_FAILURES)
    if _count(attempt.address_key) >= MAX_FAILURES_PER_ADDRESS:
        cache.touch(attempt.address_key, LOCK_SECONDS)
        logger.warning("login locked for address %s", address)


def _record_success(attempt: Attempt) -> None:
    if attempt.account_key:
        cache.delete(attempt.account_key)
    try:
        cache.decr(attempt.address_key)
    except ValueError:  # the count expired meanwhile: nothing to give back
        pass


def login_is_locked(*, username: str, address: str) -> bool:
    """Whether the next attempt for this name from this address would be refused."""
    name = normalise_username(username)
    return (_count(_key("address", address)) >= MAX_FAILURES_PER_ADDRESS
            or bool(name) and _count(_key("account", name)) >= MAX_FAILURES)
