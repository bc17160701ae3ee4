"""Log records: phone and ID numbers masked, each line tagged with its request id, and
one JSON object per line in production (``LOG_FORMAT=json``).

The request id lives in a context variable: ``RequestIdMiddleware`` sets it for a web
request, ``zhifu.core.tracing`` carries it in the headers of the Celery tasks that request
sends and sets it again in the worker while the task runs.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from .masking import mask_text

NO_REQUEST = "-"
request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# An incoming X-Request-ID is kept only when it is a short token of these characters, so
# a client cannot write arbitrary text (newlines, quotes, personal data) into our logs.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The caller's id when it is a safe token, else a new one."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the line
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True


class RequestIdFilter(logging.Filter):
    """Puts the current request id on the record (``%(request_id)s``, the JSON field)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
            # Gunicorn writes its access line after the request has ended; the id is then
            # the response's X-Request-ID among the line's atoms.
            if record.request_id == NO_REQUEST and isinstance(record.args, dict):
                record.request_id = str(record.args.get("{x-request-id}o") or NO_REQUEST)
        return True


class ExpectedRefusalFilter(logging.Filter):
    """A 403 or 404 is the product answering as it should (another district's object, a
    page of another role): one line says so; the traceback Django attaches is noise that
    buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 0) in (403, 404):
            record.exc_info, record.exc_text = None, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors parse without guessing."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "process": record.process,
        }
        if record.exc_info:
            # A traceback quotes values (an exception's message): masked like the message.
            entry["exception"] = mask_text(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = mask_text(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, level: str = "INFO", log_format: str = "plain",
                   plain_format: str = PLAIN_FORMAT) -> dict:
    """The ``dictConfig`` of Django, Celery and gunicorn alike: one console handler with
    the masking and request-id filters, plain text or JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_personal": {"()": "zhifu.core.logging.MaskPersonalDataFilter"},
            "request_id": {"()": "zhifu.core.logging.RequestIdFilter"},
            "expected_refusal": {"()": "zhifu.core.logging.ExpectedRefusalFilter"},
        },
        "formatters": {
            "plain": {"format": plain_format},
            "json": {"()": "zhifu.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["request_id", "mask_personal", "expected_refusal"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
    }
