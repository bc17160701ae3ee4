"""Test settings: the base path with fast password hashing.

The database and broker still come from the environment, so the same suite runs
on SQLite with tasks in process and on PostgreSQL with Redis.
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Throttling is exercised by its own tests with a fresh cache.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "1000/min"}}  # noqa: F405
# The schema and its viewers open, as while developing (DEBUG is off in tests): the API fuzz
# test reads the schema anonymously; tests/security/test_trust_boundary.py closes them.
API_DOCS_PUBLIC = True
