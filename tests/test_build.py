"""`aifacts build`: JSON forms and datapackage.json derive from the CSVs, idempotently."""

from __future__ import annotations

import csv
import errno
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aifacts.cli.main import app
from aifacts.contract.problems import Code
from aifacts.contract.schema import RESOURCES, resource
from aifacts.io.reading import read_csv, read_json
from aifacts.release.build import build_report, json_path
from aifacts.validation.engine import validate

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "datapackage"
runner = CliRunner()


def _copy(dest: Path) -> Path:
    target = dest / "pkg"
    shutil.copytree(PACKAGE, target)
    return target


def _rewrite_cell(folder: Path, name: str, key: str, column: str, value: str) -> None:
    path = folder / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == key:
            row[header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_committed_generated_files_are_not_stale(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    result = build_report(copy)
    assert result.skipped == []
    stale = [p.name for p in result.written]
    assert stale == [], f"committed files are stale, run `aifacts build datapackage`: {stale}"
    for file in sorted(PACKAGE.iterdir()):
        assert (copy / file.name).read_bytes() == file.read_bytes(), file.name


def test_every_resource_has_a_declared_json_form() -> None:
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    declared = {r["name"]: r for r in descriptor["resources"]}
    for res in RESOURCES:
        entry = declared[f"{res.name}-json"]
        assert entry["path"] == f"{res.name}.json"
        assert entry["format"] == "json"
        assert (PACKAGE / entry["path"]).is_file()


def test_json_form_holds_the_csv_rows() -> None:
    facts = json.loads((PACKAGE / "facts.json").read_text(encoding="utf-8"))
    by_id = {row["fact_id"]: row for row in facts}
    # Shanghai's programme: "one billion yuan (US$139 million)" (AI News, para 13).
    shanghai = by_id["ainews-0729-05"]
    assert shanghai["value"] == 1
    assert shanghai["unit"] == "billion CNY"
    assert shanghai["as_of"] == "2025-07-29"
    assert shanghai["value_high"] is None
    assert by_id["ainews-0729-06"]["value"] == 139
    assert by_id["ainews-0729-06"]["unit"] == "million USD"
    for res in RESOURCES:
        csv_table = read_csv(res, res.path, (PACKAGE / res.path).read_bytes())
        json_table = read_json(
            res, json_path(res.name), (PACKAGE / json_path(res.name)).read_bytes()
        )
        assert json_table.problems == []
        assert [r for _, r in json_table.rows] == [r for _, r in csv_table.rows]


def test_build_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _rewrite_cell(copy, "facts", "ainews-0729-05", "note", "An edited note.")
    first = build_report(copy)
    assert {p.name for p in first.written} == {"facts.json", "datapackage.json"}
    snapshot = {p.name: p.read_bytes() for p in copy.iterdir()}
    second = build_report(copy)
    assert second.written == []
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == snapshot
    assert validate(copy).valid
    rows = json.loads((copy / "facts.json").read_text(encoding="utf-8"))
    assert {r["fact_id"]: r["note"] for r in rows}["ainews-0729-05"] == "An edited note."


def test_validate_reports_a_hand_edited_json_form(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = copy / "facts.json"
    text = path.read_text(encoding="utf-8")
    edited = text.replace('"unit": "million USD"', '"unit": "million EUR"', 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    report = validate(copy)
    assert not report.valid
    codes = {(p.code, p.file, p.field) for p in report.problems}
    assert (Code.JSON_MISMATCH, "facts.json", "unit") in codes
    assert (Code.HASH_MISMATCH, "facts.json", None) in codes
    assert all(p.file == "facts.json" for p in report.problems)


def test_an_edited_csv_is_reported_once_not_twice(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _rewrite_cell(copy, "facts", "ainews-0729-05", "note", "Edited without a build.")
    report = validate(copy)
    assert [(p.code, p.file) for p in report.problems] == [
        (Code.BYTES_MISMATCH, "facts.csv"),
        (Code.HASH_MISMATCH, "facts.csv"),
    ]


def test_build_cli_keeps_the_json_of_a_broken_csv(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    before = (copy / "facts.json").read_bytes()
    _rewrite_cell(copy, "facts", "ainews-0729-05", "value", "one billion")
    result = runner.invoke(app, ["build", str(copy)])
    assert result.exit_code == 1
    assert "facts.csv" in result.stderr and "one billion" in result.stderr
    assert (copy / "facts.json").read_bytes() == before


def test_build_cli_up_to_date_and_usage_error(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    result = runner.invoke(app, ["build", str(copy)])
    assert result.exit_code == 0
    assert "up to date" in result.stdout
    missing = runner.invoke(app, ["build", str(tmp_path / "nope")])
    assert missing.exit_code == 2


def test_a_package_of_csvs_alone_gets_its_json_forms(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    for res in RESOURCES:
        (copy / json_path(res.name)).unlink()
    build_report(copy)  # first build: descriptor written before the JSON files existed
    build_report(copy)
    assert validate(copy).valid
    names = {r["name"] for r in json.loads((copy / "datapackage.json").read_text())["resources"]}
    assert {"facts-json", "sources-json"} <= names


FACTS = resource("facts")
_ROWS = list(csv.reader(io.StringIO((PACKAGE / "facts.csv").read_text(encoding="utf-8"))))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(1, len(_ROWS))), unique=True, max_size=12))
def test_json_form_round_trips_any_subset_of_facts(indices: list[int]) -> None:
    """For any set of fact rows, build writes JSON that reads back to the same records."""
    rows = [_ROWS[0]] + [_ROWS[i] for i in indices]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "facts.csv").write_text(out.getvalue(), encoding="utf-8")
        result = build_report(folder)
        assert any("sources.csv" in s for s in result.skipped)
        data = (folder / "facts.json").read_bytes()
        back = read_json(FACTS, "facts.json", data)
        original = read_csv(FACTS, "facts.csv", out.getvalue().encode())
        assert back.problems == []
        assert [r for _, r in back.rows] == [r for _, r in original.rows]
        assert build_report(folder).written == []


def test_build_cli_names_a_file_it_cannot_write(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A JSON form the disk will not take is an error naming the file, not a traceback;
    the old JSON form is left whole and no temporary file stays behind."""
    copy = _copy(tmp_path)
    _rewrite_cell(copy, "facts", "ainews-0729-05", "note", "changed")
    target = copy / "facts.json"
    before = target.read_bytes()
    listing = sorted(p.name for p in copy.iterdir())

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("aifacts.io.atomic.os.fsync", full)
    result = runner.invoke(app, ["build", str(copy)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot write or read {target}: cannot write: No space left on device" in (
        result.stderr
    )
    assert target.read_bytes() == before
    assert sorted(p.name for p in copy.iterdir()) == listing


def test_build_refuses_a_json_form_that_is_not_a_file(tmp_path: Path) -> None:
    """A folder where a JSON form goes is named and left alone (exit 1)."""
    copy = _copy(tmp_path)
    target = copy / "facts.json"
    target.unlink()
    target.mkdir()
    result = runner.invoke(app, ["build", str(copy)])
    assert result.exit_code == 1
    assert f"{target}: exists and is a folder, not a regular file" in result.stderr
    assert target.is_dir() and not any(target.iterdir())
