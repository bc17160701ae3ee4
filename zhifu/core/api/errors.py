"""One error shape for the whole API.

    {"error": {"code": "validation_error", "message": "…", "fields": {"name": ["…"]}}}

Messages are translated into the request's language (Accept-Language).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from zhifu.core.errors import DomainError

logger = logging.getLogger(__name__)


def error_body(code: str, message: Any, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    """Turn DRF's nested ErrorDetail structures into plain lists of strings."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = [_flatten(item) for item in detail]
        return flat
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response:
    if isinstance(exc, DomainError):
        body = error_body(exc.code, exc.message, exc.fields)
        body["error"].update(exc.extra)
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "; ".join(exc.messages) if not fields else _("Some fields are not valid.")
        return Response(error_body("validation_error", message, _flatten(fields)), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("Something went wrong on our side. Please try again.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ParseError):
        # DRF's parser message is English only; lead with a translated sentence.
        response.data = error_body(
            "parse_error",
            _("The request body is not valid JSON or form data (%(detail)s).")
            % {"detail": str(exc.detail)},
        )
        return response
    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        if isinstance(detail, dict):
            non_field = detail.pop("non_field_errors", None)
            message = non_field[0] if non_field else _("Some fields are not valid.")
            body = error_body("validation_error", message, detail)
        else:
            items = detail if isinstance(detail, list) else [detail]
            body = error_body("validation_error", items[0] if items else _("Invalid input."))
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        detail = getattr(exc, "detail", str(exc))
        if isinstance(detail, dict):
            # simplejwt puts its explanation under "detail" next to a "code".
            code = str(detail.get("code", code))
            detail = detail.get("detail", detail)
        body = error_body(code, _flatten(detail))
    response.data = body
    return response


def json_error_view(code: str, message: Any, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)
