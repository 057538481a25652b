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
           numbers as exact ``decimal128`` (or
           ``decimal256`` past 38 digits; the column
           ``<name>_exact`` holds a value's text where
           the decimal cannot), dates as ``date32``
sqlite     one database; a table per resource with its  none
           primary and foreign keys; numbers as exact
           text, plus the view ``facts_numeric`` with
           ``value_real`` and ``value_high_real``
xlsx       one workbook, a sheet per resource, and a    ``aifacts[xlsx]``
           ``columns`` sheet; a number a spreadsheet
           cannot hold exactly is text holding it
=========  ===========================================  ==========================

Every value that validation accepts comes back exactly (``6.5130`` stays
``6.5130``, ``-0`` stays ``-0``) through :func:`read_export`. Two exceptions,
each an :class:`ExportError` naming the rows and the field: parquet cannot hold a
column that needs more than 76 digits (a value of 1E+80), and an xlsx cell holds at
most 32,767 characters.

Where it is written: a file (json, sqlite, xlsx) or a folder (csv, parquet), whose
parent folder must exist. An existing target is replaced only when asked
(``replace=True``; ``aifacts export --force``), and only if it is a regular file (a
folder for csv and parquet): never a device, a FIFO or a symbolic link. Each file
is written atomically (:mod:`aifacts.io.atomic`): a failure or a ``kill -9`` leaves
the old file as it was. :func:`render` gives a one-file format's bytes (the command
line sends json to standard output with ``-``).

A selection exports every source, entity and metric and the selected facts; a
selected fact's ``part_of`` or ``supersedes`` may then name a fact left out.

Spreadsheet safety: in the formats a spreadsheet opens (``csv``, ``xlsx``) a text
cell that starts like a formula (``= + - @``, tab, carriage return, line feed,
or their full-width and small forms) gets a leading apostrophe, so it shows as
text and never runs; a text cell that already starts with an apostrophe gets one
more, so :func:`read_export` can undo both exactly. :class:`ExportResult` says how many
cells were neutralised.

Example:
    >>> import aifacts, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "aifacts.sqlite"
    >>> result = export(aifacts.load(), target, "sqlite")
    >>> read_export(target).facts == aifacts.load().facts
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.contract.schema import RESOURCES
from aifacts.errors import ExportError, ValidationError
from aifacts.release.export._common import (
    FORMULA_START,
    ExportFormat,
    ExportResult,
    Rows,
    Tables,
    neutralise,
    restore,
)

if TYPE_CHECKING:
    from aifacts.api import Dataset
    from aifacts.dataset.query import Selection

__all__ = [
    "FORMULA_START",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "export",
    "neutralise",
    "read_export",
    "render",
    "restore",
]


def _format(fmt: ExportFormat | str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise ExportError(f"unknown export format {fmt!r}; choose one of {choices}") from None


def _module(kind: ExportFormat) -> Any:
    import importlib

    return importlib.import_module(f"aifacts.release.export._{kind.value}")


def _tables(data: Dataset | Selection) -> tuple[Tables, dict[str, Any]]:
    from aifacts.api import Dataset

    dataset = data if isinstance(data, Dataset) else data.dataset
    tables: Tables = {
        "sources": dataset.sources,
        "entities": dataset.entities,
        "metrics": dataset.metrics,
        "facts": tuple(data.facts),
        "omissions": dataset.omissions,
    }
    return tables, {"name": dataset.descriptor.get("name"), "version": dataset.version}


def _result(tables: Tables, target: Path, kind: ExportFormat, neutralised: int) -> ExportResult:
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


def render(data: Dataset | Selection, fmt: ExportFormat | str) -> tuple[bytes, ExportResult]:
    """The bytes of a one-file export (json, sqlite, xlsx), and what they hold.

    For standard output (``aifacts export -``); the result's ``path`` is ``-``.

    Raises:
        ExportError: the format writes a folder (csv, parquet), is unknown, or its
            extra is not installed.
    """
    kind = _format(fmt)
    if kind.folder:
        raise ExportError(f"{kind.value} writes a folder of files, not one stream")
    tables, meta = _tables(data)
    body, neutralised = _module(kind).render(tables, meta)
    return body, _result(tables, Path("-"), kind, neutralised)


def export(
    data: Dataset | Selection,
    path: str | Path,
    fmt: ExportFormat | str,
    *,
    replace: bool = False,
) -> ExportResult:
    """Write ``data`` to ``path`` in format ``fmt``; see the module docstring.

    Args:
        data: the dataset, or a selection of its facts.
        path: the file (json, sqlite, xlsx) or folder (csv, parquet) to write; its
            parent folder must exist.
        fmt: ``json``, ``csv``, ``parquet``, ``sqlite`` or ``xlsx``.
        replace: replace an existing target (a regular file; for csv and parquet,
            the export's files in an existing folder).

    Returns:
        An :class:`ExportResult` with the counts and the cells neutralised.

    Raises:
        ExportError: the format's extra is not installed, the format is unknown, or
            a value cannot be held exactly in it.
        aifacts.errors.WriteError: the parent folder is missing; the target exists
            (without ``replace``) or is not a regular file (a folder for csv and
            parquet); the file system refuses (read-only, full). Nothing is changed.
    """
    from aifacts.io.atomic import check_target, write_atomic

    kind = _format(fmt)
    target = Path(path)
    check_target(target, folder=kind.folder, replace=replace)
    tables, meta = _tables(data)
    body, neutralised = _module(kind).render(tables, meta)
    if kind.folder:
        _make_folder(target)
        for name, blob in body.items():
            write_atomic(target / name, blob)
    else:
        write_atomic(target, body)
    return _result(tables, target, kind, neutralised)


def _make_folder(target: Path) -> None:
    from aifacts.errors import WriteError
    from aifacts.io.atomic import check_target

    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise WriteError(target, f"cannot create the folder: {exc.strerror or exc}") from None
    check_target(target, folder=True)  # still a folder (not a link made meanwhile)


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
    """Read an export written by :func:`export` back into a
    :class:`aifacts.api.Dataset`.

    Every row goes through the same record rules as the package's CSV files, so a
    damaged export fails with a :class:`~aifacts.errors.ValidationError` naming the
    file, row and field.

    Args:
        path: the exported file or folder.
        fmt: its format; guessed from the suffix (or folder content) when omitted.
    """
    from aifacts.api import Dataset
    from aifacts.io.reading import read_csv
    from aifacts.release.export._csv import csv_bytes

    source = Path(path)
    if not source.exists():
        raise ExportError(f"{source}: no such file or folder")
    kind = _format(fmt) if fmt is not None else _guess(source)
    rows: Rows
    rows, meta = _module(kind).read(source)
    records: dict[str, tuple[Any, ...]] = {}
    problems = []
    for res in RESOURCES:
        cells = []
        for row in rows.get(res.name, []):
            line = [row.get(name) or "" for name in res.field_names]
            cells.append([restore(c) for c in line] if kind.spreadsheet else line)
        data = csv_bytes(list(res.field_names), cells)
        table = read_csv(res, f"{source.name}:{res.name}", data)
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
