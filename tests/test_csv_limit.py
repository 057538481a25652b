"""Every CSV reader of the project reads cells over Python's default 128 KiB limit."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from aifacts.contract.problems import Code
from aifacts.release.export import export, read_export
from aifacts.validation.engine import validate
from tests.packages import read_rows, write_rows

LONG = ("a long note " * 20_000).strip()  # 239,999 characters


@pytest.fixture
def default_limit() -> Iterator[None]:
    """The csv module's own limit, as in a fresh process (another test may have raised it)."""
    previous = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(previous)


def _with_long_note(folder: Path) -> None:
    rows = read_rows(folder, "facts")
    rows[1][rows[0].index("note")] = LONG
    write_rows(folder, "facts", rows)


@pytest.mark.usefixtures("default_limit")
def test_both_engines_read_a_cell_over_128_kb(package_copy: Path) -> None:
    pytest.importorskip("pyarrow")
    _with_long_note(package_copy)
    csv.field_size_limit(131_072)
    rows = validate(package_copy, engine="rows").problems
    csv.field_size_limit(131_072)
    columnar = validate(package_copy, engine="columnar").problems
    assert not [p for p in rows if p.code is Code.CSV_MALFORMED], rows
    assert rows == columnar


@pytest.mark.usefixtures("default_limit")
def test_a_csv_export_with_a_cell_over_128_kb_reads_back(tmp_path: Path) -> None:
    import aifacts
    from aifacts.api import Dataset

    ds = aifacts.load()
    fact = ds.facts[0].model_copy(update={"note": LONG})
    long = Dataset(ds.sources, ds.entities, ds.metrics, (fact, *ds.facts[1:]))
    export(long, tmp_path / "out", "csv")
    csv.field_size_limit(131_072)
    assert read_export(tmp_path / "out").facts[0].note == LONG
