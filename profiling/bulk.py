"""Bulk reads and writes for the recompute and the imports (30,000 snapshots, 700,000
indicator values): the ORM's per-object, per-field work would cost more than the job.

On PostgreSQL both go through COPY; elsewhere a multi-row INSERT and a plain cursor.
Values to insert must already be in database form (``connection.ops.adapt_*``, JSON as
text)."""

from __future__ import annotations

import csv
import io

import pandas as pd
from django.db import connection

MAX_PARAMS = 16_000  # well inside SQLite's 32,766 and PostgreSQL's 65,535
NULL = r"\N"


def _copy_capable(cursor) -> bool:
    return connection.vendor == "postgresql" and hasattr(cursor, "copy_expert")


def insert_rows(*, model, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if _copy_capable(cursor):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows(tuple(NULL if v is None else v for v in row) for row in rows)
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')", buffer)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        batch_size = max(1, MAX_PARAMS // len(columns))
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            # Only quoted model names are formatted in; every value is a parameter.
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(batch))  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])


def read_frame(queryset, columns: list[str], *, numeric: tuple[str, ...] = (),
               text: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of a ``values_list`` queryset as a DataFrame with ``columns``."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if _copy_capable(cursor):
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY ({cursor.mogrify(sql, params).decode()}) TO STDOUT "
                               f"WITH (FORMAT csv, NULL '{NULL}')", buffer)
            buffer.seek(0)
            if not buffer.getvalue():
                return pd.DataFrame(columns=columns)
            frame = pd.read_csv(buffer, names=columns, keep_default_na=False,
                                na_values={c: [NULL] for c in columns},
                                dtype={c: "string" for c in text})
            for column in numeric:
                frame[column] = pd.to_numeric(frame[column], errors="coerce")
            return frame
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)
