"""The upload an import's preview keeps for its commit, so "commit" needs no second
upload: on django-import-export's ``MediaStorage`` (``MEDIA_ROOT/imports/``), readable for
``STAGED_IMPORT_HOURS``, deleted by its commit or, uncommitted, by the nightly purge (an
uploaded sheet of shops or people is personal data). Pages (the dashboard's import page,
the admin's) take their two steps through ``staged_preview`` and ``staged_commit``."""

from __future__ import annotations

import re
import time
import uuid

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.tmp_storages import MediaStorage

from zhifu.core.errors import DomainError

from .tabular import ImportReport

STAGING_FOLDER = "imports"
TOKEN = re.compile(r"[0-9a-f]{32}\.(csv|xlsx)")


def _staged(token: str) -> MediaStorage:
    return MediaStorage(name=token, MEDIA_FOLDER=STAGING_FOLDER)


def staged_save(*, content: bytes, filename: str) -> str:
    """Keep an uploaded file for its commit step; returns an opaque token."""
    suffix = ".xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    token = uuid.uuid4().hex + suffix
    _staged(token).save(content)
    return token


def _stale(storage: MediaStorage, now: float) -> bool:
    modified = storage._storage.get_modified_time(storage.get_full_path()).timestamp()
    return now - modified > settings.STAGED_IMPORT_HOURS * 3600


def staged_load(*, token: str) -> tuple[bytes, str]:
    """The file kept at preview, while it is fresh (``STAGED_IMPORT_HOURS``)."""
    expired = DomainError(_("This import has expired; upload the file again."),
                          code="import_expired")
    if not TOKEN.fullmatch(token or ""):
        raise expired
    storage = _staged(token)
    if not storage._storage.exists(storage.get_full_path()) or _stale(storage, time.time()):
        raise expired
    return storage.read(), token


def staged_purge(*, now: float | None = None) -> int:
    """Delete the files of previews nobody committed (nightly): an uploaded sheet of shops
    or people is personal data, kept no longer than its import needs."""
    now = time.time() if now is None else now
    folder = _staged("x")._storage
    if not folder.exists(STAGING_FOLDER):
        return 0
    removed = 0
    for name in folder.listdir(STAGING_FOLDER)[1]:
        storage = _staged(name)
        if _stale(storage, now):
            storage.remove()
            removed += 1
    return removed


def staged_preview(*, importer, upload, actor) -> tuple[ImportReport, str]:
    """Step one of a page's import: the preview of an uploaded file, and the token of the
    file kept for step two. ``importer`` is one of the ``*_import`` functions."""
    content = upload.read()
    report = importer(content=content, filename=upload.name, commit=False, actor=actor)
    return report, staged_save(content=content, filename=upload.name)


def staged_commit(*, importer, token: str, actor) -> ImportReport:
    """Step two: write the file kept at preview (while fresh), then forget it, so the same
    token cannot be committed twice."""
    content, filename = staged_load(token=token)
    report = importer(content=content, filename=filename, commit=True, actor=actor)
    staged_discard(token=token)
    return report


def committed_message(report: ImportReport) -> str:
    return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
             "%(bad)s bad rows skipped.") % {
        "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "bad": report.total - report.good_rows}


def staged_discard(*, token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        storage = _staged(token)
        if storage._storage.exists(storage.get_full_path()):
            storage.remove()
