"""`aifacts build` writes a big CSV's JSON form from Arrow batches: the same bytes.

For a CSV over the size where the columnar engine takes over, the JSON form is
written from the cell text Arrow reads, batch by batch, instead of from records.
Whatever the package (faults, odd bytes, text JSON escapes), the files written,
their bytes and the CSVs named as skipped must be exactly those of the records'
path; an unchanged package is left untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.release import build
from aifacts.validation.columnar import python_csv, read
from benchmarks.generate import FAULTS, generate
from tests.packages import read_rows, write_rows
from tests.test_columnar_python_csv import LINE_EDITS, _edit_lines

#: Text a cell may hold: what JSON escapes, what a CSV quotes, Chinese, controls.
TEXT = st.text(
    st.sampled_from([*'aZ 0-,/"\\\t\n中文é', "\u2028", "\x01", "\r", "\x7f"]), max_size=8
)


def _build(folder: Path, *, columnar: bool) -> tuple[list[str], list[str], dict[str, bytes]]:
    """Build ``folder`` by one path: the files written, the CSVs skipped, every file."""
    threshold = -1 if columnar else 1 << 62
    with mock.patch.object(build, "AUTO_COLUMNAR_BYTES", threshold):
        result = build.build_report(folder)
    written = [p.name for p in result.written]
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    return written, result.skipped, files


def _assert_same_build(folder: Path) -> None:
    other = folder.parent / "other"
    shutil.copytree(folder, other)
    assert _build(other, columnar=True) == _build(folder, columnar=False)


@settings(max_examples=40, deadline=None)
@given(
    facts=st.integers(0, 120),
    seed=st.integers(0, 2**16),
    faults=st.dictionaries(st.sampled_from(sorted(FAULTS)), st.floats(0.02, 0.3), max_size=2),
    edits=st.lists(st.tuples(st.integers(1, 125), st.sampled_from(sorted(LINE_EDITS))), max_size=2),
    cells=st.lists(
        st.tuples(st.integers(1, 125), st.sampled_from(["quote", "note", "locator"]), TEXT),
        max_size=4,
    ),
    batch=st.sampled_from([None, 7]),
)
def test_the_json_forms_are_the_records_paths_byte_for_byte(
    facts: int,
    seed: int,
    faults: dict[str, float],
    edits: list[tuple[int, str]],
    cells: list[tuple[int, str, str]],
    batch: int | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        generate(folder, facts, seed=seed, faults=faults)
        rows = read_rows(folder, "facts")
        if cells and len(rows) > 1:
            for index, column, text in cells:
                rows[min(index, len(rows) - 1)][rows[0].index(column)] = text
            write_rows(folder, "facts", rows)
        if edits:
            _edit_lines(folder, edits, swap_header=False)
        with mock.patch.object(python_csv, "ROWS", batch or python_csv.ROWS):
            _assert_same_build(folder)


def test_many_batches_make_one_json_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 500, seed=3)
    monkeypatch.setattr(read, "_BLOCK", 1 << 12)  # dozens of Arrow batches
    _assert_same_build(folder)


def test_an_unchanged_package_is_left_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 300, seed=5)
    written, skipped, _ = _build(folder, columnar=True)
    assert "facts.json" in written and skipped == []
    os.chmod(folder / "facts.json", 0o640)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert _build(folder, columnar=True)[:2] == ([], [])
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # no stray files
    rows = read_rows(folder, "facts")
    rows[10][rows[0].index("note")] = "changed"
    write_rows(folder, "facts", rows)
    assert _build(folder, columnar=True)[:2] == (["facts.json", "datapackage.json"], [])
    assert (folder / "facts.json").stat().st_mode & 0o777 == 0o640  # its permissions kept
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)


def test_a_csv_with_a_fault_keeps_its_json_form_and_names_the_first_problem(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 300, seed=6)
    build.build(folder)
    json_form = (folder / "facts.json").read_bytes()
    rows = read_rows(folder, "facts")
    rows[200][rows[0].index("status")] = "rumour"
    rows[250][rows[0].index("unit")] = ""
    write_rows(folder, "facts", rows)
    written, skipped, _ = _build(folder, columnar=True)
    assert written == []  # its JSON form stays; the edit already refreshed the stats
    assert (folder / "facts.json").read_bytes() == json_form
    assert len(skipped) == 1
    assert skipped[0].startswith("facts.csv:201:status: 'rumour' is not one of: ")
    assert _build(folder, columnar=False)[1] == skipped


def test_a_folder_where_no_file_can_be_made_still_builds_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An up-to-date package in a folder that takes no new file (read-only) is still
    'up to date': the records' writer, which writes only what changed, takes over."""
    folder = tmp_path / "pkg"
    generate(folder, 300, seed=8)
    build.build(folder)

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr("aifacts.io.atomic.AtomicFile._open_anonymous", refused)
    assert _build(folder, columnar=True)[:2] == ([], [])
