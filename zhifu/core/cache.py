"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds only what can be rebuilt (login-failure counters, throttle windows,
computed fragments), so losing it for a while must not take pages and the API down:
reads miss, writes are dropped, and one warning a minute says so.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def _warn(operation: str, exc: Exception) -> None:
    if time.monotonic() - _last_warning[0] > 60:
        _last_warning[0] = time.monotonic()
        logger.warning("cache unreachable (%s: %s); carrying on without it", operation, exc)


class ResilientRedisCache(RedisCache):
    def _guard(self, operation: str, default, call):
        try:
            return call()
        except UNREACHABLE as exc:
            _warn(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, lambda: super(ResilientRedisCache, self).get(
            key, default, version))

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, lambda: super(ResilientRedisCache, self).get_many(
            keys, version))

    def has_key(self, key, version=None):
        return self._guard("has_key", False, lambda: super(ResilientRedisCache, self).has_key(
            key, version))

    def set(self, key, value, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._guard("set", None, lambda: super(ResilientRedisCache, self).set(
            key, value, version=version, **kwargs))

    def add(self, key, value, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._guard("add", False, lambda: super(ResilientRedisCache, self).add(
            key, value, version=version, **kwargs))

    def set_many(self, data, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._guard("set_many", list(data), lambda: super(
            ResilientRedisCache, self).set_many(data, version=version, **kwargs))

    def delete(self, key, version=None):
        return self._guard("delete", False, lambda: super(ResilientRedisCache, self).delete(
            key, version))

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, lambda: super(
            ResilientRedisCache, self).delete_many(keys, version))

    def incr(self, key, delta=1, version=None):
        # A missing key raises ValueError as usual; an unreachable cache counts nothing.
        return self._guard("incr", 0, lambda: super(ResilientRedisCache, self).incr(
            key, delta, version))

    def touch(self, key, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._guard("touch", False, lambda: super(ResilientRedisCache, self).touch(
            key, version=version, **kwargs))

    def clear(self):
        return self._guard("clear", False, lambda: super(ResilientRedisCache, self).clear())
