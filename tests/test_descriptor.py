"""``datapackage.json`` is checked like data, and JSON is read within bounds.

A descriptor may say only what the readers implement (a UTF-8 CSV with commas, a
header row...), name each resource once, and hold no number too long to read, no
key twice, no nesting deeper than 64. The JSON forms are read within the same
bounds: ``1e999999999`` cost 21 s and 4 GB before it was refused.
"""

from __future__ import annotations

import json
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts import load
from aifacts.contract.problems import Code, clip
from aifacts.errors import ValidationError
from aifacts.io.json_limits import MAX_NUMBER, LongNumber, Repeated, loads
from aifacts.release.diff import diff_packages
from aifacts.validation.engine import validate
from tests.packages import read_rows, write_json_form, write_rows

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

ENGINES = ["rows", "columnar"]
RunCli = Callable[..., tuple[int, str, str]]


def _edit(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _entry(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in data["resources"] if e["name"] == name)


def _index(folder: Path, name: str) -> int:
    data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return [e["name"] for e in data["resources"]].index(name)


def _lines_both(folder: Path) -> list[str]:
    """The report's lines, the same from both engines."""
    rows = validate(folder, engine="rows")
    columnar = validate(folder, engine="columnar")
    assert rows.problems == columnar.problems
    return rows.lines()


# --- properties of a resource -------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        (
            "dialect",
            {"delimiter": ";"},
            "dialect.delimiter: ';' is not read; the package's CSV files use ','",
        ),
        (
            "dialect",
            {"quoteChar": "'"},
            "dialect.quoteChar: \"'\" is not read; the package's CSV files use '\"'",
        ),
        (
            "dialect",
            {"header": False},
            "dialect.header: 'False' is not read; the package's CSV files use True",
        ),
        (
            "dialect",
            {"commentChar": "#"},
            "dialect.commentChar: 'commentChar' is not read; a dialect may set only",
        ),
        ("dialect", ";", "dialect: ';': expected an object"),
        (
            "encoding",
            "latin-1",
            "encoding: 'latin-1' is not read; the package's files are UTF-8 ('utf-8')",
        ),
        ("encoding", "utf-16", "encoding: 'utf-16' is not read"),
        ("format", "xlsx", "format: 'xlsx' is not read; expected 'csv'"),
        ("mediatype", "text/plain", "mediatype: 'text/plain' is not read; expected 'text/csv'"),
        ("scheme", "https", "scheme: 'https' is not read; expected 'file'"),
        ("compression", "gz", "compression: 'gz' is not read; files are not compressed"),
        ("bytes", -1, "bytes: '-1' is not a size; expected a whole number ≥ 0"),
        ("bytes", "12", "bytes: '12' is not a size; expected a whole number ≥ 0"),
        ("bytes", True, "bytes: 'True' is not a size"),
        ("hash", "md5:abc", "hash: 'md5:abc': expected 'sha256:' and 64 hexadecimal digits"),
    ],
)
def test_a_property_the_readers_do_not_implement_is_refused(
    package_copy: Path, prop: str, value: Any, message: str
) -> None:
    _edit(package_copy, lambda d: _entry(d, "facts").__setitem__(prop, value))
    index = _index(package_copy, "facts")
    lines = _lines_both(package_copy)
    assert lines[0].startswith(f"datapackage.json:resources[{index}].{message}")
    assert not any(
        "hash-mismatch" in line or "bytes, datapackage.json says" in line for line in lines
    )


def test_the_dialect_and_encoding_the_readers_implement_are_accepted(package_copy: Path) -> None:
    dialect = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
    _edit(package_copy, lambda d: _entry(d, "facts").update(dialect=dialect, encoding="UTF-8"))
    assert _lines_both(package_copy) == []


def test_two_resources_of_one_name_are_refused(package_copy: Path) -> None:
    def twice(data: dict[str, Any]) -> None:
        _entry(data, "omissions")["name"] = "facts"

    first, second = _index(package_copy, "facts"), _index(package_copy, "omissions")
    _edit(package_copy, twice)
    lines = _lines_both(package_copy)
    assert (
        f"datapackage.json:resources[{second}].name: 'facts' names resources[{first}] too; "
        "each resource has its own name"
    ) in lines


def test_an_unknown_resource_is_refused_not_ignored(package_copy: Path) -> None:
    def extra(data: dict[str, Any]) -> None:
        data["resources"].append({"name": "rates", "path": "rates.csv"})

    _edit(package_copy, extra)
    (package_copy / "rates.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    lines = _lines_both(package_copy)
    assert len(lines) == 1
    assert lines[0].startswith(
        "datapackage.json:resources[10].name: 'rates' is not a resource of this package "
        "(it is refused, not ignored); expected one of: sources, entities"
    )


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ("garbage", "units: 'garbage': expected an object with 'syntax', 'note' and 'definitions'"),
        ({"definitions": "x = 1"}, "units.definitions: 'x = 1': expected an object"),
        (
            {"definitions": ["ok = 2 * meter", 7]},
            "units.definitions[1]: '7': expected one line of text",
        ),
        ({"definitions": ["a\nb"]}, "units.definitions[0]: 'a\\nb': expected one line of text"),
        ({"definitions": [], "extra": 1}, "units.extra: unexpected property"),
    ],
)
def test_units_not_in_the_shape_build_writes_are_refused(
    package_copy: Path, units: Any, message: str
) -> None:
    _edit(package_copy, lambda d: d.__setitem__("units", units))
    assert _lines_both(package_copy)[0].startswith(f"datapackage.json:{message}")


# --- bounds on the descriptor's JSON ------------------------------------------


def test_a_descriptor_nested_100000_deep_is_refused(package_copy: Path, run_cli: RunCli) -> None:
    path = package_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"keywords":', '"deep": ' + "[" * 100_000 + "]" * 100_000 + ', "keywords":', 1)
    )
    code, out, _ = run_cli("validate", str(package_copy))
    assert code == 1
    assert out.startswith(
        "datapackage.json: not valid UTF-8 JSON: arrays and objects nest more than 64 deep\n"
    )
    with pytest.raises(ValidationError):
        load(package_copy)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert loads("[" * 64 + "]" * 64, max_depth=64) is not None
    with pytest.raises(ValueError, match="nest more than 64 deep"):
        loads("[" * 65 + "]" * 65, max_depth=64)
    assert loads('["[[[[", {"a": "]]]]"}]', max_depth=1 + 1) == ["[[[[", {"a": "]]]]"}]


def test_a_5000_digit_size_names_its_place(package_copy: Path, run_cli: RunCli) -> None:
    """It stopped validation with "Exceeds the limit (4300 digits)", exit 2."""
    path = package_copy / "datapackage.json"
    path.write_text(re.sub(r'"bytes": \d+', '"bytes": ' + "1" * 5000, path.read_text(), count=1))
    code, out, _ = run_cli("validate", str(package_copy))
    assert code == 1
    assert out.splitlines()[0] == (
        "datapackage.json:resources[0].bytes: a number of 5000 characters (1111111111…); "
        "at most 100 are read"
    )
    with pytest.raises(ValidationError, match=r"resources\[0\]\.bytes"):
        load(package_copy)
    with pytest.raises(ValidationError, match=r"resources\[0\]\.bytes"):
        diff_packages(package_copy, package_copy)


def test_a_key_twice_in_the_descriptor_is_refused(package_copy: Path) -> None:
    path = package_copy / "datapackage.json"
    path.write_text(
        path.read_text().replace('"name": "aifacts",', '"name": "aifacts", "name": "x",', 1)
    )
    assert _lines_both(package_copy) == [
        "datapackage.json:name: the key appears twice in one object"
    ]
    with pytest.raises(ValidationError, match="appears twice"):
        diff_packages(package_copy, package_copy)


# --- bounds on the data --------------------------------------------------------


def test_a_5000_digit_offset_names_its_file_row_and_field(package_copy: Path) -> None:
    rows = read_rows(package_copy, "omissions")
    rows[1][rows[0].index("offset")] = "9" * 5000
    write_rows(package_copy, "omissions", rows)
    lines = _lines_both(package_copy)
    assert lines == [
        "omissions.csv:2:offset: "
        + clip("9" * 5000, 40)
        + " is 5000 characters long; a number has at most 100"
    ]
    with pytest.raises(ValidationError) as caught:
        load(package_copy)
    assert [(p.file, p.row, p.field, p.code) for p in caught.value.problems] == [
        ("omissions.csv", 2, "offset", Code.TYPE_INTEGER)
    ]
    assert diff_packages(package_copy, package_copy).changes == []  # read as text: no int()


def test_a_long_cell_is_cut_in_a_diff_line(package_copy: Path, bundled: Path) -> None:
    rows = read_rows(package_copy, "omissions")
    rows[1][rows[0].index("note")] = "n" * 5000
    write_rows(package_copy, "omissions", rows)
    [line] = [
        ln
        for ln in diff_packages(bundled, package_copy).lines()
        if "omissions." in ln and "note" in ln
    ]
    assert "(and 4800 more characters)" in line and len(line) < 600


def _json_value(folder: Path, token: str) -> None:
    text = (folder / "facts.json").read_text(encoding="utf-8")
    changed = re.sub(r'"value": [0-9.]+', f'"value": {token}', text, count=1)
    assert changed != text
    write_json_form(folder, "facts", changed.encode("utf-8"))


@pytest.mark.parametrize("token", ["1e999999999", "1e9999999999", "1e999999", "1" * 5000])
def test_a_json_number_too_long_to_write_out_is_refused_unread(
    package_copy: Path, token: str
) -> None:
    _json_value(package_copy, token)
    tracemalloc.start()
    try:
        lines = _lines_both(package_copy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(lines) == 1
    assert lines[0].startswith("facts.json:2:value: cannot be read as facts.csv is (")
    assert "at most 100 are read" in lines[0]
    assert len(lines[0]) < 400  # was a line of a gigabyte
    assert peak < 64 << 20  # bytes kept: the token is never written out (was 4 GB)


def test_a_key_twice_in_a_json_form_is_refused(package_copy: Path) -> None:
    text = (package_copy / "facts.json").read_text(encoding="utf-8")
    write_json_form(
        package_copy, "facts", text.replace('"value": ', '"value": 1, "value": ', 1).encode()
    )
    assert _lines_both(package_copy) == [
        "facts.json:2:value: cannot be read as facts.csv is (the key 'value' appears twice "
        "in the object; once per field); the JSON form is generated from facts.csv: "
        "run `aifacts build`"
    ]


def test_numbers_are_never_converted_past_the_limit() -> None:
    value = loads("[1e999999999, 12.5, " + "7" * 5000 + "]")
    assert isinstance(value[0], LongNumber) and isinstance(value[2], LongNumber)
    assert str(value[1]) == "12.5"
    obj = loads('{"a": 1, "a": 2, "b": 3}')
    assert isinstance(obj, Repeated) and obj.repeated == ("a",) and obj == {"a": 1, "b": 3}


@settings(max_examples=60)
@given(st.integers(1, 400), st.integers(-400, 400))
def test_a_number_is_converted_only_when_short_written_out(digits: int, exponent: int) -> None:
    token = "1" * digits + f"e{exponent}"
    value = loads(f"[{token}]")[0]
    from decimal import Decimal

    written = format(Decimal(token), "f")
    assert isinstance(value, LongNumber) == (len(written) > MAX_NUMBER or len(token) > MAX_NUMBER)


def _frictionless_valid(folder: Path) -> bool:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(folder / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return bool(json.loads(done.stdout)["valid"])


@pytest.mark.parametrize(
    ("change", "frictionless_refuses"),
    [
        (lambda d: _entry(d, "facts").update(dialect={"delimiter": ";"}), True),
        (lambda d: _entry(d, "omissions").update(name="facts"), True),
        (lambda d: _entry(d, "facts").update(path="../facts.csv"), True),
        (lambda d: _entry(d, "facts").update(encoding="latin-1"), False),  # it reads Latin-1
    ],
)
def test_frictionless_refuses_what_it_cannot_honour_and_aifacts_more(
    package_copy: Path, change: Callable[[dict[str, Any]], None], frictionless_refuses: bool
) -> None:
    pytest.importorskip("frictionless", reason="frictionless is in the test extra")
    # what "../facts.csv" names exists, so frictionless refuses the path, not a missing file
    shutil.copy(package_copy / "facts.csv", package_copy.parent / "facts.csv")
    _edit(package_copy, change)
    assert not validate(package_copy, engine="rows").valid
    assert _frictionless_valid(package_copy) is not frictionless_refuses


def test_a_quote_of_thousands_of_digits_is_cut_in_its_message(package_copy: Path) -> None:
    rows = read_rows(package_copy, "facts")
    rows[1][rows[0].index("quote")] = "It was " + "9" * 5000 + " GW"
    write_rows(package_copy, "facts", rows)
    [line] = _lines_both(package_copy)
    assert line.startswith("facts.csv:2:value: quote states 999")
    assert "… (and 4803 more characters); value is"  # the span: 5000 digits and " GW" in line
    assert len(line) < 400
