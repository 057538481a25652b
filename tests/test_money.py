"""Unit and currency conversion: exact, and across currencies only with a stated rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.dataset.money import ConversionError, ExchangeRate, convert, currency_of

DS = aifacts.load()
UREG = aifacts.ureg

# The AI News article states one amount in two currencies:
# "one billion yuan (US$139 million)" (ainews-0729-05 and ainews-0729-02).
IMPLIED = ExchangeRate(
    "CNY",
    "USD",
    Decimal("0.139"),
    date(2025, 7, 29),
    source_id="ainews-china-ai-self-reliance",
    note="implied by one billion yuan = US$139 million",
    fact_ids=("ainews-0729-05", "ainews-0729-02"),
)


def test_compute_units_convert_exactly() -> None:
    # China's "total AI computing capacity of 90 EFLOPS" = 90,000 PFLOPS
    petaflops = DS.fact("deepwater-07").quantity.to("PFLOPS")
    assert petaflops.magnitude == Decimal(90000)
    assert isinstance(petaflops.magnitude, Decimal)


def test_power_converts_to_energy_per_year() -> None:
    # 10 GW for a year of 365.25 days (8766 h) = 87,660 GWh = 87.66 TWh
    energy = DS.fact("deepwater-02").quantity.to("TWh/year")
    assert energy.magnitude == Decimal("87.66")


def test_incompatible_units_are_refused() -> None:
    with pytest.raises(pint.DimensionalityError):
        DS.fact("deepwater-02").quantity.to("EFLOPS")
    with pytest.raises(ConversionError, match="cannot convert"):
        convert(DS.fact("deepwater-02").quantity, "EFLOPS")


def test_currency_needs_a_rate() -> None:
    pledge = DS.fact("deepwater-08").quantity  # "380 billion yuan"
    with pytest.raises(ConversionError, match="needs an exchange rate") as caught:
        convert(pledge, "USD")
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, aifacts.AifactsError)
    with pytest.raises(pint.DimensionalityError):
        pledge.to("USD")  # the registry alone never links currencies


def test_sourced_rate_is_recorded() -> None:
    result = convert(DS.fact("deepwater-08").quantity, "billion USD", IMPLIED)
    assert result.quantity.magnitude == Decimal("52.82")  # 380 × 0.139
    assert result.rate is IMPLIED and result.rate.origin == "sourced"
    text = result.describe()
    assert "380 billion CNY → 52.82 billion USD" in text
    assert "2025-07-29" in text and "ainews-china-ai-self-reliance" in text


def test_rate_is_used_in_either_direction() -> None:
    result = convert(UREG.Quantity(Decimal(139), "million USD"), "billion CNY", IMPLIED)
    assert result.rate is not None and (result.rate.base, result.rate.quote) == ("USD", "CNY")
    assert abs(result.quantity.magnitude - 1) < Decimal("1e-20")


def test_user_given_rate() -> None:
    mine = ExchangeRate("USD", "CNY", "7.2", "2025-01-02", note="my assumption")
    assert mine.origin == "user-given" and mine.rate == Decimal("7.2")
    assert mine.date == date(2025, 1, 2)
    result = convert(UREG.Quantity(Decimal(10), "billion USD"), "billion CNY", mine)
    assert result.quantity.magnitude == 72
    assert "user-given: my assumption" in result.describe()


def test_same_currency_needs_no_rate() -> None:
    result = convert(UREG.Quantity(Decimal("6.513"), "billion USD"), "million USD")
    assert result.quantity.magnitude == Decimal(6513) and result.rate is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("CNY", "XYZ", Decimal(1), date(2025, 1, 1)), "not a currency"),
        (("CNY", "CNY", Decimal(1), date(2025, 1, 1)), "not CNY to itself"),
        (("CNY", "USD", 0.139, date(2025, 1, 1)), "not a float"),
        (("CNY", "USD", Decimal(0), date(2025, 1, 1)), "positive"),
        (("CNY", "USD", Decimal(1), "29 July"), "YYYY-MM-DD"),
        (("CNY", "USD", Decimal(1), None), "needs the date"),
    ],
)
def test_bad_rates_are_refused(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        ExchangeRate(*args)  # type: ignore[arg-type]


def test_rate_for_other_currencies_is_refused() -> None:
    euro = ExchangeRate("EUR", "USD", Decimal("1.1"), date(2025, 1, 1))
    with pytest.raises(ConversionError, match="links EUR and USD, not CNY and USD"):
        convert(DS.fact("deepwater-08").quantity, "USD", euro)


def test_currency_of() -> None:
    assert currency_of("billion CNY") == "CNY"
    assert currency_of("USD / year") == "USD"
    assert currency_of("GW") is None and currency_of("percent") is None


COMPATIBLE = [
    ["FLOPS", "PFLOPS", "EFLOPS", "ZFLOPS", "TFLOPS"],
    ["W", "kW", "MW", "GW"],
    ["USD", "thousand USD", "million USD", "billion USD", "trillion USD"],
    ["percent", "dimensionless"],
    ["household", "thousand household", "million household"],
]
magnitudes = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6
)


@settings(max_examples=200)
@given(
    st.sampled_from(COMPATIBLE).flatmap(lambda g: st.tuples(*[st.sampled_from(g)] * 2)), magnitudes
)
def test_unit_conversion_round_trips_exactly(pair: tuple[str, str], value: Decimal) -> None:
    first, second = pair
    original = UREG.Quantity(value, first)
    back = original.to(second).to(first)
    assert back.magnitude == value


@settings(max_examples=100)
@given(
    magnitudes.filter(lambda d: d != 0),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=4),
)
def test_currency_round_trip_through_one_rate(value: Decimal, rate: Decimal) -> None:
    given_rate = ExchangeRate("CNY", "USD", rate, date(2025, 1, 1), note="test")
    there = convert(UREG.Quantity(value, "million CNY"), "million USD", given_rate)
    back = convert(there.quantity, "million CNY", given_rate)
    assert there.quantity.magnitude == value * rate  # the forward way is exact
    assert abs(back.quantity.magnitude - value) <= abs(value) * Decimal("1e-24")
