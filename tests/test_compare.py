"""Comparisons line up facts of one metric for several entities, in one unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

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


def test_without_by_country_an_entity_has_only_its_own_facts() -> None:
    table = compare(DS, "ai-compute-capacity", ["cn", "us"])
    assert table.missing == ("us",)
    assert "us: no fact" in str(table)


def test_other_currency_is_shown_as_stated_without_a_rate() -> None:
    table = DS.compare("ai-infrastructure-investment", ["cn", "us"], by_country=True)
    assert table.unit == "billion USD"
    (alibaba,) = table.for_entity("cn")  # "an investment of 380 billion yuan"
    assert not alibaba.converted and alibaba.text == "380 billion CNY"
    assert "exchange rate" in (alibaba.note or "")
    (microsoft,) = table.for_entity("us")  # "an $80 billion investment ... in 2025"
    assert microsoft.converted and microsoft.text == "80 billion USD"
    assert microsoft.record()["period"] == "2025"


def test_other_currency_with_a_rate_records_it() -> None:
    rate = ExchangeRate("USD", "CNY", Decimal("7.2"), date(2025, 7, 29), note="assumed")
    table = DS.compare("ai-infrastructure-investment", ["cn", "us"], by_country=True, rates=(rate,))
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
