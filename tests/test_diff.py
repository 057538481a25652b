"""`aifacts diff OLD NEW`: changes by key, field by field, and the SemVer level needed."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aifacts.cli.main import app
from aifacts.release.diff import Level, diff_packages, required_bump

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "datapackage"
runner = CliRunner()


def _copy(dest: Path, name: str) -> Path:
    target = dest / name
    shutil.copytree(PACKAGE, target)
    return target


def _rows(folder: Path, name: str) -> list[list[str]]:
    text = (folder / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def _set(folder: Path, name: str, key: str, column: str, value: str) -> None:
    rows = _rows(folder, name)
    col = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == key:
            row[col] = value
    _write(folder, name, rows)


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _save_descriptor(folder: Path, data: dict) -> None:
    (folder / "datapackage.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_same_release_has_no_changes(tmp_path: Path) -> None:
    result = diff_packages(PACKAGE, _copy(tmp_path, "b"))
    assert result.changes == []
    assert result.level is Level.NONE
    assert result.version_ok is True


def test_added_fact_is_minor(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    rows = _rows(new, "facts")
    extra = list(rows[1])
    extra[0] = "added-fact-01"
    _write(new, "facts", [*rows, extra])
    result = diff_packages(PACKAGE, new)
    assert [(c.kind, c.resource, c.key) for c in result.changes] == [
        ("row-added", "facts", "added-fact-01")
    ]
    assert result.level is Level.MINOR
    assert result.summary() == {"facts": {"added": 1, "removed": 0, "changed": 0}}


def test_correction_that_supersedes_is_patch(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    rows = _rows(new, "facts")
    header = rows[0]
    old_row = next(r for r in rows if r[0] == "ainews-0729-06")
    fixed = list(old_row)
    fixed[0] = "ainews-0729-06-fix"
    fixed[header.index("value")] = "138.9"
    fixed[header.index("supersedes")] = "ainews-0729-06"
    _write(new, "facts", [*rows, fixed])
    result = diff_packages(PACKAGE, new)
    assert len(result.changes) == 1
    change = result.changes[0]
    assert (change.kind, change.level, change.supersedes) == (
        "row-added",
        Level.PATCH,
        "ainews-0729-06",
    )
    assert result.silent_rewrites == []


def test_value_rewritten_in_place_is_a_silent_rewrite(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    _set(new, "facts", "ainews-0729-06", "value", "140")
    result = diff_packages(PACKAGE, new)
    [change] = result.changes
    assert (change.kind, change.key, change.field, change.old, change.new) == (
        "row-changed",
        "ainews-0729-06",
        "value",
        "139",
        "140",
    )
    assert change.silent_rewrite
    assert result.level is Level.PATCH
    text = runner.invoke(app, ["diff", str(PACKAGE), str(new)])
    assert text.exit_code == 0
    assert "silent rewrites: ainews-0729-06" in text.stdout
    checked = runner.invoke(app, ["diff", "--check", str(PACKAGE), str(new)])
    assert checked.exit_code == 1


def test_note_edit_is_a_patch_not_a_rewrite(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    _set(new, "facts", "ainews-0729-06", "note", "A clearer note.")
    result = diff_packages(PACKAGE, new)
    assert [(c.field, c.level, c.silent_rewrite) for c in result.changes] == [
        ("note", Level.PATCH, False)
    ]


def test_number_written_differently_is_no_change(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    _set(new, "facts", "ainews-0729-06", "value", "139.0")
    assert diff_packages(PACKAGE, new).changes == []


def test_removed_fact_and_changed_metric_unit_are_major(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    rows = _rows(new, "facts")
    _write(new, "facts", [r for r in rows if r[0] != "ainews-0729-06"])
    metric_rows = _rows(new, "metrics")
    metric = metric_rows[1][0]
    _set(new, "metrics", metric, "unit", "EUR")
    result = diff_packages(PACKAGE, new)
    kinds = {(c.kind, c.resource, c.key, c.field): c.level for c in result.changes}
    assert kinds[("row-removed", "facts", "ainews-0729-06", None)] is Level.MAJOR
    assert kinds[("row-changed", "metrics", metric, "unit")] is Level.MAJOR
    assert result.level is Level.MAJOR


def test_removed_column_is_major_added_column_minor(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    data = _descriptor(new)
    entities = next(r for r in data["resources"] if r["name"] == "entities")
    entities["schema"]["fields"] = [f for f in entities["schema"]["fields"] if f["name"] != "note"]
    sources = next(r for r in data["resources"] if r["name"] == "sources")
    sources["schema"]["fields"].append({"name": "author", "type": "string"})
    _save_descriptor(new, data)
    result = diff_packages(PACKAGE, new)
    got = {(c.kind, c.resource, c.key): c.level for c in result.changes}
    assert got == {
        ("column-removed", "entities", "note"): Level.MAJOR,
        ("column-added", "sources", "author"): Level.MINOR,
    }


def test_type_change_and_tighter_constraint_are_major(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    data = _descriptor(new)
    facts = next(r for r in data["resources"] if r["name"] == "facts")
    fields = {f["name"]: f for f in facts["schema"]["fields"]}
    fields["value"]["type"] = "string"
    fields["note"].setdefault("constraints", {})["required"] = True
    _save_descriptor(new, data)
    result = diff_packages(PACKAGE, new)
    got = {(c.key, c.field): c.level for c in result.changes}
    assert got == {("value", "type"): Level.MAJOR, ("note", "constraints.required"): Level.MAJOR}


def test_version_number_checked_against_the_change(tmp_path: Path) -> None:
    new = _copy(tmp_path, "new")
    rows = _rows(new, "facts")
    extra = list(rows[1])
    extra[0] = "added-fact-01"
    _write(new, "facts", [*rows, extra])
    data = _descriptor(new)
    major, minor, patch = (int(part) for part in data["version"].split("."))
    data["version"] = f"{major}.{minor}.{patch + 1}"  # a PATCH step for a MINOR change
    _save_descriptor(new, data)
    result = diff_packages(PACKAGE, new)
    assert result.version_bump is Level.PATCH
    assert result.version_ok is False
    out = runner.invoke(app, ["diff", "--format", "json", str(PACKAGE), str(new)])
    assert out.exit_code == 0
    report = json.loads(out.stdout)
    assert report["level"] == "MINOR"
    assert report["version_ok"] is False
    assert report["new"]["version"] == data["version"]
    assert report["changes"][0]["key"] == "added-fact-01"
    assert runner.invoke(app, ["diff", "--check", str(PACKAGE), str(new)]).exit_code == 1
    data["version"] = f"{major}.{minor + 1}.0"  # the MINOR step it needs
    _save_descriptor(new, data)
    assert diff_packages(PACKAGE, new).version_ok is True


def test_required_bump() -> None:
    assert required_bump("0.1.0", "1.0.0") is Level.MAJOR
    assert required_bump("0.1.0", "0.1.1") is Level.PATCH
    assert required_bump("0.2.0", "0.1.9") is Level.NONE
    assert required_bump("0.1", "0.2.0") is None


def test_cli_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["diff", str(PACKAGE), str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(app, ["diff", str(PACKAGE)]).exit_code == 2
    bad = runner.invoke(app, ["diff", "--format", "xml", str(PACKAGE), str(PACKAGE)])
    assert bad.exit_code == 2


_FACT_ROWS = _rows(PACKAGE, "facts")


def _package_with(folder: Path, indices: set[int]) -> Path:
    shutil.copytree(PACKAGE, folder)
    _write(folder, "facts", [_FACT_ROWS[0]] + [_FACT_ROWS[i] for i in sorted(indices)])
    return folder


@settings(max_examples=20, deadline=None)
@given(st.sets(st.integers(1, len(_FACT_ROWS) - 1)), st.sets(st.integers(1, len(_FACT_ROWS) - 1)))
def test_levels_follow_what_was_added_and_removed(a: set[int], b: set[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = _package_with(Path(tmp) / "old", a)
        new = _package_with(Path(tmp) / "new", b)
        assert diff_packages(old, old).level is Level.NONE
        result = diff_packages(old, new)
        ids = {i: _FACT_ROWS[i][0] for i in a | b}
        added = {c.key for c in result.changes if c.kind == "row-added"}
        removed = {c.key for c in result.changes if c.kind == "row-removed"}
        assert added == {ids[i] for i in b - a}
        assert removed == {ids[i] for i in a - b}
        assert not [c for c in result.changes if c.kind == "row-changed"]
        if a - b:
            assert result.level is Level.MAJOR
        elif b - a:
            assert result.level in (Level.MINOR, Level.PATCH)  # PATCH: all are corrections
        else:
            assert result.level is Level.NONE


def test_a_cell_over_128_kb_is_diffed_not_a_traceback(tmp_path: Path) -> None:
    """Python's csv refuses cells over 128 KiB unless told; every reader is told."""
    new = _copy(tmp_path, "new")
    long_note = "a long note " * 20_000  # 240,000 characters
    _set(new, "facts", "allinai-03", "note", long_note.strip())
    previous = csv.field_size_limit(131_072)  # the module's default, as in a fresh process
    try:
        result = runner.invoke(app, ["diff", "--format", "json", str(PACKAGE), str(new)])
    finally:
        csv.field_size_limit(previous)
    assert result.exit_code == 0, result.output
    (change,) = json.loads(result.stdout)["changes"]
    assert (change["resource"], change["key"], change["field"]) == ("facts", "allinai-03", "note")


def test_the_published_0_1_0_to_now_is_at_most_a_minor_change() -> None:
    """The release kept in tests/data as published: the contract since only adds."""
    from aifacts.contract.schema import MAX_INTEGER
    from aifacts.release.diff import _constraint_change

    found = diff_packages(ROOT / "tests" / "data" / "release-0.1.0", ROOT / "datapackage")
    assert found.level <= Level.MINOR, found.lines()
    assert _constraint_change("maximum", None, MAX_INTEGER)[0] is Level.PATCH
    assert _constraint_change("maximum", None, 1000)[0] is Level.MAJOR


def test_the_0_2_0_columns_are_a_minor_contract_change(tmp_path: Path) -> None:
    """The release before them (their columns and cells dropped) → now: each new column
    is listed as a MINOR change of the contract, and nothing else is."""
    new_columns = {
        "facts": ["claim_id", "value_canonical", "value_high_canonical", "unit_canonical", "doubt"],
        "sources": ["retrieved", "published_basis", "document_held"],
    }
    old = _copy(tmp_path, "old")
    data = _descriptor(old)
    for name, columns in new_columns.items():
        rows = _rows(old, name)
        keep = [i for i, column in enumerate(rows[0]) if column not in columns]
        _write(old, name, [[row[i] for i in keep] for row in rows])
        for entry in data["resources"]:
            if entry["name"] in (name, f"{name}-json"):
                fields = entry["schema"]["fields"]
                entry["schema"]["fields"] = [f for f in fields if f["name"] not in columns]
    _save_descriptor(old, data)
    result = diff_packages(old, PACKAGE)
    added = [(c.resource, c.key) for c in result.changes if c.kind == "column-added"]
    assert sorted(added) == sorted(
        (resource, column) for resource, columns in new_columns.items() for column in columns
    )
    assert result.level is Level.MINOR
    for change in result.changes:
        assert change.level is Level.MINOR
        assert "MINOR change of the data contract" in change.line()
