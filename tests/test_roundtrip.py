"""Property tests: valid records survive CSV and JSON unchanged; every violation is
caught with its own code; arbitrary bytes give ValidationError, never another error."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.contract.problems import Code
from aifacts.contract.schema import RESOURCES, resource
from aifacts.io.reading import read_csv, read_json
from aifacts.io.writing import write_csv, write_json
from tests.packages import REPO, read_rows, write_bytes, write_rows
from tests.strategies import RECORDS, facts

RESOURCE_NAMES = [r.name for r in RESOURCES]


@pytest.mark.parametrize("name", RESOURCE_NAMES)
@settings(max_examples=40)
@given(data=st.data())
def test_valid_records_round_trip_through_csv_and_json(name: str, data: st.DataObject) -> None:
    records = data.draw(st.lists(RECORDS[name], max_size=6))
    res = resource(name)
    for write, read in ((write_csv, read_csv), (write_json, read_json)):
        table = read(res, f"{name}.x", write(res, records))
        assert table.problems == []
        assert [record for _, record in table.rows] == records
        assert write(res, [record for _, record in table.rows]) == write(res, records)


@pytest.mark.parametrize("name", RESOURCE_NAMES)
def test_the_bundled_files_read_and_write_back_to_the_same_bytes(name: str) -> None:
    data = (REPO / "datapackage" / f"{name}.csv").read_bytes()
    table = read_csv(resource(name), f"{name}.csv", data)
    assert table.problems == []
    assert write_csv(resource(name), [r for _, r in table.rows]) == data


def test_numbers_stay_exact() -> None:
    ds = aifacts.load()
    revenue = ds.fact("allinai-03")  # "$6.513 billion"
    assert revenue.value == Decimal("6.513")
    in_dollars = revenue.quantity.to("USD").magnitude
    assert in_dollars == Decimal("6513000000")
    assert format(in_dollars, "f") == "6513000000"


# Each violation turns one cell of a valid fact row into a bad one, and names the code
# the reader must report for it at that field.
VIOLATIONS: dict[str, tuple[str, str, Code]] = {
    "number": ("value", "12.5.1", Code.TYPE_NUMBER),
    "separator": ("value", "1,000", Code.TYPE_NUMBER),
    "date": ("as_of", "2025-13-01", Code.TYPE_DATE),
    "enum": ("status", "guess", Code.ENUM),
    "required": ("quote", "", Code.REQUIRED),
    "pattern": ("entity_id", "Not A Slug", Code.PATTERN),
    "whitespace": ("locator", " [1]", Code.WHITESPACE),
    "nfc": ("note", "e\u0301", Code.NOT_NFC),
    "formula": ("quote", "=1+1", Code.FORMULA),
    "control": ("note", "a\x00b", Code.CONTROL_CHARACTER),
}


@settings(max_examples=25)
@given(fact=facts(), kind=st.sampled_from(sorted(VIOLATIONS)))
def test_each_violation_is_caught_with_its_own_code(fact: aifacts.Fact, kind: str) -> None:
    res = resource("facts")
    field, bad, code = VIOLATIONS[kind]
    rows = read_csv(res, "facts.csv", write_csv(res, [fact])).rows
    assert len(rows) == 1
    text = write_csv(res, [fact]).decode("utf-8")
    header, line = text.splitlines()[0], text[len(text.splitlines()[0]) + 1 :]
    import csv
    import io

    cells = next(csv.reader(io.StringIO(line, newline="")))
    cells[header.split(",").index(field)] = bad
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([header.split(","), cells])
    table = read_csv(res, "facts.csv", buffer.getvalue().encode("utf-8"))
    assert (2, field, code) in {(p.row, p.field, p.code) for p in table.problems}
    assert table.rows == []


@settings(max_examples=20)
@given(fact=facts())
def test_a_range_without_a_higher_end_is_caught(fact: aifacts.Fact) -> None:
    res = resource("facts")
    broken = fact.model_construct(**{**dict(fact), "qualifier": "range", "value_high": None})
    table = read_csv(res, "facts.csv", write_csv(res, [broken]))
    assert [(p.field, p.code) for p in table.problems] == [("value_high", Code.VALUE_HIGH)]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("template") / "pkg"
    shutil.copytree(REPO / "datapackage", target)
    return target


@pytest.mark.parametrize("name", RESOURCE_NAMES)
@settings(max_examples=30)
@given(data=st.binary(max_size=300), refresh=st.booleans())
def test_arbitrary_bytes_give_validation_error(
    template: Path, tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes, refresh: bool
) -> None:
    folder = tmp_path_factory.mktemp("bytes") / "pkg"
    shutil.copytree(template, folder)
    write_bytes(folder, name, data, refresh=refresh)
    with pytest.raises(aifacts.ValidationError) as caught:
        aifacts.load(folder)
    assert caught.value.problems
    assert all(p.file for p in caught.value.problems)


@pytest.mark.parametrize("name", RESOURCE_NAMES)
@settings(max_examples=30)
@given(cells=st.lists(st.text(max_size=12), min_size=1, max_size=25))
def test_arbitrary_cells_give_problems_never_exceptions(
    template: Path, tmp_path_factory: pytest.TempPathFactory, name: str, cells: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("cells") / "pkg"
    shutil.copytree(template, folder)
    rows = read_rows(folder, name)
    rows.append(cells)
    rows[1] = (cells + rows[1])[: len(rows[1])]
    write_rows(folder, name, rows)
    report = aifacts.validate(folder)
    assert not report.valid
    assert all(p.line().startswith(f"{p.file}:") for p in report.problems)
