"""Strict text and numbers in every cell, alike in both engines.

Each case edits a copy of the bundled release, runs ``aifacts validate`` with each
engine, and checks the exit code, the problems (the same in both, in the same
order) and that the message names the character by code point, never raw.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.characters import describe
from aifacts.contract.problems import Code, Problem
from aifacts.contract.records import Fact, Omission
from aifacts.contract.schema import ID_PATTERN, RESOURCES, resource
from aifacts.contract.text_rules import text_problem
from aifacts.validation.engine import validate
from tests.packages import REPO, edit_cell, read_rows, write_rows
from tests.strategies import forbidden_chars, long_texts, texts

Run = Callable[..., tuple[int, str, str]]
BUNDLED = REPO / "datapackage"
#: A row of each resource whose cells the tests edit (its key), and its row number.
KEYS = {
    "sources": "deep-water-ai-race-summary",
    "entities": "cn",
    "metrics": "investment",
    "facts": "deepwater-01",
    "omissions": "deepwater-o01",
}


def _copy(target: Path) -> Path:
    """A copy of the bundled release without its JSON forms, which repeat the CSV (a
    cell edited here would also be reported as a stale JSON form)."""
    import json

    shutil.copytree(BUNDLED, target)
    path = target / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for entry in [e for e in descriptor["resources"] if e["path"].endswith(".json")]:
        descriptor["resources"].remove(entry)
        (target / entry["path"]).unlink()
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    return _copy(tmp_path / "pkg")


def _problems(folder: Path) -> list[Problem]:
    """The problems of both engines, checked identical (same order too)."""
    rows = validate(folder, engine="rows")
    columnar = validate(folder, engine="columnar")
    assert columnar.valid == rows.valid
    assert columnar.problems == rows.problems
    assert columnar.stats == rows.stats
    return list(rows.problems)


def _cli(run_cli: Run, folder: Path) -> tuple[int, str]:
    """``aifacts validate`` with each engine: the same exit code and output; those."""
    outputs = [run_cli("validate", str(folder), "--engine", e) for e in ("rows", "columnar")]
    (code_r, out_r, _), (code_c, out_c, _) = outputs
    assert code_r == code_c
    assert out_r == out_c
    return code_r, out_r


def _one(folder: Path, name: str, column: str, text: str) -> tuple[int, list[Problem]]:
    row = edit_cell(folder, name, KEYS[name], column, text)
    return row, _problems(folder)


# --- whole-cell numbers, integers and dates -------------------------------------------


@pytest.mark.parametrize(
    ("name", "column", "text", "code"),
    [
        ("facts", "value", "100\n", Code.TYPE_NUMBER),
        ("facts", "value", "100\t", Code.TYPE_NUMBER),
        ("facts", "value", " 100", Code.TYPE_NUMBER),
        ("facts", "value_high", "200\n", Code.TYPE_NUMBER),
        ("omissions", "offset", "0\n", Code.TYPE_INTEGER),
        ("omissions", "offset", "0 ", Code.TYPE_INTEGER),
        ("facts", "as_of", "2025-07-29\n", Code.TYPE_DATE),
    ],
)
def test_a_trailing_newline_is_not_part_of_a_number(
    package_copy: Path, run_cli: Run, name: str, column: str, text: str, code: Code
) -> None:
    row, problems = _one(package_copy, name, column, text)
    mine = [p for p in problems if (p.resource, p.row, p.field) == (name, row, column)]
    assert [p.code for p in mine] == [code]
    assert repr(text) in mine[0].message  # the cell, escaped
    code, out = _cli(run_cli, package_copy)
    assert code == 1
    assert any(line.startswith(f"{name}.csv:{row}:{column}: ") for line in out.splitlines())
    assert "\t" not in out


def test_whole_numbers_still_pass(package_copy: Path, run_cli: Run) -> None:
    edit_cell(package_copy, "omissions", KEYS["omissions"], "offset", "0")
    edit_cell(package_copy, "facts", KEYS["facts"], "value", "100")
    assert _problems(package_copy) == []
    assert _cli(run_cli, package_copy) == (0, "")


# --- forbidden characters in every resource --------------------------------------------

#: One character of every class the text rule refuses, with the code it gets.
SAMPLES = {
    "\x07": Code.CONTROL_CHARACTER,  # C0
    "\x7f": Code.CONTROL_CHARACTER,  # DEL
    "\x9b": Code.CONTROL_CHARACTER,  # C1: a terminal's escape sequence introducer
    "\u202e": Code.TEXT_FORBIDDEN_CHAR,  # bidi override
    "\u2067": Code.TEXT_FORBIDDEN_CHAR,  # bidi isolate
    "\u200f": Code.TEXT_FORBIDDEN_CHAR,  # bidi mark
    "\u061c": Code.TEXT_FORBIDDEN_CHAR,  # ARABIC LETTER MARK
    "\u200b": Code.TEXT_FORBIDDEN_CHAR,  # zero width space
    "\u2060": Code.TEXT_FORBIDDEN_CHAR,  # word joiner
    "\ufeff": Code.TEXT_FORBIDDEN_CHAR,  # a BOM inside text
    "\ufdd0": Code.TEXT_FORBIDDEN_CHAR,  # noncharacter
    "\uffff": Code.TEXT_FORBIDDEN_CHAR,  # noncharacter
    "\U0010fffe": Code.TEXT_FORBIDDEN_CHAR,  # noncharacter beyond the BMP
}

#: A sample of text fields of every resource (single-line and multi-line).
FIELDS = [
    ("sources", "title"),
    ("sources", "publisher"),
    ("sources", "note"),
    ("entities", "name"),
    ("entities", "name_zh"),
    ("entities", "note"),
    ("metrics", "label"),
    ("metrics", "description"),
    ("metrics", "unit"),
    ("facts", "unit"),
    ("facts", "locator"),
    ("facts", "quote"),
    ("facts", "quote_en"),
    ("facts", "note"),
    ("omissions", "span"),
    ("omissions", "note"),
]


def _cases() -> list[tuple[str, str, str]]:
    """Each field with three of the characters, so every class meets several resources."""
    chars = list(SAMPLES)
    return [
        (name, column, chars[(i * 3 + k) % len(chars)])
        for i, (name, column) in enumerate(FIELDS)
        for k in range(3)
    ]


@pytest.mark.parametrize(("name", "column", "char"), _cases())
def test_every_forbidden_class_is_refused_in_every_resource(
    package_copy: Path, run_cli: Run, name: str, column: str, char: str
) -> None:
    rows = read_rows(package_copy, name)
    index = next(i for i, r in enumerate(rows) if r[0] == KEYS[name])
    before = rows[index][rows[0].index(column)] or "text"
    row, problems = _one(package_copy, name, column, before[:2] + char + before[2:])
    assert [(p.row, p.field, p.code) for p in problems] == [(row, column, SAMPLES[char])]
    assert problems[0].message == f"text holds {describe(char)} at position 2"
    code, out = _cli(run_cli, package_copy)
    assert code == 1
    assert f"{name}.csv:{row}:{column}: text holds {describe(char)} at position 2" in out
    assert char not in out  # never printed raw


def test_every_class_and_resource_is_sampled() -> None:
    cases = _cases()
    assert {char for _, _, char in cases} == set(SAMPLES)
    assert {name for name, _, _ in cases} == {res.name for res in RESOURCES}


def test_the_message_names_the_character_by_code_point_and_name() -> None:
    found = text_problem("billion \u202eUSD", multiline=False)
    assert found == (
        Code.TEXT_FORBIDDEN_CHAR,
        "text holds U+202E RIGHT-TO-LEFT OVERRIDE at position 8",
    )
    assert describe("\x9b") == "U+009B CONTROL SEQUENCE INTRODUCER"
    assert describe("\ufffe") == "U+FFFE (a noncharacter)"
    assert describe("\ud800") == "U+D800 (a lone surrogate)"


@pytest.mark.parametrize(
    ("name", "column", "allowed"),
    [
        ("facts", "quote", True),
        ("facts", "note", True),
        ("metrics", "description", True),
        ("omissions", "span", True),
        ("facts", "locator", False),
        ("entities", "name", False),
        ("sources", "title", False),
    ],
)
@pytest.mark.parametrize("char", ["\t", "\n"])
def test_tabs_and_newlines_only_in_multiline_fields(
    package_copy: Path, name: str, column: str, allowed: bool, char: str
) -> None:
    assert resource(name).get(column).multiline is allowed
    rows = read_rows(package_copy, name)
    index = next(i for i, r in enumerate(rows) if r[0] == KEYS[name])
    cell = rows[index][rows[0].index(column)]
    row, problems = _one(package_copy, name, column, cell[:1] + char + cell[1:])
    if allowed:
        assert problems == []
    else:
        assert [(p.row, p.field, p.code) for p in problems] == [
            (row, column, Code.CONTROL_CHARACTER)
        ]
        assert "this field is one line" in problems[0].message


#: The fields a fact record needs, with plain values.
MINIMAL_FACT: dict[str, object] = dict(
    fact_id="f",
    entity_id="e",
    metric_id="m",
    value=1,
    unit="USD",
    qualifier="exact",
    status="actual",
    source_id="s",
    locator="[1]",
    quote="1 dollar",
)


def test_every_text_field_of_the_records_follows_the_schema() -> None:
    """A record refuses a line feed exactly in the fields the schema keeps to one line."""
    from pydantic import ValidationError

    from aifacts.io.reading import RECORD_TYPES
    from tests.strategies import RECORDS

    examples = {
        "sources": dict(source_id="s", title="T", language="en", kind="news"),
        "entities": dict(entity_id="e", name="N", kind="country"),
        "metrics": dict(metric_id="m", label="L", description="D", unit="USD", kind="flow"),
        "facts": MINIMAL_FACT,
        "omissions": dict(
            omission_id="o", source_id="s", offset=0, span="1", reason="footnote-mark"
        ),
    }
    assert set(examples) == set(RECORDS)
    for res in RESOURCES:
        model = RECORD_TYPES[res.name]
        model.model_validate(examples[res.name])
        for spec in res.fields:
            if spec.type != "string" or spec.enum is not None or spec.pattern is not None:
                continue
            data = {**examples[res.name], spec.name: "a\nb"}
            try:
                model.model_validate(data)
                refused = False
            except ValidationError:
                refused = True
            assert refused is not spec.multiline, (res.name, spec.name)


def test_a_lone_surrogate_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="U\\+DC80 \\(a lone surrogate\\)"):
        Omission(omission_id="o", source_id="s", offset=0, span="1\udc80", reason="list-label")


def test_a_lone_surrogate_in_a_json_form_is_refused() -> None:
    from aifacts.io.reading import read_json

    data = (
        b'[{"omission_id": "o", "source_id": "s", "offset": 0, "span": "1\\udc80", '
        b'"reason": "list-label", "note": null}]'
    )
    table = read_json(resource("omissions"), "omissions.json", data)
    assert [(p.row, p.field, p.code) for p in table.problems] == [
        (2, "span", Code.TEXT_FORBIDDEN_CHAR)
    ]
    assert table.rows == []


def test_bilingual_punctuation_and_spaces_pass(package_copy: Path) -> None:
    text = "中国 – “AI” 竞赛，全角（１００）。 no\u00a0break\u3000ideographic ‘quote’ … —"
    edit_cell(package_copy, "facts", KEYS["facts"], "note", text)
    edit_cell(package_copy, "entities", KEYS["entities"], "name_zh", "中华人民共和国")
    edit_cell(package_copy, "sources", KEYS["sources"], "title", text)
    assert _problems(package_copy) == []


def test_the_bundled_release_holds_no_forbidden_character() -> None:
    for res in RESOURCES:
        rows = read_rows(BUNDLED, res.name)
        for row in rows[1:]:
            for spec, cell in zip(res.fields, row, strict=True):
                assert text_problem(cell, multiline=spec.multiline) is None, (res.name, row[0])


# --- units ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "code", "named"),
    [
        ("billion \u202eUSD", Code.TEXT_FORBIDDEN_CHAR, "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("billion\u200bUSD", Code.TEXT_FORBIDDEN_CHAR, "U+200B ZERO WIDTH SPACE"),
        ("billion\u00a0USD", Code.UNIT_UNKNOWN, "U+00A0 NO-BREAK SPACE"),
        ("billion\u202fUSD", Code.UNIT_UNKNOWN, "U+202F NARROW NO-BREAK SPACE"),
        ("billion ＵＳＤ", Code.UNIT_UNKNOWN, "U+FF35 FULLWIDTH LATIN CAPITAL LETTER U"),
        ("billion USD\u2060", Code.TEXT_FORBIDDEN_CHAR, "U+2060 WORD JOINER"),
        ("百万 USD", Code.UNIT_UNKNOWN, "U+767E CJK UNIFIED IDEOGRAPH-767E"),
    ],
)
def test_a_unit_is_plain_text_before_pint_sees_it(
    package_copy: Path,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    unit: str,
    code: Code,
    named: str,
) -> None:
    from aifacts.contract import units
    from aifacts.validation import cross_rules as checks
    from aifacts.validation.columnar import rules

    seen: list[str] = []
    real = units.parse_unit

    def spy(text: str) -> object:
        seen.append(text)
        return real(text)

    for module in (checks, rules):
        monkeypatch.setattr(module, "parse_unit", spy)
    row, problems = _one(package_copy, "facts", "unit", unit)
    assert [(p.row, p.field, p.code) for p in problems] == [(row, "unit", code)]
    assert named in problems[0].message
    assert all(text.isascii() for text in seen), seen
    assert _cli(run_cli, package_copy)[0] == 1


def test_the_registry_defines_only_ascii_names() -> None:
    """The unit rule admits ASCII only: a non-ASCII name here would need it widened."""
    from aifacts.contract.units import UNIT_DEFINITIONS

    assert all(line.isascii() for line in UNIT_DEFINITIONS)


# --- printing ---------------------------------------------------------------------------


def test_show_escapes_what_it_prints() -> None:
    from aifacts.cli.commands.browse import render_fact

    fact = {
        "fact_id": "f",
        "status": "actual",
        "period_start": None,
        "period_end": None,
        "as_of": None,
        "locator": "[1]",
        "quote": "a\x9b[2Jquote \u202eevil",
        "quote_en": None,
        "note": "line one\nline two \ufeff",
    }
    info = {
        "fact": fact,
        "value": "100 USD",
        "entity": {"entity_id": "e", "name": "E\x1b[31m"},
        "metric": {"metric_id": "m", "label": "L", "unit": "USD"},
        "related_entity": None,
        "source": {
            "source_id": "s",
            "title": "T",
            "title_en": None,
            "publisher": None,
            "published": None,
            "url": None,
        },
        "source_origin": None,
        "part_of": None,
        "parts": [],
        "supersedes": None,
        "superseded_by": [],
    }
    text = render_fact(info)
    for raw in ("\x9b", "\u202e", "\ufeff", "\x1b"):
        assert raw not in text
    assert "a\\x9b[2Jquote \\u202eevil" in text
    assert "E\\x1b[31m" in text
    assert "line one\nline two \\ufeff" in text  # the line feed of a note is kept


def test_show_on_invalid_data_prints_nothing_raw(package_copy: Path, run_cli: Run) -> None:
    edit_cell(package_copy, "facts", KEYS["facts"], "note", "evil \x9b[2J note")
    code, out, err = run_cli("show", KEYS["facts"], "--package", str(package_copy))
    assert code == 1
    assert "\x9b" not in out + err
    assert "U+009B CONTROL SEQUENCE INTRODUCER" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_lists_escape_or_json_escape_the_data(
    fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from aifacts.cli.commands.browse import ListFormat, emit

    cell = "a\x9b\u202eb"
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    emit(["x"], [[cell]], ListFormat(fmt), records=[{"x": cell}])
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\u202e" not in out
    if fmt == "json":
        assert json.loads(out) == [{"x": cell}]  # the same data, escaped
    else:
        assert "a\\x9b\\u202eb" in out


def test_a_problem_line_never_holds_a_raw_character() -> None:
    problem = Problem("facts", "facts.csv", 2, "note", Code.PATTERN, "got 'a\x9b' \u202e")
    assert problem.line() == "facts.csv:2:note: got 'a\\x9b' \\u202e"


def test_a_noncharacter_in_a_note_never_reaches_an_export(package_copy: Path, run_cli: Run) -> None:
    row, problems = _one(package_copy, "facts", "note", "a note \uffff")
    assert [(p.row, p.code) for p in problems] == [(row, Code.TEXT_FORBIDDEN_CHAR)]
    out = package_copy.parent / "out.xlsx"
    code, _, err = run_cli("export", str(out), "--format", "xlsx", "--package", str(package_copy))
    assert code == 1
    assert not out.exists()
    assert "U+FFFF" in err


# --- properties --------------------------------------------------------------------------

#: Text fields a test may fill freely: no key, reference, vocabulary or format, and not
#: the quote (its numbers are checked against the value) nor the unit.
_FREE = [
    (res.name, spec.name)
    for res in RESOURCES
    for spec in res.fields
    if spec.type == "string"
    and spec.enum is None
    and spec.pattern is None
    and not spec.unit
    and spec.name not in ("quote", "unit", "span")
]
#: Every text field but keys and references (a bad key would break other rows' links).
_TEXT = [
    (res.name, spec.name)
    for res in RESOURCES
    for spec in res.fields
    if spec.type == "string" and spec.enum is None and spec.pattern != ID_PATTERN
]


@settings(max_examples=40)
@given(data=st.data(), where=st.sampled_from(_TEXT))
def test_any_forbidden_character_anywhere_is_refused_alike(
    data: st.DataObject, where: tuple[str, str]
) -> None:
    name, column = where
    multiline = resource(name).get(column).multiline
    char = data.draw(forbidden_chars(multiline=multiline), label="char")
    with tempfile.TemporaryDirectory() as tmp:
        folder = _copy(Path(tmp) / "pkg")
        rows = read_rows(folder, name)
        index = data.draw(st.integers(1, len(rows) - 1), label="row")
        col = rows[0].index(column)
        cell = rows[index][col] or data.draw(texts, label="text")
        at = data.draw(st.integers(0, len(cell)), label="at")
        rows[index][col] = cell[:at] + char + cell[at:]
        write_rows(folder, name, rows)
        problems = _problems(folder)
    assert [(p.resource, p.row, p.field) for p in problems] == [(name, index + 1, column)]
    ends = at in (0, len(cell))
    if char.isspace() and ends:
        assert problems[0].code is Code.WHITESPACE  # stray whitespace is said first
    else:
        expected = Code.CONTROL_CHARACTER if unicodedata.category(char) == "Cc" else None
        assert problems[0].code is (expected or Code.TEXT_FORBIDDEN_CHAR)
        assert f"U+{ord(char):04X}" in problems[0].message


@settings(max_examples=30)
@given(data=st.data(), where=st.sampled_from(_FREE))
def test_any_clean_text_is_accepted_alike(data: st.DataObject, where: tuple[str, str]) -> None:
    name, column = where
    multiline = resource(name).get(column).multiline
    text = data.draw(long_texts if multiline else texts, label="text")
    with tempfile.TemporaryDirectory() as tmp:
        folder = _copy(Path(tmp) / "pkg")
        rows = read_rows(folder, name)
        index = data.draw(st.integers(1, len(rows) - 1), label="row")
        rows[index][rows[0].index(column)] = text
        write_rows(folder, name, rows)
        assert _problems(folder) == []


def test_a_fact_built_in_python_obeys_the_same_rule() -> None:
    from decimal import Decimal

    from pydantic import ValidationError

    base = {**MINIMAL_FACT, "value": Decimal(1)}
    Fact.model_validate(base)
    with pytest.raises(ValidationError, match="U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        Fact.model_validate({**base, "unit": "billion \u202eUSD"})
    with pytest.raises(ValidationError, match="U\\+00A0 NO-BREAK SPACE"):
        Fact.model_validate({**base, "unit": "billion\u00a0USD"})


@pytest.mark.parametrize("multiline", [True, False])
def test_the_re2_and_python_classes_agree_on_every_code_point(multiline: bool) -> None:
    """The columnar engine's RE2 class and the row engine's pattern, generated from one
    list of ranges, pick exactly the same characters (surrogates aside: UTF-8, and so
    Arrow, cannot hold one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from aifacts.contract.characters import first_forbidden, re2_class

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    by_re2 = pc.match_substring_regex(pa.array(chars), re2_class(multiline=multiline))
    by_re = [first_forbidden(c, multiline=multiline) is not None for c in chars]
    assert by_re2.to_pylist() == by_re
    # C0 (9 + 21), DEL and C1 (33), U+061C, zero-width (3 + 5 + 1), bidi marks (2),
    # overrides (5), isolates (4), U+FDD0-FDEF (32), two per plane (34); tab and LF.
    counted = 9 + 21 + 33 + 1 + 3 + 5 + 1 + 2 + 5 + 4 + 32 + 34
    assert sum(by_re) == counted + (0 if multiline else 2)


def test_a_lone_surrogate_in_a_declared_json_form_is_reported_alike(tmp_path: Path) -> None:
    from tests.packages import write_json_form

    folder = shutil.copytree(BUNDLED, tmp_path / "pkg")
    data = (folder / "omissions.json").read_bytes()
    at = data.index(b'"span": "') + len(b'"span": "')
    write_json_form(folder, "omissions", data[:at] + b"\\udc80" + data[at:])
    problems = _problems(folder)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("omissions.json", 2, "span", Code.JSON_MISMATCH)
    ]
    assert "U+DC80 (a lone surrogate) at position 0" in problems[0].message
