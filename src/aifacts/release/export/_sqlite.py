"""The ``sqlite`` export: one database, a table per resource with its primary and foreign keys.

Numbers are kept as their exact text (the view ``facts_numeric`` adds ``value_real``
and ``value_high_real``), dates as ISO text, integers as integers. The database is
built in memory and serialised, so the file is written in one piece.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from aifacts.contract.schema import RESOURCES, Resource
from aifacts.errors import ExportError
from aifacts.io.writing import cell_text
from aifacts.release.export._common import (
    Rows,
    Tables,
    meta_text,
    readable,
    text,
)


def _sql_table(res: Resource) -> str:
    columns = []
    for spec in res.fields:
        # exact: decimal numbers keep their text, dates are ISO; integers are integers
        sql_type = "INTEGER" if spec.type == "integer" else "TEXT"
        null = " NOT NULL" if spec.required or spec.name == res.primary_key else ""
        columns.append(f'  "{spec.name}" {sql_type}{null}')
    columns.append(f'  PRIMARY KEY ("{res.primary_key}")')
    for key in res.foreign_keys:
        columns.append(f'  FOREIGN KEY ("{key.field}") REFERENCES "{key.resource}" ("{key.key}")')
    return f'CREATE TABLE "{res.name}" (\n' + ",\n".join(columns) + "\n)"


def _sql_cell(value: Any) -> str | int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return cell_text(value)


def render(tables: Tables, meta: dict[str, Any]) -> tuple[bytes, int]:
    """The bytes of the database file."""
    connection = sqlite3.connect(":memory:")
    try:
        with connection:
            connection.execute("CREATE TABLE package (key TEXT PRIMARY KEY, value TEXT)")
            connection.executemany(
                "INSERT INTO package VALUES (?, ?)", list(meta_text(meta).items())
            )
            for res in RESOURCES:
                connection.execute(_sql_table(res))
                marks = ", ".join("?" for _ in res.fields)
                rows = [
                    [_sql_cell(getattr(r, name)) for name in res.field_names]
                    for r in tables[res.name]
                ]
                connection.executemany(f'INSERT INTO "{res.name}" VALUES ({marks})', rows)
            connection.execute(
                "CREATE VIEW facts_numeric AS SELECT *, CAST(value AS REAL) AS value_real, "
                "CAST(value_high AS REAL) AS value_high_real FROM facts"
            )
        return connection.serialize(), 0
    finally:
        connection.close()


def read(source: Path) -> tuple[Rows, dict[str, Any]]:
    """The rows of a SQLite export, as text, and its name and version."""
    try:
        connection = sqlite3.connect(readable(source).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ExportError(f"{source}: cannot be opened as SQLite ({exc})") from None
    try:
        meta = dict(connection.execute("SELECT key, value FROM package").fetchall())
        rows: Rows = {}
        for res in RESOURCES:
            cursor = connection.execute(f'SELECT * FROM "{res.name}"')
            names = [d[0] for d in cursor.description]
            rows[res.name] = [dict(zip(names, map(text, r), strict=True)) for r in cursor]
    except sqlite3.DatabaseError as exc:
        raise ExportError(f"{source}: not an aifacts SQLite export ({exc})") from None
    finally:
        connection.close()
    return rows, meta
