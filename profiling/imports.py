"""Imports of the data profiles are computed from (CSV / Excel), with the same guarantees
as the retailer import: a preview lists every bad row with its line and reason; committing
writes all the good rows in one transaction or nothing; importing the same file twice
changes nothing the second time. The tables are the resources in ``resources.py``.
"""

from __future__ import annotations

from zhifu.accounts.imports import retailer_import, specialist_import
from zhifu.accounts.tabular import ImportReport, run_import

from .resources import OrderResource, RawValueResource


def order_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview (``commit=False``) or write (``commit=True``) a file of orders."""
    return run_import(OrderResource(actor=actor), content=content, filename=filename,
                      commit=commit)


def raw_value_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview or write a file of indicator values (terminal data, trade-area data, …)."""
    return run_import(RawValueResource(actor=actor), content=content, filename=filename,
                      commit=commit)


# The kinds of file the dashboard's import page accepts.
IMPORTERS = {
    "retailers": retailer_import,
    "specialists": specialist_import,
    "orders": order_import,
    "raw_values": raw_value_import,
}
