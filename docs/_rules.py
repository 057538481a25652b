"""The validation rules page: every problem code, what it means, and a real example.

Each example is an edit made to a fresh copy of the bundled release while the site
is built; the output shown is what ``aifacts validate`` reports for that copy, not
text typed by hand. A code without an example (or whose edit no longer produces
it) is listed as such, and ``tests/test_docs.py`` fails on it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import _md

from aifacts.contract.problems import CODE_INFO, Code
from aifacts.io.package import file_stats
from aifacts.validation.engine import validate

__all__ = ["EXAMPLES", "MISSING_EXAMPLE", "validation_page"]

MISSING_EXAMPLE = "No example yet"

Edit = Callable[[Path], None]


def _refresh(folder: Path, resource: str) -> None:
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    size, digest = file_stats((folder / f"{resource}.csv").read_bytes())
    for entry in desc["resources"]:
        if entry["name"] == resource:
            entry["bytes"], entry["hash"] = size, digest
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_bytes(folder: Path, resource: str, data: bytes, *, refresh: bool = True) -> None:
    (folder / f"{resource}.csv").write_bytes(data)
    if refresh:
        _refresh(folder, resource)


def _rows(folder: Path, resource: str) -> list[list[str]]:
    text = (folder / f"{resource}.csv").read_text(encoding="utf-8")
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _put_rows(folder: Path, resource: str, rows: list[list[str]], *, refresh: bool = True) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    _write_bytes(folder, resource, buffer.getvalue().encode("utf-8"), refresh=refresh)


def cell(resource: str, key: str, column: str, value: str, *, refresh: bool = True) -> Edit:
    """Set one cell of the row whose key is ``key``."""

    def apply(folder: Path) -> None:
        rows = _rows(folder, resource)
        col = rows[0].index(column)
        for row in rows[1:]:
            if row[0] == key:
                row[col] = value
        _put_rows(folder, resource, rows, refresh=refresh)

    return apply


def rows(resource: str, change: Callable[[list[list[str]]], None]) -> Edit:
    def apply(folder: Path) -> None:
        table = _rows(folder, resource)
        change(table)
        _put_rows(folder, resource, table)

    return apply


def raw(resource: str, change: Callable[[bytes], bytes]) -> Edit:
    def apply(folder: Path) -> None:
        _write_bytes(folder, resource, change((folder / f"{resource}.csv").read_bytes()))

    return apply


def _descriptor(change: Callable[[str], str]) -> Edit:
    def apply(folder: Path) -> None:
        path = folder / "datapackage.json"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _drop_metrics(text: str) -> str:
    desc = json.loads(text)
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "metrics"]
    return json.dumps(desc, ensure_ascii=False, indent=2)


def _delete(resource: str) -> Edit:
    return lambda folder: (folder / f"{resource}.csv").unlink()


def _rename_unit(table: list[list[str]]) -> None:
    table[0][table[0].index("unit")] = "units"


#: For each code: what the example does, in words, and the edit that does it.
EXAMPLES: dict[str, tuple[str, Edit]] = {
    Code.DESCRIPTOR_INVALID.value: (
        '`datapackage.json` is cut short after `{"resources": [`.',
        _descriptor(lambda _: '{"resources": ['),
    ),
    Code.RESOURCE_MISSING.value: (
        "The `metrics` resource is removed from `datapackage.json`.",
        _descriptor(_drop_metrics),
    ),
    Code.FILE_MISSING.value: ("`sources.csv` is deleted.", _delete("sources")),
    Code.BYTES_MISMATCH.value: (
        "A metric's label is lengthened without running `aifacts build`.",
        cell("metrics", "revenue", "label", "Revenue (edited)", refresh=False),
    ),
    Code.HASH_MISMATCH.value: (
        "China's name is changed to `Chine` (same length) without running `aifacts build`.",
        cell("entities", "cn", "name", "Chine", refresh=False),
    ),
    Code.ENCODING.value: (
        "`entities.csv` gets a Latin-1 byte (`Chïna` saved as Latin-1).",
        raw("entities", lambda b: b.replace(b"China", "Chïna".encode("latin-1"), 1)),
    ),
    Code.CSV_MALFORMED.value: (
        "A row with an unclosed quote is appended to `sources.csv`.",
        raw("sources", lambda b: b + b'extra-source,"never closed\n'),
    ),
    Code.HEADER_MISMATCH.value: (
        "The `unit` column of `facts.csv` is renamed `units`.",
        rows("facts", _rename_unit),
    ),
    Code.ROW_LENGTH.value: (
        "A cell is added at the end of the third fact's row.",
        rows("facts", lambda t: t[3].append("surplus")),
    ),
    Code.BLANK_ROW.value: (
        "An empty row is inserted after the first fact.",
        rows("facts", lambda t: t.insert(2, [""] * len(t[0]))),
    ),
    Code.REQUIRED.value: (
        "The `status` of fact `deepwater-07` is emptied.",
        cell("facts", "deepwater-07", "status", ""),
    ),
    Code.TYPE_NUMBER.value: (
        "The `value` of fact `deepwater-07` is written `ninety`.",
        cell("facts", "deepwater-07", "value", "ninety"),
    ),
    Code.TYPE_DATE.value: (
        "The `as_of` of fact `ainews-0729-17` is written `29/07/2025`.",
        cell("facts", "ainews-0729-17", "as_of", "29/07/2025"),
    ),
    Code.TYPE_BOOLEAN.value: (
        "The `document_held` of a source is written `yes`.",
        cell("sources", "deep-water-ai-race-summary", "document_held", "yes"),
    ),
    Code.CANONICAL_MISMATCH.value: (
        "The `value_canonical` of fact `deepwater-08` (380 billion CNY) is written "
        "`38000000000`, a zero short.",
        cell("facts", "deepwater-08", "value_canonical", "38000000000"),
    ),
    Code.CLAIM_DISAGREES.value: (
        "The `status` of fact `ainews-0729-04`, a heading restating the Shanghai programme's "
        "budget, is written `actual` while the rest of its claim says `plan`.",
        cell("facts", "ainews-0729-04", "status", "actual"),
    ),
    Code.PUBLISHED_BASIS.value: (
        "The `published_basis` of an undated source is written `stated`.",
        cell("sources", "deep-water-ai-race-summary", "published_basis", "stated"),
    ),
    Code.DOCUMENT_HELD.value: (
        "The `document_held` of a report known only through a post is written `true`.",
        cell("sources", "shenzhen-aiia-gap-widening-report", "document_held", "true"),
    ),
    Code.ENUM.value: (
        "The `qualifier` of fact `deepwater-13` is written `roughly`.",
        cell("facts", "deepwater-13", "qualifier", "roughly"),
    ),
    Code.PATTERN.value: (
        "The `language` of a source is written `English` instead of `en`.",
        cell("sources", "deep-water-ai-race-summary", "language", "English"),
    ),
    Code.WHITESPACE.value: (
        "China's name is written ` China`.",
        cell("entities", "cn", "name", " China"),
    ),
    Code.NOT_NFC.value: (
        "China's note holds `e` followed by a combining accent instead of `é`.",
        cell("entities", "cn", "note", "Cafe\u0301 society"),
    ),
    Code.CONTROL_CHARACTER.value: (
        "China's name holds a backspace character.",
        cell("entities", "cn", "name", "Chi\x08na"),
    ),
    Code.TEXT_FORBIDDEN_CHAR.value: (
        "A fact's unit hides a right-to-left override: `billion \\u202eUSD` would show "
        "as `billion DSU`.",
        cell("facts", "ainews-0729-01", "unit", "billion \u202eUSD"),
    ),
    Code.FORMULA.value: (
        "A metric's note starts with `@`.",
        cell("metrics", "revenue", "note", "@SUM(A1)"),
    ),
    Code.DUPLICATE_KEY.value: (
        "The first fact's row is copied to the end of `facts.csv`.",
        rows("facts", lambda t: t.append(list(t[1]))),
    ),
    Code.FOREIGN_KEY.value: (
        "Fact `deepwater-07` names entity `chna`.",
        cell("facts", "deepwater-07", "entity_id", "chna"),
    ),
    Code.REFERENCE_KIND.value: (
        "Alibaba's `country` is set to `shanghai`, a city.",
        cell("entities", "alibaba", "country", "shanghai"),
    ),
    Code.SELF_REFERENCE.value: (
        "Alibaba Cloud is made its own parent.",
        cell("entities", "alibaba-cloud", "parent_id", "alibaba-cloud"),
    ),
    Code.UNIT_UNKNOWN.value: (
        "The unit of fact `deepwater-13` is written `EFLOPZ`.",
        cell("facts", "deepwater-13", "unit", "EFLOPZ"),
    ),
    Code.UNIT_DIMENSION.value: (
        "Fact `deepwater-08` (an investment) gets the unit `GW`.",
        cell("facts", "deepwater-08", "unit", "GW"),
    ),
    Code.SHARE_BOUNDS.value: (
        "The utilisation rate of fact `deepwater-16` is set to 130 percent.",
        cell("facts", "deepwater-16", "value", "130"),
    ),
    Code.COUNT_NEGATIVE.value: (
        "Alibaba's number of data centres (fact `deepwater-10`) is set to -8.",
        cell("facts", "deepwater-10", "value", "-8"),
    ),
    Code.VALUE_HIGH.value: (
        "The range of fact `ainews-0729-13` loses its `value_high`.",
        cell("facts", "ainews-0729-13", "value_high", ""),
    ),
    Code.PERIOD_ORDER.value: (
        "Fact `ainews-0729-17` (a forecast for 2027) gets `period_start` 2028-01-01.",
        cell("facts", "ainews-0729-17", "period_start", "2028-01-01"),
    ),
    Code.TYPE_INTEGER.value: (
        "The offset of omission `deepwater-o02` (a footnote mark) is written `186.0`.",
        cell("omissions", "deepwater-o02", "offset", "186.0"),
    ),
    Code.OUT_OF_RANGE.value: (
        "The offset of omission `deepwater-o02` is set to -186.",
        cell("omissions", "deepwater-o02", "offset", "-186"),
    ),
    Code.QUOTE_VALUE.value: (
        "The value of fact `deepwater-07` is changed from 90 to 95; its quote still says 90.",
        cell("facts", "deepwater-07", "value", "95"),
    ),
    "json-mismatch": (
        "China's name is changed in `entities.csv` (and its stats refreshed), but "
        "`entities.json` is not regenerated with `aifacts build`.",
        cell("entities", "cn", "name", "People's Republic of China"),
    ),
}


def example_output(bundled: Path, code: Code) -> list[str] | None:
    """The problem lines ``aifacts validate`` prints for the example of ``code``."""
    if code.value not in EXAMPLES:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "my-copy"
        shutil.copytree(bundled, copy)
        EXAMPLES[code.value][1](copy)
        report = validate(copy)
    lines = [p.line() for p in report.problems if p.code is code]
    return lines or None


def validation_page(bundled: Path) -> str:
    """The Markdown of the validation rules page."""
    lines = [
        "# Validation rules",
        "",
        "`aifacts validate` (and `aifacts.load`, which raises `aifacts.ValidationError`) checks "
        "a data package against every rule below and reports **every** problem at once, one "
        "line each: `file:row:field: message`. Rows count as a spreadsheet does (the header is "
        "row 1). Each problem carries a fixed code, shown here; tools may match on it "
        "(`aifacts validate --format json`).",
        "",
        '!!! note "Generated, with real output"',
        "    The codes come from `aifacts.contract.problems.CODE_INFO`. Each example was made "
        "while the "
        "site was built: the edit described was applied to a fresh copy of the bundled "
        "release, and the output is what `aifacts validate` reported for it.",
        "",
        _md.table(
            ("Code", "Problem"),
            [(f"[`{c.value}`](#{c.value})", CODE_INFO[c][0]) for c in Code if c in CODE_INFO],
        ),
        "",
    ]
    for code in Code:
        title, description = CODE_INFO.get(code, (code.value, ""))
        # Titles and descriptions are our own Markdown (they use `code` spans).
        lines += [f"## {title} {{ #{code.value} }}", "", f"Code `{code.value}`. {description}", ""]
        output = example_output(bundled, code)
        if output is None:
            lines += [f"*{MISSING_EXAMPLE}.*", ""]
            continue
        lines += [
            f"**Example.** {EXAMPLES[code.value][0]}",
            "",
            "```console",
            "$ aifacts validate my-copy/",
            *output[:3],
            "```",
            "",
        ]
    return "\n".join(lines)
