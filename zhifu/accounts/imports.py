"""Import and export of retailers and specialists (CSV / Excel), on someone's behalf.

An import is first a preview: every bad row is listed with its line and reason.
Committing writes all the good rows in one transaction, or nothing. The tables
themselves are the resources in ``resources.py``; the dashboard, the admin and the
``import_*`` commands all come through these functions.
"""

from __future__ import annotations

from .resources import RetailerResource, SpecialistResource
from .tabular import ImportReport, export_bytes, run_import


def retailer_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview (``commit=False``) or write (``commit=True``) a retailer file on ``actor``'s
    behalf: a row for a shop, or a district, outside the actor's scope is a bad row."""
    return run_import(RetailerResource(actor=actor), content=content, filename=filename,
                      commit=commit)


def retailer_export(*, retailers, user, fmt: str) -> bytes:
    """Export retailers the user may see; phones masked unless the user may see them."""
    return export_bytes(RetailerResource(user=user),
                        queryset=retailers.select_related("district", "grid"), fmt=fmt)


def specialist_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview or write a specialist file on ``actor``'s behalf (rows outside its scope are
    bad rows)."""
    return run_import(SpecialistResource(actor=actor), content=content, filename=filename,
                      commit=commit)


def specialist_export(*, specialists, user, fmt: str) -> bytes:
    return export_bytes(SpecialistResource(user=user), queryset=specialists.select_related(
        "user", "home_district").prefetch_related("districts", "skill_levels__skill"), fmt=fmt)
