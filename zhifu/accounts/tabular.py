"""Reading and writing CSV / Excel tables of people, shared by imports and exports.

Every cell is read as text (phone and ID numbers keep their leading zeros and
never become floats). Headers may be the field name or its Chinese or English
column title, so a file exported from the platform imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError
from zhifu.core.spreadsheets import spreadsheet_bytes

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


class RowParser:
    """Parses the cells of one row, collecting every problem with its line and column."""

    def __init__(self, line: int, cells: dict[str, str], report: ImportReport) -> None:
        self.line, self.cells, self.report = line, cells, report
        self.ok = True
        self.failed: set[str] = set()

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.failed.add(column)
        self.report.errors.append(RowError(line=self.line, column=column, message=str(message)))

    def text(self, name: str) -> str:
        return self.cells.get(name, "")

    def number(self, name: str, kind: type = float, required: bool = True):
        raw = self.text(name)
        if not raw:
            if required:
                self.fail(name, _("This value is required."))
            return None
        try:
            number = float(raw)
        except ValueError:
            number = None
        if number is None or number != number:  # NaN is not a number either
            self.fail(name, _("“%(value)s” is not a number.") % {"value": raw})
            return None
        if kind is int:
            if not number.is_integer():
                self.fail(name, _("“%(value)s” is not a whole number.") % {"value": raw})
                return None
            return int(number)
        return number

    def choice(self, name: str, aliases: dict[str, str], default: str | None = None):
        raw = self.text(name)
        if not raw:
            if default is None:
                self.fail(name, _("This value is required."))
            return default
        value = aliases.get(raw.lower())
        if value is None:
            self.fail(name, _("“%(value)s” is not one of the allowed values.") % {"value": raw})
        return value

    def date(self, name: str) -> dt.date | None:
        raw = self.text(name)
        if not raw:
            return None
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d"):
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        self.fail(name, _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": raw})
        return None

    def time(self, name: str, default: dt.time) -> dt.time:
        raw = self.text(name)
        if not raw:
            return default
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(raw, fmt).time()
            except ValueError:
                continue
        self.fail(name, _("“%(value)s” is not a time (use HH:MM).") % {"value": raw})
        return default

    def validate(self, instance, exclude: Iterable[str] = ()) -> None:
        """Model-level checks on the columns that parsed, so one pass reports them all."""
        skip = set(exclude) | self.failed | {c.removesuffix("_id") for c in self.failed}
        try:
            instance.full_clean(exclude=list(skip), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    self.fail(column if column != "__all__" else "", message)


def classify_changes(pairs, fields: list[str], report: ImportReport) -> tuple[list, list]:
    """Split ``(current or None, candidate)`` pairs into rows to create and rows to update
    (current rows with the candidate's values); identical rows are only counted."""
    to_create, to_update = [], []
    for current, candidate in pairs:
        if current is None:
            to_create.append(candidate)
        elif any(getattr(current, f) != getattr(candidate, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(candidate, f))
            to_update.append(current)
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    return to_create, to_update


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
    if fmt not in ("csv", "xlsx"):
        raise DomainError(_("Export format must be csv or xlsx."), code="export_format")
    headers = [col.zh if language.startswith("zh") else col.en for col in columns]
    return spreadsheet_bytes(
        headers=headers, rows=[[row.get(col.field) for col in columns] for row in rows],
        fmt=fmt)


# --- staged uploads: a preview keeps the file so "commit" needs no second upload -----------

def _staging_dir():
    path = settings.MEDIA_ROOT / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def staged_save(*, content: bytes, filename: str) -> str:
    """Keep an uploaded file for its commit step; returns an opaque token."""
    suffix = ".xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    token = uuid.uuid4().hex + suffix
    (_staging_dir() / token).write_bytes(content)
    return token


def _stale(path, now: float) -> bool:
    return now - path.stat().st_mtime > settings.STAGED_IMPORT_HOURS * 3600


def staged_load(*, token: str) -> tuple[bytes, str]:
    """The file kept at preview, while it is fresh (``STAGED_IMPORT_HOURS``)."""
    expired = DomainError(_("This import has expired; upload the file again."),
                          code="import_expired")
    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token or ""):
        raise expired
    path = _staging_dir() / token
    if not path.exists() or _stale(path, time.time()):
        raise expired
    return path.read_bytes(), token


def staged_purge(*, now: float | None = None) -> int:
    """Delete the files of previews nobody committed (nightly): an uploaded sheet of shops
    or people is personal data, kept no longer than its import needs."""
    now = time.time() if now is None else now
    removed = 0
    for path in _staging_dir().iterdir():
        if path.is_file() and _stale(path, now):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def staged_discard(*, token: str) -> None:
    path = _staging_dir() / token
    if path.exists() and path.parent == _staging_dir():
        path.unlink()
