"""The monthly work-quality import.

Same guarantees as every import here: a preview lists each bad row with its line and
reason; committing writes all good rows or nothing; keyed by (employee number, month),
so the same file twice changes nothing. The table is ``resources.WorkQualityResource``.
"""

from __future__ import annotations

from zhifu.accounts.tabular import ImportReport, run_import

from .resources import WorkQualityResource


def work_quality_import(*, content: bytes, filename: str, commit: bool,
                        actor) -> ImportReport:
    """Preview or write a month's work-quality rates on ``actor``'s behalf (only for the
    specialists it may change)."""
    return run_import(WorkQualityResource(actor=actor), content=content, filename=filename,
                      commit=commit)
