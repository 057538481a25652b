"""``aifacts build`` for big CSVs: a JSON form written from Arrow batches, in bounded memory.

The row path reads a CSV into records and writes its JSON form from them (a million
facts: about 70 s and 6 GB). Here the CSV is read as the columnar engine reads it
(:func:`~aifacts.validation.columnar.read.read_resource`), its rows checked as the row engine
checks them, and the JSON lines of each clean batch (the lines
:func:`~aifacts.io.writing.write_json` writes:
:class:`~aifacts.validation.columnar.json_lines.Writer`)
go to an unnamed temporary file beside the JSON form (:class:`aifacts.io.atomic.AtomicFile`).
That file replaces the JSON form only when the whole CSV was clean and the bytes
differ, so an unchanged package is left as it was, and a killed build leaves no
temporary file.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa

from aifacts.contract.problems import Problem
from aifacts.contract.schema import Resource
from aifacts.io.atomic import AtomicFile
from aifacts.io.reading import Table, csv_rows, read_row
from aifacts.validation.columnar.json_lines import Unsure, Writer
from aifacts.validation.columnar.read import read_resource
from aifacts.validation.report import Collector, order_key

__all__ = ["FormWriter", "Outcome", "write_json_form"]


@dataclass(frozen=True)
class Outcome:
    """What writing one JSON form did: ``written`` when its file changed; ``problem``,
    the CSV's first problem (as :func:`aifacts.io.reading.read_csv` lists it) when the
    CSV is not clean and its JSON form was left as it was."""

    written: bool
    problem: Problem | None = None


def write_json_form(res: Resource, folder: Path, target: Path) -> Outcome | None:
    """Write the JSON form of ``res`` (its CSV in ``folder``) to ``target``.

    Returns ``None`` when only the row engine's writer can say what the JSON form
    holds (a cell :class:`~aifacts.validation.columnar.json_lines.Writer` cannot write), or when
    no temporary file can be made beside ``target``: that writer then compares the
    bytes in memory and writes only what changed, as it always did.
    """
    writers: list[FormWriter] = []

    def follow() -> FormWriter | None:
        try:
            writers.append(FormWriter(res, target))
        except OSError:  # no file can be made beside it (a read-only folder, say)
            return None
        return writers[-1]

    collector = Collector(limit=1)
    try:
        kept = read_resource(res, {"path": res.path}, folder, collector, _quiet, follow)
        problems, _ = collector.result()
        if problems:
            return Outcome(False, _first_problem(res, folder / res.path, problems))
        writer = kept.follower
        if not isinstance(writer, FormWriter) or not writer.finish():
            return None
        return Outcome(writer.replace())
    finally:
        for writer in writers:
            writer.discard()


def _quiet(done: int, total: int) -> None:
    """No progress display."""


class FormWriter:
    """Writes a JSON form from the batches of its CSV's reading, into a temporary file
    beside ``target`` (:meth:`finish`, then :meth:`replace`)."""

    def __init__(self, res: Resource, target: Path) -> None:
        self._writer = Writer(res)
        self.target = target
        self._new: AtomicFile | None = AtomicFile(target)
        self._file: IO[bytes] | None = self._new.file
        self._new.write(b"[\n")
        self.rows = 0
        self.failed = False

    def lines(self, batch: Any) -> Any:
        """The batch's JSON lines (``None``: the row engine's writer must write them)."""
        if self.failed:
            return None
        if not batch.num_rows:
            return pa.array([], pa.string())
        try:
            return self._writer.lines(batch)
        except (Unsure, pa.ArrowException, ValueError):
            return None

    def feed(self, start: int, batch: Any, lines: Any, *, last: bool) -> None:
        """Append the next batch's lines (``start``, ``last``: unused, in row order)."""
        if self.failed or self._file is None:
            return
        if lines is None:
            self.stop()
            return
        n = len(lines)
        if not n:
            return
        offsets = np.frombuffer(lines.buffers()[1], np.int32, n + 1, lines.offset * 4)
        blob = lines.buffers()[2].slice(int(offsets[0]), int(offsets[n] - offsets[0]))
        assert self._new is not None
        self._new.write(memoryview(blob))
        self.rows += n

    def stop(self) -> None:
        """Give up: the CSV is not clean, or this reading's rows are not used."""
        self.failed = True

    def finish(self) -> bool:
        """Close the array (as ``write_json`` does); ``False`` if the writing gave up."""
        if self.failed or self._file is None:
            return False
        if self.rows:
            self._file.seek(-2, os.SEEK_END)  # the last line's ",\n"
            self._file.truncate()
            self._file.write(b"\n]\n")
        else:
            self._file.seek(0)
            self._file.truncate()
            self._file.write(b"[]\n")
        self._file = None
        return True

    def replace(self) -> bool:
        """Put the written file in place of ``target`` unless both hold the same bytes;
        whether ``target`` changed."""
        assert self._new is not None
        if self.target.is_file() and self._new.same_as_target():
            return False
        self._new.commit()
        return True

    def discard(self) -> None:
        """Forget the temporary file, if still there."""
        self._file = None
        if self._new is not None:
            self._new.discard()
            self._new = None


def _first_problem(res: Resource, path: Path, found: list[Problem]) -> Problem:
    """The problem :func:`aifacts.io.reading.read_csv` lists first, given the first of
    each code the columnar reading ``found``: no row before the least of their rows
    has a problem, so rows are read as text up to it and judged from there, one at
    a time, as ``read_csv`` judges them."""
    first_row = min(p.row or 0 for p in found)
    table = Table(res, res.path)
    try:
        with path.open("rb") as raw, io.TextIOWrapper(raw, "utf-8-sig", newline="") as text:
            for row, cells, columns, width in csv_rows(table, text):
                if row >= first_row:
                    read_row(table, row, cells, columns, width)
                    table.rows.clear()
                if table.problems:
                    break
    except UnicodeDecodeError:  # read_csv says where: the columnar reading found it
        pass
    return table.problems[0] if table.problems else min(found, key=order_key)
