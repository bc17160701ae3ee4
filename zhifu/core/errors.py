"""The one error type services raise.

Views never build error responses by hand: the API exception handler and the
web pages turn a ``DomainError`` into the same code and translated message.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can understand: ``code`` for machines, ``message`` for people."""

    status_code = 400

    def __init__(
        self,
        message: Any,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = fields or {}
        # More for machines beside the message (a conflict's current version, say).
        self.extra: dict[str, Any] = {}
        if status_code is not None:
            self.status_code = status_code


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: Any, *, code: str = "not_found") -> None:
        super().__init__(message, code=code)


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, message: Any, *, code: str = "permission_denied") -> None:
        super().__init__(message, code=code)


class Conflict(DomainError):
    """The object changed under the caller (a state transition lost a race)."""

    status_code = 409

    def __init__(self, message: Any, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)
