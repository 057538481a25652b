"""Rule ``conflicts``, the whole report, and properties every verdict must have."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.consistency import Verdict, check
from tests.strategies_consistency import dataset, fact

D = Decimal


def test_the_bundled_release_has_no_conflict() -> None:
    """'estimated at 10% of the U.S.'s, possibly as low as 1%': the estimate [9.5, 10.5] and
    the range the sentence allows [1, 10] overlap, so they agree."""
    report = aifacts.load().check(("conflicts",))
    assert [f for f in report.findings if f.verdict is Verdict.INCONSISTENT] == []
    agreeing = [f.fact_ids for f in report.findings if f.verdict is Verdict.CONSISTENT]
    assert ("rui-post-04", "rui-post-05") in agreeing


def test_two_exact_estimates_that_cannot_both_hold_conflict() -> None:
    """10 % and 1 % stated as exact estimates: [9.5, 10.5] and [0.95, 1.05] do not overlap."""
    report = check(dataset(fact("ten", 10), fact("one", 1, source_id="s2")), ["conflicts"])
    (clash,) = [f for f in report.findings if f.verdict is Verdict.INCONSISTENT]
    assert set(clash.fact_ids) == {"ten", "one"}


def test_facts_that_agree_are_listed_together() -> None:
    """Four statements of US$139 million for Shanghai's programme (paras 5, 6, 12, 13): the
    article's two and the aggregator summary's two, which supersede the facts that had
    attributed them to the article (superseded facts are left out)."""
    report = aifacts.load().check(("conflicts",))
    agreeing = [f for f in report.findings if f.verdict is Verdict.CONSISTENT]
    assert ("ainews-0729-04", "ainews-0729-06", "ainews-summary-01", "ainews-summary-02") in [
        f.fact_ids for f in agreeing
    ]
    assert ("deepwater-09", "lesson-02") in [f.fact_ids for f in agreeing]


def test_a_superseded_fact_stays_but_is_left_out() -> None:
    old = fact("old", 100)
    other = fact("other", 200, source_id="s2")
    assert not check(dataset(old, other), ["conflicts"]).consistent
    fixed = fact("fixed", 200, supersedes="old")
    ds = dataset(old, other, fixed)
    report = check(ds, ["conflicts"])
    assert report.consistent
    assert "old" in {f.fact_id for f in ds.facts}
    assert any(f.details.get("superseded") == "old" for f in report.findings)


def test_other_periods_and_statuses_do_not_conflict() -> None:
    a = fact("a", 100, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    b = fact("b", 200, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    pledge = fact(
        "c", 300, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), status="pledge"
    )
    assert check(dataset(a, b, pledge), ["conflicts"]).consistent


def test_approximately_overlaps_where_exactly_does_not() -> None:
    exact = fact("a", 90)
    near = fact("b", 95, source_id="s2")
    about = fact("b", 95, source_id="s2", qualifier="approximately")
    assert not check(dataset(exact, near), ["conflicts"]).consistent
    assert check(dataset(exact, about), ["conflicts"]).consistent


def test_check_command_reports_and_exits(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = run_cli("check", "--format", "json")
    data = json.loads(out)
    assert code == (0 if data["consistent"] else 1)
    assert data["inconsistent"] == sum(f["verdict"] == "inconsistent" for f in data["findings"])
    assert {f["rule"] for f in data["findings"]} == {"parts", "rates", "comparisons", "conflicts"}
    code, out, _ = run_cli("check", "--rule", "parts")
    assert code == 0
    assert out.startswith("consistent   parts")
    code, _, err = run_cli("check", "--rule", "bogus")
    assert code == 2 and "unknown rule" in err


# Properties: verdicts do not depend on row order or on the unit a fact is written in.

_SCALES = {"million USD": 0, "billion USD": -3, "thousand USD": 3}


@st.composite
def _facts(draw: st.DrawFn) -> list:
    out = []
    n = draw(st.integers(min_value=2, max_value=6))
    for i in range(n):
        out.append(
            fact(
                f"f{i}",
                draw(st.integers(min_value=1, max_value=2000)),
                metric_id=draw(st.sampled_from(["budget", "part-a", "part-b"])),
                qualifier=draw(st.sampled_from(["exact", "approximately", "at_least", "at_most"])),
                source_id=draw(st.sampled_from(["s1", "s2"])),
                part_of="f0" if i and draw(st.booleans()) else None,
            )
        )
    return out


def _verdicts(ds: aifacts.Dataset) -> list[tuple[str, tuple[str, ...], str]]:
    return sorted((f.rule, f.fact_ids, f.verdict.value) for f in check(ds).findings)


@settings(max_examples=60)
@given(_facts(), st.randoms(use_true_random=False))
def test_verdicts_do_not_depend_on_row_order(facts: list, rng: object) -> None:
    shuffled = list(facts)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert check(dataset(*facts)).to_dict() == check(dataset(*shuffled)).to_dict()


@settings(max_examples=60)
@given(_facts(), st.lists(st.sampled_from(sorted(_SCALES)), min_size=6, max_size=6))
def test_verdicts_do_not_depend_on_the_unit_written(facts: list, units: list[str]) -> None:
    rewritten = [
        f.model_copy(update={"value": f.value.scaleb(_SCALES[u]), "unit": u})
        for f, u in zip(facts, units, strict=False)
    ]
    assert _verdicts(dataset(*facts)) == _verdicts(dataset(*rewritten))
