"""What every export format shares: the formats, the result, spreadsheet safety, cell text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.contract.schema import Resource
from aifacts.errors import ExportError
from aifacts.io.writing import cell_text

if TYPE_CHECKING:
    from aifacts.contract.records import Record

#: Starts of text a spreadsheet would run as a formula: ASCII, full-width and small
#: forms of ``= + - @``, and a leading tab or carriage return.
FORMULA_START = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "＝",
    "＋",
    "－",
    "＠",
    "﹦",
    "﹢",
    "﹣",
)
ESCAPE = "'"
#: Rows of text cells per resource, as read back from an export.
Rows = dict[str, list[dict[str, str]]]
#: The records of each resource to export.
Tables = dict[str, tuple["Record", ...]]


class ExportFormat(StrEnum):
    """The formats :func:`~aifacts.release.export.export` writes."""

    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"
    SQLITE = "sqlite"
    XLSX = "xlsx"

    @property
    def spreadsheet(self) -> bool:
        """Whether a spreadsheet opens it, so formula-like text must be neutralised."""
        return self in (ExportFormat.CSV, ExportFormat.XLSX)

    @property
    def folder(self) -> bool:
        """Whether it is written as a folder of files (one per resource)."""
        return self in (ExportFormat.CSV, ExportFormat.PARQUET)

    @property
    def binary(self) -> bool:
        """Whether its bytes are not text (never sent to a terminal)."""
        return self in (ExportFormat.PARQUET, ExportFormat.SQLITE, ExportFormat.XLSX)


def readable(path: Path) -> Path:
    """``path`` if it is a regular file (a link to one is followed): an export read back
    may come from anyone, and a FIFO or a device would hang or never end the read.

    Raises:
        ExportError: it is something else (a FIFO, a device, a folder).
    """
    import os
    import stat

    from aifacts.io.package import file_kind

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path  # missing: the reader says so in its own words
    if not stat.S_ISREG(mode):
        raise ExportError(
            f"{path}: not a regular file ({file_kind(mode)}); an export is read from files only"
        )
    return path


@dataclass(frozen=True)
class ExportResult:
    """What :func:`~aifacts.release.export.export` wrote.

    Attributes:
        path: the file or folder written (``-``: standard output).
        format: the format.
        rows: rows written per resource.
        neutralised: text cells given a leading apostrophe because a spreadsheet
            would have run them as formulas (always 0 outside csv and xlsx).
        notes: anything a reader of the export should know.
    """

    path: Path
    format: ExportFormat
    rows: Mapping[str, int]
    neutralised: int = 0
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line: what was written, and how many cells were neutralised."""
        counts = ", ".join(f"{n} {name}" for name, n in self.rows.items())
        where = "standard output" if str(self.path) == "-" else str(self.path)
        text = f"wrote {where} ({self.format.value}: {counts})"
        if self.format.spreadsheet:
            cells = "cell" if self.neutralised == 1 else "cells"
            text += (
                f"; neutralised {self.neutralised} text {cells} that a spreadsheet "
                "would run as a formula (prefixed with ')"
            )
        return text


def neutralise(text: str) -> tuple[str, bool]:
    """``text`` safe for a spreadsheet, and whether it looked like a formula.

    No character is dropped: a leading apostrophe is added, and one more when the
    text already starts with one, so :func:`restore` undoes it exactly.

    Example:
        >>> neutralise("=1+1"), neutralise("'quoted"), neutralise("plain")
        (("'=1+1", True), ("''quoted", False), ('plain', False))
    """
    if text.startswith(FORMULA_START):
        return ESCAPE + text, True
    if text.startswith(ESCAPE):
        return ESCAPE + text, False
    return text, False


def restore(text: str) -> str:
    """Undo :func:`neutralise`: ``restore(neutralise(t)[0]) == t`` for every text."""
    if text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_START, ESCAPE)):
        return text[1:]
    return text


def text_rows(
    res: Resource, records: Sequence[Record], spreadsheet: bool
) -> tuple[list[list[str]], int]:
    """The cells of ``records`` as text, neutralised for a spreadsheet; the count changed."""
    count = 0
    rows = []
    for record in records:
        row = []
        for spec in res.fields:
            text = cell_text(getattr(record, spec.name))
            if spreadsheet and spec.type == "string":
                text, changed = neutralise(text)
                count += changed
            row.append(text)
        rows.append(row)
    return rows, count


def need(module: str, extra: str) -> Any:
    """Import ``module``, or say which extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExportError(f"this format needs {module}: pip install 'aifacts[{extra}]'") from None


def meta_text(meta: Mapping[str, Any]) -> dict[str, str]:
    """The package's ``name`` and ``version`` (those set) as text."""
    return {k: str(v) for k, v in meta.items() if v is not None}


def text(value: Any) -> str:
    """The CSV text of a value read back from a format (floats by their shortest repr)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return cell_text(Decimal(repr(value)))
    return cell_text(value)
