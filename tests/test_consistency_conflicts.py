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


def _sorts(ds: aifacts.Dataset) -> list[tuple[str, Verdict, tuple[str, ...]]]:
    report = check(ds, ["conflicts"])
    return [
        (f.details["sort"], f.verdict, f.fact_ids) for f in report.findings if "sort" in f.details
    ]


def test_undated_snapshots_stated_on_different_days_are_a_different_date() -> None:
    """197 EFLOPS said in 2023 and 280 EFLOPS said in 2025 about 'now': the number moved."""
    old = fact("old", 197, as_of=date(2023, 8, 19), status="actual")
    new = fact("new", 280, as_of=date(2025, 8, 28), status="actual", source_id="s2")
    assert _sorts(dataset(old, new)) == [("different-date", Verdict.INFO, ("new", "old"))]
    assert check(dataset(old, new), ["conflicts"]).consistent


def test_the_same_numbers_stated_the_same_day_or_undated_conflict() -> None:
    for day in (None, date(2025, 1, 1)):
        a = fact("a", 197, as_of=day, status="actual")
        b = fact("b", 280, as_of=day, status="actual", source_id="s2")
        assert _sorts(dataset(a, b)) == [("conflict", Verdict.INCONSISTENT, ("a", "b"))]


def test_metrics_of_one_family_are_a_different_measure_never_a_conflict() -> None:
    from aifacts.contract.records import Metric
    from tests.strategies_consistency import ENTITIES, METRICS, SOURCES

    total = Metric(
        metric_id="compute-total",
        label="Total computing power",
        description="All computing.",
        unit="EFLOPS",
        kind="stock",
        family="computing-power",
    )
    ai = total.model_copy(update={"metric_id": "compute-ai", "label": "AI computing power"})
    facts = (
        fact("t", 280, metric_id="compute-total", unit="EFLOPS", entity_id="cn"),
        fact("i", 90, metric_id="compute-ai", unit="EFLOPS", entity_id="cn", source_id="s2"),
    )
    ds = aifacts.Dataset(
        sources=SOURCES, entities=ENTITIES, metrics=(*METRICS, total, ai), facts=facts
    )
    assert _sorts(ds) == [("different-measure", Verdict.INFO, ("i", "t"))]
    # The same two numbers on one metric are a conflict: the family is what explains them.
    same = (facts[0], facts[1].model_copy(update={"metric_id": "compute-total"}))
    ds = aifacts.Dataset(
        sources=SOURCES, entities=ENTITIES, metrics=(*METRICS, total, ai), facts=same
    )
    assert [s for s, *_ in _sorts(ds)] == ["conflict"]


@given(
    low=st.integers(1, 10_000),
    gap=st.integers(-5_000, 5_000),
    days=st.tuples(st.none() | st.dates(), st.none() | st.dates()),
)
@settings(max_examples=80, deadline=None)
def test_every_pair_is_sorted_by_overlap_and_dates(
    low: int, gap: int, days: tuple[date | None, date | None]
) -> None:
    high = max(1, low + gap)
    a = fact("a", low, as_of=days[0], status="actual")
    b = fact("b", high, as_of=days[1], status="actual", source_id="s2")
    sorts = [s for s, *_ in _sorts(dataset(a, b))]
    ctx_a, ctx_b = (check(dataset(x), ["conflicts"]) for x in (a, b))  # no finding alone
    assert ctx_a.findings == ctx_b.findings == ()
    from aifacts.contract.intervals import fact_interval

    overlap = fact_interval(a, None).overlaps(fact_interval(b, None))
    if overlap:
        assert sorts == ["consistent"]
    elif None not in days and days[0] != days[1]:
        assert sorts == ["different-date"]
    else:
        assert sorts == ["conflict"]
