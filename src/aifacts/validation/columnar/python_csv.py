"""Read a CSV with Python's csv module, the reference, into batches of Arrow columns.

For a file Arrow may misread (a NUL byte, a stray quote, a lone CR: see
:mod:`~aifacts.validation.columnar.scan`), refuses (a row of the wrong length, an empty line)
or cannot map (a header that differs from the schema). Its rows are read exactly as
the row engine reads them (:func:`aifacts.io.reading.csv_rows`), but a batch at a
time, so the engine's batch checks run on them and memory stays a few batches
whatever the size of the file: one stray quote in a million rows no longer means
a million records held at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa

from aifacts.io.reading import Table, csv_rows

__all__ = ["Batch", "Odd", "python_batches"]

#: Rows per batch: about the 8 MB Arrow reads at a time, for a typical fact row.
ROWS = 32_768


@dataclass(frozen=True)
class Odd:
    """Rows of a batch only the row engine's code may judge, by index in the batch,
    with their cells as read: a blank row, a row of the wrong length, or one whose
    schema fields are all empty (the header may hold more columns). ``positions``
    and ``width``: the header's column of each field, and its number of columns."""

    rows: dict[int, list[str]]
    positions: dict[str, int]
    width: int


#: A batch: its first row's number, its cells (the schema's fields, in order; an odd
#: row's are empty), and its odd rows, if any.
Batch = tuple[int, pa.RecordBatch, Odd | None]


def python_batches(table: Table, lines: Iterable[str], rows: int | None = None) -> Iterator[Batch]:
    """The CSV text ``lines`` (split as ``newline=""`` splits them) in batches of
    ``rows`` rows (default :data:`ROWS`); problems of its header, or where it stops
    being CSV, go to ``table``.

    Raises:
        UnicodeDecodeError: when ``lines`` decodes bytes that are not UTF-8.
    """
    size = rows or ROWS
    names = list(table.resource.field_names)
    pending: list[list[str]] = []
    odd: dict[int, list[str]] = {}
    start = 2
    positions: dict[str, int] = {}
    width = len(names)
    blank = [""] * len(names)
    straight: bool | None = None  # whether the header is the schema's fields, in order
    for row, cells, columns, width in csv_rows(table, lines):
        if straight is None:
            straight = list(columns.values()) == list(range(width))
        if not pending:
            start, positions = row, columns
        if straight and len(cells) == width:
            fields = cells
        elif len(cells) == width:
            fields = [cells[columns[name]] for name in names]
        else:
            fields = blank
        if fields is blank or not any(fields):
            odd[len(pending)] = cells
            fields = blank
        pending.append(fields)
        if len(pending) == size:
            yield _batch(names, start, pending, odd, positions, width)
            pending, odd = [], {}
    if pending:
        yield _batch(names, start, pending, odd, positions, width)


def _batch(
    names: list[str],
    start: int,
    pending: list[list[str]],
    odd: dict[int, list[str]],
    positions: dict[str, int],
    width: int,
) -> Batch:
    columns = [pa.array(column, pa.string()) for column in zip(*pending, strict=True)]
    batch = pa.RecordBatch.from_arrays(columns, names=names)
    return start, batch, Odd(odd, positions, width) if odd else None
