"""Export the package (or a selection of its facts) to files other tools open directly.

=========  ===========================================  ==========================
format     what is written                              extra needed
=========  ===========================================  ==========================
json       one file: ``{"name", "version", "sources":   none
           [...], "entities": [...], ...}``; numbers
           are JSON numbers with their exact text
csv        a folder with ``sources.csv``, ``entities``  none
           ``.csv``, ``metrics.csv``, ``facts.csv``
           (UTF-8, the contract's columns)
parquet    a folder with one ``.parquet`` per resource;  ``aifacts[parquet]``
           numbers as exact ``decimal128``, dates as
           ``date32``
sqlite     one database; a table per resource with its  none
           primary and foreign keys; numbers as exact
           text, plus the view ``facts_numeric`` with
           ``value_real`` and ``value_high_real``
xlsx       one workbook, a sheet per resource           ``aifacts[xlsx]``
=========  ===========================================  ==========================

A selection exports every source, entity and metric and the selected facts; a
selected fact's ``part_of`` or ``supersedes`` may then name a fact left out.

Spreadsheet safety: in the formats a spreadsheet opens (``csv``, ``xlsx``) a text
cell that starts like a formula (``= + - @``, tab, carriage return, or their
full-width forms) gets a leading apostrophe, so it shows as text and never runs;
a text cell that already starts with an apostrophe gets one more, so
:func:`read_export` can undo both exactly. :class:`ExportResult` says how many
cells were neutralised.

Example:
    >>> import aifacts, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "aifacts.sqlite"
    >>> result = export(aifacts.load(), target, "sqlite")
    >>> read_export(target).facts == aifacts.load().facts
    True
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.errors import AifactsError, ValidationError
from aifacts.schema import RESOURCES, Resource
from aifacts.writing import cell_text

if TYPE_CHECKING:
    from aifacts.dataset import Dataset
    from aifacts.query import Selection
    from aifacts.records import Record

__all__ = [
    "FORMULA_START",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "export",
    "neutralise",
    "read_export",
    "restore",
]

#: Starts of text a spreadsheet would run as a formula (ASCII and full-width forms).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_ESCAPE = "'"
Rows = dict[str, list[dict[str, str]]]


class ExportFormat(StrEnum):
    """The formats :func:`export` writes."""

    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"
    SQLITE = "sqlite"
    XLSX = "xlsx"

    @property
    def spreadsheet(self) -> bool:
        """Whether a spreadsheet opens it, so formula-like text must be neutralised."""
        return self in (ExportFormat.CSV, ExportFormat.XLSX)


class ExportError(AifactsError, ValueError):
    """An export or import that cannot be done: a missing extra, a file of another form."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote.

    Attributes:
        path: the file or folder written.
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
        text = f"wrote {self.path} ({self.format.value}: {counts})"
        if self.format.spreadsheet:
            cells = "cell" if self.neutralised == 1 else "cells"
            text += (
                f"; neutralised {self.neutralised} text {cells} that a spreadsheet "
                "would run as a formula (prefixed with ')"
            )
        return text


def neutralise(text: str) -> tuple[str, bool]:
    """``text`` safe for a spreadsheet, and whether it looked like a formula.

    Example:
        >>> neutralise("=1+1"), neutralise("'quoted"), neutralise("plain")
        (("'=1+1", True), ("''quoted", False), ('plain', False))
    """
    if text.startswith(FORMULA_START):
        return _ESCAPE + text, True
    if text.startswith(_ESCAPE):
        return _ESCAPE + text, False
    return text, False


def restore(text: str) -> str:
    """Undo :func:`neutralise`: ``restore(neutralise(t)[0]) == t`` for every text."""
    if text.startswith(_ESCAPE) and text[1:].startswith((*FORMULA_START, _ESCAPE)):
        return text[1:]
    return text


def _tables(data: Dataset | Selection) -> dict[str, tuple[Record, ...]]:
    from aifacts.query import Selection

    dataset = data.dataset if isinstance(data, Selection) else data
    return {
        "sources": dataset.sources,
        "entities": dataset.entities,
        "metrics": dataset.metrics,
        "facts": tuple(data.facts),
        "omissions": dataset.omissions,
    }


def _text_rows(
    res: Resource, records: Sequence[Record], spreadsheet: bool
) -> tuple[list[list[str]], int]:
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


def _need(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExportError(f"this format needs {module}: pip install 'aifacts[{extra}]'") from None


def export(data: Dataset | Selection, path: str | Path, fmt: ExportFormat | str) -> ExportResult:
    """Write ``data`` to ``path`` in format ``fmt``; see the module docstring.

    Args:
        data: the dataset, or a selection of its facts.
        path: the file (json, sqlite, xlsx) or folder (csv, parquet) to write;
            an existing file is replaced.
        fmt: ``json``, ``csv``, ``parquet``, ``sqlite`` or ``xlsx``.

    Returns:
        An :class:`ExportResult` with the counts and the cells neutralised.

    Raises:
        ExportError: the format's extra is not installed, or the format is unknown.
    """
    try:
        kind = ExportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise ExportError(f"unknown export format {fmt!r}; choose one of {choices}") from None
    target = Path(path)
    tables = _tables(data)
    from aifacts.dataset import Dataset

    dataset = data if isinstance(data, Dataset) else data.dataset
    meta = {"name": dataset.descriptor.get("name"), "version": dataset.version}
    writer = {
        ExportFormat.JSON: _write_json,
        ExportFormat.CSV: _write_csv,
        ExportFormat.PARQUET: _write_parquet,
        ExportFormat.SQLITE: _write_sqlite,
        ExportFormat.XLSX: _write_xlsx,
    }[kind]
    neutralised = writer(target, tables, meta)
    notes = []
    facts: tuple[Any, ...] = tables["facts"]
    kept = {f.fact_id for f in facts}
    dangling = sum(
        1 for f in facts for ref in (f.part_of, f.supersedes) if ref is not None and ref not in kept
    )
    if dangling:
        notes.append(f"{dangling} part_of/supersedes references name facts not exported")
    rows = {name: len(records) for name, records in tables.items()}
    return ExportResult(target, kind, rows, neutralised, tuple(notes))


def _write_json(target: Path, tables: dict[str, tuple[Record, ...]], meta: Any) -> int:
    from aifacts.writing import write_json

    parts = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in meta.items()]
    for res in RESOURCES:
        body = write_json(res, tables[res.name]).decode("utf-8").rstrip("\n")
        parts.append(f"  {json.dumps(res.name)}: " + body.replace("\n", "\n  "))
    target.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")
    return 0


def _write_csv(target: Path, tables: dict[str, tuple[Record, ...]], meta: Any) -> int:
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for res in RESOURCES:
        rows, count = _text_rows(res, tables[res.name], spreadsheet=True)
        total += count
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(res.field_names)
        writer.writerows(rows)
        (target / res.path).write_bytes(buffer.getvalue().encode("utf-8"))
    return total


def _decimal_type(pa: Any, values: list[Decimal]) -> Any:
    scale = max((max(0, -int(v.as_tuple().exponent)) for v in values), default=0)
    whole = max((len(v.as_tuple().digits) + int(v.as_tuple().exponent) for v in values), default=1)
    precision = max(1, whole) + scale
    if precision > 38:
        return pa.string()
    return pa.decimal128(max(precision, 1), scale)


def _write_parquet(target: Path, tables: dict[str, tuple[Record, ...]], meta: Any) -> int:
    pa = _need("pyarrow", "parquet")
    pq = _need("pyarrow.parquet", "parquet")
    target.mkdir(parents=True, exist_ok=True)
    for res in RESOURCES:
        columns, fields = [], []
        for spec in res.fields:
            values = [getattr(r, spec.name) for r in tables[res.name]]
            if spec.type == "number":
                typ = _decimal_type(pa, [v for v in values if v is not None])
                if typ == pa.string():
                    values = [None if v is None else cell_text(v) for v in values]
            elif spec.type == "date":
                typ = pa.date32()
            elif spec.type == "integer":
                typ = pa.int64()
            else:
                typ = pa.string()
                values = [None if v is None else cell_text(v) for v in values]
            columns.append(pa.array(values, type=typ))
            fields.append(pa.field(spec.name, typ, nullable=not spec.required))
        table = pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=_meta(meta)))
        pq.write_table(table, target / f"{res.name}.parquet")
    return 0


def _meta(meta: Mapping[str, Any]) -> dict[bytes, bytes]:
    return {f"aifacts.{k}".encode(): str(v).encode() for k, v in meta.items() if v is not None}


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


def _sql_cell(value: Any) -> str | None:
    return None if value is None else cell_text(value)


def _write_sqlite(target: Path, tables: dict[str, tuple[Record, ...]], meta: Any) -> int:
    if target.exists():
        target.unlink()
    connection = sqlite3.connect(target)
    try:
        with connection:
            connection.execute("CREATE TABLE package (key TEXT PRIMARY KEY, value TEXT)")
            connection.executemany(
                "INSERT INTO package VALUES (?, ?)",
                [(k, str(v)) for k, v in meta.items() if v is not None],
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
    finally:
        connection.close()
    return 0


def _xlsx_number(value: Decimal) -> Decimal | str:
    """A number cell when the file keeps it exactly, else its exact text.

    openpyxl writes a number with 16 significant digits (``%.16g``): a value that
    needs 17 (``1.3677660891780809E-8``) would come back rounded.
    """
    written = "%.16g" % value  # noqa: UP031 - openpyxl's own format, to compare with
    return value if Decimal(repr(float(written))) == value else cell_text(value)


def _write_xlsx(target: Path, tables: dict[str, tuple[Record, ...]], meta: Any) -> int:
    openpyxl = _need("openpyxl", "xlsx")
    book = openpyxl.Workbook()
    book.remove(book.active)
    total = 0
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
                    row.append(_xlsx_number(value))
                elif spec.type in ("date", "integer"):
                    row.append(value)
                else:
                    text, changed = neutralise(cell_text(value))
                    total += changed
                    row.append(text)
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = openpyxl.styles.Font(bold=True)
        sheet.freeze_panes = "A2"
    book.properties.title = str(meta.get("name") or "aifacts")
    if meta.get("version"):
        book.properties.version = str(meta["version"])
    book.save(target)
    return total


# --- reading an export back ------------------------------------------------------------


def _guess(path: Path) -> ExportFormat:
    if path.is_dir():
        if (path / "facts.parquet").exists():
            return ExportFormat.PARQUET
        return ExportFormat.CSV
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"db": "sqlite", "sqlite3": "sqlite"}
    try:
        return ExportFormat(aliases.get(suffix, suffix))
    except ValueError:
        raise ExportError(f"{path}: cannot tell the export format; pass fmt=") from None


def read_export(path: str | Path, fmt: ExportFormat | str | None = None) -> Dataset:
    """Read an export written by :func:`export` back into a :class:`~aifacts.dataset.Dataset`.

    Every row goes through the same record rules as the package's CSV files, so a
    damaged export fails with a :class:`~aifacts.errors.ValidationError` naming the
    file, row and field.

    Args:
        path: the exported file or folder.
        fmt: its format; guessed from the suffix (or folder content) when omitted.
    """
    from aifacts.dataset import Dataset

    source = Path(path)
    if not source.exists():
        raise ExportError(f"{source}: no such file or folder")
    kind = ExportFormat(fmt) if fmt is not None else _guess(source)
    reader = {
        ExportFormat.JSON: _read_json,
        ExportFormat.CSV: _read_csv,
        ExportFormat.PARQUET: _read_parquet,
        ExportFormat.SQLITE: _read_sqlite,
        ExportFormat.XLSX: _read_xlsx,
    }[kind]
    rows, meta = reader(source)
    from aifacts.reading import read_csv

    records: dict[str, tuple[Any, ...]] = {}
    problems = []
    for res in RESOURCES:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(res.field_names)
        for row in rows.get(res.name, []):
            cells = [row.get(name, "") for name in res.field_names]
            if kind.spreadsheet:
                cells = [restore(c) for c in cells]
            writer.writerow(cells)
        table = read_csv(res, f"{source.name}:{res.name}", buffer.getvalue().encode("utf-8"))
        problems += table.problems
        records[res.name] = tuple(record for _, record in table.rows)
    if problems:
        raise ValidationError(problems)
    return Dataset(
        sources=records["sources"],
        entities=records["entities"],
        metrics=records["metrics"],
        facts=records["facts"],
        omissions=records["omissions"],
        descriptor=meta,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return cell_text(Decimal(repr(value)))
    return cell_text(value)


def _read_json(source: Path) -> tuple[Rows, dict[str, Any]]:
    doc = json.loads(source.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
    if not isinstance(doc, dict):
        raise ExportError(f"{source}: expected a JSON object with one array per resource")
    rows = {
        res.name: [{k: _text(v) for k, v in row.items()} for row in doc.get(res.name, [])]
        for res in RESOURCES
    }
    return rows, {k: doc.get(k) for k in ("name", "version")}


def _read_csv(source: Path) -> tuple[Rows, dict[str, Any]]:
    rows: Rows = {}
    for res in RESOURCES:
        text = (source / res.path).read_text(encoding="utf-8-sig")
        rows[res.name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return rows, {}


def _read_parquet(source: Path) -> tuple[Rows, dict[str, Any]]:
    pq = _need("pyarrow.parquet", "parquet")
    rows: Rows = {}
    meta: dict[str, Any] = {}
    for res in RESOURCES:
        table = pq.read_table(source / f"{res.name}.parquet")
        for key, value in (table.schema.metadata or {}).items():
            if key.startswith(b"aifacts."):
                meta[key.decode()[8:]] = value.decode()
        rows[res.name] = [{k: _text(v) for k, v in row.items()} for row in table.to_pylist()]
    return rows, meta


def _read_sqlite(source: Path) -> tuple[Rows, dict[str, Any]]:
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        meta = dict(connection.execute("SELECT key, value FROM package").fetchall())
        rows: Rows = {}
        for res in RESOURCES:
            cursor = connection.execute(f'SELECT * FROM "{res.name}"')
            names = [d[0] for d in cursor.description]
            rows[res.name] = [dict(zip(names, map(_text, r), strict=True)) for r in cursor]
    except sqlite3.DatabaseError as exc:
        raise ExportError(f"{source}: not an aifacts SQLite export ({exc})") from None
    finally:
        connection.close()
    return rows, meta


def _read_xlsx(source: Path) -> tuple[Rows, dict[str, Any]]:
    openpyxl = _need("openpyxl", "xlsx")
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    rows: Rows = {}
    for res in RESOURCES:
        values = list(book[res.name].iter_rows(values_only=True))
        header = [str(h) for h in values[0]] if values else []
        rows[res.name] = [
            dict(zip(header, map(_text, row), strict=False)) for row in values[1:] if any(row)
        ]
    book.close()
    return rows, {"name": book.properties.title, "version": book.properties.version}
