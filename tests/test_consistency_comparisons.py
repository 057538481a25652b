"""Rule ``comparisons``: ratios and shares against absolute facts, and implied bounds."""

from __future__ import annotations

from decimal import Decimal

import aifacts
from aifacts.consistency import Verdict, check
from tests.strategies_consistency import dataset, fact

D = Decimal
_COMMON = {"status": "actual", "unit": "EFLOPS", "metric_id": "ai-compute-capacity"}


def _findings() -> list:
    return aifacts.load().check(("comparisons",)).findings


def test_under_a_tenth_implies_the_us_figure() -> None:
    """China ≤ 0.1 × US (rui-post-03) and China = 90 EFLOPS (deepwater-07): US ≥ 89.5/0.1 = 895."""
    (finding,) = [f for f in _findings() if f.fact_ids == ("rui-post-03", "deepwater-07")]
    assert finding.verdict is Verdict.INFO
    assert finding.details["implied"] == {
        "entity_id": "United States",
        "unit": "EFLOPS",
        "low": "895",
        "high": "Infinity",
    }
    assert "at least 895 EFLOPS" in finding.message
    assert set(finding.source_ids) == {"rui-post-us-china-ai-gap", "deep-water-ai-race-summary"}


def test_ninety_percent_share_agrees_with_under_a_tenth() -> None:
    """US share ≥ 89.5 % leaves China ≤ 10.5 %, so China/US ≤ 0.105/0.895 ≈ 0.1173 ≥ 0.1."""
    (finding,) = [f for f in _findings() if f.fact_ids == ("rui-post-01", "rui-post-03")]
    assert finding.verdict is Verdict.CONSISTENT
    assert D("0.1173") < D(finding.details["others_over_holder"]["high"]) < D("0.1174")


def test_share_implies_a_bound_from_china_s_capacity() -> None:
    """US/China ≥ 0.895/0.105, so US ≥ 89.5 × 0.895/0.105 ≈ 762.88 EFLOPS."""
    (finding,) = [f for f in _findings() if f.fact_ids == ("rui-post-01", "deepwater-07")]
    assert D("762.88") < D(finding.details["implied"]["low"]) < D("762.89")


def test_chip_comparison_is_reported_in_both_directions() -> None:
    """Ascend 910C ≈ 65 % of H100 → [0.585, 0.715]; H100 is 1/0.715 ≈ 1.399 to 1/0.585 ≈ 1.709×."""
    (finding,) = [f for f in _findings() if f.fact_ids == ("ainews-0729-19",)]
    assert finding.details["ratio"] == {"low": "0.585", "high": "0.715"}
    inverse = finding.details["inverse"]
    assert D("1.398") < D(inverse["low"]) < D("1.399")
    assert D("1.709") < D(inverse["high"]) < D("1.710")


def test_ai_compute_is_within_total_compute() -> None:
    (finding,) = [f for f in _findings() if f.fact_ids == ("deepwater-07", "deepwater-13")]
    assert finding.verdict is Verdict.CONSISTENT


def test_a_ratio_contradicted_by_absolute_facts_is_inconsistent() -> None:
    ratio = fact(
        "r",
        "0.1",
        entity_id="cn",
        related_entity_id="us",
        metric_id="ai-compute-relative-to",
        unit="dimensionless",
        qualifier="at_most",
        status="actual",
    )
    cn = fact("c", 90, entity_id="cn", **_COMMON)
    us = fact("u", 500, entity_id="us", **_COMMON)
    report = check(dataset(ratio, cn, us), ["comparisons"])
    assert not report.consistent
    (bad,) = [f for f in report.findings if f.verdict is Verdict.INCONSISTENT]
    assert set(bad.fact_ids) == {"r", "c", "u"}
    big_us = fact("u", 1000, entity_id="us", **_COMMON)
    assert check(dataset(ratio, cn, big_us), ["comparisons"]).consistent


def test_a_share_contradicted_by_a_ratio_is_inconsistent() -> None:
    """US 90 % of the world leaves China at most ~11.7 % of the US, not 50 %."""
    share = fact(
        "s",
        90,
        entity_id="us",
        metric_id="share-of-global-ai-compute",
        unit="percent",
        status="actual",
    )
    ratio = fact(
        "r",
        "0.5",
        entity_id="cn",
        related_entity_id="us",
        metric_id="ai-compute-relative-to",
        unit="dimensionless",
        status="actual",
    )
    assert not check(dataset(share, ratio), ["comparisons"]).consistent


def test_facts_of_other_periods_are_not_compared() -> None:
    ratio = fact(
        "r",
        "0.1",
        entity_id="cn",
        related_entity_id="us",
        metric_id="ai-compute-relative-to",
        unit="dimensionless",
        qualifier="at_most",
        status="actual",
    )
    cn = fact("c", 90, entity_id="cn", period_start=None, **_COMMON)
    from datetime import date

    us = fact("u", 500, entity_id="us", period_start=date(2020, 1, 1), **_COMMON)
    report = check(dataset(ratio, cn, us), ["comparisons"])
    assert report.consistent
