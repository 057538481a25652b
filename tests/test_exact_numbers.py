"""Numbers longer than Decimal's default 28 digits are compared and checked exactly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aifacts.contract.problems import Code
from aifacts.text.agreement import quote_disagreement
from aifacts.validation.engine import validate
from tests.packages import read_rows, write_rows

LONG = "1234567890123456789012345.6789"  # 29 significant digits


def long_decimals(max_digits: int = 50) -> st.SearchStrategy[str]:
    """Plain decimals of 20 to ``max_digits`` significant digits, as text."""
    return st.builds(
        lambda digits, point: digits if point == 0 else f"{digits[:-point]}.{digits[-point:]}",
        st.from_regex(rf"[1-9][0-9]{{19,{max_digits - 1}}}", fullmatch=True),
        st.integers(0, 12),
    )


def test_a_29_digit_value_agrees_with_its_quote() -> None:
    for unit, quote in (("billion USD", f"${LONG} billion"), ("USD", f"{LONG} US dollars")):
        assert quote_disagreement(f"revenue of {quote} in 2024", [Decimal(LONG)], unit) is None


@given(long_decimals())
def test_any_long_value_agrees_with_a_quote_stating_it(text: str) -> None:
    assert quote_disagreement(f"revenue of ${text} billion", [Decimal(text)], "billion USD") is None
    assert quote_disagreement(f"revenue of {text} yuan", [Decimal(text)], "CNY") is None


def test_a_long_value_differing_in_its_last_digit_still_disagrees() -> None:
    other = LONG[:-1] + "8"
    why = quote_disagreement(f"${LONG} billion", [Decimal(other)], "billion USD")
    assert why == f"quote states ${LONG} billion; value is {other} billion USD"


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_validation_accepts_a_29_digit_fact_stated_by_its_quote(
    engine: str, package_copy: Path
) -> None:
    if engine == "columnar":
        pytest.importorskip("pyarrow")
    rows = read_rows(package_copy, "facts")
    header = rows[0]
    row = next(r for r in rows if r[0] == "allinai-03")  # 6.513 billion USD
    row[header.index("value")] = LONG
    row[header.index("quote")] = f"with projected revenues of ${LONG} billion in 2024"
    write_rows(package_copy, "facts", rows)
    problems = [p for p in validate(package_copy, engine=engine).problems if p.resource == "facts"]
    assert not [p for p in problems if p.code is Code.QUOTE_VALUE], problems
