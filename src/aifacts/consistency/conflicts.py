"""Rule ``conflicts``: facts about the same thing overlap, or they conflict.

Facts are about *the same thing* when they share ``entity_id``, ``metric_id``,
``related_entity_id``, ``period_start`` and ``period_end``, and are both about
what is (``actual``/``estimate``) or share a status (a pledge does not conflict
with what was spent). Superseded facts are left out (see
:class:`~aifacts.consistency.context.Context`).

Within such a group, facts whose units measure the same dimension are compared
in the metric's unit, and every finding is sorted (``details["sort"]``):

- **consistent**: every pair overlaps → one finding naming all of them and the
  values all allow (for intervals, pairwise overlap means a common value; two
  outlets rounding one figure differently agree);
- **different date**: a pair that does not overlap, stated on different days
  (``as_of``, else the source's date) and not restating one claim: a snapshot
  that moved, a forecast revised; the sources need not disagree → info;
- **conflict**: any other pair that does not overlap → **inconsistent**, one
  finding per pair, unless either fact carries a ``doubt`` (the reason it is
  recorded faithfully but doubted): then the conflict is explained → info;
- facts in different currencies are not compared here (the ``rates`` rule reads
  them); the group reports them as **info**.

Facts of one entity and period on *different* metrics of one ``family`` (total vs
intelligent computing power) are put side by side as a **different measure**
(info), never compared as one.

Example:
    >>> import aifacts
    >>> from aifacts.consistency.context import Context
    >>> found = run(Context.from_dataset(aifacts.load()))
    >>> sorted({f.verdict.value for f in found})
    ['consistent', 'info']
"""

from __future__ import annotations

from collections import defaultdict
from functools import reduce
from itertools import combinations
from typing import TYPE_CHECKING, Any

from aifacts.consistency.context import OBSERVED, Context, period_text, source_ids
from aifacts.consistency.findings import Finding, Verdict
from aifacts.contract.intervals import Interval
from aifacts.contract.units import parse_unit

if TYPE_CHECKING:
    from aifacts.contract.records import Fact

__all__ = ["SORTS", "groups", "run"]

RULE = "conflicts"
#: How a finding of this rule sorts the facts it names, in the order pages list them.
SORTS = ("conflict", "different-measure", "different-date", "consistent")


def _key(fact: Fact) -> tuple[Any, ...]:
    status = "observed" if fact.status in OBSERVED else fact.status.value
    return (
        fact.entity_id,
        fact.metric_id,
        fact.related_entity_id or "",
        str(fact.period_start or ""),
        str(fact.period_end or ""),
        status,
    )


def groups(context: Context) -> list[list[Fact]]:
    """Active facts about the same thing, two or more per group, ordered by id."""
    by_key: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for fact in context.facts:
        by_key[_key(fact)].append(fact)
    return [facts for _, facts in sorted(by_key.items()) if len(facts) > 1]


def _what(context: Context, fact: Fact) -> str:
    metric = context.metrics.get(fact.metric_id)
    label = metric.label if metric else fact.metric_id
    text = f"{context.name(fact.entity_id)}, {label}"
    if fact.related_entity_id:
        text += f" (relative to {context.name(fact.related_entity_id)})"
    return f"{text}, period {period_text(fact)}"


def _compare(context: Context, facts: list[Fact]) -> list[Finding]:
    unit = facts[0].unit
    intervals = {f.fact_id: context.interval(f, unit) for f in facts}
    shown = {k: v.describe(unit) for k, v in intervals.items()}
    details: dict[str, Any] = {
        "unit": unit,
        "intervals": {k: v.to_dict() for k, v in intervals.items()},
    }
    clashes = [
        (a, b)
        for a, b in combinations(facts, 2)
        if not intervals[a.fact_id].overlaps(intervals[b.fact_id])
    ]
    if not clashes:
        common = reduce(_meet, intervals.values())
        details["common"] = common.to_dict()
        details["sort"] = "consistent"
        listed = "; ".join(f"{k}: {v}" for k, v in shown.items())
        message = (
            f"{len(facts)} facts agree on {_what(context, facts[0])}: {listed}; "
            f"all allow {common.describe(unit)}"
        )
        return [
            Finding(
                RULE,
                Verdict.CONSISTENT,
                message,
                tuple(f.fact_id for f in facts),
                source_ids(facts),
                details,
            )
        ]
    found = []
    for a, b in clashes:
        sort, verdict, why = _sort_clash(context, a, b)
        message = (
            f"{sort.replace('-', ' ')} on {_what(context, a)}: {a.fact_id} ({a.source_id}) "
            f"asserts {shown[a.fact_id]} but {b.fact_id} ({b.source_id}) asserts "
            f"{shown[b.fact_id]}{why}"
        )
        pair = {
            "unit": unit,
            "intervals": {f.fact_id: intervals[f.fact_id].to_dict() for f in (a, b)},
            "sort": sort,
        }
        found.append(
            Finding(RULE, verdict, message, (a.fact_id, b.fact_id), source_ids([a, b]), pair)
        )
    return found


def stated_on(context: Context, fact: Fact) -> str | None:
    """The day ``fact`` was stated: its ``as_of``, else its source's date; ``None`` if
    neither is known."""
    if fact.as_of is not None:
        return fact.as_of.isoformat()
    source = context.sources.get(fact.source_id)
    return source.published.isoformat() if source and source.published else None


def _sort_clash(context: Context, a: Fact, b: Fact) -> tuple[str, Verdict, str]:
    """How a pair that cannot both hold is sorted: a different date, an explained
    conflict (a fact doubted) or a conflict; with the words the message ends on."""
    days = stated_on(context, a), stated_on(context, b)
    same_claim = a.claim_id == b.claim_id
    if None not in days and days[0] != days[1] and not same_claim:
        return "different-date", Verdict.INFO, f" (stated {days[0]} and {days[1]})"
    doubts = [f"{f.fact_id} is doubted: {f.doubt}" for f in (a, b) if f.doubt]
    if doubts:
        return "conflict", Verdict.INFO, "; explained: " + "; ".join(doubts)
    return "conflict", Verdict.INCONSISTENT, ""


def _different_measures(context: Context) -> list[Finding]:
    """Facts of one entity, period and status on different metrics of one family."""
    by_key: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for fact in context.facts:
        metric = context.metrics.get(fact.metric_id)
        family = metric.family if metric else None
        if family:
            key = (*_key(fact)[:1], family, *_key(fact)[2:])
            by_key[key].append(fact)
    found = []
    for (entity_id, family, *_), facts in sorted(by_key.items()):
        if len({f.metric_id for f in facts}) < 2:
            continue
        listed = "; ".join(
            f"{f.fact_id} ({f.source_id}): {context.metrics[f.metric_id].label} "
            f"{context.interval(f).describe(f.unit)}"
            for f in facts
        )
        message = (
            f"different measure for {context.name(entity_id)}, period "
            f"{period_text(facts[0])}: {listed}; the metrics of family {family!r} measure "
            "different things and are not compared"
        )
        details = {"sort": "different-measure", "family": family}
        found.append(
            Finding(
                RULE,
                Verdict.INFO,
                message,
                tuple(f.fact_id for f in facts),
                source_ids(facts),
                details,
            )
        )
    return found


def _meet(a: Interval, b: Interval) -> Interval:
    return a.intersection(b) or a


def run(context: Context) -> list[Finding]:
    """Compare every group of facts about the same thing; see the module docstring."""
    found: list[Finding] = []
    for group in groups(context):
        by_dimension: dict[str, list[Fact]] = defaultdict(list)
        for fact in group:
            by_dimension[str(sorted(parse_unit(fact.unit).dimensionality.items()))].append(fact)
        comparable = [facts for facts in by_dimension.values() if len(facts) > 1]
        for facts in comparable:
            found.extend(_compare(context, facts))
        if len(by_dimension) > 1:
            units = sorted({f.unit for f in group})
            message = (
                f"{_what(context, group[0])} is stated in units that cannot be compared "
                f"without a conversion ({', '.join(units)}); see the rates rule"
            )
            found.append(
                Finding(
                    RULE,
                    Verdict.INFO,
                    message,
                    tuple(f.fact_id for f in group),
                    source_ids(group),
                    {"units": units},
                )
            )
    found.extend(_different_measures(context))
    for old, new in context.superseded.items():
        found.append(
            Finding(
                RULE,
                Verdict.INFO,
                f"{old} is superseded by {new}; it stays in the data and is left out of checks",
                (new, old),
                (),
                {"superseded": old, "by": new},
            )
        )
    return found
