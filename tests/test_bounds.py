"""Integer fields are bounded to what every export format holds exactly: ±(2^53 − 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError as PydanticValidationError

from aifacts.contract.problems import Code
from aifacts.contract.records import Omission
from aifacts.contract.schema import MAX_INTEGER, RESOURCES
from aifacts.io.json_limits import MAX_NUMBER
from aifacts.validation.engine import validate
from tests.packages import read_rows, write_rows

BIG = [str(2**53), str(2**63), str(2**64 + 1), "9" * 5000]


def test_the_bound_is_the_largest_whole_double() -> None:
    assert MAX_INTEGER == 9_007_199_254_740_991
    assert float(MAX_INTEGER) == MAX_INTEGER and float(MAX_INTEGER + 2) != MAX_INTEGER + 2


def test_every_integer_field_is_bounded_in_the_schema_and_the_descriptor(bundled: Path) -> None:
    fields = [f for res in RESOURCES for f in res.fields if f.type == "integer"]
    assert fields, "the contract has integer fields (omissions.offset)"
    for spec in fields:
        assert spec.maximum == MAX_INTEGER and spec.minimum is not None
        assert spec.minimum >= -MAX_INTEGER
    descriptor = json.loads((bundled / "datapackage.json").read_text(encoding="utf-8"))
    offsets = [
        f["constraints"]
        for r in descriptor["resources"]
        for f in r["schema"]["fields"]
        if f["name"] == "offset"
    ]
    assert offsets and all(
        c == {"required": True, "minimum": 0, "maximum": MAX_INTEGER} for c in offsets
    )


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_both_engines_refuse_an_offset_past_the_bound(engine: str, package_copy: Path) -> None:
    if engine == "columnar":
        pytest.importorskip("pyarrow")
    rows = read_rows(package_copy, "omissions")
    column = rows[0].index("offset")
    rows[1][column] = str(MAX_INTEGER)  # the bound itself is fine
    for index, text in enumerate(BIG, start=2):
        rows[index][column] = text
    write_rows(package_copy, "omissions", rows)
    found = [
        (p.row, p.field, p.code)
        for p in validate(package_copy, engine=engine).problems
        if p.resource == "omissions" and p.field == "offset"
    ]
    assert found == [
        (3 + i, "offset", Code.TYPE_INTEGER if len(t) > MAX_NUMBER else Code.OUT_OF_RANGE)
        for i, t in enumerate(BIG)
    ]
    messages = [p.message for p in validate(package_copy, engine=engine).problems]
    assert any(f"less than or equal to {MAX_INTEGER}" in m for m in messages)
    assert any(f"is 5000 characters long; a number has at most {MAX_NUMBER}" in m for m in messages)


def test_a_record_built_in_python_obeys_the_bound() -> None:
    args = {"omission_id": "a", "source_id": "b", "span": "1", "reason": "footnote-mark"}
    assert Omission(**args, offset=MAX_INTEGER).offset == MAX_INTEGER
    with pytest.raises(PydanticValidationError, match="less than or equal to"):
        Omission(**args, offset=MAX_INTEGER + 1)
