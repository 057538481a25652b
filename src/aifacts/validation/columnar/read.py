"""Read one resource's CSV in streaming batches into the columns later rules need.

Each batch is checked whole-column (:func:`~aifacts.validation.columnar.flags.row_flags`);
flagged rows are re-read by the row engine's own code, so their problems are the
row engine's. What is kept is only the columns the rules across records need, for
the rows that passed their own checks, with their row numbers (column ``__row``).
A file Arrow may misread (see :mod:`~aifacts.validation.columnar.scan`) or refuses, or whose
header differs from the schema, is read by Python's csv module as the row engine
reads it, in batches too (:mod:`~aifacts.validation.columnar.python_csv`).
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from aifacts.contract.problems import Code, Problem
from aifacts.contract.records import Record
from aifacts.contract.schema import Resource
from aifacts.io.encoding import utf16_without_bom
from aifacts.io.json_limits import MAX_NUMBER
from aifacts.io.package import checked_file, open_regular, read_regular, stats_problems
from aifacts.io.reading import Table, _read_row, read_csv
from aifacts.io.writing import cell_text
from aifacts.validation.columnar.flags import row_flags
from aifacts.validation.columnar.python_csv import Batch, Odd, python_batches
from aifacts.validation.columnar.quotes import blank_sure
from aifacts.validation.columnar.scan import start_hash, start_scan

if TYPE_CHECKING:
    from aifacts.validation.report import Collector

__all__ = ["ROW", "Kept", "keep_columns", "open_cells", "read_resource"]

ROW = "__row"
#: Bytes Arrow parses at a time, and the blocks joined into one batch to check:
#: Arrow parses 2 MB blocks for 0.04 CPU s less a million facts than 8 MB ones
#: (they stay in cache), and checks cost less on 8 MB batches (fewer calls).
_BLOCK = 2 << 20
_JOINED = 4
_WORKERS = 2
_EXTRA: dict[str, tuple[str, ...]] = {
    "sources": ("published", "published_basis", "document_held", "document_sha256"),
    "entities": ("kind",),
    "metrics": ("unit", "kind"),
    "facts": (
        "unit",
        "value",
        "value_high",
        "quote",
        "qualifier",
        "status",
        "period_start",
        "period_end",
        "claim_id",
        "value_canonical",
        "value_high_canonical",
        "unit_canonical",
    ),
}

Tick = Callable[[int, int], None]
_BOM = b"\xef\xbb\xbf"


class Follows(Protocol):
    """What follows a CSV's reading batch by batch: a JSON form's comparison
    (:class:`~aifacts.validation.columnar.json_forms.Follower`) or writing
    (:class:`~aifacts.validation.columnar.build.FormWriter`)."""

    def lines(self, batch: Any) -> Any:
        """The batch's JSON lines (``None``: cannot tell); called in reading threads."""

    def feed(self, start: int, batch: Any, lines: Any, *, last: bool) -> None:
        """Take the next batch in row order (its first row is row ``start``)."""

    def stop(self) -> None:
        """Give up: the CSV is not clean, or this reading's rows will not be used."""


@dataclass
class Kept:
    """One resource as the rules across records need it.

    ``table``: the kept columns of the rows that passed their own checks, with their
    row numbers; ``failed_keys``: the keys of rows that failed (still valid targets).
    """

    name: str
    file: str
    table: pa.Table
    failed_keys: dict[str, int] = field(default_factory=dict)
    #: Results computed ahead, in threads, on ``table`` as read (see ``rules.prefetch``).
    ahead: dict[str, Future[Any]] = field(default_factory=dict)
    #: Whether rows were dropped (duplicate keys) since: then ``ahead`` no longer holds.
    changed: bool = False
    #: The file's size and ``sha256:`` digest, when it was hashed.
    stats: tuple[int, str] | None = None
    #: What followed the reading (its JSON form's comparison), if anything.
    follower: Follows | None = None


def keep_columns(res: Resource) -> list[str]:
    """The columns the rules across records read: key, references, and a few more."""
    names = [res.primary_key, *(fk.field for fk in res.foreign_keys), *_EXTRA.get(res.name, ())]
    return list(dict.fromkeys(names))


def empty_table(res: Resource) -> pa.Table:
    """A kept-columns table with no rows."""
    arrays = {name: pa.array([], pa.string()) for name in keep_columns(res)}
    arrays[ROW] = pa.array([], pa.int64())
    return pa.table(arrays)


def read_resource(
    res: Resource,
    entry: dict[str, Any],
    folder: Path,
    collector: Collector,
    tick: Tick,
    follow: Callable[[], Follows | None] | None = None,
) -> Kept:
    """The kept columns of the rows of ``res`` that pass their own checks, and the keys
    of those that fail; problems go to ``collector``. ``follow`` gives a comparison of
    the JSON form to make while reading (kept as ``Kept.follower``)."""
    file = entry["path"]
    try:
        path = checked_file(folder / file, folder)  # a regular file inside the package
        total = path.stat().st_size
        with open_regular(path) as handle:
            head = handle.read(len(_BOM) + 4)
    except OSError as exc:
        message = f"cannot read {file}: {exc.strerror}"
        collector.add(Problem(res.name, file, None, None, Code.FILE_MISSING, message))
        return Kept(res.name, file, empty_table(res))
    hashing = start_hash(path)
    kept, reading = None, None
    if utf16_without_bom(head.removeprefix(_BOM)[:4]) is None:  # else decode says so
        setup = (res, path, file, tick, total, collector.limit)
        kept, reading = _attempts(setup, follow)
    size, digest = hashing.result()
    collector.extend(stats_problems(res, entry, file, size, digest))
    if kept is not None and reading is not None:
        collector.merge(reading.collector)
        stats = (size, digest)
        return Kept(res.name, file, kept, reading.failed, stats=stats, follower=reading.follower)
    table = read_csv(res, file, read_regular(path))  # not UTF-8: says where
    collector.extend(table.problems)
    tick(total, total)
    return Kept(res.name, file, records_table(res, table.rows), dict(table.failed_keys))


def _attempts(
    setup: tuple[Resource, Path, str, Tick, int, int | None],
    follow: Callable[[], Follows | None] | None,
) -> tuple[pa.Table | None, _Attempt]:
    """Read the CSV by Arrow (or, when it may misread it, Python's csv module): the
    kept columns (``None``: not UTF-8) and the reading that kept them."""
    from aifacts.validation.report import Collector

    res, path, file, tick, total, limit = setup
    scanning = start_scan(path)

    def attempt() -> _Attempt:
        follower = follow() if follow is not None else None
        return _Attempt(res, path, file, tick, total, Collector(limit), follower)

    # Read while the scan runs, assuming no cell spans lines (the common case) ...
    reading = attempt()
    kept = _try_arrow(reading, multiline=False)
    safe, multiline = scanning.result()
    if safe and multiline:  # ... and read again when one does.
        reading.stop_following()
        reading = attempt()
        kept = _try_arrow(reading, multiline=True)
    if not safe or kept is None:  # Python's csv module reads it, as the row engine does
        kept = None  # what Arrow read is not used: free it first
        reading.stop_following()
        reading = attempt()
        kept = _read_python(reading)
        if kept is None:
            reading.stop_following()
    return kept, reading


@dataclass
class _Attempt:
    """One reading of a CSV (by Arrow, or by Python's csv module): where, what it
    found (``collector``, the ``failed`` rows' keys), and what follows it
    (``follower``: its JSON form's comparison or writing)."""

    res: Resource
    path: Path
    file: str
    tick: Tick
    size: int
    collector: Collector
    follower: Follows | None
    failed: dict[str, int] = field(default_factory=dict)

    def stop_following(self) -> None:
        """Stop what follows the reading: its rows will not be used."""
        if self.follower is not None:
            self.follower.stop()
            self.follower = None


def _try_arrow(reading: _Attempt, *, multiline: bool) -> pa.Table | None:
    """:func:`_read_arrow`, or ``None`` when Arrow refuses the file."""
    try:
        return _read_arrow(reading, multiline)
    except (pa.ArrowException, ValueError):  # e.g. a row of the wrong length: Python's csv reads it
        return None


def records_table(res: Resource, rows: list[tuple[int, Record]]) -> pa.Table:
    """The kept columns of typed records, as the Arrow path keeps them."""
    arrays: dict[str, Any] = {
        name: pa.array([cell_text(getattr(rec, name)) for _, rec in rows], pa.string())
        for name in keep_columns(res)
    }
    arrays[ROW] = pa.array([row for row, _ in rows], pa.int64())
    return pa.table(arrays)


def _read_arrow(reading: _Attempt, multiline: bool) -> pa.Table | None:
    """Stream the file through Arrow into :func:`_check_batches`; ``None`` when its
    header is not the schema's."""
    # A row of the wrong length raises: the file is then read by Python's csv.
    reader = open_cells(reading.res, reading.path, _BLOCK, multiline=multiline)
    if reader is None:
        return None

    def batches() -> Iterator[_Work]:
        start = 2  # the header is row 1
        done = 0  # bytes of cell text read: close to the bytes of the file read
        blocks: list[pa.RecordBatch] = []
        for batch in reader:
            blocks.append(batch)
            done += sum(column.buffers()[2].size for column in batch.columns)
            if len(blocks) == _JOINED:
                yield start, blocks, None  # joined in a checking thread
                start += sum(block.num_rows for block in blocks)
                blocks = []
                reading.tick(min(done, reading.size), reading.size)
        if blocks:
            yield start, blocks, None

    return _check_batches(reading, batches())


def open_cells(
    res: Resource, path: Path, block: int, *, multiline: bool, threads: bool = True
) -> Any:
    """An Arrow reader of the file's cells as text, every cell kept as written (empty
    cells are empty strings); ``None`` when its header is not the schema's fields."""
    names = list(res.field_names)
    reader = pacsv.open_csv(
        str(path),
        read_options=pacsv.ReadOptions(block_size=block, use_threads=threads),
        parse_options=pacsv.ParseOptions(newlines_in_values=multiline, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if reader.schema.names != names or any(t != pa.string() for t in reader.schema.types):
        return None
    return reader


def _read_python(reading: _Attempt) -> pa.Table | None:
    """Read the file with Python's csv module, as the row engine does, into
    :func:`_check_batches`; ``None`` when it is not UTF-8 (the row engine says where)."""
    side = Table(reading.res, reading.file)  # problems of the header, or of broken CSV
    try:
        with (
            open_regular(reading.path) as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):

            def batches() -> Iterator[Batch]:
                for batch in python_batches(side, text):
                    yield batch
                    reading.tick(min(raw.tell(), reading.size), reading.size)

            kept = _check_batches(reading, batches())
    except UnicodeDecodeError:
        return None
    reading.collector.extend(side.problems)
    if side.problems:
        reading.stop_following()  # not clean: its JSON form is not compared
    return kept


#: A batch to check, or blocks to join into one first (see ``Batch``).
_Work = tuple[int, pa.RecordBatch | list[pa.RecordBatch], Odd | None]


def _check_batches(reading: _Attempt, batches: Iterator[_Work]) -> pa.Table:
    """The kept columns of every batch's passing rows: batches are checked by two
    threads, in order (and compared with the JSON form by the reading's follower)."""
    res, file, collector, follower = reading.res, reading.file, reading.collector, reading.follower
    failed = reading.failed
    parts: list[pa.Table] = []
    pending: deque[Future[_Checked]] = deque()

    def finish(future: Future[_Checked], last: bool) -> None:
        table, problems, keys, (start, batch, lines) = future.result()
        parts.append(table)
        collector.extend(problems)
        for key, row in keys.items():
            failed.setdefault(key, row)
        if follower is not None:
            if problems:  # the CSV is not clean: its JSON form will not be compared
                follower.stop()
            follower.feed(start, batch, lines, last=last)

    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for start, batch, odd in batches:
            pending.append(pool.submit(_check_batch, res, file, batch, start, follower, odd))
            while len(pending) > _WORKERS:
                finish(pending.popleft(), last=False)
        while pending:
            finish(pending.popleft(), last=not pending)
    reading.tick(reading.size, reading.size)
    if not parts:
        return empty_table(res)
    return pa.concat_tables(parts)  # in chunks: the rules take them as they are


def _long_numbers(res: Resource, cols: dict[str, Any]) -> Any:
    """Rows with a number cell longer than :data:`~aifacts.io.json_limits.MAX_NUMBER`
    characters (``None``: none), which the row engine's code refuses unread."""
    found = None
    for spec in res.fields:
        if spec.type in ("number", "integer"):
            long = pc.greater(pc.binary_length(cols[spec.name]), MAX_NUMBER)
            found = long if found is None else pc.or_(found, long)
    return found if found is not None and pc.any(found).as_py() else None


def _joined(blocks: list[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch of the blocks' rows, in order."""
    joined = pa.Table.from_batches(blocks).combine_chunks().to_batches()
    return joined[0] if joined else blocks[0]  # (no batch when no block has rows)


#: A batch's kept table, problems, failed keys, and (its first row, itself, JSON lines).
_Checked = tuple[pa.Table, list[Problem], dict[str, int], tuple[int, pa.RecordBatch, Any]]


def _check_batch(
    res: Resource,
    file: str,
    batch: pa.RecordBatch | list[pa.RecordBatch],
    start: int,
    follower: Follows | None,
    odd: Odd | None = None,
) -> _Checked:
    """The kept columns of the batch's passing rows, its problems, its failed rows' keys,
    and, for ``follower``, the batch and its JSON lines. ``odd`` rows are judged by
    the row engine's code on their cells as read. Blocks are joined into one batch."""
    if isinstance(batch, list):
        batch = batch[0] if len(batch) == 1 else _joined(batch)
    names = list(res.field_names)
    cols = {name: batch.column(i) for i, name in enumerate(names)}
    rows = pa.array(np.arange(start, start + batch.num_rows, dtype=np.int64))
    flags = row_flags(res, cols)
    long = _long_numbers(res, cols)
    if long is not None:
        flags = pc.or_(flags, long)
    if odd is not None:
        marked = flags.to_numpy(zero_copy_only=False).copy()
        marked[list(odd.rows)] = True
        flags = pa.array(marked)
    flagged = pc.indices_nonzero(flags)
    valid = pc.invert(flags)
    table = Table(res, file)
    if len(flagged):
        taken = [batch.column(i).take(flagged).to_pylist() for i in range(len(names))]
        positions = {name: i for i, name in enumerate(names)}
        for j, index in enumerate(flagged.to_pylist()):
            if odd is not None and index in odd.rows:
                _read_row(table, start + index, odd.rows[index], odd.positions, odd.width)
                continue
            cells = [column[j] for column in taken]
            _read_row(table, start + index, cells, positions, len(names))
        if table.rows:
            passed = pa.array([row for row, _ in table.rows], pa.int64())
            valid = pc.or_(valid, pc.is_in(rows, value_set=passed))
    arrays = {name: cols[name] for name in keep_columns(res)}
    arrays[ROW] = rows
    kept = pa.table(arrays)
    if len(flagged):  # else every row passed: a filter would only copy them
        kept = kept.filter(valid)
    if "quote" in arrays:  # keep only the quotes the quote-value rule must check
        kept = blank_sure(kept)
    lines = follower.lines(batch) if follower is not None and not table.problems else None
    return kept, table.problems, table.failed_keys, (start, batch, lines)
