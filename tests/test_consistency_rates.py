"""Rule ``rates``: one amount in two currencies implies a dated, sourced exchange rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.consistency import Verdict, check
from aifacts.consistency.rates import implied_rates
from aifacts.dataset.money import convert
from tests.strategies_consistency import dataset, fact, members, positive_decimals

D = Decimal


#: The AI News article: "one billion yuan (US$139 million)".
SHANGHAI_SOURCE = "ainews-china-ai-self-reliance"


def test_shanghai_sentence_implies_a_yuan_dollar_rate() -> None:
    """'one billion yuan (US$139 million)': 1 USD = 1000/139 CNY ≈ 7.194."""
    (rate,) = [r for r in implied_rates(aifacts.load()) if r.source_id == SHANGHAI_SOURCE]
    assert (rate.base, rate.quote) == ("USD", "CNY")
    assert rate.fact_ids == ("ainews-0729-06", "ainews-0729-05")
    assert rate.source_id == "ainews-china-ai-self-reliance"
    assert rate.date == date(2025, 7, 29)
    assert abs(rate.rate - D(1000) / D(139)) < D("1e-20")
    # 0.95 billion / 139.5 million and 1.05 billion / 138.5 million, by hand:
    assert D("6.8100") < rate.interval.low <= Fraction(950) / Fraction("139.5")
    assert Fraction(1050) / Fraction("138.5") <= rate.interval.high < D("7.5813")


def test_the_report_lists_the_rate_with_its_facts_and_source() -> None:
    (finding,) = [
        f for f in aifacts.load().check(("rates",)).findings if f.source_ids == (SHANGHAI_SOURCE,)
    ]
    assert finding.verdict is Verdict.INFO
    assert "1 USD = 7.19424 CNY" in finding.message and "2025-07-29" in finding.message
    assert finding.source_ids == ("ainews-china-ai-self-reliance",)


def test_conversions_can_use_the_sourced_rate() -> None:
    ds = aifacts.load()
    (rate,) = [r for r in ds.exchange_rates() if r.source_id == SHANGHAI_SOURCE]
    alibaba = aifacts.ureg.Quantity(D(380), "billion CNY")
    result = convert(alibaba, "billion USD", rate)
    assert abs(result.quantity.magnitude - D("52.82")) < D("0.01")  # 380 × 139/1000
    assert result.rate is not None and result.rate.source_id == "ainews-china-ai-self-reliance"
    assert "2025-07-29" in result.describe()


def _pair(prefix: str, cny: str, usd: str, source: str, as_of: date | None) -> tuple:
    common = {"source_id": source, "quote": f"{cny} yuan (US${usd} million)", "as_of": as_of}
    return (
        fact(f"{prefix}-cny", cny, unit="million CNY", **common),
        fact(f"{prefix}-usd", usd, unit="million USD", **common),
    )


def test_disagreeing_rates_of_the_same_day_are_inconsistent() -> None:
    day = date(2025, 7, 29)
    facts = (*_pair("a", "1000", "139", "s1", day), *_pair("b", "1000", "100", "s2", day))
    report = check(dataset(*facts), ["rates"])
    (clash,) = [f for f in report.findings if f.verdict is Verdict.INCONSISTENT]
    assert set(clash.source_ids) == {"s1", "s2"}


def test_disagreeing_rates_of_different_days_are_info() -> None:
    facts = (
        *_pair("a", "1000", "139", "s1", date(2025, 7, 29)),
        *_pair("b", "1000", "100", "s2", date(2015, 1, 1)),
    )
    assert check(dataset(*facts), ["rates"]).consistent


def test_two_currencies_in_different_sentences_are_not_a_pair() -> None:
    cny = fact("a", 1000, unit="million CNY", quote="1000 million yuan")
    usd = fact("b", 139, unit="million USD", quote="US$139 million")
    assert implied_rates(dataset(cny, usd)) == []


@settings(max_examples=150)
@given(positive_decimals, positive_decimals, st.data())
def test_a_rate_and_its_inverse_agree(cny: Decimal, usd: Decimal, data: st.DataObject) -> None:
    a, b = _pair("x", str(cny), str(usd), "s1", date(2025, 1, 1))
    (rate,) = implied_rates(dataset(a, b))
    inverse = rate.inverse()
    assert (inverse.base, inverse.quote) == ("CNY", "USD")
    assert abs(rate.rate * inverse.rate - 1) < D("1e-20")
    x = data.draw(members(rate.interval))
    assert Fraction(inverse.interval.low) <= 1 / Fraction(x) <= Fraction(inverse.interval.high)
    assert inverse.inverse().interval.low <= rate.interval.low
    assert rate.interval.high <= inverse.inverse().interval.high


def test_a_conversion_under_a_lower_bound_implies_the_rate_of_its_numbers() -> None:
    """ "China's cloud computing market size crossed 300 billion yuan ($44.46 billion)":
    both facts say "at least", yet the sentence converts 300 into 44.46."""
    (rate,) = [
        r
        for r in implied_rates(aifacts.load())
        if r.source_id == "people-china-compute-second-2022"
    ]
    assert (rate.base, rate.quote, rate.date) == ("USD", "CNY", date(2022, 8, 5))
    # 300 is 299.5 to 300.5 and 44.46 is 44.455 to 44.465, by hand:
    assert Fraction(rate.interval.low) <= Fraction("299.5") / Fraction("44.465")
    assert Fraction(rate.interval.high) >= Fraction("300.5") / Fraction("44.455")
    assert D("6.735") < rate.interval.low and rate.interval.high < D("6.760")


def test_two_ranges_convert_low_into_low_and_high_into_high() -> None:
    """ "100-200 million yuan (US$14-28 million)": 100 → 14 allows [6.86, 7.44], 200 → 28
    allows [7, 7.29]; the rate both allow is [7, 7.29]."""
    common = {"quote": "100-200 million yuan (US$14-28 million)", "qualifier": "range"}
    cny = fact("r-cny", 100, value_high=200, unit="million CNY", **common)
    usd = fact("r-usd", 14, value_high=28, unit="million USD", **common)
    (rate,) = implied_rates(dataset(cny, usd))
    # (each end rounded outwards, never inwards)
    assert D("6.9999") < rate.interval.low <= Fraction("199.5") / Fraction("28.5") == 7
    assert Fraction(rate.interval.high) >= Fraction("200.5") / Fraction("27.5")
    assert rate.interval.high < D("7.2910")


def test_a_range_against_one_number_keeps_what_the_facts_assert() -> None:
    common = {"quote": "100-200 million yuan (about US$21 million)"}
    cny = fact("m-cny", 100, value_high=200, qualifier="range", unit="million CNY", **common)
    usd = fact("m-usd", 21, qualifier="approximately", unit="million USD", **common)
    (rate,) = implied_rates(dataset(cny, usd))
    # [100, 200] / [18.9, 23.1]: from 100/23.1 to 200/18.9
    assert rate.interval.low <= D("4.33") and rate.interval.high >= D("10.58")


def test_disagreeing_rates_with_an_unknown_date_are_info_saying_why() -> None:
    facts = (
        *_pair("a", "1000", "139", "s1", date(2025, 7, 29)),
        *_pair("b", "1000", "100", "s2", None),
    )
    report = check(dataset(*facts), ["rates"])
    assert report.consistent
    (clash,) = [f for f in report.findings if "disagree" in f.message]
    assert clash.verdict is Verdict.INFO and "a date is unknown" in clash.message
