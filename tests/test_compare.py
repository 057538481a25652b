"""Comparisons line up facts of one metric for several entities, in one unit."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import aifacts
from aifacts.answers.compare import compare
from aifacts.dataset.money import ConversionError, ExchangeRate
from aifacts.errors import UnknownIdError

DS = aifacts.load()


def test_awareness_cn_vs_us_keeps_the_qualifier() -> None:
    # "over 80% awareness, compared to 62% in the US"
    table = DS.compare("ai-awareness", ["cn", "us"])
    assert table.unit == "percent"
    assert [(r.entity_id, r.text) for r in table.rows] == [("cn", "≥ 80 %"), ("us", "62 %")]
    assert table.missing == ()


def test_compute_by_country_in_one_unit() -> None:
    # Stargate "targeting a computational power goal that matches China's current
    # total AI computing capacity of 90 EFLOPS"
    table = DS.compare("ai-compute-capacity", ["cn", "us"], by_country=True, unit="PFLOPS")
    cn, us = table.for_entity("cn"), table.for_entity("us")
    assert [(r.value, r.unit, r.fact.status.value) for r in cn] == [
        (Decimal(90000), "PFLOPS", "actual")
    ]
    assert [(r.entity_name, r.text, r.stated) for r in us] == [
        ("Stargate (OpenAI)", "90000 PFLOPS", "90 EFLOPS")
    ]
    assert "target" in str(table) and "PFLOPS" in str(table)


#: The sources of the five documents of the first release, whose facts these tests read.
SEEDS = (
    "deep-water-ai-race-summary",
    "chips-ai-race-lesson-summary",
    "all-in-ai-tech-giants-summary",
    "ainews-china-ai-self-reliance",
    "ainews-china-ai-self-reliance-aggregator-summary",
    "rui-post-us-china-ai-gap",
)
SEED_DS = dataclasses.replace(DS, facts=tuple(f for f in DS.facts if f.source_id in SEEDS))


def test_without_by_country_an_entity_has_only_its_own_facts() -> None:
    table = compare(DS, "ai-compute-capacity", ["cn", "us"])
    assert table.missing == ("us",)
    assert "us: no fact" in str(table)


def test_other_currency_is_shown_as_stated_without_a_rate() -> None:
    table = SEED_DS.compare("ai-infrastructure-investment", ["cn", "us"], by_country=True)
    assert table.unit == "billion USD"
    (alibaba,) = table.for_entity("cn")  # "an investment of 380 billion yuan"
    assert not alibaba.converted and alibaba.text == "380 billion CNY"
    assert "exchange rate" in (alibaba.note or "")
    (microsoft,) = table.for_entity("us")  # "an $80 billion investment ... in 2025"
    assert microsoft.converted and microsoft.text == "80 billion USD"
    assert microsoft.record()["period"] == "2025"


def test_other_currency_with_a_rate_records_it() -> None:
    rate = ExchangeRate("USD", "CNY", Decimal("7.2"), date(2025, 7, 29), note="assumed")
    table = SEED_DS.compare(
        "ai-infrastructure-investment", ["cn", "us"], by_country=True, rates=(rate,)
    )
    assert table.unit == "billion USD"
    (alibaba,) = table.for_entity("cn")
    assert alibaba.converted and alibaba.rate is not None
    assert alibaba.value * Decimal("7.2") == pytest.approx(Decimal(380))
    assert "1 CNY =" in alibaba.record()["rate"] and "assumed" in alibaba.record()["rate"]


def test_ranges_convert_both_ends() -> None:
    # "subsidies covering 10% to 100% of contract values" (ainews-0729-11)
    table = DS.compare("subsidy-rate", ["shanghai"], unit="dimensionless")
    (row,) = table.rows
    assert (row.value, row.value_high) == (Decimal("0.1"), Decimal(1))
    assert row.text == "0.1–1"


def test_errors() -> None:
    with pytest.raises(UnknownIdError, match="ai-awareness"):
        DS.compare("ai-awarenes", ["cn"])
    with pytest.raises(UnknownIdError, match="did you mean"):
        DS.compare("ai-awareness", ["cn", "usa"])
    with pytest.raises(ConversionError, match="a power"):
        DS.compare("ai-compute-capacity", ["cn"], unit="GW")


def test_as_of_and_status_filters() -> None:
    assert DS.compare("ai-awareness", ["cn"], as_of="2025-01-01").rows == ()
    assert DS.compare("ai-compute-capacity", ["us"], by_country=True, status="actual").rows == ()


def test_a_ratio_and_a_share_give_the_us_a_derived_lower_bound() -> None:
    # rui-post-03 "Its AI computing capacity is under 1/10th of the U.S." with
    # deepwater-07 China's "90 EFLOPS" (read as [89.5, 90.5]): US ≥ 89.5 / 0.1 = 895.
    # rui-post-01 "The U.S. holds 90%" ([0.895, 0.905]): China ≤ 0.105/0.895 of the US,
    # so US ≥ 89.5 × 0.895 / 0.105 = 762.88...
    table = DS.compare("ai-compute-capacity", ["cn", "us"])
    assert table.missing == ("us",)
    derived = {d.fact_ids: d for d in table.derived_for("us")}
    ratio = derived[("rui-post-03", "deepwater-07")]
    assert (ratio.interval.low, ratio.interval.high.is_infinite()) == (Decimal(895), True)
    assert ratio.text == "at least 895 EFLOPS" and ratio.entity_name == "United States"
    share = derived[("rui-post-01", "deepwater-07")]
    assert share.interval.low == pytest.approx(
        Decimal("89.5") * Decimal("0.895") / Decimal("0.105")
    )
    assert table.derived_for("cn") == ()
    kinds = [(r["entity"], r["kind"]) for r in table.records()]
    assert kinds == [("cn", "stated"), ("us", "derived"), ("us", "derived")]


def test_derived_bounds_follow_the_filters() -> None:
    # The ratio and the share are actual figures: keeping targets only leaves none.
    assert DS.compare("ai-compute-capacity", ["us"], status="target").derived == ()
    assert DS.compare("ai-compute-capacity", ["us"], unit="PFLOPS").derived_for("us")[0].unit == (
        "PFLOPS"
    )


def test_a_target_beside_an_actual_is_a_caveat() -> None:
    table = DS.compare("ai-compute-capacity", ["cn", "us"], by_country=True)
    assert table.caveats == (
        "statuses differ (actual: deepwater-07; target: deepwater-06): a target or pledge is "
        "not an actual figure",
    )


def test_implied_rates_are_offered_then_used_and_marked_derived() -> None:
    table = SEED_DS.compare("ai-infrastructure-investment", ["cn", "us"], by_country=True)
    # "one billion yuan (US$139 million)", among the rates the data implies
    (offered,) = [r for r in table.offered if r.fact_ids == ("ainews-0729-06", "ainews-0729-05")]
    assert (offered.base, offered.quote) == ("USD", "CNY")
    assert offered.fact_ids == ("ainews-0729-06", "ainews-0729-05")
    assert any("deepwater-08: no period" in c and "deepwater-09" in c for c in table.caveats)
    assert any(
        c.startswith("periods differ (no period: deepwater-08; 2025: rui-post-02")
        for c in table.caveats
    )
    used = SEED_DS.compare(
        "ai-infrastructure-investment",
        ["cn"],
        by_country=True,
        unit="billion USD",
        rates="implied",
    )
    (alibaba,) = used.rows
    assert alibaba.converted and alibaba.derived and alibaba.rate is not None
    assert alibaba.rate.fact_ids == ("ainews-0729-06", "ainews-0729-05")
    # 380 billion yuan read as [379.5, 380.5], the rate as 138.5–139.5 million per
    # 995–1005 million yuan (the rounding of both amounts).
    assert alibaba.interval is not None
    low, high = alibaba.interval.low, alibaba.interval.high
    tight = Decimal("1e-12")
    assert low == pytest.approx(Decimal("379.5") * Decimal("138.5") / Decimal(1050), rel=tight)
    assert high == pytest.approx(Decimal("380.5") * Decimal("139.5") / Decimal(950), rel=tight)
    assert low <= alibaba.value <= high
    assert used.offered == ()


def test_an_unknown_rates_word_is_refused() -> None:
    with pytest.raises(ConversionError, match="'guess' is not"):
        DS.compare("ai-infrastructure-investment", ["cn"], rates="guess")


def _one_claim_twice() -> aifacts.Dataset:
    from tests.strategies_consistency import dataset, fact

    usd = fact("head", 139, unit="million USD").model_copy(update={"claim_id": "c"})
    cny = fact("body", 1000, unit="million CNY").model_copy(update={"claim_id": "c"})
    return dataset(cny, usd, fact("other", 5, unit="million USD"))


def test_a_claim_is_one_row_read_in_the_comparisons_currency() -> None:
    table = compare(_one_claim_twice(), "budget", ["cn"], include_children=True)
    assert table.unit == "million USD"
    assert [(r.fact.fact_id, r.mentions) for r in table.rows] == [
        ("head", ("body",)),
        ("other", ()),
    ]
    assert table.offered == ()  # nothing is left in yuan


def test_show_lists_a_claims_mentions_and_a_claim_id_shows_them_all() -> None:
    from aifacts.cli.commands.browse import claim_links, render_fact

    ds = _one_claim_twice()
    claim, (info,) = claim_links(ds, "head")
    assert claim is None and info["claim"]["claim_id"] == "c"
    assert [m["fact_id"] for m in info["claim"]["mentions"]] == ["body"]
    assert "same claim (c): body: 1000 million CNY (city; s1)" in render_fact(info)
    claim, infos = claim_links(ds, "c")
    assert claim == "c" and [i["fact"]["fact_id"] for i in infos] == ["body", "head"]
    with pytest.raises(UnknownIdError, match="unknown fact or claim 'hed'; did you mean: head"):
        claim_links(ds, "hed")


def test_an_amount_is_converted_at_the_implied_rate_dated_nearest_it() -> None:
    """The release implies USD/CNY in 2022 ("300 billion yuan ($44.46 billion)") and
    in 2025 ("one billion yuan (US$139 million)"): yuan stated in 2022 take the 2022
    rate, and give back the dollars the same sentence states; an amount of unknown
    date takes the latest."""
    from aifacts.answers.claims import rate_for
    from aifacts.answers.evidence import offered_rates
    from aifacts.dataset.money import convert
    from aifacts.dataset.query import stated_on

    ds = aifacts.load()
    rates = [r for i in offered_rates(ds, ds.facts) if (r := i.exchange_rate()) is not None]
    assert sorted(r.date for r in rates) == [date(2022, 8, 5), date(2025, 7, 29)]
    yuan = ds.lookup("fact", "people2022-07")  # 300 billion CNY, stated 2022-08-05
    rate = rate_for(yuan.unit, "billion USD", rates, stated_on(yuan, ds))
    assert rate is not None and rate.date == date(2022, 8, 5)
    dollars = convert(yuan.quantity, "billion USD", rate).quantity.magnitude
    assert abs(dollars - Decimal("44.46")) < Decimal("1e-20")
    pledge = ds.lookup("fact", "deepwater-08")  # 380 billion CNY, no date known
    assert stated_on(pledge, ds) is None
    latest = rate_for(pledge.unit, "billion USD", rates, None)
    assert latest is not None and latest.date == date(2025, 7, 29)


@given(
    days=st.lists(st.dates(date(2000, 1, 1), date(2030, 12, 31)), min_size=1, max_size=6),
    when=st.none() | st.dates(date(2000, 1, 1), date(2030, 12, 31)),
)
def test_the_rate_chosen_is_the_nearest_in_date_or_the_latest(
    days: list[date], when: date | None
) -> None:
    from aifacts.answers.claims import rate_for

    rates = [ExchangeRate("USD", "CNY", Decimal(7), day) for day in days]
    others = [ExchangeRate("USD", "EUR", Decimal(1), date(2000, 1, 1))]
    chosen = rate_for("billion CNY", "USD", others + rates, when)
    assert chosen is not None and chosen in rates
    if when is None:
        assert chosen.date == max(days)
    else:
        assert abs((chosen.date - when).days) == min(abs((d - when).days) for d in days)
    assert rate_for("GW", "USD", rates, when) is None
