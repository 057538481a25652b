"""A CSV that Arrow may misread or refuses is read by Python's csv module, in batches.

One stray quote or one row of the wrong length in a million rows used to send the
whole file to the row engine, which holds every row as a record (gigabytes). The
columnar engine now reads such a file with Python's csv module, as the row engine
does, a batch at a time: the same problems, in bounded memory, and its JSON form
still compared while it is read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.problems import Code
from aifacts.contract.schema import resource
from aifacts.release import build
from aifacts.validation.columnar import json_forms, python_csv, read
from aifacts.validation.engine import validate
from benchmarks.generate import FAULTS, generate
from tests.packages import read_rows, refresh_stats, write_json_form, write_rows

#: Edits of one line of facts.csv after which Arrow cannot be trusted with the file.
LINE_EDITS: dict[str, Callable[[bytes], bytes]] = {
    "extra-cell": lambda line: line + b",extra",
    "missing-cell": lambda line: line.rsplit(b",", 1)[0],
    "empty-line": lambda line: b"",
    "blank-cells": lambda line: b"," * line.count(b","),
    "stray-quote": lambda line: line.replace(b",", b',x"y', 1),
    "quote-after-close": lambda line: b'"ab"c' + line,
    "nul": lambda line: line.replace(b",", b",\x00", 1),
    "bare-cr": lambda line: line + b"\r",
    "unclosed-quote": lambda line: b'"' + line,
}


#: Notes a CSV must quote: over two lines, with quotes, commas, a CR.
NOTES = ["two\nlines", 'said "so", twice', "a\r\nb", "tab\there", "x,y"]


def _edit_lines(folder: Path, edits: list[tuple[int, str]], swap_header: bool) -> None:
    path = folder / "facts.csv"
    lines = path.read_bytes().split(b"\n")
    for index, kind in edits:
        at = min(index, max(len(lines) - 2, 0))
        lines[at] = LINE_EDITS[kind](lines[at])
    if swap_header:
        lines[0] = lines[0].replace(b"fact_id,entity_id", b"entity_id,fact_id", 1)
    path.write_bytes(b"\n".join(lines))
    refresh_stats(folder, "facts")


def _assert_agree(folder: Path, limit: int | None = None) -> None:
    rows = validate(folder, engine="rows", max_per_code=limit)
    columnar = validate(folder, engine="columnar", max_per_code=limit)
    assert columnar.valid == rows.valid
    assert columnar.stats == rows.stats
    assert columnar.omitted == rows.omitted
    assert columnar.problems == rows.problems


@settings(max_examples=40, deadline=None)
@given(
    facts=st.integers(0, 120),
    seed=st.integers(0, 2**16),
    faults=st.dictionaries(st.sampled_from(sorted(FAULTS)), st.floats(0.02, 0.3), max_size=4),
    edits=st.lists(
        st.tuples(st.integers(1, 125), st.sampled_from(sorted(LINE_EDITS))), min_size=1, max_size=5
    ),
    swap_header=st.booleans(),
    batch=st.integers(1, 9),
    limit=st.sampled_from([None, 2]),
    notes=st.lists(st.tuples(st.integers(1, 125), st.sampled_from(NOTES)), max_size=3),
)
def test_both_engines_agree_on_a_file_python_reads_in_batches(
    facts: int,
    seed: int,
    faults: dict[str, float],
    edits: list[tuple[int, str]],
    swap_header: bool,
    batch: int,
    limit: int | None,
    notes: list[tuple[int, str]],
) -> None:
    """Odd rows anywhere in a batch, or at its edges, with faults in other rows, notes
    that span lines, and the header out of order or not: the row engine's problems,
    in its order."""
    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(python_csv, "ROWS", batch):
        folder = Path(tmp) / "pkg"
        generate(folder, facts, seed=seed, faults=faults)
        rows = read_rows(folder, "facts")
        if notes and len(rows) > 1:
            for index, text in notes:
                rows[min(index, len(rows) - 1)][rows[0].index("note")] = text
            write_rows(folder, "facts", rows)
        _edit_lines(folder, edits, swap_header)
        _assert_agree(folder, limit)


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows of each batch Python's csv module reads; the row engine's whole-file
    reader is refused, so a test fails if a file is read whole into records."""
    sizes: list[int] = []
    read_batches = read.python_batches

    def spy(*args: Any) -> Iterator[Any]:
        for start, batch, odd in read_batches(*args):
            sizes.append(batch.num_rows)
            yield start, batch, odd

    def whole(*args: Any) -> Any:
        raise AssertionError("the whole file was read into records")

    monkeypatch.setattr(read, "python_batches", spy)
    monkeypatch.setattr(read, "read_csv", whole)
    monkeypatch.setattr(python_csv, "ROWS", 16)
    return sizes


@pytest.mark.parametrize("kind", ["stray-quote", "extra-cell", "missing-cell", "nul"])
def test_a_file_arrow_cannot_read_is_read_a_batch_at_a_time(
    tmp_path: Path, batches: list[int], kind: str
) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 200, seed=2, faults={"enum": 0.05})
    _edit_lines(folder, [(100, kind)], swap_header=False)
    columnar = validate(folder, engine="columnar", max_per_code=None)
    assert sum(batches) == 200 and max(batches) == 16
    rows = validate(folder, engine="rows", max_per_code=None)
    assert columnar.problems == rows.problems
    assert Code.ENUM in {p.code for p in columnar.problems}


def test_a_file_that_is_not_utf8_is_reported_where_it_breaks(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 300, seed=4)
    _edit_lines(folder, [(250, "stray-quote")], swap_header=False)
    path = folder / "facts.csv"
    path.write_bytes(path.read_bytes()[:-40] + b"\xe4")  # a character cut short at the end
    refresh_stats(folder, "facts")
    with mock.patch.object(python_csv, "ROWS", 16):
        columnar = validate(folder, engine="columnar")
    assert [p.code for p in columnar.problems] == [Code.ENCODING]
    assert columnar.problems == validate(folder, engine="rows").problems


@pytest.fixture(scope="module")
def with_json_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated package whose facts.csv Arrow may misread (literal quotes in unquoted
    notes, which Python's csv reads as text), with the JSON forms `aifacts build` writes."""
    target = tmp_path_factory.mktemp("quoted") / "pkg"
    generate(target, 300, seed=9)
    path = target / "facts.csv"
    lines = path.read_bytes().split(b"\n")
    edited = [i for i in range(1, len(lines) - 1) if lines[i].endswith(b",")][::7]
    for i in edited:
        lines[i] += b'said "yes"'
    path.write_bytes(b"\n".join(lines))
    before = path.read_bytes()
    build.build(target)
    assert path.read_bytes() == before and len(edited) > 10
    return target


def test_a_json_form_is_compared_while_python_reads_its_csv(
    with_json_forms: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def second_reading(*args: Any) -> Any:
        raise AssertionError("the CSV was read again to compare its JSON form")

    monkeypatch.setattr(json_forms, "_stream", second_reading)
    monkeypatch.setattr(json_forms, "_exact", second_reading)
    monkeypatch.setattr(python_csv, "ROWS", 32)
    assert validate(with_json_forms, engine="columnar").valid

    target = tmp_path / "pkg"
    shutil.copytree(with_json_forms, target)
    text = (target / "facts.json").read_text(encoding="utf-8")
    edited = text.replace('said \\"yes\\"', 'said \\"no\\"', 2)
    write_json_form(target, "facts", edited.encode("utf-8"))
    columnar = validate(target, engine="columnar", max_per_code=None)
    last = resource("facts").field_names[-1]  # the column the fixture's text went into
    assert [(p.code, p.field) for p in columnar.problems] == [(Code.JSON_MISMATCH, last)] * 2
    assert columnar.problems == validate(target, engine="rows", max_per_code=None).problems
