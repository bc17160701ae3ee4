"""Error reporting to Sentry, off unless ``SENTRY_DSN`` is set in the environment.

With a DSN, errors of requests and Celery tasks are sent without personal data: no
cookies, users or addresses (``send_default_pii=False``), and every string of an event
(message, exception values, breadcrumbs, request data) masked like the log lines.
"""

from __future__ import annotations

import os

from .masking import mask_text


def masked(value):
    """``value`` with every phone and ID number in its strings masked, at any depth."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(masked(item) for item in value)
    return value


def before_send(event: dict, _hint: dict) -> dict:
    return masked(event)


def init_from_environment(environ=None) -> bool:
    """Start the Sentry SDK when ``SENTRY_DSN`` is set; ``False`` (and no import, no
    network) otherwise."""
    environ = os.environ if environ is None else environ
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    # Imported here: without a DSN the SDK is never loaded.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=before_send,
        before_send_transaction=before_send,
        environment=environ.get("SENTRY_ENVIRONMENT", "production"),
        release=environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
    return True
