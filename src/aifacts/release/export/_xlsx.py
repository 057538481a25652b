"""The ``xlsx`` export: one workbook, a sheet per resource, and a ``columns`` sheet.

A number goes to a number cell only when the cell gives back exactly its text: a
spreadsheet keeps 15 significant digits, drops trailing zeros (``6.5130``) and the
sign of ``-0``. Any other number goes as text holding its exact decimal (the
``columns`` sheet says so), and :func:`~aifacts.release.export.read_export` reads both
kinds back exactly. Integers are bounded (±(2^53−1)) by validation, so they are
always number cells. A date before 1900 (before a spreadsheet's first day) is
text ``YYYY-MM-DD``.

Text goes as Office Open XML escapes it (ECMA-376 ``ST_Xstring``): a character XML
cannot hold (U+FFFE, U+FFFF) is written ``_xFFFE_``, and an underscore that would
start such an escape is written ``_x005F_``, so a spreadsheet shows the exact text
and :func:`read` undoes both.

A cell holds at most 32,767 characters (openpyxl would cut a longer text short,
silently): a longer cell is an :class:`ExportError` naming the row and field.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from aifacts.contract.schema import RESOURCES
from aifacts.errors import ExportError
from aifacts.io.writing import cell_text
from aifacts.release.export._common import (
    Rows,
    Tables,
    need,
    neutralise,
    readable,
    text,
)

_NOT_XML = re.compile(r"[\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")

#: The sheet that documents each column.
COLUMNS_SHEET = "columns"
#: The first day a spreadsheet's date cells hold (serial 1); an earlier date is text.
FIRST_DATE = date(1900, 1, 1)
#: The most characters a cell holds.
CELL_LIMIT = 32_767
#: Significant digits a spreadsheet keeps.
DIGITS = 15
_NUMBER_NOTE = (
    "a number; a cell a spreadsheet number cannot hold exactly (more than 15 significant "
    "digits, trailing zeros after the point, -0) is text holding the exact decimal"
)


def number_cell(value: Decimal) -> Decimal | str:
    """A number cell when the file gives back exactly ``value``'s text, else that text.

    openpyxl writes a number with 16 significant digits (``%.16g``) and reads a cell
    without ``.`` or ``e`` as an integer, else as a float.

    Example:
        >>> [number_cell(Decimal(t)) for t in ("6.513", "6.5130", "-0")]
        [Decimal('6.513'), '6.5130', '-0']
    """
    exact = cell_text(value)
    if not value.is_finite() or len(value.normalize().as_tuple().digits) > DIGITS:
        return exact
    written = "%.16g" % value  # noqa: UP031 - openpyxl's own format, to compare with
    back: float | int = float(written) if any(c in written for c in ".eE") else int(written)
    return value if text(back) == exact else exact


def ooxml_escape(value: str) -> str:
    """``value`` as an OOXML string: characters XML cannot hold, and underscores that
    would read as an escape, as ``_xHHHH_``.

    Example:
        >>> ooxml_escape("a\ufffeb_x0041_")
        'a_xFFFE_b_x005F_x0041_'
    """
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def ooxml_unescape(value: str) -> str:
    """Undo :func:`ooxml_escape` (and any ``_xHHHH_`` a spreadsheet wrote)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value


def render(tables: Tables, meta: dict[str, Any]) -> tuple[bytes, int]:
    """The workbook's bytes; the count of text cells neutralised."""
    openpyxl = need("openpyxl", "xlsx")
    book = openpyxl.Workbook()
    book.remove(book.active)
    total = 0
    bold = openpyxl.styles.Font(bold=True)
    for res in RESOURCES:
        sheet = book.create_sheet(res.name)
        sheet.append(list(res.field_names))
        for record in tables[res.name]:
            row: list[Any] = []
            for spec in res.fields:
                value = getattr(record, spec.name)
                if value is None:
                    row.append(None)
                elif spec.type == "number":
                    row.append(number_cell(value))
                elif spec.type == "date":
                    row.append(value if value >= FIRST_DATE else cell_text(value))
                elif spec.type == "integer":
                    row.append(value)
                else:
                    cell, changed = neutralise(cell_text(value))
                    total += changed
                    row.append(ooxml_escape(cell))
                _fits(row[-1], res.name, getattr(record, res.primary_key), spec.name)
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    _columns_sheet(book, bold)
    book.properties.title = str(meta.get("name") or "aifacts")
    if meta.get("version"):
        book.properties.version = str(meta["version"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), total


def _fits(cell: object, resource: str, key: str, name: str) -> None:
    if isinstance(cell, str) and len(cell) > CELL_LIMIT:
        raise ExportError(
            f"xlsx cannot hold {resource} {key!r} {name}: its cell would have {len(cell):,} "
            f"characters, and a spreadsheet cell holds at most {CELL_LIMIT:,}; export as json, "
            "csv, sqlite or parquet, which keep every character"
        )


def _columns_sheet(book: Any, bold: Any) -> None:
    sheet = book.create_sheet(COLUMNS_SHEET)
    sheet.append(["sheet", "column", "type", "cells"])
    notes = {
        "number": _NUMBER_NOTE,
        "integer": "a whole number",
        "boolean": "text: true or false",
        "date": "a date; a date before 1900, which a spreadsheet cannot hold, is text YYYY-MM-DD",
        "string": "text; text a spreadsheet would run as a formula starts with an extra '; "
        "U+FFFE and U+FFFF, which XML cannot hold, are written as _xFFFE_ and _xFFFF_",
    }
    for res in RESOURCES:
        for spec in res.fields:
            sheet.append([res.name, spec.name, spec.type, notes[spec.type]])
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"


def read(source: Path) -> tuple[Rows, dict[str, Any]]:
    """The rows of an xlsx export, as text, and its name and version."""
    openpyxl = need("openpyxl", "xlsx")
    try:
        book = openpyxl.load_workbook(readable(source), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file of another form
        raise ExportError(f"{source}: not an xlsx export ({exc})") from None
    rows: Rows = {}
    try:
        for res in RESOURCES:
            if res.name not in book.sheetnames:
                if res.optional:
                    rows[res.name] = []
                    continue
                raise ExportError(f"{source}: no sheet {res.name!r}")
            values = list(book[res.name].iter_rows(values_only=True))
            header = [str(h) for h in values[0]] if values else []
            rows[res.name] = [
                dict(zip(header, (ooxml_unescape(text(v)) for v in row), strict=False))
                for row in values[1:]
                if any(v is not None for v in row)
            ]
    finally:
        book.close()
    return rows, {"name": book.properties.title, "version": book.properties.version}
