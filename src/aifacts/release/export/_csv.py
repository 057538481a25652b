"""The ``csv`` export: a folder with one CSV per resource, formula-like text neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from aifacts.contract.schema import RESOURCES
from aifacts.errors import ExportError
from aifacts.release.export._common import (
    Rows,
    Tables,
    readable,
    text_rows,
)


def render(tables: Tables, meta: dict[str, Any]) -> tuple[dict[str, bytes], int]:
    """Each resource's file name and bytes (UTF-8, the contract's columns); the count of
    cells neutralised."""
    total = 0
    files = {}
    for res in RESOURCES:
        rows, count = text_rows(res, tables[res.name], spreadsheet=True)
        total += count
        files[res.path] = csv_bytes(list(res.field_names), rows)
    return files, total


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """CSV bytes as the project writes them: UTF-8, LF line ends, minimal quoting."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read(source: Path) -> tuple[Rows, dict[str, Any]]:
    """The rows of a CSV export folder, as text (no name or version: CSV has nowhere)."""
    from aifacts.io.csv_limit import allow_big_fields

    allow_big_fields()
    rows: Rows = {}
    for res in RESOURCES:
        try:
            data = readable(source / res.path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExportError(f"{source / res.path}: not UTF-8 ({exc})") from None
        except FileNotFoundError:
            if res.optional:
                rows[res.name] = []
                continue
            raise ExportError(f"{source / res.path}: no such file in the export") from None
        try:
            rows[res.name] = list(csv.DictReader(io.StringIO(data, newline="")))
        except csv.Error as exc:
            raise ExportError(f"{source / res.path}: not CSV ({exc})") from None
    return rows, {}
