"""What a fact asserts: the interval rule, and interval arithmetic that is sound."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.contract.intervals import (
    INFINITY,
    Interval,
    convert_interval,
    fact_interval,
    interval_sum,
    resolution,
)
from aifacts.contract.vocab import MetricKind
from tests.strategies_consistency import fact, intervals, members, positive_decimals

D = Decimal


@pytest.mark.parametrize(
    ("written", "half"),
    [
        ("6.513", "0.0005"),  # "$6.513 billion": last digit is the thousandth
        ("80", "0.5"),  # "$80 billion": trailing zero counts
        ("600", "0.5"),  # "600 million yuan"
        ("139", "0.5"),  # "US$139 million"
        ("1", "0.05"),  # "one billion yuan": one digit read as two (1.0)
        ("0.1", "0.005"),  # "1/10th" as 0.1: read as 0.10
        ("1.39", "0.005"),  # "1.39亿"
    ],
)
def test_resolution_is_half_a_unit_of_the_last_written_digit(written: str, half: str) -> None:
    assert resolution(D(written)) == D(half)


def test_exact_is_rounding_of_the_last_digit() -> None:
    """'6.513 billion' is tighter than '80 billion'."""
    tight = fact_interval(fact("a", "6.513", unit="billion USD"), MetricKind.FLOW)
    loose = fact_interval(fact("b", "80", unit="billion USD"), MetricKind.FLOW)
    assert tight == Interval(D("6.5125"), D("6.5135"))
    assert loose == Interval(D("79.5"), D("80.5"))


def test_approximately_is_not_exactly() -> None:
    """'approximately 65%' → 65 ± 10 % of 65 = [58.5, 71.5]; exact 65 → [64.5, 65.5]."""
    approx = fact_interval(fact("a", 65, unit="percent", qualifier="approximately"))
    exact = fact_interval(fact("b", 65, unit="percent"))
    assert approx == Interval(D("58.5"), D("71.5"))
    assert exact == Interval(D("64.5"), D("65.5"))


def test_approximately_never_tighter_than_the_rounding() -> None:
    """'about 0.1' with one written digit: 10 % is 0.01 but rounding allows ±0.005 → 0.01 wins."""
    assert fact_interval(fact("a", "0.1", qualifier="approximately")) == Interval(
        D("0.09"), D("0.11")
    )


def test_bounds_are_taken_as_written() -> None:
    over = fact_interval(fact("a", 400, unit="billion USD", qualifier="at_least"), MetricKind.FLOW)
    up_to = fact_interval(fact("b", 100, unit="billion USD", qualifier="at_most"), MetricKind.FLOW)
    between = fact_interval(
        fact("c", 3, unit="year", qualifier="range", value_high=5), MetricKind.DURATION
    )
    assert over == Interval(D(400), INFINITY)
    assert str(over) == "[400, ∞)"
    assert up_to == Interval(D(0), D(100))
    assert between == Interval(D(3), D(5))


def test_at_most_of_a_signed_metric_is_unbounded_below() -> None:
    growth = fact_interval(
        fact("a", 2, unit="dimensionless", qualifier="at_most"), MetricKind.GROWTH
    )
    assert growth == Interval(-INFINITY, D(2))


def test_a_share_stops_at_one_hundred_percent() -> None:
    """'over 80% awareness' → [80, 100] percent, not [80, ∞)."""
    share = fact_interval(fact("a", 80, unit="percent", qualifier="at_least"), MetricKind.SHARE)
    assert share == Interval(D(80), D(100))


def test_converting_keeps_the_interval() -> None:
    interval = Interval(D("599.5"), D("600.5"))
    assert convert_interval(interval, "million CNY", "billion CNY") == Interval(
        D("0.5995"), D("0.6005")
    )
    assert convert_interval(Interval.at_least(D(80)), "percent", "dimensionless") == Interval(
        D("0.8"), INFINITY
    )


def test_division_by_an_interval_touching_zero_is_unbounded() -> None:
    """China ≤ 0.1 × US with China ≈ 90 means US ≥ 895: [89.5, 90.5] / [0, 0.1]."""
    us = Interval(D("89.5"), D("90.5")) / Interval(D(0), D("0.1"))
    assert us == Interval(D(895), INFINITY)


def _exact(d: Decimal) -> Fraction:
    return Fraction(d)


@settings(max_examples=200)
@given(st.lists(intervals(bounded=True), min_size=1, max_size=6), st.data())
def test_sum_contains_every_true_sum(parts: list[Interval], data: st.DataObject) -> None:
    """Soundness: any values drawn from the parts sum to a value in the computed interval."""
    total = interval_sum(parts)
    drawn = [data.draw(members(p)) for p in parts]
    true = sum((_exact(x) for x in drawn), Fraction(0))
    assert _exact(total.low) <= true <= _exact(total.high)


@settings(max_examples=200)
@given(intervals(bounded=True), intervals(bounded=True), st.data())
def test_product_and_quotient_contain_every_true_result(
    a: Interval, b: Interval, data: st.DataObject
) -> None:
    x, y = data.draw(members(a)), data.draw(members(b))
    product = a * b
    assert _exact(product.low) <= _exact(x) * _exact(y) <= _exact(product.high)
    if y != 0:
        quotient = a / b
        q = _exact(x) / _exact(y)
        assert quotient.low == -INFINITY or _exact(quotient.low) <= q
        assert quotient.high == INFINITY or q <= _exact(quotient.high)


@settings(max_examples=200)
@given(intervals())
def test_infinite_ends_survive_addition(a: Interval) -> None:
    total = a + Interval.point(D(1))
    assert total.low.is_infinite() == a.low.is_infinite()
    assert total.high.is_infinite() == a.high.is_infinite()


@settings(max_examples=200)
@given(positive_decimals, st.integers(min_value=-6, max_value=6))
def test_interval_does_not_depend_on_the_unit_written(value: Decimal, shift: int) -> None:
    """One number written in another scale ('600 million' = '0.600 billion') asserts the same."""
    prefixes = {-6: "", -3: "thousand", 0: "million", 3: "billion", 6: "trillion"}
    shift = shift // 3 * 3
    base = fact("a", value, unit="million USD")
    other = fact("b", value.scaleb(-shift), unit=f"{prefixes[shift]} USD".strip())
    assert convert_interval(fact_interval(other), other.unit, "USD") == convert_interval(
        fact_interval(base), base.unit, "USD"
    )


@settings(max_examples=200)
@given(intervals(bounded=True).filter(lambda i: i.low > 0), st.data())
def test_reciprocal_contains_every_inverse(a: Interval, data: st.DataObject) -> None:
    x = data.draw(members(a))
    inverse = a.reciprocal()
    assert _exact(inverse.low) <= 1 / _exact(x) <= _exact(inverse.high)


def test_an_empty_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="empty interval"):
        Interval(D(2), D(1))
