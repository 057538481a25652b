"""The columnar engine reports exactly the problems of the row engine, the reference.

Hypothesis generates small synthetic packages (benchmarks/generate.py), plants
faults of every kind in rows, entities and raw bytes, and both engines must give
the same verdict, the same row counts and the same set of problems.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.problems import Code
from aifacts.validation.columnar import read
from aifacts.validation.engine import validate
from benchmarks.generate import FAULTS, generate
from tests.packages import read_rows, refresh_stats, write_json_form, write_rows


def _bytes_edit(change: Callable[[bytes], bytes], refresh: bool = True) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "facts.csv"
        path.write_bytes(change(path.read_bytes()))
        if refresh:
            refresh_stats(folder, "facts")

    return edit


def _line(data: bytes, index: int, change: Callable[[bytes], bytes]) -> bytes:
    lines = data.split(b"\n")
    at = min(index, max(len(lines) - 2, 0))
    lines[at] = change(lines[at])
    return b"\n".join(lines)


def _long_value(line: bytes) -> bytes:
    """The row with its ``value`` cell (the fourth) 150 digits long."""
    cells = line.split(b",")
    if len(cells) > 3:
        cells[3] = b"7" * 150
    return b",".join(cells)


def _entities(change: Callable[[list[list[str]]], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        rows = read_rows(folder, "entities")
        change(rows)
        write_rows(folder, "entities", rows)

    return edit


def _sources(**cells: str) -> Callable[[Path], None]:
    """Set ``cells`` (by column name) of the first source row."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, "sources")
        for name, value in cells.items():
            rows[1][rows[0].index(name)] = value
        write_rows(folder, "sources", rows)

    return edit


def _country_is_company(rows: list[list[str]]) -> None:
    if len(rows) > 4:
        rows[4][4] = rows[3][0]  # a company's country names another company


def _parent_cycle(rows: list[list[str]]) -> None:
    if len(rows) > 5:
        rows[4][5], rows[5][5] = rows[5][0], rows[4][0]


#: Edits of a generated package beyond the row faults the generator plants.
MUTATIONS: dict[str, Callable[[Path], None]] = {
    "crlf": _bytes_edit(lambda d: d.replace(b"\n", b"\r\n")),
    "bom": _bytes_edit(lambda d: b"\xef\xbb\xbf" + d),
    "bare-cr": _bytes_edit(lambda d: _line(d, 2, lambda line: line + b"\r")),
    "nul": _bytes_edit(lambda d: _line(d, 2, lambda line: line.replace(b",", b",\x00", 1))),
    "bad-utf8": _bytes_edit(lambda d: _line(d, 3, lambda line: line + b"\xff")),
    "row-length": _bytes_edit(lambda d: _line(d, 1, lambda line: line + b",extra")),
    "quote-after-close": _bytes_edit(lambda d: _line(d, 2, lambda line: b'"ab"c' + line)),
    "quote-inside": _bytes_edit(lambda d: _line(d, 2, lambda line: line.replace(b",", b',x"y', 1))),
    "unclosed-quote": _bytes_edit(lambda d: _line(d, 3, lambda line: b'"' + line)),
    "empty-line": _bytes_edit(lambda d: _line(d, 2, lambda line: line + b"\n")),
    "header": _bytes_edit(lambda d: d.replace(b"fact_id,entity_id", b"entity_id,fact_id", 1)),
    "stale-hash": _bytes_edit(lambda d: d + b"\n", refresh=False),
    "utf16-le": _bytes_edit(lambda d: d.decode("utf-8", "replace").encode("utf-16-le")),
    "utf16-be": _bytes_edit(lambda d: d.decode("utf-8", "replace").encode("utf-16-be")),
    "utf16-bom": _bytes_edit(lambda d: d.decode("utf-8", "replace").encode("utf-16")),
    "latin-1": _bytes_edit(lambda d: d.decode("utf-8", "replace").encode("latin-1", "replace")),
    "nul-first": _bytes_edit(lambda d: b"\x00" + d),
    "long-number": _bytes_edit(lambda d: _line(d, 2, lambda line: _long_value(line))),
    "country-kind": _entities(_country_is_company),
    "parent-cycle": _entities(_parent_cycle),
    "basis-without-date": _sources(published="", published_basis="stated"),
    "held-without-hash": _sources(document_held="true", document_sha256=""),
}


def _both(folder: Path, limit: int | None) -> tuple[object, object]:
    rows = validate(folder, engine="rows", max_per_code=limit)
    columnar = validate(folder, engine="columnar", max_per_code=limit)
    return rows, columnar


def _assert_agree(folder: Path, limit: int | None = None) -> None:
    rows, columnar = _both(folder, limit)
    assert columnar.valid == rows.valid
    assert columnar.stats == rows.stats
    assert columnar.omitted == rows.omitted
    assert set(columnar.problems) == set(rows.problems)
    assert columnar.problems == rows.problems  # the same order, too


@settings(max_examples=30)
@given(
    facts=st.integers(0, 150),
    seed=st.integers(0, 2**16),
    faults=st.dictionaries(st.sampled_from(sorted(FAULTS)), st.floats(0.02, 0.4), max_size=6),
    mutations=st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=2, unique=True),
    block=st.sampled_from([None, 2048]),
)
def test_both_engines_report_the_same_problems(
    facts: int, seed: int, faults: dict[str, float], mutations: list[str], block: int | None
) -> None:
    """``block``: Arrow's block size; a small one reads a file in many batches, so the
    rules across records see their columns in many chunks."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.object(read, "_BLOCK", block or read._BLOCK),
    ):
        folder = Path(tmp) / "pkg"
        generate(folder, facts, seed=seed, faults=faults)
        for name in mutations:
            MUTATIONS[name](folder)
        _assert_agree(folder)


@settings(max_examples=5)
@given(seed=st.integers(0, 2**16), limit=st.integers(0, 3))
def test_both_engines_keep_the_same_first_problems(seed: int, limit: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        generate(folder, 200, seed=seed, fault_rate=0.05)
        _assert_agree(folder, limit)


def test_a_valid_generated_package_is_valid_in_both(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 300, seed=1)
    rows, columnar = _both(tmp_path / "pkg", None)
    assert rows.valid and columnar.valid  # type: ignore[attr-defined]
    assert columnar.stats["rows"]["facts"] == 300  # type: ignore[attr-defined]


def test_every_planted_fault_is_found_under_its_own_code(tmp_path: Path) -> None:
    expected = {kind: Code(kind) for kind in FAULTS}
    for kind, code in expected.items():
        folder = tmp_path / kind
        generate(folder, 120, seed=7, faults={kind: 0.1})
        rows, columnar = _both(folder, None)
        for report in (rows, columnar):
            assert code in {p.code for p in report.problems}, (kind, report.stats)  # type: ignore[attr-defined]


def test_the_bundled_release_agrees(bundled: Path) -> None:
    _assert_agree(bundled)


def test_a_malformed_file_is_reported_as_the_row_engine_does(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 20, seed=3)
    MUTATIONS["quote-after-close"](folder)
    rows, columnar = _both(folder, None)
    assert not columnar.valid  # type: ignore[attr-defined]
    assert [p.code for p in columnar.problems] == [Code.CSV_MALFORMED]  # type: ignore[attr-defined]
    assert columnar.problems == rows.problems  # type: ignore[attr-defined]
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"][3]["name"] == "facts"


def test_progress_reaches_the_size_of_every_file(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 500, seed=4)
    seen: dict[str, list[tuple[int, int]]] = {}
    validate(
        tmp_path / "pkg",
        engine="columnar",
        progress=lambda r, d, t: seen.setdefault(r, []).append((d, t)),
    )
    assert set(seen) == {"sources", "entities", "metrics", "facts"}
    for name, ticks in seen.items():
        size = (tmp_path / "pkg" / f"{name}.csv").stat().st_size
        assert ticks[-1] == (size, size)
        done = [d for d, _ in ticks]
        assert done == sorted(done)


def test_no_progress_display_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from aifacts.validation.columnar.progress import progress_bar

    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress_bar() as progress:
        assert progress is None


_TRICKY = st.sampled_from(
    list("aZ09 -=+@\t\n\r\x0b\x0c\x1c\x1f\x00\x07\x7f\x85\xa0\u2028\u3000\u0301éß中\ufeff\"',")
)


@settings(max_examples=40)
@given(
    cells=st.lists(
        st.tuples(
            st.integers(1, 30),
            st.sampled_from(["quote", "note", "locator", "unit", "fact_id", "value", "as_of"]),
            st.text(_TRICKY, max_size=6) | st.text(max_size=4),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_both_engines_agree_on_any_text_in_any_cell(cells: list[tuple[int, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        generate(folder, 30, seed=5)
        rows = read_rows(folder, "facts")
        for index, column, text in cells:
            rows[index][rows[0].index(column)] = text
        write_rows(folder, "facts", rows)
        _assert_agree(folder)


def _bundled_cells() -> list[tuple[str, str]]:
    from aifacts.contract.schema import RESOURCES

    return [(res.name, spec.name) for res in RESOURCES for spec in res.fields]


@settings(max_examples=40)
@given(
    cells=st.lists(
        st.tuples(
            st.integers(1, 40),
            st.sampled_from(_bundled_cells()),
            st.text(_TRICKY, max_size=6)
            | st.text(max_size=4)
            | st.from_regex(r"-?[0-9]{1,3}(\.[0-9])?x?", fullmatch=True),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_both_engines_agree_on_any_text_in_any_resource(
    cells: list[tuple[int, tuple[str, str], str]],
) -> None:
    """Every field of every resource (omissions' integer offsets too) is checked alike."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        shutil.copytree(Path(__file__).resolve().parents[1] / "datapackage", folder)
        edits: dict[str, list[tuple[int, str, str]]] = {}
        for index, (name, column), text in cells:
            edits.setdefault(name, []).append((index, column, text))
        for name, changes in edits.items():
            rows = read_rows(folder, name)
            for index, column, text in changes:
                rows[min(index, len(rows) - 1)][rows[0].index(column)] = text
            write_rows(folder, name, rows)
        _assert_agree(folder)


def test_an_integer_cell_that_is_not_whole_is_found_by_both(package_copy: Path) -> None:
    rows = read_rows(package_copy, "omissions")
    rows[1][rows[0].index("offset")] = "12x"
    rows[2][rows[0].index("offset")] = "1.5"
    write_rows(package_copy, "omissions", rows)
    found = validate(package_copy, engine="columnar").problems
    assert [(p.row, p.code) for p in found if p.resource == "omissions"] == [
        (2, Code.TYPE_INTEGER),
        (3, Code.TYPE_INTEGER),
    ]
    _assert_agree(package_copy)


def _json_edit(form: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"{form}.json"
        write_json_form(folder, form, change(path.read_bytes()))

    return edit


#: Edits of a JSON form: each must be reported alike by both engines.
JSON_MUTATIONS: dict[str, Callable[[Path], None]] = {
    "huge-exponent": _json_edit(
        "facts", lambda d: re.sub(rb'"value": [0-9.]+', b'"value": 1e999999999', d, count=1)
    ),
    "long-integer": _json_edit(
        "facts", lambda d: re.sub(rb'"value": [0-9.]+', b'"value": ' + b"9" * 500, d, count=1)
    ),
    "repeated-key": _json_edit(
        "facts", lambda d: d.replace(b'"value": ', b'"value": 1, "value": ', 1)
    ),
    "deep": _json_edit("entities", lambda d: b"[" * 5000 + b"]" * 5000),
    "utf16-le": _json_edit("metrics", lambda d: d.decode("utf-8").encode("utf-16-le")),
    "utf16-bom": _json_edit("metrics", lambda d: d.decode("utf-8").encode("utf-16")),
    "latin-1": _json_edit("sources", lambda d: d.replace(b'"title": "', b'"title": "\xe9', 1)),
}


@pytest.fixture(scope="module")
def with_json_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forms") / "pkg"
    generate(folder, 40, seed=3, json_forms=True)
    return folder


@pytest.mark.parametrize("name", sorted(JSON_MUTATIONS))
def test_both_engines_agree_on_a_hostile_json_form(
    name: str, with_json_forms: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(with_json_forms, folder)
    JSON_MUTATIONS[name](folder)
    rows = validate(folder, engine="rows")
    assert not rows.valid
    assert [p.code for p in rows.problems] == [Code.JSON_MISMATCH]
    _assert_agree(folder)


@settings(max_examples=40, deadline=None)
@given(
    form=st.sampled_from(
        ["sources.csv", "entities.csv", "facts.csv", "facts.json", "metrics.json"]
    ),
    at=st.integers(0, 2000),
    junk=st.binary(max_size=40)
    | st.sampled_from([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b'"', b"1e99999999", b"[[[["]),
    cut=st.integers(0, 20),
    refresh=st.booleans(),
)
def test_any_bytes_in_any_file_give_problems_alike_never_an_error(
    with_json_forms: Path, form: str, at: int, junk: bytes, cut: int, refresh: bool
) -> None:
    """Arbitrary bytes written over any resource file: both engines report the same
    problems, and ``load`` raises nothing but ValidationError."""
    from aifacts import load
    from aifacts.errors import ValidationError

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        shutil.copytree(with_json_forms, folder)
        path = folder / form
        data = path.read_bytes()
        at = min(at, len(data))
        path.write_bytes(data[:at] + junk + data[at + cut :])
        if refresh and form.endswith(".csv"):
            refresh_stats(folder, form.removesuffix(".csv"))
        elif refresh:
            write_json_form(folder, form.removesuffix(".json"), path.read_bytes())
        _assert_agree(folder)
        with contextlib.suppress(ValidationError):  # anything else fails the test
            load(folder)
