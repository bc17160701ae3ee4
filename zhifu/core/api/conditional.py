"""Conditional writes: a client says which version of an object it read (``If-Match``),
and gets the version it now holds back (``ETag``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError


def if_match_version(request) -> int | None:
    """The version in the request's ``If-Match`` header (``"7"``, ``W/"7"`` or ``7``), or
    ``None`` when it sends none (then the write is not conditional)."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw or raw == "*":
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise DomainError(_("If-Match must carry the version you read, for example \"7\"."),
                          code="bad_if_match",
                          fields={"If-Match": [_("Not a version number.")]})
    return int(value)


def with_etag(response, version: int):
    """The response, telling the client the version it now has."""
    response["ETag"] = f'"{version}"'
    return response
