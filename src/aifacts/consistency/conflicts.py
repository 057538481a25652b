"""Rule ``conflicts``: facts about the same thing overlap, or they conflict.

Facts are about *the same thing* when they share ``entity_id``, ``metric_id``,
``related_entity_id``, ``period_start`` and ``period_end``, and are both about
what is (``actual``/``estimate``) or share a status (a pledge does not conflict
with what was spent). Superseded facts are left out (see
:class:`~aifacts.consistency.context.Context`).

Within such a group, facts whose units measure the same dimension are compared
in the metric's unit:

- every pair overlaps → one **consistent** finding naming all of them and the
  values all allow (for intervals, pairwise overlap means a common value);
- a pair that does not overlap → one **inconsistent** finding per pair;
- facts in different currencies are not compared here (the ``rates`` rule reads
  them); the group reports them as **info**.

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

__all__ = ["groups", "run"]

RULE = "conflicts"


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
        message = (
            f"conflict on {_what(context, a)}: {a.fact_id} ({a.source_id}) asserts "
            f"{shown[a.fact_id]} but {b.fact_id} ({b.source_id}) asserts {shown[b.fact_id]}"
        )
        pair = {
            "unit": unit,
            "intervals": {f.fact_id: intervals[f.fact_id].to_dict() for f in (a, b)},
        }
        found.append(
            Finding(
                RULE,
                Verdict.INCONSISTENT,
                message,
                (a.fact_id, b.fact_id),
                source_ids([a, b]),
                pair,
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
