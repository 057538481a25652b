"""Exports: every format reads back to the same records; spreadsheets never run text."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.api import Dataset
from aifacts.errors import ValidationError
from aifacts.release.export import (
    ExportError,
    ExportFormat,
    export,
    neutralise,
    read_export,
    restore,
)
from tests import strategies as rs

DS = aifacts.load()
TARGETS = {
    "json": "out.json",
    "csv": "out-csv",
    "parquet": "out-parquet",
    "sqlite": "out.sqlite",
    "xlsx": "out.xlsx",
}
NEEDS = {"parquet": "pyarrow", "xlsx": "openpyxl"}


def _skip_without_extra(fmt: str) -> None:
    if fmt in NEEDS:
        pytest.importorskip(NEEDS[fmt])


def _same(a: Dataset, b: Dataset) -> None:
    for name in ("sources", "entities", "metrics", "facts"):
        assert getattr(a, name) == getattr(b, name), name


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_whole_package_round_trips(fmt: str, tmp_path: Path) -> None:
    _skip_without_extra(fmt)
    result = export(DS, tmp_path / TARGETS[fmt], fmt)
    assert result.rows == {
        "sources": len(DS.sources),
        "entities": len(DS.entities),
        "metrics": len(DS.metrics),
        "facts": len(DS.facts),
        "omissions": len(DS.omissions),
    }
    back = read_export(result.path)
    _same(back, DS)
    if fmt != "csv":  # a folder of plain CSV files has nowhere to say its version
        assert back.version == DS.version


@pytest.mark.parametrize(
    "value", ["1.3677660891780809E-8", "0.30000000000000004", "12345678901234567", "6.513"]
)
def test_a_number_of_17_digits_survives_a_spreadsheet(value: str, tmp_path: Path) -> None:
    # openpyxl writes numbers with 16 significant digits: such values go as exact text
    _skip_without_extra("xlsx")
    fact = DS.facts[0].model_copy(update={"value": Decimal(value), "value_high": None})
    ds = Dataset(DS.sources, DS.entities, DS.metrics, (fact,))
    back = read_export(export(ds, tmp_path / "out.xlsx", "xlsx").path)
    assert back.facts[0].value == Decimal(value)


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_selection_exports_only_its_facts(fmt: str, tmp_path: Path) -> None:
    _skip_without_extra(fmt)
    chosen = DS.query(entity="shanghai")
    result = export(chosen, tmp_path / TARGETS[fmt], fmt)
    assert result.rows["facts"] == len(chosen)
    back = read_export(result.path)
    assert back.facts == chosen.facts and back.entities == DS.entities


def test_selection_notes_dangling_references(tmp_path: Path) -> None:
    part = DS.query(entity="shanghai", metric="compute-subsidy-budget")  # part_of ainews-0729-05
    result = export(part, tmp_path / "part.json", "json")
    assert any("part_of/supersedes" in note for note in result.notes)


def test_json_is_plain_json_with_exact_numbers(tmp_path: Path) -> None:
    export(DS, tmp_path / "a.json", "json")
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["version"] == DS.version
    revenue = next(f for f in doc["facts"] if f["fact_id"] == "allinai-03")
    assert revenue["value"] == 6.513 and '"value": 6.513,' in text


def test_sqlite_keeps_primary_and_foreign_keys(tmp_path: Path) -> None:
    export(DS, tmp_path / "a.sqlite", "sqlite")
    db = sqlite3.connect(tmp_path / "a.sqlite")
    try:
        info = db.execute("PRAGMA table_info(facts)").fetchall()
        assert [row[1] for row in info if row[5]] == ["fact_id"]  # the primary key
        targets = {(row[3], row[2]) for row in db.execute("PRAGMA foreign_key_list(facts)")}
        assert {
            ("entity_id", "entities"),
            ("metric_id", "metrics"),
            ("source_id", "sources"),
            ("part_of", "facts"),
            ("supersedes", "facts"),
        } <= targets
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        value = db.execute(
            "SELECT value, value_real FROM facts_numeric WHERE fact_id='allinai-03'"
        ).fetchone()
        assert value == ("6.513", 6.513)
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO facts (fact_id, entity_id) VALUES ('deepwater-07', 'cn')")
    finally:
        db.close()


def test_parquet_and_xlsx_other_tools_read(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pytest.importorskip("openpyxl")
    export(DS, tmp_path / "pq", "parquet")
    frame = pd.read_parquet(tmp_path / "pq" / "facts.parquet")
    assert len(frame) == len(DS.facts)
    export(DS, tmp_path / "a.xlsx", "xlsx")
    sheet = pd.read_excel(tmp_path / "a.xlsx", sheet_name="facts")
    assert sheet.loc[sheet.fact_id == "allinai-03", "value"].item() == 6.513


def _with_note(note: str) -> Dataset:
    fact = DS.facts[0].model_copy(update={"note": note})
    return Dataset(DS.sources, DS.entities, DS.metrics, (fact, *DS.facts[1:]))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_text_is_neutralised_and_reported(fmt: str, tmp_path: Path) -> None:
    _skip_without_extra(fmt)
    risky = _with_note('＝HYPERLINK("http://x")')  # a full-width '=' passes the record rules
    result = export(risky, tmp_path / TARGETS[fmt], fmt)
    assert result.neutralised == 1
    assert "neutralised 1 text cell" in result.summary()
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(result.path)
        cells = [c for row in book["facts"].iter_rows() for c in row if c.value]
        assert all(c.data_type != "f" for c in cells)
        assert any(str(c.value).startswith("'＝HYPERLINK") for c in cells)
    else:
        assert "'＝HYPERLINK" in (result.path / "facts.csv").read_text(encoding="utf-8")
    assert read_export(result.path).facts == risky.facts


def test_non_spreadsheet_formats_neutralise_nothing(tmp_path: Path) -> None:
    result = export(_with_note("＝1+1"), tmp_path / "a.json", "json")
    assert result.neutralised == 0 and "neutralised" not in result.summary()


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export(DS, tmp_path / "x", "docx")
    with pytest.raises(ExportError, match="no such file"):
        read_export(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    export(DS, broken, "json")
    broken.write_text(broken.read_text(encoding="utf-8").replace('"exact"', '"precise"', 1))
    with pytest.raises(ValidationError, match="qualifier"):
        read_export(broken)


@given(st.text(max_size=20))
def test_neutralise_is_undone_by_restore(text: str) -> None:
    safe, _ = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith(("=", "+", "-", "@", "＝"))


risky_texts = st.sampled_from(["'=1+1", "''twice", "＝SUM(A1)", "＠user", "－5", "'"])


@st.composite
def packages(draw: st.DrawFn) -> Dataset:
    """A small dataset of valid records (references need not resolve)."""

    def unique(strategy: st.SearchStrategy[object], key: str) -> list[object]:
        return draw(st.lists(strategy, max_size=3, unique_by=lambda r: getattr(r, key)))

    facts = unique(rs.facts(), "fact_id")
    if facts and draw(st.booleans()):
        facts[0] = facts[0].model_copy(update={"note": draw(risky_texts)})  # type: ignore[attr-defined]
    return Dataset(
        tuple(unique(rs.sources, "source_id")),  # type: ignore[arg-type]
        tuple(unique(rs.entities, "entity_id")),  # type: ignore[arg-type]
        tuple(unique(rs.metrics, "metric_id")),  # type: ignore[arg-type]
        tuple(facts),  # type: ignore[arg-type]
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(packages(), st.sampled_from(list(ExportFormat)))
def test_export_then_import_is_lossless(ds: Dataset, fmt: ExportFormat) -> None:
    _skip_without_extra(fmt.value)
    with tempfile.TemporaryDirectory() as folder:
        result = export(ds, Path(folder) / TARGETS[fmt.value], fmt)
        _same(read_export(result.path, fmt), ds)


# --- where exports go: the command line -----------------------------------------------


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_a_missing_folder_is_named_for_every_format(fmt: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _skip_without_extra(fmt)
    target = tmp_path / "missing" / TARGETS[fmt]
    code, out, err = run_cli("export", "--format", fmt, str(target))
    assert code == 1 and out == ""
    assert f"the folder {tmp_path / 'missing'} does not exist; create it first" in err
    assert not (tmp_path / "missing").exists()


def test_dash_writes_json_to_standard_output(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("export", "--format", "json", "-")
    assert code == 0 and "wrote standard output (json:" in err
    assert not Path("-").exists()
    export(DS, tmp_path / "a.json", "json")
    assert out == (tmp_path / "a.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sqlite", "xlsx"])
def test_dash_is_refused_for_folders_and_binary_formats(fmt: str, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("export", "--format", fmt, "-")
    assert code == 2 and out == ""
    why = "a folder of files" if fmt in ("csv", "parquet") else "binary"
    assert f"{fmt} is {why}: '-' (standard output) takes json only" in err
    assert not Path("-").exists()


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_an_existing_target_is_replaced_only_with_force(
    fmt: str,
    tmp_path: Path,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    _skip_without_extra(fmt)
    target = tmp_path / TARGETS[fmt]
    export(DS.query(entity="shanghai"), target, fmt)
    before = read_export(target).facts
    code, _, err = run_cli("export", "--format", fmt, str(target))
    assert code == 1 and f"{target}: exists; pass --force" in err
    assert read_export(target).facts == before
    code, _, err = run_cli("export", "--format", fmt, "--force", str(target))
    assert code == 0, err
    assert read_export(target).facts == DS.facts


@pytest.mark.parametrize("fmt", ["json", "sqlite", "xlsx"])
def test_a_target_that_is_not_a_regular_file_is_refused_even_with_force(
    fmt: str,
    tmp_path: Path,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    _skip_without_extra(fmt)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    for target, kind in (
        (Path("/dev/null"), "a character device"),
        (fifo, "a FIFO"),
        (folder, "a folder"),
    ):
        code, out, err = run_cli("export", "--format", fmt, "--force", str(target))
        assert code == 1 and out == ""
        assert f"{target}: exists and is {kind}, not a regular file; refusing" in err
    assert Path("/dev/null").is_char_device() and fifo.is_fifo() and folder.is_dir()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_folder_format_refuses_a_file_where_its_folder_goes(
    fmt: str,
    tmp_path: Path,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    _skip_without_extra(fmt)
    target = tmp_path / "out"
    target.write_bytes(b"keep me")
    code, _, err = run_cli("export", "--format", fmt, "--force", str(target))
    assert code == 1 and f"{target}: exists and is a regular file, not a folder" in err
    assert target.read_bytes() == b"keep me"


def test_a_full_disk_is_an_error_and_the_old_export_stays(
    tmp_path: Path,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "a.sqlite"
    export(DS.query(entity="shanghai"), target, "sqlite")
    before = target.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("aifacts.io.atomic.os.fsync", full)
    code, _, err = run_cli("export", "--format", "sqlite", "--force", str(target))
    assert code == 1 and f"{target}: cannot write: No space left on device" in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.sqlite"]


def test_a_read_only_folder_is_an_error(
    tmp_path: Path,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    def read_only(folder: Path) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("aifacts.io.atomic.AtomicFile._open_anonymous", staticmethod(read_only))
    code, _, err = run_cli("export", "--format", "json", str(tmp_path / "a.json"))
    assert code == 1
    assert f"cannot create a file in {tmp_path}: Read-only file system" in err
    assert list(tmp_path.iterdir()) == []


def test_xlsx_says_which_number_cells_may_be_exact_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    fact = DS.facts[0].model_copy(update={"value": Decimal("6.5130"), "value_high": None})
    ds = Dataset(DS.sources, DS.entities, DS.metrics, (fact, *DS.facts[1:]))
    export(ds, tmp_path / "a.xlsx", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    cell = book["facts"].cell(row=2, column=1)
    row = [c.value for c in book["facts"][2]]
    header = [c.value for c in book["facts"][1]]
    assert row[header.index("value")] == "6.5130" and cell.value == fact.fact_id
    notes = {(r[0], r[1]): r[3] for r in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert "text holding the exact decimal" in notes[("facts", "value")]
    assert read_export(tmp_path / "a.xlsx").facts[0].value.as_tuple().exponent == -4


def test_two_exports_to_one_target_at_once_leave_one_whole_export(tmp_path: Path) -> None:
    import threading

    target = tmp_path / "a.sqlite"
    subsets = [DS, DS.query(entity="shanghai"), DS, DS.query(entity="shanghai")]
    threads = [
        threading.Thread(target=export, args=(data, target, "sqlite"), kwargs={"replace": True})
        for data in subsets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_export(target).facts in (DS.facts, DS.query(entity="shanghai").facts)
    assert [p.name for p in tmp_path.iterdir()] == ["a.sqlite"]


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet", "sqlite", "xlsx"])
def test_reading_an_export_back_refuses_a_fifo_instead_of_waiting(fmt: str, tmp_path: Path) -> None:
    # An export read back may come from anyone: a FIFO in its place would block the read.
    target = tmp_path / f"out.{fmt}"
    export(aifacts.load(), target, fmt)
    fifo = target / "facts.csv" if fmt == "csv" else target / "facts.parquet"
    if fmt not in ("csv", "parquet"):
        fifo = target
    fifo.unlink()
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match=r"not a regular file \(a FIFO\); an export is read from"):
        read_export(target, fmt)
