"""Query parameters read strictly: a value the caller got wrong is a 400 that says so, never
silently ignored (which would answer "everything" to a typo)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import DomainError

TRUE = ("1", "true")
FALSE = ("0", "false")


def parse_flag(value: str | None, *, field: str) -> bool | None:
    """``1``/``true`` or ``0``/``false``; absent or empty is ``None``."""
    if value in (None, ""):
        return None
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    message = _("Use 1 or 0.")
    raise DomainError(message, code="bad_filter", fields={field: [message]})


def parse_choice(value: str | None, choices, *, field: str) -> str | None:
    """One of a ``TextChoices``' values; absent or empty is ``None``."""
    if value in (None, ""):
        return None
    if value not in choices.values:
        raise DomainError(_("Unknown value “%(value)s”.") % {"value": value[:40]},
                          code="bad_filter",
                          fields={field: [_("Choose one of the listed values.")]})
    return value
