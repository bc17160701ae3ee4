"""API fuzzing in process with schemathesis, from our own OpenAPI schema: no 5xx, and
every response conforms to the schema (status codes, bodies, content types)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests import factories

schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(db):
    # Calling the WSGI app directly fires request_finished, whose handler would close the
    # test transaction's connection on PostgreSQL; Django's own test client disconnects it
    # for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db):
    """A small city to fuzz against: a specialist with a task, a manager, a retailer."""
    district = factories.district("F1", "模糊片区")
    specialist = factories.specialist(district)
    manager = factories.manager(district)
    factories.retailer(district)
    return {role: str(RefreshToken.for_user(user).access_token)
            for role, user in (("specialist", specialist.user), ("manager", manager))}


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case, tokens):
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
