"""Recording every time a personal number is shown whole.

Within a request the records are collected and written in one insert when the response
leaves (``PersonalDataAuditMiddleware``); outside a request (a command's export) they are
written at once.
"""

from __future__ import annotations

import contextvars

from .masking import has_personal_number, mask_phone, mask_text, personal_numbers
from .models import PersonalDataAccess

_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("pii_pending",
                                                                      default=None)
_where: contextvars.ContextVar[str] = contextvars.ContextVar("pii_where", default="")


def record_unmasked(*, user, value: str, where: str = "") -> None:
    """Note that ``user`` was shown ``value`` whole."""
    if not value:
        return

    row = PersonalDataAccess(user_id=getattr(user, "pk", None), masked_value=mask_phone(value),
                             where=(where or _where.get())[:255])
    pending = _pending.get()
    if pending is None:
        row.save()
    else:
        pending.append(row)


def reveal_text(text: str | None, *, user, where: str = "") -> str:
    """Free text as ``user`` may read it: phone and ID numbers inside it masked, unless the
    user holds ``accounts.view_unmasked_personal_data`` (then the view is recorded)."""
    if not text:
        return text or ""
    if not has_personal_number(text):
        return text
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active \
            and user.has_perm("accounts.view_unmasked_personal_data"):
        for number in personal_numbers(text):
            record_unmasked(user=user, value=number, where=where)
        return text
    return mask_text(text)


class PersonalDataAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending_token = _pending.set([])
        where_token = _where.set(request.get_full_path()[:255])
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # template responses reveal numbers while rendering
            rows = _pending.get()
            if rows:
                PersonalDataAccess.objects.bulk_create(rows)
            return response
        finally:
            _pending.reset(pending_token)
            _where.reset(where_token)
