"""``Idempotency-Key`` on the API's writes: a phone that replays what it queued offline, or
retries after an answer it never got, sends each write with a key of its own; the first
request does the work and its answer is kept, every later request with the same key gets
that answer back (header ``Idempotent-Replayed: true``) and changes nothing.

* The key belongs to the user who sent it; the same key with another method, path or body
  is refused (422), as is a second request while the first is still being answered (409).
* Answers of 500 and above are not kept: the client may try again with the same key.
* Keys live a day (``IDEMPOTENCY_HOURS``), then the nightly purge removes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from .api.errors import json_error_view
from .models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
KEY = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def _user(request):
    """Who is writing: the session's user, or the bearer of a valid access token."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return request.user
    try:
        found = JWTAuthentication().authenticate(request)
    except (InvalidToken, TokenError):
        return None
    return found[0] if found else None


# Larger bodies (photos) are told apart by their type and length: reading them here would
# load every upload into memory before the view streams it.
BODY_HASHED_UP_TO = 1024 * 1024


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length <= BODY_HASHED_UP_TO:
        digest.update(request.body)
    else:
        digest.update(f"{request.META.get('CONTENT_TYPE', '')} {length}".encode())
    return digest.hexdigest()


def idempotency_purge(*, now: dt.datetime | None = None) -> int:
    hours = getattr(settings, "IDEMPOTENCY_HOURS", 24)
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY.match(key):
            return json_error_view("bad_idempotency_key", _(
                "The Idempotency-Key must be 8 to 64 letters, digits or . _ : -."), 400)
        user = _user(request)
        if user is None:
            return self.get_response(request)  # the view answers 401 as usual
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(user=user, key=key,
                                                          fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(user, key, fingerprint)
        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = bytes(response.content)
        record.save(update_fields=["status_code", "content_type", "body"])
        return response

    def _replay(self, user, key: str, fingerprint: str):
        record = IdempotentRequest.objects.filter(user=user, key=key).first()
        if record is None:
            return json_error_view("idempotency_retry", _(
                "This write is being answered; send it again in a moment."), 409)
        if record.fingerprint != fingerprint:
            return json_error_view("idempotency_key_reused", _(
                "This Idempotency-Key was used for another request; use a new key."), 422)
        if record.status_code is None:
            return json_error_view("idempotency_in_progress", _(
                "This write is still being answered; send it again in a moment."), 409)
        response = HttpResponse(bytes(record.body), status=record.status_code,
                                content_type=record.content_type or "application/json")
        response["Idempotent-Replayed"] = "true"
        return response
