"""Every value validation accepts comes back exactly from every export format."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.api import Dataset
from aifacts.contract.schema import RESOURCES
from aifacts.io.writing import cell_text
from aifacts.release.export import ExportError, export, read_export
from tests.strategies_exact import EDGE_NUMBERS, edge_numbers, edge_packages

TARGETS = {"json": "a.json", "csv": "a", "parquet": "a", "sqlite": "a.sqlite", "xlsx": "a.xlsx"}
NEEDS = {"parquet": "pyarrow", "xlsx": "openpyxl"}


def _cells(ds: Dataset) -> dict[str, list[list[str]]]:
    """Every cell of every resource as its exact text: ``6.5130`` is not ``6.513``."""
    return {
        res.name: [
            [cell_text(getattr(r, f)) for f in res.field_names] for r in getattr(ds, res.name)
        ]
        for res in RESOURCES
    }


def _round_trip(ds: Dataset, fmt: str) -> None:
    if fmt in NEEDS:
        pytest.importorskip(NEEDS[fmt])
    with tempfile.TemporaryDirectory() as folder:
        result = export(ds, Path(folder) / TARGETS[fmt], fmt)
        assert _cells(read_export(result.path, fmt)) == _cells(ds)


@pytest.mark.parametrize("fmt", list(TARGETS))
@settings(max_examples=40)
@given(ds=edge_packages())
def test_every_valid_value_round_trips_exactly(fmt: str, ds: Dataset) -> None:
    _round_trip(ds, fmt)


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_each_edge_number_round_trips_exactly(fmt: str) -> None:
    import aifacts

    base = aifacts.load()
    facts = tuple(
        f.model_copy(update={"value": Decimal(text)})
        for f, text in zip(
            (f for f in base.facts if f.value_high is None), EDGE_NUMBERS, strict=False
        )
    )
    assert len(facts) == len(EDGE_NUMBERS)
    _round_trip(Dataset(base.sources, base.entities, base.metrics, facts, base.omissions), fmt)


@given(st.lists(edge_numbers, min_size=1, max_size=5))
def test_parquet_holds_any_column_of_76_digits(texts: list[str]) -> None:
    pytest.importorskip("pyarrow")
    import aifacts

    base = aifacts.load()
    plain = [f for f in base.facts if f.value_high is None]
    chosen = zip(plain, texts, strict=False)
    facts = tuple(f.model_copy(update={"value": Decimal(t)}) for f, t in chosen)
    _round_trip(Dataset(base.sources, base.entities, base.metrics, facts), "parquet")


def test_parquet_names_the_facts_of_a_column_it_cannot_hold(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import aifacts

    base = aifacts.load()
    a, b = [f for f in base.facts if f.value_high is None][:2]
    facts = (
        a.model_copy(update={"value": Decimal("1" + "0" * 40)}),
        b.model_copy(update={"value": Decimal("0." + "0" * 39 + "1")}),
    )
    ds = Dataset(base.sources, base.entities, base.metrics, facts)
    with pytest.raises(ExportError) as caught:
        export(ds, tmp_path / "pq", "parquet")
    assert str(caught.value) == (
        f"parquet cannot hold facts.value exactly: the column needs 81 digits (41 before the "
        f"point, for fact_id {a.fact_id}; 40 after it, for fact_id {b.fact_id}), and a "
        "parquet decimal holds at most 76; export as json, csv or sqlite, which keep every "
        "digit"
    )
    assert not (tmp_path / "pq").exists()


EDGE_TEXTS = ["a_x0041_b", "_x005F_x0041_", "'＝1", "＠user", "a\tb\nc"]


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_text_that_looks_like_an_ooxml_escape_round_trips(fmt: str) -> None:
    """``_x0041_`` is an OOXML escape: the xlsx export escapes its underscore and reads
    it back exactly. (U+FFFE and U+FFFF, which XML cannot hold, are noncharacters that
    validation refuses; the next test shows the writer escapes them all the same.)"""
    import aifacts

    base = aifacts.load()
    facts = tuple(
        f.model_copy(update={"note": text}) for f, text in zip(base.facts, EDGE_TEXTS, strict=False)
    )
    _round_trip(Dataset(base.sources, base.entities, base.metrics, facts), fmt)


def test_xlsx_writes_the_ooxml_escapes_a_spreadsheet_shows_as_the_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import aifacts

    base = aifacts.load()
    fact = base.facts[0].model_copy(update={"note": "a\ufffeb_x0041_"})
    export(Dataset(base.sources, base.entities, base.metrics, (fact,)), tmp_path / "a.xlsx", "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["facts"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("note") + 1).value == "a_xFFFE_b_x005F_x0041_"


def test_xlsx_names_a_cell_longer_than_a_spreadsheet_holds(tmp_path: Path) -> None:
    """openpyxl cuts text past 32,767 characters short, silently: refused instead."""
    pytest.importorskip("openpyxl")
    import aifacts

    base = aifacts.load()
    fact = base.facts[0].model_copy(update={"note": "x" * 32_768})
    ds = Dataset(base.sources, base.entities, base.metrics, (fact,))
    with pytest.raises(ExportError) as caught:
        export(ds, tmp_path / "a.xlsx", "xlsx")
    assert str(caught.value) == (
        f"xlsx cannot hold facts {fact.fact_id!r} note: its cell would have 32,768 characters, "
        "and a spreadsheet cell holds at most 32,767; export as json, csv, sqlite or parquet, "
        "which keep every character"
    )
    assert list(tmp_path.iterdir()) == []
    fits = fact.model_copy(update={"note": "x" * 32_767})
    _round_trip(Dataset(base.sources, base.entities, base.metrics, (fits,)), "xlsx")


@pytest.mark.parametrize("fmt", list(TARGETS))
@pytest.mark.parametrize(
    "day",
    [
        "0001-01-01",
        "1899-12-30",
        "1899-12-31",
        "1900-01-01",
        "1900-02-28",
        "1900-03-01",
        "9999-12-31",
    ],
)
def test_any_date_round_trips_exactly(fmt: str, day: str) -> None:
    """A spreadsheet's date cells start in 1900 (day 0, 1899-12-30, read back as a time)."""
    from datetime import date

    import aifacts

    base = aifacts.load()
    fact = base.facts[0].model_copy(update={"as_of": date.fromisoformat(day)})
    _round_trip(Dataset(base.sources, base.entities, base.metrics, (fact,)), fmt)
