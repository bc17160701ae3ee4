"""Every CSV and Excel file the platform writes goes through ``spreadsheet_bytes``.

Text that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1``, ``-2+3``,
``@SUM(...)``, or a value starting with a tab or carriage return) is written with a
leading apostrophe, the usual defence against formula and DDE injection; in Excel files
every text cell is also stored as text, never as a formula. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text value that would start a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_bytes(*, headers: Sequence[str], rows: Sequence[Sequence], fmt: str) -> bytes:
    """``rows`` under ``headers`` as CSV (UTF-8 with a BOM, so Excel reads Chinese) or
    XLSX. ``fmt`` is ``"csv"`` or ``"xlsx"`` (the caller has validated it)."""
    headers = [escape_cell(str(h)) for h in headers]
    safe_rows = [[escape_cell(_plain(v)) for v in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(safe_rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        book = Workbook(write_only=False)
        sheet = book.active
        sheet.append(headers)
        for row in safe_rows:
            sheet.append(row)
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown spreadsheet format {fmt!r}")


def _plain(value):
    """What a cell can hold: numbers, text, dates; NaN and None as empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "isoformat"):
        return value
    return str(value)
