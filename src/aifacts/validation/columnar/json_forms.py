"""The JSON-form rule (:func:`aifacts.validation.json_forms.check_json_forms`) without reading rows
into records.

A JSON form is what :func:`aifacts.io.writing.write_json` writes from its CSV's rows. For
a CSV that validated cleanly each cell's text is exactly what ``cell_text`` gives for
its typed value, so the JSON form's bytes can be generated batch by batch from the
cell text Arrow reads (:class:`~aifacts.validation.columnar.json_lines.Writer`) and compared
with the file read in step, while threads hash both files (the rule compares only a
CSV of its recorded hash, and reports the JSON form's own). Memory stays a few
batches, whatever the size. During a validation the comparison follows the engine's
own reading of each CSV (:class:`Follower`); on its own it reads the CSV itself.

When a batch's bytes differ, its lines are compared one by one and each differing
line goes through the row engine's own code (:func:`aifacts.io.reading.read_json` on
that one object, :func:`aifacts.validation.json_forms.cell_mismatches`), so the problems are the row
engine's; the following batches are compared whole again. Whatever this cannot
decide alone (a line that is not one JSON object, a control character, a file
Arrow refuses...) sends the resource to the row engine's code entirely
(:func:`aifacts.validation.json_forms.check_json_form`).
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from aifacts.contract.problems import Code, Problem
from aifacts.contract.records import Record
from aifacts.contract.schema import RESOURCES, Resource
from aifacts.io.descriptor import JSON_SUFFIX, bytes_ok
from aifacts.io.json_limits import loads
from aifacts.io.package import Descriptor, checked_file, read_regular, resource_path, stats_problems
from aifacts.io.reading import Table, json_file_problem, read_csv, read_json, read_row
from aifacts.validation.columnar.json_body import CHUNK, Body, open_body
from aifacts.validation.columnar.json_lines import Unsure as _Unsure
from aifacts.validation.columnar.json_lines import Writer
from aifacts.validation.columnar.read import open_cells
from aifacts.validation.columnar.scan import start_hash
from aifacts.validation.json_forms import (
    cell_mismatches,
    check_json_form,
    count_mismatch,
    differing_cells,
    unreadable,
)
from aifacts.validation.report import Collector

__all__ = ["Follower", "Stats", "check_json_forms", "follow"]

#: A file's size and ``sha256:`` digest, as :func:`aifacts.io.package.file_stats` gives them.
Stats = tuple[int, str]

_BLOCK = 1 << 20  # bytes of CSV Arrow reads at a time
_EXTRA = 10_000  # JSON lines read at a time past the CSV's last row
_WORKERS = 1  # threads writing JSON lines: the comparison and two hashes run beside


def check_json_forms(
    descriptor: Descriptor,
    clean: Collection[str],
    *,
    csv_stats: Mapping[str, Stats] | None = None,
    followers: Mapping[str, Follower] | None = None,
) -> list[Problem]:
    """The problems :func:`aifacts.validation.json_forms.check_json_forms` reports, for the
    resources named in ``clean`` (those whose CSV had no problem at all in this validation).

    As in the row engine, nothing is checked unless every required resource is declared.
    ``csv_stats`` may give, by resource name, the size and ``sha256:`` digest of CSVs
    already hashed in this validation, so they are not hashed again; ``followers``,
    the comparisons made while the CSVs were read (:func:`follow`), by resource name.
    """
    followers = followers or {}
    try:
        return _check_all(descriptor, clean, csv_stats or {}, followers)
    finally:
        for follower in followers.values():
            follower.stop()  # those not used: their CSV is not clean


def _check_all(
    descriptor: Descriptor,
    clean: Collection[str],
    csv_stats: Mapping[str, Stats],
    followers: Mapping[str, Follower],
) -> list[Problem]:
    declared: set[str] = set()
    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        if entry is not None and isinstance(entry.get("path"), str):
            declared.add(res.name)
    if any(not res.optional and res.name not in declared for res in RESOURCES):
        return []
    problems: list[Problem] = []
    for res in RESOURCES:
        if res.name in clean and res.name in declared:
            known, follower = csv_stats.get(res.name), followers.get(res.name)
            problems += _check(descriptor, res, known, follower)
    return problems


def _check(
    descriptor: Descriptor, res: Resource, known: Stats | None, follower: Follower | None
) -> list[Problem]:
    """The problems of the JSON form of ``res``, whose CSV is clean (``known``: the
    CSV's size and digest, when already computed; ``follower``: the comparison made
    while the CSV was read, used if made on these very files)."""
    declared = _declared(descriptor, res)
    if declared is None:
        return []
    entry, csv_entry = declared
    file = entry["path"]
    try:  # the row engine reads both first
        csv_path, json_path = _checked(descriptor, csv_entry), _checked(descriptor, entry)
        if bytes_ok(csv_entry.get("bytes")) and csv_entry["bytes"] != _size(csv_path):
            return []  # a CSV not of its recorded size is not compared: no need to hash it
    except OSError:
        return _exact(descriptor, res, csv_entry["path"])
    if csv_entry["path"] != res.path:  # its rows come from one file, its stats from another
        return _exact(descriptor, res, csv_entry["path"])
    csv_stats: Future[Stats] = Future()
    if known is None:
        csv_stats = start_hash(csv_path)  # in threads, beside the comparison
    else:
        csv_stats.set_result(known)
    found: list[Problem] | None
    if follower is not None and follower.files == (csv_path, json_path):
        json_stats, found = follower.json_stats, follower.result()
    else:
        json_stats = start_hash(json_path)
        try:
            found = _stream(res, csv_path, json_path, file)
        except (_Unsure, OSError, pa.ArrowException, ValueError):
            found = None
    try:
        csv_size, csv_digest = csv_stats.result()
        json_size, json_digest = json_stats.result()
    except OSError:
        return _exact(descriptor, res, csv_entry["path"])
    if stats_problems(res, csv_entry, res.path, csv_size, csv_digest):
        return []  # the row engine does not compare a CSV that differs from its record
    if found is None:
        # A JSON form that is not even JSON (a truncated file) is unreadable whatever
        # the CSV holds: no need to read the CSV into records to say so.
        first = json_file_problem(res, file, json_path)
        if first is None:
            return _exact(descriptor, res, csv_entry["path"])
        found = [unreadable(res, file, first)]
    return stats_problems(res, entry, file, json_size, json_digest) + found


class Follower:
    """Compares a JSON form with its CSV while the columnar engine reads that CSV, so
    one reading serves both rules.

    The reading threads write each batch's JSON lines (:meth:`lines`); the batches
    are then compared in row order (:meth:`feed`). Whatever the comparison cannot
    decide alone makes it give up (:meth:`result` is then ``None``: the row engine's
    code decides).
    """

    def __init__(
        self, res: Resource, files: tuple[Path, Path], file: str, body: Body, limit: int | None
    ) -> None:
        self.files = files  # the CSV and its JSON form
        self.json_stats = start_hash(files[1])
        self._writer = Writer(res)
        self._body = body
        self._comparison = _Comparison(res, file, body, limit)
        self._fed = 0  # batches compared
        self._given_up = False

    def lines(self, batch: Any) -> Any:
        """The batch's JSON lines (``None``: cannot tell); safe in any thread."""
        if self._given_up or not batch.num_rows:
            return None
        try:
            return self._writer.lines(batch)
        except (_Unsure, pa.ArrowException, ValueError):
            return None

    def feed(self, start: int, batch: Any, lines: Any, *, last: bool) -> None:
        """Compare the next batch (its first row is row ``start``; ``lines`` from
        :meth:`lines`; ``last``: no batch follows)."""
        if self._given_up:
            return
        if lines is None:  # an empty batch too: where the rows end would be unsure
            self.stop()
            return
        try:
            self._comparison.batch(start, batch, lines, last)
            self._fed += 1
        except (_Unsure, OSError, pa.ArrowException, ValueError):
            self.stop()

    @property
    def omitted(self) -> int:
        """Mismatches past the limit, counted but not in :meth:`result`."""
        return self._comparison.omitted

    def result(self) -> list[Problem] | None:
        """The JSON form's problems but its size and hash (past the limit, only
        counted: :attr:`omitted`), once every batch was fed; ``None`` when only the
        row engine's code can say."""
        found: list[Problem] | None = None
        if not self._given_up and self._fed:  # no rows: "[]\n" is the row engine's
            try:
                found = self._comparison.finish()
            except (_Unsure, OSError, ValueError):
                found = None
        self.stop()
        return found

    def stop(self) -> None:
        """Give up comparing (the CSV is not clean, or the comparison cannot decide)."""
        self._given_up = True
        self._body.handle.close()


def follow(descriptor: Descriptor, res: Resource, limit: int | None = None) -> Follower | None:
    """A :class:`Follower` for the JSON form of ``res``, if it has one to compare;
    ``limit``: the problems per code a report keeps (the rest are only counted)."""
    declared = _declared(descriptor, res)
    if declared is None:
        return None
    entry, csv_entry = declared
    if csv_entry.get("path") != res.path:
        return None  # its rows come from one file, its stats from another: row engine
    try:
        csv_path, json_path = _checked(descriptor, csv_entry), _checked(descriptor, entry)
        body = open_body(json_path)
    except (_Unsure, OSError):
        return None
    return Follower(res, (csv_path, json_path), entry["path"], body, limit)


def _declared(descriptor: Descriptor, res: Resource) -> tuple[Any, Any] | None:
    """The descriptor's entries of the JSON form of ``res`` and of its CSV, when both
    are declared with a path the descriptor's checks accept."""
    entry = descriptor.resource(res.name + JSON_SUFFIX)
    csv_entry = descriptor.resource(res.name)
    if entry is None or csv_entry is None:
        return None
    if resource_path(descriptor, entry) is None or resource_path(descriptor, csv_entry) is None:
        return None
    return entry, csv_entry


def _checked(descriptor: Descriptor, entry: dict[str, Any]) -> Path:
    """The checked file of a declared entry (:func:`aifacts.io.package.checked_file`)."""
    path = resource_path(descriptor, entry)
    if path is None:
        raise OSError("refused path")  # not reached: _declared checked it
    return checked_file(path, descriptor.folder)


def _size(path: Path) -> int:
    return path.stat().st_size


def _exact(descriptor: Descriptor, res: Resource, csv_file: Any) -> list[Problem]:
    """The row engine's own check: the CSV read into records, then compared."""
    path = resource_path(descriptor, {"path": csv_file})
    try:
        if path is None:
            raise OSError("refused path")
        data = read_regular(path, descriptor.folder)
    except OSError:  # the row engine could not read it either: not clean
        return []
    return check_json_form(descriptor, res, read_csv(res, csv_file, data))


def _stream(res: Resource, csv_path: Path, json_path: Path, file: str) -> list[Problem]:
    """The JSON form's problems but its size and hash, the CSV and JSON read in step."""
    reader = open_cells(res, csv_path, _BLOCK, multiline=True, threads=False)
    if reader is None:
        raise _Unsure
    with open_body(json_path) as body:
        check = _Comparison(res, file, body)
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for start, batch, lines, last in _batches(reader, Writer(res), pool):
                check.batch(start, batch, lines, last)
        return check.finish()


def _batches(
    reader: Any, writer: Writer, pool: ThreadPoolExecutor
) -> Iterator[tuple[int, Any, Any, bool]]:
    """Each batch of the CSV with its first row's number and its JSON lines (written
    in ``pool``, ``_WORKERS`` batches ahead), and whether it is the last."""
    pending: deque[tuple[int, Any, Future[Any]]] = deque()
    start = 2  # the header is row 1
    for batch in reader:
        if batch.num_rows:
            pending.append((start, batch, pool.submit(writer.lines, batch)))
            start += batch.num_rows
        if len(pending) > _WORKERS:
            first, done, lines = pending.popleft()
            yield first, done, lines.result(), False
    if start == 2:
        raise _Unsure  # no rows: the JSON form is "[]\n", left to the row engine
    while pending:
        first, done, lines = pending.popleft()
        yield first, done, lines.result(), not pending


class _Comparison:
    """The comparison of the JSON form with its CSV, batch by batch, in row order."""

    def __init__(self, res: Resource, file: str, body: Body, limit: int | None = None) -> None:
        self.res, self.file, self.body = res, file, body
        self.csv_rows = 0
        self.json_rows = 0
        self.first: Problem | None = None  # the first problem reading the JSON form
        # Every mismatch, in order; or, with a limit, the first ``limit`` in report
        # order and a count of the rest (rows out of step may differ by millions).
        self.mismatches: list[Problem] | Collector = [] if limit is None else Collector(limit)
        self.omitted = 0  # mismatches counted, not kept
        self.positions = {name: i for i, name in enumerate(res.field_names)}
        self._batch: Any = None  # the batch whose cells are in _cells
        self._cells: list[list[Any]] = []

    def batch(self, start: int, batch: Any, lines: Any, last: bool) -> None:
        """Compare the JSON lines of the CSV rows ``batch`` (from row ``start``)."""
        n = batch.num_rows
        self.csv_rows += n
        offsets = np.frombuffer(lines.buffers()[1], np.int32, n + 1, lines.offset * 4)
        end = int(offsets[n]) - (2 if last else 0)  # the last row has no ",\n" after it
        blob = lines.buffers()[2].slice(int(offsets[0]), end - int(offsets[0]))
        if self.body.same(blob):
            if not last or not self.body.left:
                self.json_rows += n
                self.body.done = last
                return
            self.body.back(blob.size)
        if not self.body.done and start != self.json_rows + 2:
            raise _Unsure  # lines and rows out of step: not expected
        found, final = self.body.lines(n, hint=blob.size + CHUNK)
        expected = lines.cast(pa.binary()).to_pylist()
        for j, line in enumerate(found):
            text = self._object(line, final and j == len(found) - 1)
            if text != expected[j][:-2]:
                self._differs(start + j, text, batch, j)
        self.json_rows += len(found)

    def finish(self) -> list[Problem]:
        """The problems, once every CSV row is compared: JSON rows past them are read."""
        while not self.body.done:
            found, final = self.body.lines(_EXTRA)
            for j, line in enumerate(found):
                text = self._object(line, final and j == len(found) - 1)
                self._differs(self.json_rows + j + 2, text, None, 0)
            self.json_rows += len(found)
        if self.first is not None:
            return [unreadable(self.res, self.file, self.first)]
        if self.json_rows != self.csv_rows:
            count = count_mismatch(self.res, self.file, self.json_rows, self.csv_rows)
            self.mismatches.extend([count])
        if isinstance(self.mismatches, list):
            return self.mismatches
        kept, omitted = self.mismatches.result()
        self.omitted = sum(omitted.values())
        return kept

    @staticmethod
    def _object(line: bytes, final: bool) -> bytes:
        """The object on a line of the body: all but the last end with a comma."""
        if final:
            return line
        if not line.endswith(b","):
            raise _Unsure
        return line[:-1]

    def _differs(self, row: int, text: bytes, batch: Any, j: int) -> None:
        """Compare a JSON row that is not what the CSV row ``j`` of ``batch`` gives (no
        batch: a row past the CSV's), as the row engine does."""
        got, problem = _json_record(self.res, self.file, row, text)
        if problem is not None:
            self.first = self.first or problem
        if self.first is not None or batch is None or got is None:
            return
        table = Table(self.res, self.res.path)
        cells = [column[j] for column in self._columns(batch)]
        read_row(table, row, cells, self.positions, len(cells))
        if table.problems or not table.rows:
            raise _Unsure  # the CSV was not clean after all
        want = table.rows[0][1]
        mismatches = self.mismatches
        if isinstance(mismatches, Collector) and not mismatches.wants(
            Code.JSON_MISMATCH, self.res.name, self.file, row
        ):  # past the problems the report keeps: only counted, no message built
            differing = len(differing_cells(self.res, want, got))
            mismatches.count(Code.JSON_MISMATCH, differing, resource=self.res.name)
            return
        mismatches.extend(cell_mismatches(self.res, self.file, row, want, got))

    def _columns(self, batch: Any) -> list[list[Any]]:
        """The batch's cells as Python lists, made once for all its differing rows."""
        if self._batch is not batch:
            self._batch, self._cells = batch, [column.to_pylist() for column in batch.columns]
        return self._cells


def _json_record(
    res: Resource, file: str, row: int, text: bytes
) -> tuple[Record | None, Problem | None]:
    """The record of one JSON object of row ``row``, or the first problem reading it
    (by :func:`aifacts.io.reading.read_json`, as when it reads the whole file)."""
    try:
        loads(text.decode("utf-8"))
    except ValueError:
        raise _Unsure from None  # the whole file is not JSON: the row engine says where
    table = read_json(res, file, b"[" + text + b"]")
    if table.problems:
        return None, dataclasses.replace(table.problems[0], row=row)
    return table.rows[0][1], None
