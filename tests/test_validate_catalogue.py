"""A catalogue of bad input: each case edits a copy of the release in one way and
asserts that `aifacts validate` exits 1 and names the file, row, field and problem,
without a traceback. Accepted variants (BOM, CRLF) come at the end."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aifacts.contract.problems import Code
from tests.packages import Rows, edit_cell, edit_rows, read_rows, write_bytes, write_rows

Edit = Callable[[Path], str]


def cell(resource: str, key: str, column: str, value: str) -> Edit:
    """An edit of one cell; returns the expected location prefix ``file:row:field``."""

    def apply(folder: Path) -> str:
        row = edit_cell(folder, resource, key, column, value)
        return f"{resource}.csv:{row}:{column}:"

    return apply


def rows(resource: str, change: Callable[[Rows], None], where: str) -> Edit:
    def apply(folder: Path) -> str:
        edit_rows(folder, resource, change)
        return where

    return apply


def _duplicate_first_fact(rows: Rows) -> None:
    rows.append(list(rows[1]))


def _rename_header(rows: Rows) -> None:
    rows[0][rows[0].index("unit")] = "units"


def _extra_cell(rows: Rows) -> None:
    rows[3].append("surplus")


def _blank_row(rows: Rows) -> None:
    rows.insert(2, [""] * len(rows[0]))


def _cycle(rows: Rows) -> None:
    col = rows[0].index("part_of")
    ids = {r[0]: r for r in rows[1:]}
    ids["ainews-0729-05"][col] = "ainews-0729-08"  # the whole becomes part of its part


def _latin1(folder: Path) -> str:
    data = (folder / "entities.csv").read_bytes().replace(b"China", "Chïna".encode("latin-1"))
    write_bytes(folder, "entities", data)
    return "entities.csv: line "


def _stale_stats(folder: Path) -> str:
    rows = read_rows(folder, "metrics")
    rows[1][2] = rows[1][2] + " Edited."
    write_rows(folder, "metrics", rows, refresh=False)
    return "metrics.csv: the file has"


def _unclosed_quote(folder: Path) -> str:
    data = (folder / "sources.csv").read_bytes() + b'extra-source,"never closed\n'
    write_bytes(folder, "sources", data)
    return "sources.csv:"


def _drop_resource(folder: Path) -> str:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "metrics"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return "datapackage.json: resource 'metrics' is not declared"


def _broken_descriptor(folder: Path) -> str:
    (folder / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    return "datapackage.json: not valid UTF-8 JSON"


def _empty_file(folder: Path) -> str:
    write_bytes(folder, "facts", b"")
    return "facts.csv:1: the file is empty"


def _descriptor_edit(change: Callable[[dict[str, Any]], None], where: str) -> Edit:
    def edit(folder: Path) -> str:
        path = folder / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return where

    return edit


def _facts_entry(data: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in data["resources"] if e["name"] == "facts")


def _fifo(folder: Path) -> str:
    (folder / "facts.csv").unlink()
    os.mkfifo(folder / "facts.csv")
    return "facts.csv: cannot read facts.csv: not a regular file (a FIFO)"


def _utf16(folder: Path) -> str:
    write_bytes(folder, "sources", (folder / "sources.csv").read_text().encode("utf-16-le"))
    return "sources.csv: line 1, byte 1: "


CASES: dict[str, tuple[Edit, Code]] = {
    "unknown unit": (cell("facts", "deepwater-13", "unit", "EFLOPZ"), Code.UNIT_UNKNOWN),
    "unit of another dimension": (
        cell("facts", "deepwater-08", "unit", "GW"),
        Code.UNIT_DIMENSION,
    ),
    "currency for a compute metric": (
        cell("facts", "deepwater-07", "unit", "billion USD"),
        Code.UNIT_DIMENSION,
    ),
    "metric unit unknown": (cell("metrics", "revenue", "unit", "dollarz"), Code.UNIT_UNKNOWN),
    "value not a number": (cell("facts", "deepwater-07", "value", "ninety"), Code.TYPE_NUMBER),
    "value with thousands separator": (
        cell("facts", "deepwater-07", "value", "1,000"),
        Code.TYPE_NUMBER,
    ),
    "value in exponent notation": (
        cell("facts", "deepwater-07", "value", "9e1"),
        Code.TYPE_NUMBER,
    ),
    "impossible date": (
        cell("facts", "ainews-0729-17", "period_start", "2027-02-30"),
        Code.TYPE_DATE,
    ),
    "date in another format": (
        cell("facts", "ainews-0729-17", "as_of", "29/07/2025"),
        Code.TYPE_DATE,
    ),
    "period reversed": (
        cell("facts", "ainews-0729-17", "period_end", "2026-01-01"),
        Code.PERIOD_ORDER,
    ),
    "qualifier outside the vocabulary": (
        cell("facts", "deepwater-07", "qualifier", "roughly"),
        Code.ENUM,
    ),
    "status outside the vocabulary": (cell("facts", "deepwater-07", "status", "rumour"), Code.ENUM),
    "entity kind outside the vocabulary": (cell("entities", "cn", "kind", "nation"), Code.ENUM),
    "required status missing": (cell("facts", "deepwater-07", "status", ""), Code.REQUIRED),
    "quote missing": (cell("facts", "deepwater-07", "quote", ""), Code.REQUIRED),
    "locator missing": (cell("facts", "deepwater-07", "locator", ""), Code.REQUIRED),
    "source title missing": (
        cell("sources", "ainews-china-ai-self-reliance", "title", ""),
        Code.REQUIRED,
    ),
    "unknown entity": (cell("facts", "deepwater-07", "entity_id", "chna"), Code.FOREIGN_KEY),
    "unknown metric": (cell("facts", "deepwater-07", "metric_id", "ai-compute"), Code.FOREIGN_KEY),
    "unknown source": (cell("facts", "deepwater-07", "source_id", "nowhere"), Code.FOREIGN_KEY),
    "unknown related entity": (
        cell("facts", "rui-post-03", "related_entity_id", "usa"),
        Code.FOREIGN_KEY,
    ),
    "unknown parent entity": (
        cell("entities", "alibaba-cloud", "parent_id", "alibab"),
        Code.FOREIGN_KEY,
    ),
    "unknown derived_from source": (
        cell("sources", "rui-post-us-china-ai-gap", "derived_from", "no-such-report"),
        Code.FOREIGN_KEY,
    ),
    "unknown part_of fact": (
        cell("facts", "ainews-0729-08", "part_of", "ainews-9999"),
        Code.FOREIGN_KEY,
    ),
    "country that is not a country": (
        cell("entities", "alibaba", "country", "shanghai"),
        Code.REFERENCE_KIND,
    ),
    "entity is its own parent": (
        cell("entities", "alibaba-cloud", "parent_id", "alibaba-cloud"),
        Code.SELF_REFERENCE,
    ),
    "fact supersedes itself": (
        cell("facts", "deepwater-07", "supersedes", "deepwater-07"),
        Code.SELF_REFERENCE,
    ),
    "part_of cycle": (rows("facts", _cycle, "facts.csv:"), Code.SELF_REFERENCE),
    "duplicate fact id": (rows("facts", _duplicate_first_fact, "facts.csv:"), Code.DUPLICATE_KEY),
    "id with stray whitespace": (
        cell("facts", "deepwater-07", "entity_id", "cn "),
        Code.WHITESPACE,
    ),
    "text with stray whitespace": (cell("entities", "cn", "name", " China"), Code.WHITESPACE),
    "id not a lowercase slug": (cell("entities", "alibaba", "entity_id", "Alibaba"), Code.PATTERN),
    "language not BCP 47": (
        cell("sources", "ainews-china-ai-self-reliance", "language", "English"),
        Code.PATTERN,
    ),
    "sha256 not hex": (
        cell("sources", "ainews-china-ai-self-reliance", "document_sha256", "abc123"),
        Code.PATTERN,
    ),
    "text not NFC": (cell("entities", "cn", "note", "Cafe\u0301 society"), Code.NOT_NFC),
    "control character": (cell("entities", "cn", "name", "Chi\x08na"), Code.CONTROL_CHARACTER),
    "formula in a quote": (cell("facts", "deepwater-07", "quote", "=HYPERLINK(1)"), Code.FORMULA),
    "formula with @ in a note": (cell("metrics", "revenue", "note", "@SUM(A1)"), Code.FORMULA),
    "plus sign starting a label": (cell("metrics", "revenue", "label", "+Revenue"), Code.FORMULA),
    "range without value_high": (
        cell("facts", "ainews-0729-13", "value_high", ""),
        Code.VALUE_HIGH,
    ),
    "range with value_high below value": (
        cell("facts", "ainews-0729-13", "value_high", "2"),
        Code.VALUE_HIGH,
    ),
    "value_high on an exact fact": (
        cell("facts", "deepwater-07", "value_high", "95"),
        Code.VALUE_HIGH,
    ),
    "share above 100 percent": (cell("facts", "deepwater-16", "value", "130"), Code.SHARE_BOUNDS),
    "negative count": (cell("facts", "deepwater-10", "value", "-8"), Code.COUNT_NEGATIVE),
    "value the quote does not state": (
        cell("facts", "deepwater-07", "value", "95"),
        Code.QUOTE_VALUE,
    ),
    "value_high the quote does not state": (
        cell("facts", "ainews-0729-11", "value_high", "90"),
        Code.QUOTE_VALUE,
    ),
    "omission offset not an integer": (
        cell("omissions", "deepwater-o02", "offset", "186.5"),
        Code.TYPE_INTEGER,
    ),
    "negative omission offset": (
        cell("omissions", "deepwater-o02", "offset", "-186"),
        Code.OUT_OF_RANGE,
    ),
    "omission of an unknown source": (
        cell("omissions", "deepwater-o02", "source_id", "nowhere"),
        Code.FOREIGN_KEY,
    ),
    "omission reason outside the vocabulary": (
        cell("omissions", "deepwater-o02", "reason", "boring"),
        Code.ENUM,
    ),
    "renamed column": (rows("facts", _rename_header, "facts.csv:1: header"), Code.HEADER_MISMATCH),
    "row with an extra cell": (
        rows("facts", _extra_cell, "facts.csv:4: the row has"),
        Code.ROW_LENGTH,
    ),
    "blank row": (rows("facts", _blank_row, "facts.csv:3: the row is blank"), Code.BLANK_ROW),
    "latin-1 file": (_latin1, Code.ENCODING),
    "file edited without rebuild": (_stale_stats, Code.BYTES_MISMATCH),
    "unclosed quote": (_unclosed_quote, Code.CSV_MALFORMED),
    "resource not declared": (_drop_resource, Code.RESOURCE_MISSING),
    "descriptor not JSON": (_broken_descriptor, Code.DESCRIPTOR_INVALID),
    "empty file": (_empty_file, Code.HEADER_MISMATCH),
    "path out of the package": (
        _descriptor_edit(
            lambda d: _facts_entry(d).update(path="../facts.csv"),
            "datapackage.json:resources[3].path: '../facts.csv' climbs out",
        ),
        Code.DESCRIPTOR_INVALID,
    ),
    "dialect the readers do not read": (
        _descriptor_edit(
            lambda d: _facts_entry(d).update(dialect={"delimiter": ";"}),
            "datapackage.json:resources[3].dialect.delimiter: ';' is not read",
        ),
        Code.DESCRIPTOR_INVALID,
    ),
    "resource that is a FIFO": (_fifo, Code.FILE_MISSING),
    "UTF-16 without a BOM": (_utf16, Code.ENCODING),
    "offset of 5000 digits": (
        cell("omissions", "deepwater-o02", "offset", "9" * 5000),
        Code.TYPE_INTEGER,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_reported_with_its_place(name: str, package_copy: Path, run_cli) -> None:
    edit, code = CASES[name]
    where = edit(package_copy)
    exit_code, out, err = run_cli("validate", str(package_copy))
    assert exit_code == 1, out + err
    assert "Traceback" not in out + err
    lines = [line for line in out.splitlines() if line.startswith(where)]
    assert lines, f"no line starting {where!r} in:\n{out}"
    exit_json, out_json, _ = run_cli("validate", str(package_copy), "--format", "json")
    assert exit_json == 1
    codes = {p["code"] for p in json.loads(out_json)["problems"]}
    assert code.value in codes, codes


def test_the_catalogue_covers_at_least_25_kinds_of_problem() -> None:
    assert len({code for _, code in CASES.values()}) >= 25


def test_every_problem_of_an_edited_copy_is_reported_at_once(package_copy: Path, run_cli) -> None:
    edit_cell(package_copy, "facts", "deepwater-07", "unit", "EFLOPZ")
    edit_cell(package_copy, "facts", "deepwater-13", "qualifier", "roughly")
    edit_cell(package_copy, "entities", "cn", "name", " China")
    exit_code, out, _ = run_cli("validate", str(package_copy))
    assert exit_code == 1
    assert len(out.strip().splitlines()) == 3, out


def test_validate_accepts_the_descriptor_file_itself(bundled: Path, run_cli) -> None:
    exit_code, _, _ = run_cli("validate", str(bundled / "datapackage.json"))
    assert exit_code == 0


@pytest.mark.parametrize("target", ["missing-folder", "notes.txt", "empty-folder"])
def test_usage_errors_exit_2_on_stderr(tmp_path: Path, run_cli, target: str) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    exit_code, out, err = run_cli("validate", str(tmp_path / target))
    assert exit_code == 2
    assert out == ""
    assert "aifacts:" in err and "Traceback" not in err


def test_a_json_file_that_is_no_data_package_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    exit_code, _, err = run_cli("validate", str(tmp_path / "package.json"))
    assert exit_code == 2
    assert "not a data package" in err


def test_a_utf8_bom_is_accepted(package_copy: Path, run_cli) -> None:
    data = (package_copy / "facts.csv").read_bytes()
    write_bytes(package_copy, "facts", b"\xef\xbb\xbf" + data)
    exit_code, out, err = run_cli("validate", str(package_copy))
    assert exit_code == 0, out + err


def test_crlf_line_ends_are_accepted(package_copy: Path, run_cli) -> None:
    for name in ("sources", "entities", "metrics", "facts"):
        rows = read_rows(package_copy, name)
        import csv
        import io

        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        write_bytes(package_copy, name, buffer.getvalue().encode("utf-8"))
    exit_code, out, err = run_cli("validate", str(package_copy))
    assert exit_code == 0, out + err
