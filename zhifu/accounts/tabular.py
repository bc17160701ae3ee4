"""Reading and writing CSV / Excel tables of people, shared by imports and exports.

Every cell is read as text (phone and ID numbers keep their leading zeros and
never become floats). Headers may be the field name or its Chinese or English
column title, so a file exported from the platform imports back unchanged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Column:
    """One column of a table: its field name and the titles it may carry."""

    field: str
    zh: str
    en: str
    required: bool = False

    def aliases(self) -> set[str]:
        return {self.field.lower(), self.zh.lower(), self.en.lower()}


@dataclass
class RowError:
    line: int
    message: str
    column: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    """What an import found and (when committed) did."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def good_rows(self) -> int:
        return self.total - len({e.line for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "good_rows": self.good_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "committed": self.committed,
            "errors": [e.as_dict() for e in self.errors],
        }


def read_table(*, content: bytes, filename: str, columns: list[Column]) -> list[tuple[int, dict]]:
    """Parse a CSV or Excel file into ``(line number, {field: text})`` rows.

    Raises ``DomainError`` for files that cannot be read at all (wrong type,
    too large, missing required columns); row-level problems are the caller's.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(_("The file is larger than 20 MB."), code="file_too_large")
    if not content:
        raise DomainError(_("The file is empty."), code="file_empty")
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False,
                                  engine="openpyxl")
        elif name.endswith(".csv"):
            frame = _read_csv(content)
        else:
            raise DomainError(_("Upload a .csv or .xlsx file."), code="file_type")
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault
        raise DomainError(
            _("The file could not be read: %(reason)s") % {"reason": str(exc)[:200]},
            code="file_unreadable",
        ) from exc
    if len(frame) > MAX_IMPORT_ROWS:
        raise DomainError(_("The file has more than 200,000 rows; split it."),
                          code="file_too_many_rows")

    by_alias = {alias: col.field for col in columns for alias in col.aliases()}
    rename, unknown = {}, []
    for header in frame.columns:
        key = str(header).strip().lower()
        if key in by_alias:
            rename[header] = by_alias[key]
        elif key and not key.startswith("unnamed"):
            unknown.append(str(header))
    frame = frame.rename(columns=rename)
    missing = [col for col in columns if col.required and col.field not in frame.columns]
    if missing:
        raise DomainError(
            _("Missing required columns: %(columns)s")
            % {"columns": ", ".join(f"{c.zh} ({c.field})" for c in missing)},
            code="missing_columns",
        )
    wanted = [col.field for col in columns if col.field in frame.columns]
    rows = []
    # Line 1 is the header, so the first data row is line 2, as a spreadsheet shows it.
    for offset, record in enumerate(frame[wanted].to_dict(orient="records")):
        cleaned = {key: str(value).strip() for key, value in record.items()}
        if any(cleaned.values()):
            rows.append((offset + 2, cleaned))
    return rows


def _read_csv(content: bytes) -> pd.DataFrame:
    last_error: Exception | None = None
    for encoding in CSV_ENCODINGS:
        try:
            return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False,
                               encoding=encoding)
        except UnicodeDecodeError as exc:
            last_error = exc
    raise DomainError(_("The CSV file must be UTF-8 or GB18030 encoded."),
                      code="file_encoding") from last_error


def write_table(*, rows: list[dict], columns: list[Column], fmt: str, language: str) -> bytes:
    """Write rows as CSV (UTF-8 with BOM, so Excel shows Chinese) or Excel."""
    titles = {col.field: (col.zh if language.startswith("zh") else col.en) for col in columns}
    frame = pd.DataFrame(rows, columns=[col.field for col in columns]).rename(columns=titles)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        frame.to_excel(buffer, index=False, engine="openpyxl")
    elif fmt == "csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    else:
        raise DomainError(_("Export format must be csv or xlsx."), code="export_format")
    return buffer.getvalue()


# --- staged uploads: a preview keeps the file so "commit" needs no second upload -----------

def _staging_dir():
    from django.conf import settings

    path = settings.MEDIA_ROOT / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def staged_save(*, content: bytes, filename: str) -> str:
    """Keep an uploaded file for its commit step; returns an opaque token."""
    import uuid

    suffix = ".xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    token = uuid.uuid4().hex + suffix
    (_staging_dir() / token).write_bytes(content)
    return token


def staged_load(*, token: str) -> tuple[bytes, str]:
    import re

    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token or ""):
        raise DomainError(_("This import has expired; upload the file again."),
                          code="import_expired")
    path = _staging_dir() / token
    if not path.exists():
        raise DomainError(_("This import has expired; upload the file again."),
                          code="import_expired")
    return path.read_bytes(), token


def staged_discard(*, token: str) -> None:
    path = _staging_dir() / token
    if path.exists() and path.parent == _staging_dir():
        path.unlink()
