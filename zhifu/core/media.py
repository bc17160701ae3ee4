"""Uploaded files are served only to those who may see what they belong to.

Each domain app registers, for the folder its files are stored under, a function that
says whether a user may see one stored file (asking the door); ``protected_media``
answers 404 to everyone else, exactly as for a file that does not exist.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

MediaRule = Callable[..., bool]
_RULES: dict[str, MediaRule] = {}


def register_media(folder: str, may_see: MediaRule) -> None:
    """``may_see(user=, name=)`` for files stored under ``folder/``."""
    _RULES[folder.strip("/")] = may_see


def _rule_for(name: str) -> MediaRule | None:
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/"):
        return None
    return _RULES.get(parts[0])


@require_safe
def protected_media(request, name: str):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rule = _rule_for(name)
    if rule is None or not rule(user=user, name=name):
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    filename = PurePosixPath(name).name
    if settings.MEDIA_SERVE_MODE == "x-accel":
        # nginx serves the bytes from an internal location (docs/operations.md).
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_URL.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
