"""The columnar JSON-form check reports exactly what the row engine's reports.

:func:`aifacts.validation.columnar.json_forms.check_json_forms` compares a JSON form with its
CSV by bytes, line by line where they differ, and falls back to the row engine's
code only when it cannot decide. Whatever the edit (a CSV cell, a JSON value, rows
removed or added, JSON that is not JSON), it must return the very problems, in the
same order, that :func:`aifacts.validation.json_forms.check_json_forms` returns on the row engine's
tables; a current JSON form must not need the fallback at all.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.problems import Code, Problem
from aifacts.contract.schema import RESOURCES, resource
from aifacts.io.package import file_stats, locate, read_descriptor
from aifacts.release import build
from aifacts.validation import json_forms as json_form_rule
from aifacts.validation.columnar import json_forms, read
from aifacts.validation.engine import validate
from benchmarks.generate import generate
from tests.packages import (
    REPO,
    read_rows,
    refresh_stats,
    write_bytes,
    write_json_form,
    write_rows,
)

BUNDLED = REPO / "datapackage"
SMALL_BLOCK = 4096  # Arrow's block size that makes the bundled CSVs read in several batches
#: Text with everything JSON escapes or a CSV quotes, Chinese, and control characters.
TEXT = st.text(
    st.sampled_from([*'aZ 0-,/"\\\t\n中文é', "\u2028", "\x01", "\r", "\x7f"]), max_size=10
)


def _both(folder: Path) -> tuple[list[Problem], list[Problem]]:
    """The row engine's JSON-form problems of ``folder``, and the columnar check's for
    the resources whose CSV had no problem."""
    report = validate(folder, engine="rows", max_per_code=None)
    descriptor, _ = read_descriptor(locate(folder))
    assert descriptor is not None
    clean = [name for name, table in report.tables.items() if not table.problems]
    complete = all(res.name in report.tables for res in RESOURCES if not res.optional)
    want = json_form_rule.check_json_forms(descriptor, report.tables) if complete else []
    return want, json_forms.check_json_forms(descriptor, clean)


def _engines_agree(folder: Path) -> None:
    """The whole columnar validation, whose reading of each CSV also compares its JSON
    form (:class:`~aifacts.validation.columnar.json_forms.Follower`), reports what the row
    engine reports."""
    rows = validate(folder, engine="rows", max_per_code=None)
    columnar = validate(folder, engine="columnar", max_per_code=None)
    assert columnar.problems == rows.problems
    assert columnar.omitted == rows.omitted


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The resources the columnar check hands to the row engine's code, as it runs."""
    names: list[str] = []
    exact = json_forms._exact

    def spy(descriptor: Any, res: Any, csv_file: Any) -> list[Problem]:
        names.append(res.name)
        return exact(descriptor, res, csv_file)

    monkeypatch.setattr(json_forms, "_exact", spy)
    return names


@pytest.fixture(params=[None, SMALL_BLOCK], ids=["one-batch", "small-batches"])
def block(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each CSV read in one batch, and in many (line-by-line comparison across batches)."""
    if request.param is not None:
        monkeypatch.setattr(json_forms, "_BLOCK", request.param)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated package of 400 facts with the JSON forms `aifacts build` writes."""
    target = tmp_path_factory.mktemp("generated") / "pkg"
    generate(target, 400, seed=7)
    build.build(target)
    return target


# --- editing JSON forms -------------------------------------------------------------


class _Raw(str):
    """A JSON number's text, kept as written."""


def _objects(folder: Path, name: str) -> list[str]:
    """The object lines of a JSON form as `write_json` writes it, without their commas."""
    text = (folder / f"{name}.json").read_text(encoding="utf-8")
    assert text.startswith("[\n") and text.endswith("\n]\n")
    return [line.removesuffix(",") for line in text[2:-3].split("\n")]


def _members(line: str) -> dict[str, str]:
    """Field name → the JSON text of its value, on one object line."""
    pairs = json.loads(line, object_pairs_hook=list, parse_float=_Raw, parse_int=_Raw)
    return {k: v if isinstance(v, _Raw) else json.dumps(v, ensure_ascii=False) for k, v in pairs}


def _line(members: dict[str, str], sep: str = ", ", colon: str = ": ") -> str:
    return "  {" + sep.join(f"{json.dumps(k)}{colon}{v}" for k, v in members.items()) + "}"


def _write_json(folder: Path, name: str, data: bytes, refresh: bool = True) -> None:
    """Replace a JSON form; set its ``bytes`` and ``hash`` unless told not to."""
    write_json_form(folder, name, data, refresh=refresh)


def _write_objects(folder: Path, name: str, objects: list[str], refresh: bool = True) -> None:
    text = "[\n" + ",\n".join(objects) + "\n]\n" if objects else "[]\n"
    _write_json(folder, name, text.encode("utf-8"), refresh)


def _set_member(line: str, field: str, value: str) -> str:
    members = _members(line)
    members[field] = value
    return _line(members)


#: Edits of one object line: (line, field, JSON text of a value) → new line.
LINE_EDITS: dict[str, Callable[[str, str, str], str]] = {
    "value": _set_member,
    "key-order": lambda line, f, v: _line(dict(reversed(_members(line).items()))),
    "drop-key": lambda line, f, v: _line({k: x for k, x in _members(line).items() if k != f}),
    "extra-key": lambda line, f, v: _line({**_members(line), "extra": v}),
    "compact": lambda line, f, v: _line(_members(line), ",", ":").strip(),
    # \uXXXX escapes, and numbers as strings (the same cell text: no problem)
    "ascii": lambda line, f, v: json.dumps(json.loads(line, parse_float=_Raw, parse_int=_Raw)),
    "not-object": lambda line, f, v: v,
    "truncated": lambda line, f, v: line[: len(line) // 2],
    "garbage": lambda line, f, v: line + " x",
    "two-objects": lambda line, f, v: line + ", " + line,
}

#: Edits of the list of object lines: (objects, index) → new objects.
LIST_EDITS: dict[str, Callable[[list[str], int], list[str]]] = {
    "drop": lambda objs, i: objs[:i] + objs[i + 1 :],
    "duplicate": lambda objs, i: objs[: i + 1] + objs[i:],
    "append": lambda objs, i: [*objs, objs[i]],
    "swap": lambda objs, i: objs[:i] + objs[i : i + 2][::-1] + objs[i + 2 :],
    "keep-one": lambda objs, i: objs[i : i + 1],
    "empty-line": lambda objs, i: [*objs[:i], "", *objs[i:]],
}

#: Edits of a JSON form's bytes.
BYTE_EDITS: dict[str, Callable[[bytes], bytes]] = {
    "bom": lambda d: b"\xef\xbb\xbf" + d,
    "crlf": lambda d: d.replace(b"\n", b"\r\n"),
    "empty-array": lambda d: b"[]\n",
    "empty-file": lambda d: b"",
    "no-final-newline": lambda d: d[:-1],
    "trailing-space": lambda d: d + b" \n",
    "trailing-comma": lambda d: d[:-3] + b",\n]\n",
    "not-utf8": lambda d: d.replace(b'": "', b'": "\xff', 1),
    "compact-ends": lambda d: b"[" + d[2:-3] + b"]",
}

#: JSON values to write into a cell: numbers as written, null, other JSON types.
VALUES = st.one_of(
    TEXT.map(lambda t: json.dumps(t, ensure_ascii=False)),
    TEXT.map(json.dumps),
    st.sampled_from(["1", "1.5", "1.50", "-0", "0.0", "1e3", "100", "null", "true", "[]", "{}"]),
)


def _present(folder: Path) -> list[str]:
    return [res.name for res in RESOURCES if (folder / res.path).is_file()]


@st.composite
def json_edits(draw: st.DrawFn, folder: Path) -> Callable[[Path], None]:
    """An edit of one JSON form of a package like ``folder`` (a value, a line, rows, its
    bytes), with its ``bytes`` and ``hash`` refreshed or not."""
    name = draw(st.sampled_from(_present(folder)))
    size = len(_objects(folder, name))
    index = draw(st.integers(0, size - 1))
    refresh = draw(st.booleans())
    kind = draw(st.sampled_from(["line", "list", "bytes"]))
    if kind == "line":
        edit = LINE_EDITS[draw(st.sampled_from(sorted(LINE_EDITS)))]
        field = draw(st.sampled_from(resource(name).field_names))
        value = draw(VALUES)

        def change(objs: list[str]) -> list[str]:
            at = min(index, len(objs) - 1)
            return [edit(line, field, value) if i == at else line for i, line in enumerate(objs)]
    elif kind == "list":
        edit_list = LIST_EDITS[draw(st.sampled_from(sorted(LIST_EDITS)))]

        def change(objs: list[str]) -> list[str]:
            return edit_list(objs, min(index, len(objs) - 1)) if objs else objs
    else:
        edit_bytes = BYTE_EDITS[draw(st.sampled_from(sorted(BYTE_EDITS)))]

        def apply_bytes(target: Path) -> None:
            data = (target / f"{name}.json").read_bytes()
            _write_json(target, name, edit_bytes(data), refresh)

        return apply_bytes

    def apply(target: Path) -> None:
        _write_objects(target, name, change(_objects(target, name)), refresh)

    return apply


@st.composite
def csv_edits(draw: st.DrawFn, folder: Path) -> Callable[[Path], None]:
    """An edit of one CSV of a package like ``folder``: a cell, a row dropped or doubled,
    with its stats refreshed or not, and its JSON form rebuilt or not."""
    name = draw(st.sampled_from(_present(folder)))
    rows = read_rows(folder, name)
    index = draw(st.integers(1, len(rows) - 1))
    kind = draw(st.sampled_from(["cell", "cell", "number", "drop", "duplicate"]))
    field = draw(st.sampled_from(rows[0]))
    text = draw(TEXT | st.sampled_from(["", "1.50", "-0", "2025-01-01", "x-y"]))
    refresh = draw(st.booleans())
    rebuild = draw(st.booleans())

    def apply(target: Path) -> None:
        rows = read_rows(target, name)
        column, at = rows[0].index(field), min(index, len(rows) - 1)
        if kind == "cell" and at:
            rows[at][column] = text
        elif kind == "number":
            for row in rows[1:]:
                for i, cell in enumerate(row):
                    if resource(name).fields[i].type == "number" and cell:
                        row[i] = cell + ("0" if "." in cell else ".0")
        elif kind == "drop" and at:
            del rows[at]
        elif at:
            rows.insert(at, rows[at])
        write_rows(target, name, rows, refresh=refresh)
        if rebuild:
            build.build(target)

    return apply


# --- the cases -------------------------------------------------------------------------


def test_the_release_as_shipped(block: None, fallbacks: list[str]) -> None:
    want, got = _both(BUNDLED)
    assert want == got == []
    assert fallbacks == []


def test_lines_rewritten_by_the_test_helpers_are_the_writers() -> None:
    for res in RESOURCES:
        for line in _objects(BUNDLED, res.name):
            assert _line(_members(line)) == line


def test_a_stale_csv_cell(folder: Path, block: None, fallbacks: list[str]) -> None:
    rows = read_rows(folder, "sources")
    rows[2][rows[0].index("title")] += " (edited)"
    write_rows(folder, "sources", rows)
    want, got = _both(folder)
    assert got == want
    assert [(p.code, p.row, p.field) for p in got] == [(Code.JSON_MISMATCH, 3, "title")]
    assert fallbacks == []


@pytest.mark.parametrize(
    "text",
    ['say "yes"', "back\\slash", "tab\there", "two\nlines", "中文「引号」", 'all: "\\\t\n中"'],
)
def test_text_that_json_escapes_is_written_exactly(
    folder: Path, block: None, fallbacks: list[str], text: str
) -> None:
    rows = read_rows(folder, "facts")
    rows[3][rows[0].index("note")] = text
    write_rows(folder, "facts", rows)
    want, got = _both(folder)
    assert got == want and len(got) == 1
    build.build(folder)
    want, got = _both(folder)
    assert want == got == []
    assert fallbacks == []


def test_a_number_written_otherwise(folder: Path, block: None, fallbacks: list[str]) -> None:
    objects = _objects(folder, "facts")
    members = _members(objects[4])
    members["value"] += "0" if "." in members["value"] else ".0"
    objects[4] = _line(members)
    _write_objects(folder, "facts", objects)
    want, got = _both(folder)
    assert got == want
    assert [(p.code, p.row, p.field) for p in got] == [(Code.JSON_MISMATCH, 6, "value")]
    assert fallbacks == []


@pytest.mark.parametrize("index", [0, 7, -1])
def test_a_row_removed(folder: Path, block: None, fallbacks: list[str], index: int) -> None:
    objects = _objects(folder, "metrics")
    del objects[index]
    _write_objects(folder, "metrics", objects)
    want, got = _both(folder)
    assert got == want
    assert got[-1].message.startswith(f"has {len(objects)} rows, metrics.csv has")
    assert fallbacks == []


def test_json_that_is_not_json(folder: Path, block: None, fallbacks: list[str]) -> None:
    objects = _objects(folder, "entities")
    objects[1] = objects[1][:-1]
    _write_objects(folder, "entities", objects)
    want, got = _both(folder)
    assert got == want
    assert [p.code for p in got] == [Code.JSON_MISMATCH]
    assert "not valid JSON" in got[0].message
    assert fallbacks == []  # not JSON at all: judged without reading the CSV into records


def test_a_csv_of_stale_stats_is_not_compared(folder: Path) -> None:
    rows = read_rows(folder, "facts")
    rows[2][rows[0].index("note")] = "changed"
    write_rows(folder, "facts", rows, refresh=False)
    assert _both(folder) == ([], [])


def _quote_all(data: bytes) -> bytes:
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.replace(b"\n", b"\r\n"),
        lambda d: b"\xef\xbb\xbf" + d,
        lambda d: d.rstrip(b"\n"),
        _quote_all,
    ],
    ids=["crlf", "bom", "no-final-newline", "all-quoted"],
)
def test_csv_bytes_of_the_same_rows(
    folder: Path, block: None, fallbacks: list[str], change: Callable[[bytes], bytes]
) -> None:
    write_bytes(folder, "metrics", change((folder / "metrics.csv").read_bytes()))
    want, got = _both(folder)
    assert want == got == []
    assert fallbacks == []


def test_a_csv_of_no_rows(folder: Path) -> None:
    (folder / "omissions.csv").write_text(",".join(resource("omissions").field_names) + "\n")
    refresh_stats(folder, "omissions")
    want, got = _both(folder)
    assert got == want
    assert [p.message.split(";")[0] for p in got] == [
        f"has {len(_objects(folder, 'omissions'))} rows, omissions.csv has 0"
    ]
    build.build(folder)
    assert (folder / "omissions.json").read_bytes() == b"[]\n"
    assert _both(folder) == ([], [])


def test_stats_already_computed_are_used(folder: Path) -> None:
    rows = read_rows(folder, "entities")
    rows[3][rows[0].index("note")] = "changed"
    write_rows(folder, "entities", rows)
    want, got = _both(folder)
    assert got == want and len(got) == 1
    descriptor, _ = read_descriptor(locate(folder))
    assert descriptor is not None
    stats = {"entities": file_stats((folder / "entities.csv").read_bytes())}
    assert json_forms.check_json_forms(descriptor, ["entities"], csv_stats=stats) == got
    stale = {"entities": (stats["entities"][0], "sha256:" + "0" * 64)}
    assert json_forms.check_json_forms(descriptor, ["entities"], csv_stats=stale) == []


def test_nothing_is_checked_without_every_required_resource(folder: Path) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["name"] != "metrics"]
    path.write_text(json.dumps(data), encoding="utf-8")
    _write_objects(folder, "sources", _objects(folder, "sources")[1:])
    descriptor, _ = read_descriptor(locate(folder))
    assert descriptor is not None
    assert json_forms.check_json_forms(descriptor, ["sources"]) == []
    assert _both(folder) == ([], [])


def test_a_missing_json_form(folder: Path) -> None:
    (folder / "metrics.json").unlink()
    want, got = _both(folder)
    assert got == want
    assert [p.code for p in got] == [Code.FILE_MISSING]


@settings(max_examples=80)
@given(data=st.data())
def test_any_edit_gives_the_row_engines_problems(
    data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    block = data.draw(st.sampled_from([1 << 20, SMALL_BLOCK]))
    monkeypatch.setattr(json_forms, "_BLOCK", block)
    monkeypatch.setattr(read, "_BLOCK", block)
    edits = data.draw(
        st.tuples(csv_edits(BUNDLED), json_edits(BUNDLED))
        .map(list)
        .flatmap(lambda both: st.sampled_from([both[:1], both[1:], both]))
    )
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "pkg"
        shutil.copytree(BUNDLED, target)
        for edit in edits:
            edit(target)
        want, got = _both(target)
        _engines_agree(target)
    assert got == want


def test_a_generated_package(
    generated: Path, tmp_path: Path, block: None, fallbacks: list[str]
) -> None:
    want, got = _both(generated)
    assert want == got == []
    target = tmp_path / "pkg"
    shutil.copytree(generated, target)
    rows = read_rows(target, "facts")
    rows[300][rows[0].index("locator")] = "p. 12"
    write_rows(target, "facts", rows)
    want, got = _both(target)
    assert got == want
    assert [(p.code, p.row, p.field) for p in got] == [(Code.JSON_MISMATCH, 301, "locator")]
    assert fallbacks == []


@settings(max_examples=15)
@given(data=st.data())
def test_any_edit_of_a_generated_package(
    generated: Path, data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_forms, "_BLOCK", 1 << 14)
    monkeypatch.setattr(read, "_BLOCK", 1 << 14)
    edit = data.draw(json_edits(generated) | csv_edits(generated))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "pkg"
        shutil.copytree(generated, target)
        edit(target)
        want, got = _both(target)
        _engines_agree(target)
    assert got == want


@pytest.mark.parametrize("block", [1 << 22, 1 << 14], ids=["one-batch", "small-batches"])
def test_validation_compares_json_forms_while_reading_the_csvs(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The columnar engine reads each CSV once for both rules: the JSON form is
    compared batch by batch as the CSV is read, never by a second reading."""

    def second_reading(*args: Any) -> Any:
        raise AssertionError("the CSV was read again to compare its JSON form")

    monkeypatch.setattr(json_forms, "_stream", second_reading)
    monkeypatch.setattr(read, "_BLOCK", block)
    assert validate(generated, engine="columnar").valid
    target = tmp_path / "pkg"
    shutil.copytree(generated, target)
    objects = _objects(target, "facts")
    index = next(i for i in range(300, len(objects)) if '"locator": "' in objects[i])
    objects[index] = objects[index].replace('"locator": "', '"locator": "x', 1)
    _write_objects(target, "facts", objects)
    problems = validate(target, engine="columnar").problems
    assert [(p.code, p.row, p.field) for p in problems] == [
        (Code.JSON_MISMATCH, index + 2, "locator")
    ]


@settings(max_examples=150)
@given(
    cut=st.integers(0, 4000),
    insert=st.sampled_from(["", ",", "]", "}", "{", '"', "\n", "\x00", "\ufeff", "\\", "nul"]),
    at=st.integers(0, 4000),
    raw=st.sampled_from([b"", b"\xff", b"\xe4\xb8"]),
)
def test_a_json_form_that_is_not_json_gets_read_jsons_first_problem(
    tmp_path_factory: pytest.TempPathFactory, cut: int, insert: str, at: int, raw: bytes
) -> None:
    """Values thrown away as parsed, the file-level verdict is still read_json's own."""
    from aifacts.io.reading import json_file_problem, read_json

    data = (BUNDLED / "entities.json").read_bytes()
    data = data[: len(data) - cut]
    at = min(at, len(data))
    data = data[:at] + insert.encode("utf-8") + raw + data[at:]
    path = tmp_path_factory.mktemp("json") / "entities.json"
    path.write_bytes(data)
    res = resource("entities")
    first = next(iter(read_json(res, "entities.json", data).problems), None)
    expected = first if first is not None and first.row is None else None
    assert json_file_problem(res, "entities.json", path) == expected


@pytest.mark.parametrize("limit", [0, 3, 100])
def test_rows_out_of_step_keep_the_first_problems_and_count_the_rest(
    generated: Path, tmp_path: Path, limit: int
) -> None:
    """A JSON form missing an early row differs from its CSV on nearly every later
    row; the report keeps the first ``limit`` problems and counts the others exactly,
    as the row engine does, without holding them all."""
    target = tmp_path / "pkg"
    shutil.copytree(generated, target)
    objects = _objects(target, "facts")
    del objects[5]
    _write_objects(target, "facts", objects)
    rows = validate(target, engine="rows", max_per_code=limit)
    columnar = validate(target, engine="columnar", max_per_code=limit)
    assert columnar.problems == rows.problems
    assert columnar.omitted == rows.omitted
    assert sum(rows.omitted.values()) > 300  # most later rows differ


@pytest.mark.parametrize("block", [1 << 22, 1 << 14], ids=["one-batch", "small-batches"])
def test_an_emptied_json_form_is_counted_without_reading_the_csv_into_records(
    generated: Path,
    tmp_path: Path,
    fallbacks: list[str],
    monkeypatch: pytest.MonkeyPatch,
    block: int,
) -> None:
    """``[]`` for a CSV of rows says how many rows it lacks, as the row engine says,
    from the one reading of the CSV (the row engine's code would hold every row)."""
    target = tmp_path / "pkg"
    shutil.copytree(generated, target)
    _write_json(target, "facts", b"[]\n")
    monkeypatch.setattr(read, "_BLOCK", block)
    _engines_agree(target)
    problems = validate(target, engine="columnar").problems
    assert [p.message.split(";")[0] for p in problems] == ["has 0 rows, facts.csv has 400"]
    assert fallbacks == []
