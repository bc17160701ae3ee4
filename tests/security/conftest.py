"""Fixtures the security tests share with other suites."""

from tests.evaluation.conftest import team  # noqa: F401 - a fixture, used by name
