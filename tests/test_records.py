"""Records are typed, frozen and strict: bad values are refused, never coerced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pydantic
import pytest

import aifacts
from aifacts import Entity, Fact, Qualifier, Status

GOOD: dict[str, Any] = {
    "fact_id": "x-1",
    "entity_id": "cn",
    "metric_id": "ai-compute-capacity",
    "value": Decimal("90"),
    "unit": "EFLOPS",
    "qualifier": "exact",
    "status": "actual",
    "source_id": "s",
    "locator": "[1]",
    "quote": "China's current total AI computing capacity of 90 EFLOPS",
}


def test_a_good_fact_builds_with_enums_and_a_quantity() -> None:
    fact = Fact(**GOOD)
    assert fact.qualifier is Qualifier.EXACT and fact.status is Status.ACTUAL
    assert fact.quantity == aifacts.ureg.Quantity(Decimal(90), "EFLOPS")
    assert fact.quantity_high is None


def test_records_are_frozen() -> None:
    fact = Fact(**GOOD)
    with pytest.raises(pydantic.ValidationError):
        fact.value = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("value", 90.0),  # a float would be guessed: refused
        ("value", "90"),  # text is not silently parsed
        ("value", True),
        ("value", Decimal("NaN")),
        ("as_of", "2025-07-29"),  # a date must be a date
        ("as_of", 1753747200),
        ("qualifier", "roughly"),
        ("fact_id", "X 1"),
        ("quote", ""),
        ("quote", " padded "),
        ("unexpected", "field"),
    ],
)
def test_bad_values_are_refused_not_coerced(field: str, bad: object) -> None:
    with pytest.raises(pydantic.ValidationError):
        Fact(**{**GOOD, field: bad})


def test_ints_are_exact_numbers() -> None:
    assert Fact(**{**GOOD, "value": 90}).value == Decimal(90)


def test_a_range_needs_a_higher_end() -> None:
    with pytest.raises(pydantic.ValidationError, match="value_high"):
        Fact(**{**GOOD, "qualifier": "range"})
    with pytest.raises(pydantic.ValidationError, match="must exceed"):
        Fact(**{**GOOD, "qualifier": "range", "value_high": Decimal(80)})
    fact = Fact(**{**GOOD, "qualifier": "range", "value_high": Decimal(100)})
    assert fact.quantity_high == aifacts.ureg.Quantity(Decimal(100), "EFLOPS")


def test_period_runs_forwards() -> None:
    with pytest.raises(pydantic.ValidationError, match="period_end"):
        Fact(**{**GOOD, "period_start": date(2027, 1, 1), "period_end": date(2026, 1, 1)})


def test_entity_cannot_be_its_own_parent() -> None:
    with pytest.raises(pydantic.ValidationError, match="own parent"):
        Entity(entity_id="a", name="A", kind="company", parent_id="a")


def test_loaded_records_are_typed() -> None:
    ds = aifacts.load()
    assert ds.facts and all(isinstance(f, Fact) for f in ds.facts)
    assert all(isinstance(f.value, Decimal) for f in ds.facts)
    assert ds.entity("alibaba-cloud").parent_id == "alibaba"
    assert ds.entity("shanghai").country == "cn"
