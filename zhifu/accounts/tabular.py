"""CSV / Excel tables of the platform as django-import-export resources.

Every import and export is a ``TabularResource`` (``import_export.resources.Resource``)
whose fields are ``Column``s: a column has its field name and its Chinese and English
titles, so a file headed either way (or by field name) imports, and a file exported from
the platform imports back unchanged. What this module adds to the library is ours:

* reading: every cell as text (phone and ID numbers keep their leading zeros and never
  become floats), file-level refusals (size, type, encoding, missing columns) as one
  ``DomainError``, each row's spreadsheet line kept for its errors;
* validation: cell widgets that raise our translated messages; each resource adds its
  cross-column and cross-row checks (duplicates in the file, the actor's scope through
  ``zhifu.access.WriteScope``) as ``ValidationError``s keyed by column;
* the preview (``ImportReport``: new / changed / unchanged and every bad row with its line
  and column) and the commit, which writes every good row in one transaction or nothing;
  a preview writes nothing at all (the library's dry run would write and roll back);
* exports headed in the request's language, written by ``zhifu.core.spreadsheets``.

The upload a preview keeps for its commit is ``staging.py``'s.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from zhifu.core.errors import DomainError
from zhifu.core.months import month_from_cell
from zhifu.core.spreadsheets import spreadsheet_bytes

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
LINE = "_line"  # the hidden column holding each row's line in the file
LIST_SEPARATORS = (";", "；", "、", "|")


# --- cells -----------------------------------------------------------------------------------

class Text(widgets.Widget):
    """A text cell, stripped; ``required`` refuses an empty one."""

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text and self.required:
            raise ValueError(_("This value is required."))
        return self.parse(text) if text else self.empty()

    def parse(self, text: str):
        return text

    def empty(self):
        return ""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class Number(Text):
    """A number (``kind`` float or int); empty is ``default`` unless required."""

    def __init__(self, kind: type = float, *, required: bool = True, default=None) -> None:
        super().__init__(required=required)
        self.kind, self.default = kind, default

    def empty(self):
        return self.default

    def parse(self, text: str):
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or number != number:  # NaN is not a number either
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
        if self.kind is int:
            if not number.is_integer():
                raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
            return int(number)
        return number


def choice_aliases(choices) -> dict[str, str]:
    """Accept a choice by its value or by its label in either language."""
    aliases: dict[str, str] = {}
    for value, label in choices.choices:
        aliases[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                text = str(label).lower()
            aliases[text] = value
            # "城网 (urban)" style labels: each part on its own is accepted too.
            for part in text.replace("（", "(").replace("）", ")").replace(")", "").split("("):
                if part.strip():
                    aliases.setdefault(part.strip(), value)
    return aliases


class Choice(Text):
    """One of a choices class, by value or label; empty is ``default`` (required if None).
    Exported as its label in the request's language."""

    def __init__(self, choices, *, default=None) -> None:
        super().__init__(required=default is None)
        self.choices, self.default = choices, default
        self._aliases: dict[str, str] | None = None

    def empty(self):
        return self.default

    def parse(self, text: str):
        if self._aliases is None:
            self._aliases = choice_aliases(self.choices)
        value = self._aliases.get(text.lower())
        if value is None:
            raise ValueError(_("“%(value)s” is not one of the allowed values.") % {"value": text})
        return value

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class Date(Text):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d")

    def empty(self):
        return None

    def parse(self, text: str):
        for fmt in self.FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class Time(Text):
    def __init__(self, default: dt.time) -> None:
        super().__init__()
        self.default = default

    def empty(self):
        return self.default

    def parse(self, text: str):
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a time (use HH:MM).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value or "")


class Month(Text):
    """A month (its first day), as the platform writes months anywhere."""

    def __init__(self) -> None:
        super().__init__(required=True)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        month = month_from_cell(text)
        if month is None:
            raise ValueError(_("“%(value)s” is not a month (use YYYY-MM).") % {"value": text})
        return month


def split_list(text: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [item.strip() for item in text.split(LIST_SEPARATORS[0]) if item.strip()]


class Column(fields.Field):
    """A resource field that is a column of our tables: titled ``zh`` or ``en`` in exports,
    recognised by either title or its field name in imports. Without ``attribute`` the
    resource reads it itself (``row[name]``) in its checks."""

    def __init__(self, zh: str, en: str, widget: widgets.Widget | None = None, *,
                 attribute: str | None = None, required: bool = False,
                 exported: bool = True) -> None:
        super().__init__(attribute=attribute, widget=widget or Text(required=required))
        self.zh, self.en, self.exported = zh, en, exported
        self.required = required or getattr(self.widget, "required", False)

    def title(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en

    def aliases(self) -> set[str]:
        return {self.column_name.lower(), self.zh.lower(), self.en.lower()}


# --- the preview ---------------------------------------------------------------------------

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


class LoadedRows(BaseInstanceLoader):
    """Finds a row's current instance among those the resource loaded for the whole file
    (``load``), so reading a file costs a few queries, not one per row."""

    def get_instance(self, row):
        return self.resource.current(row)


def refuse(column: str, message: str) -> ValidationError:
    """A row refused whole, the reason reported on ``column``."""
    return ValidationError({column or NON_FIELD_ERRORS: [message]})


class TabularResource(resources.Resource):
    """A table of one model's rows, imported on ``actor``'s behalf (``None``: the operator
    at the console) and exported for ``user``.

    Subclasses declare their ``Column``s, ``key_columns`` (a row repeating them repeats an
    earlier row; reported on ``duplicate_column``), load the rows the file names in
    ``load(dataset)``, find a row's current instance in ``current(row)``, and add their own
    checks in ``check(instance, row, errors)``.
    """

    key_columns: tuple[str, ...] = ()
    written_fields: tuple[str, ...] = ()  # what a row writes, compared to tell unchanged rows
    duplicate_column: str = ""
    clean_exclude: tuple[str, ...] = ()  # model fields the resource checks itself

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_diff = True  # unchanged rows are told by ``snapshot``
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000
        instance_loader_class = LoadedRows

    def __init__(self, *, actor=None, user=None) -> None:
        super().__init__()
        self.actor, self.user = actor, user
        self.dry_run = True
        self._before = None
        self._seen: dict[tuple, int] = {}

    # the import hooks
    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._seen.clear()
        self.load(dataset)

    def load(self, dataset) -> None:
        """Fetch, in a few queries, the rows the file names."""

    def current(self, row):
        return None

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def init_instance(self, row=None):
        return self._meta.model()

    def before_import_row(self, row, **kwargs):
        if self.key_columns:
            key = tuple(row[c] for c in self.key_columns)
            if key in self._seen:
                raise refuse(self.duplicate_column or self.key_columns[0],
                             _("Duplicate of line %(line)s.") % {"line": self._seen[key]})
            self._seen[key] = row[LINE]

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.check(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def check(self, instance, row, errors: dict) -> None:
        """Checks across columns and rows; add ``errors[column] = [message, …]``."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own checks on the columns that parsed, so one pass reports them all
        (uniqueness is the key's, checked against the file and the loaded rows)."""
        errors = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            if errors:
                raise ValidationError(errors)
            return
        skip = set(self.clean_exclude) | set(errors) | {k.removesuffix("_id") for k in errors}
        try:
            instance.full_clean(exclude=list(skip), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else self.snapshot(instance)

    def snapshot(self, instance):
        """What a row writes, as it stands; the library's own diff (a deep copy and an
        export of every field per row) would cost more than the whole check."""
        return tuple(getattr(instance, f) for f in self.written_fields)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when none of the fields the resource writes differs."""
        return (not import_validation_errors and self._before is not None
                and self.snapshot(instance) == self._before)

    def save_instance(self, instance, is_create, row, **kwargs):
        # A preview writes nothing: the library's dry run would write and roll back.
        if not self.dry_run:
            super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None and hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()  # bulk_update skips auto_now

    def get_bulk_update_fields(self):
        extra = ["updated_at"] if hasattr(self._meta.model, "updated_at") else []
        return [*self.written_fields, *extra]

    # exports
    def columns(self) -> list[Column]:
        return [f for f in self.fields.values() if isinstance(f, Column)]

    def get_export_fields(self, selected_fields=None):
        return [f for f in super().get_export_fields(selected_fields)
                if getattr(f, "exported", True)]

    def get_export_headers(self, selected_fields=None):
        language = translation.get_language() or "zh-hans"
        return [f.title(language) for f in self.get_export_fields(selected_fields)]


def run_import(resource: TabularResource, *, content: bytes, filename: str,
               commit: bool) -> ImportReport:
    """Preview (``commit=False``: nothing written) or write a file through ``resource``:
    every good row in one transaction, or nothing if the database fails."""
    dataset = read_dataset(content=content, filename=filename, columns=resource.columns())
    result = resource.import_data(dataset, dry_run=not commit, use_transactions=True,
                                  raise_errors=False)
    # A failure that is not a row's fault (the database, a bug) rolled everything back.
    for error in result.base_errors:
        raise error.error
    for _number, errors in result.row_errors():
        raise errors[0].error
    totals = result.totals
    report = ImportReport(total=len(dataset), created=totals[RowResult.IMPORT_TYPE_NEW],
                          updated=totals[RowResult.IMPORT_TYPE_UPDATE],
                          unchanged=totals[RowResult.IMPORT_TYPE_SKIP], committed=commit)
    lines = dataset[LINE]
    # Errors are keyed by attribute (the library's and the model's checks): report the column.
    titled = {f.attribute: f.column_name for f in resource.columns() if f.attribute}
    titled[NON_FIELD_ERRORS] = ""
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            for message in messages:
                report.errors.append(RowError(line=lines[invalid.number - 1],
                                              message=str(message),
                                              column=titled.get(key, key)))
    return report


def export_bytes(resource: TabularResource, *, queryset, fmt: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel shows Chinese) or Excel, through the one writer that
    makes formulas inert (``zhifu.core.spreadsheets``)."""
    if fmt not in ("csv", "xlsx"):
        raise DomainError(_("Export format must be csv or xlsx."), code="export_format")
    dataset = resource.export(queryset=queryset)
    return spreadsheet_bytes(headers=dataset.headers, rows=dataset, fmt=fmt)


# --- reading a file ------------------------------------------------------------------------

def read_dataset(*, content: bytes, filename: str, columns: list[Column]) -> tablib.Dataset:
    """A CSV or Excel file as a ``tablib.Dataset`` of text cells under the columns' field
    names (absent optional columns empty), with each row's line in the file under ``LINE``.

    Raises ``DomainError`` for files that cannot be read at all (wrong type, too large,
    missing required columns); row-level problems are the resource's.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(_("The file is larger than 20 MB."), code="file_too_large")
    if not content:
        raise DomainError(_("The file is empty."), code="file_empty")
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            table = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
            headers, rows = table.headers or [], list(table)
        elif name.endswith(".csv"):
            headers, rows = _read_csv(content)
        else:
            raise DomainError(_("Upload a .csv or .xlsx file."), code="file_type")
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault
        raise DomainError(
            _("The file could not be read: %(reason)s") % {"reason": str(exc)[:200]},
            code="file_unreadable",
        ) from exc
    if len(rows) > MAX_IMPORT_ROWS:
        raise DomainError(_("The file has more than 200,000 rows; split it."),
                          code="file_too_many_rows")

    by_alias = {alias: col.column_name for col in columns for alias in col.aliases()}
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _text(header).lower()
        if key in by_alias:
            positions.setdefault(by_alias[key], index)
    missing = [col for col in columns if col.required and col.column_name not in positions]
    if missing:
        raise DomainError(
            _("Missing required columns: %(columns)s")
            % {"columns": ", ".join(f"{c.zh} ({c.column_name})" for c in missing)},
            code="missing_columns",
        )
    names = [col.column_name for col in columns]
    dataset = tablib.Dataset(headers=[*names, LINE])
    # Line 1 is the header, so the first data row is line 2, as a spreadsheet shows it.
    for offset, record in enumerate(rows):
        cells = [_text(record[positions[n]]) if n in positions and positions[n] < len(record)
                 else "" for n in names]
        if any(cells):
            dataset.append([*cells, offset + 2])
    return dataset


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an Excel number cell holding a licence or a phone number
    return str(value).strip()


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        table = list(csv.reader(io.StringIO(text)))
        return (table[0] if table else []), table[1:]
    raise DomainError(_("The CSV file must be UTF-8 or GB18030 encoded."),
                      code="file_encoding")
