"""Periodic work of the accounts app (beat)."""

from celery import shared_task

from .staging import staged_purge


@shared_task(name="accounts.purge_staged_imports")
def purge_staged_imports() -> int:
    """Nightly: the files of import previews nobody committed."""
    return staged_purge()
