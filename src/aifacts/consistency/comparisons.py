"""Rule ``comparisons``: ratios and shares against absolute facts, both ways.

A *ratio* fact says entity A's value is some multiple of entity B's
(``related_entity_id``): "China's AI computing capacity is under 1/10th of the
U.S." A *share* fact says A holds some fraction of a global total: "the U.S. holds
90% of global AI computing power". Which absolute metric each compares is fixed in
:data:`RATIO_OF` and :data:`SHARE_OF`; :data:`NOT_ABOVE` says which metric can never
exceed another for the same entity (AI computing capacity ≤ total computing power).

Only *comparable* facts meet: the same period (both unstated counts as the same)
and both about what is (actual/estimate), or of the same status.

- ratio with absolute facts for both A and B → consistent when A/B can lie in the
  ratio's interval, else inconsistent;
- ratio with an absolute fact for one side only → info: the bound it implies for
  the other side ("the U.S. must be at least 895 EFLOPS");
- ratio with no absolute facts → info: the ratio read in both directions;
- share s of A → any other country B holds at most (1 − s), so B/A ≤ (1 − s)/s:
  checked against ratio facts and absolute facts of B, or reported as the bound it
  implies for A; with an absolute fact for A it also implies the global total;
- :data:`NOT_ABOVE` pairs → consistent when the smaller metric can be ≤ the larger.

Example:
    >>> import aifacts
    >>> from aifacts.consistency.context import Context
    >>> found = run(Context.from_dataset(aifacts.load()))
    >>> any("at least 895 EFLOPS" in f.message for f in found)
    True
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from aifacts.consistency.context import Context, period_text, source_ids
from aifacts.consistency.findings import Finding, Verdict
from aifacts.contract.intervals import INFINITY, Interval, format_number
from aifacts.contract.vocab import MetricKind

if TYPE_CHECKING:
    from aifacts.contract.records import Fact

__all__ = ["NOT_ABOVE", "RATIO_OF", "SHARE_OF", "run"]

RULE = "comparisons"

#: Ratio metric → the absolute metric it divides (A's value / B's value).
RATIO_OF: dict[str, str] = {"ai-compute-relative-to": "ai-compute-capacity"}
#: Share metric → the absolute metric whose global total it is a share of.
SHARE_OF: dict[str, str] = {"share-of-global-ai-compute": "ai-compute-capacity"}
#: Metric → a metric that is never smaller for the same entity.
NOT_ABOVE: dict[str, str] = {"ai-compute-capacity": "compute-capacity"}


def _absolute(context: Context, entity: str, metric: str, like: Fact) -> list[Fact]:
    return [
        f
        for f in context.facts
        if f.entity_id == entity
        and f.metric_id == metric
        and f.related_entity_id is None
        and context.comparable(f, like)
    ]


def _period_note(*facts: Fact) -> str:
    periods = {period_text(f) for f in facts}
    if periods == {"not stated"}:
        return " (no period stated by either; compared as current)"
    return f" (period {', '.join(sorted(periods))})"


def _in_unit(context: Context, fact: Fact, unit: str) -> Interval | None:
    try:
        return context.interval(fact, unit)
    except Exception:  # pint's DimensionalityError: e.g. two currencies
        return None


def _finding(verdict: Verdict, message: str, facts: list[Fact], details: dict[str, Any]) -> Finding:
    return Finding(
        RULE, verdict, message, tuple(f.fact_id for f in facts), source_ids(facts), details
    )


def _ratio_findings(context: Context, r: Fact) -> list[Finding]:
    a_id, b_id = r.entity_id, r.related_entity_id or ""
    a_name, b_name = context.name(a_id), context.name(b_id)
    ratio = context.ratio(r)
    label = context.metrics[r.metric_id].label if r.metric_id in context.metrics else r.metric_id
    said = (
        f"{r.fact_id} says {a_name} is {ratio.describe()} × {b_name} "
        f"({label}), so {b_name} is {ratio.reciprocal().describe()} × {a_name}"
    )
    base = {"ratio": ratio.to_dict(), "inverse": ratio.reciprocal().to_dict()}
    metric = RATIO_OF.get(r.metric_id)
    if metric is None:
        message = f"{said}; no absolute metric is mapped to check it against"
        return [_finding(Verdict.INFO, message, [r], base)]
    unit = context.metric_unit(metric, r.unit)
    a_facts = _absolute(context, a_id, metric, r)
    b_facts = _absolute(context, b_id, metric, r)
    found = []
    for a in a_facts:
        for b in b_facts:
            ai, bi = _in_unit(context, a, unit), _in_unit(context, b, unit)
            if ai is None or bi is None:
                continue
            actual = ai / bi
            verdict = Verdict.CONSISTENT if actual.overlaps(ratio) else Verdict.INCONSISTENT
            message = (
                f"{said}; the absolute facts give {a_name}/{b_name} = {actual}"
                f"{_period_note(r, a, b)}"
            )
            details = {**base, "actual_ratio": actual.to_dict(), "unit": unit}
            found.append(_finding(verdict, message, [r, a, b], details))
    for known, other, factor, facts in (
        (a_facts, b_name, ratio.reciprocal(), b_facts),
        (b_facts, a_name, ratio, a_facts),
    ):
        if facts:
            continue
        for fact in known:
            interval = _in_unit(context, fact, unit)
            if interval is None:
                continue
            implied = interval * factor
            message = (
                f"{said}; with {context.name(fact.entity_id)} at {interval.describe(unit)} "
                f"({fact.fact_id}), {other} must be {implied.describe(unit)}{_period_note(r, fact)}"
            )
            details = {**base, "implied": {"entity_id": other, "unit": unit, **implied.to_dict()}}
            found.append(_finding(Verdict.INFO, message, [r, fact], details))
    if not a_facts and not b_facts:
        found.append(_finding(Verdict.INFO, f"{said}; no absolute facts to check", [r], base))
    return found


def _others_over_holder(share: Interval) -> Interval:
    """With A's share in ``share``, any other holder B has B/A in ``[0, (1 − s)/s]``."""
    low = share.low
    if low <= 0:
        return Interval(Decimal(0), INFINITY)
    with localcontext() as ctx:
        ctx.prec = 34
        ctx.rounding = ROUND_CEILING
        high = (1 - low) / low
    return Interval(Decimal(0), max(high, Decimal(0)))


def _share_findings(context: Context, s: Fact) -> list[Finding]:
    holder, metric = s.entity_id, SHARE_OF[s.metric_id]
    name = context.name(holder)
    share = context.ratio(s)
    others = _others_over_holder(share)
    unit = context.metric_unit(metric, s.unit)
    said = f"{s.fact_id} gives {name} {share.describe()} of the global total"
    base = {"share": share.to_dict(), "others_over_holder": others.to_dict()}
    found = []
    holder_facts = [
        (a, ai)
        for a in _absolute(context, holder, metric, s)
        if (ai := _in_unit(context, a, unit)) is not None
    ]
    for a, ai in holder_facts:
        world = ai / share
        message = (
            f"{said}; with {name} at {ai.describe(unit)} ({a.fact_id}), the world total is "
            f"{world.describe(unit)}{_period_note(s, a)}"
        )
        details = {**base, "implied": {"entity_id": "world", "unit": unit, **world.to_dict()}}
        found.append(_finding(Verdict.INFO, message, [s, a], details))
    for fact in context.facts:
        if (
            fact.entity_id == holder
            or not context.comparable(fact, s)
            or not (context.is_country(fact.entity_id) and context.is_country(holder))
        ):
            continue
        other = context.name(fact.entity_id)
        if RATIO_OF.get(fact.metric_id) == metric and fact.related_entity_id == holder:
            stated = context.ratio(fact)
            verdict = Verdict.CONSISTENT if stated.overlaps(others) else Verdict.INCONSISTENT
            message = (
                f"{said}, so {other}/{name} ≤ {format_number(others.high)}; {fact.fact_id} says "
                f"{other}/{name} is {stated.describe()}{_period_note(s, fact)}"
            )
            details = {**base, "ratio": stated.to_dict()}
            found.append(_finding(verdict, message, [s, fact], details))
        elif fact.metric_id == metric and fact.related_entity_id is None:
            bi = _in_unit(context, fact, unit)
            if bi is None:
                continue
            for a, ai in holder_facts:
                actual = bi / ai
                verdict = Verdict.CONSISTENT if actual.overlaps(others) else Verdict.INCONSISTENT
                message = (
                    f"{said}, so {other}/{name} ≤ {format_number(others.high)}; the absolute "
                    f"facts give {actual}{_period_note(s, fact, a)}"
                )
                details = {**base, "actual_ratio": actual.to_dict()}
                found.append(_finding(verdict, message, [s, fact, a], details))
            if not holder_facts:
                implied = bi * others.reciprocal()
                message = (
                    f"{said}; with {other} at {bi.describe(unit)} ({fact.fact_id}), {name} must "
                    f"be {implied.describe(unit)}{_period_note(s, fact)}"
                )
                details = {
                    **base,
                    "implied": {"entity_id": holder, "unit": unit, **implied.to_dict()},
                }
                found.append(_finding(Verdict.INFO, message, [s, fact], details))
    found.extend(_holder_ratios(context, s, said, others, base))
    if not found:
        found.append(_finding(Verdict.INFO, f"{said}; no facts to check it against", [s], base))
    return found


def _holder_ratios(
    context: Context, s: Fact, said: str, others: Interval, base: dict[str, Any]
) -> list[Finding]:
    """Ratios of the share's holder over another country, against s/(1 − s)."""
    found = []
    metric, holder = SHARE_OF[s.metric_id], s.entity_id
    for fact in context.facts:
        if (
            RATIO_OF.get(fact.metric_id) == metric
            and fact.entity_id == holder
            and fact.related_entity_id
            and context.is_country(fact.related_entity_id)
            and context.comparable(fact, s)
        ):
            bound = others.reciprocal()
            stated = context.ratio(fact)
            name, other = context.name(holder), context.name(fact.related_entity_id)
            verdict = Verdict.CONSISTENT if stated.overlaps(bound) else Verdict.INCONSISTENT
            message = (
                f"{said}, so {name}/{other} is {bound.describe()}; {fact.fact_id} says "
                f"{stated.describe()}{_period_note(s, fact)}"
            )
            found.append(_finding(verdict, message, [s, fact], {**base, "ratio": stated.to_dict()}))
    return found


def _not_above_findings(context: Context) -> list[Finding]:
    found = []
    for small in context.facts:
        larger_metric = NOT_ABOVE.get(small.metric_id)
        if larger_metric is None or small.related_entity_id is not None:
            continue
        unit = context.metric_unit(larger_metric, small.unit)
        for large in _absolute(context, small.entity_id, larger_metric, small):
            si, li = _in_unit(context, small, unit), _in_unit(context, large, unit)
            if si is None or li is None:
                continue
            ok = si.low <= li.high
            verdict = Verdict.CONSISTENT if ok else Verdict.INCONSISTENT
            message = (
                f"{context.name(small.entity_id)}: {small.metric_id} {si.describe(unit)} "
                f"({small.fact_id}) {'can' if ok else 'cannot'} be at most "
                f"{larger_metric} {li.describe(unit)} ({large.fact_id}){_period_note(small, large)}"
            )
            details = {"smaller": si.to_dict(), "larger": li.to_dict(), "unit": unit}
            found.append(_finding(verdict, message, [small, large], details))
    return found


def run(context: Context) -> list[Finding]:
    """Check ratio and share facts against absolute facts and report implied bounds."""
    found: list[Finding] = []
    for fact in context.facts:
        if fact.metric_id in SHARE_OF:
            found.extend(_share_findings(context, fact))
        elif context.kind(fact) is MetricKind.RATIO and fact.related_entity_id:
            found.extend(_ratio_findings(context, fact))
    found.extend(_not_above_findings(context))
    return found
