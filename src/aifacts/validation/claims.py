"""Rule ``check_claims``: the facts of one claim agree.

Facts that state the same claim share a ``claim_id`` (a headline and the body, two
currencies, two languages, a source and the one it is derived from). They must
agree:

- in ``entity_id``, ``metric_id``, ``period_start``, ``period_end`` and ``status``,
  exactly (each is compared with the claim's first fact, by row);
- in amount: the intervals they assert (:func:`aifacts.contract.intervals.fact_interval`,
  in the metric's canonical unit) share a value. Amounts in two currencies are not
  compared here: no fixed rate links them; stated in one sentence, they imply an
  exchange rate that the consistency rule ``rates`` records (``aifacts check``).

A fact another fact ``supersedes`` is left out: its correction speaks for the claim.
A ``claim_id`` that is the ``fact_id`` of a fact names that fact's claim: the fact must
be in it. Intervals that pairwise overlap share a point (on a line), so each fact is
compared with the common part of the earlier ones only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aifacts.contract.canonical import canonical_unit
from aifacts.contract.intervals import Interval, convert_interval, fact_interval
from aifacts.contract.problems import Code, clip
from aifacts.contract.records import Fact, Metric
from aifacts.contract.vocab import MetricKind
from aifacts.errors import UnitError
from aifacts.io.reading import Table

__all__ = ["AGREEING_FIELDS", "check_claims"]

#: The fields every fact of one claim states alike.
AGREEING_FIELDS = ("entity_id", "metric_id", "period_start", "period_end", "status")


@dataclass
class _Amounts:
    """The common part of the amounts stated so far in one unit, and the facts that bound it."""

    common: Interval
    low_fact: str
    high_fact: str


def check_claims(tables: Mapping[str, Table]) -> None:
    """Facts sharing a ``claim_id`` agree in entity, metric, period, status and amount."""
    facts = tables["facts"]
    metrics = {m.key: m for _, m in tables["metrics"].rows if isinstance(m, Metric)}
    rows = [(row, f) for row, f in facts.rows if isinstance(f, Fact)]
    superseded = {f.supersedes for _, f in rows if f.supersedes is not None}
    own_claim = {f.fact_id: f.claim_id for _, f in rows}
    claims: dict[str, list[tuple[int, Fact]]] = {}
    for row, fact in rows:
        named = own_claim.get(fact.claim_id)
        if fact.claim_id != fact.fact_id and named is not None and named != fact.claim_id:
            facts.problem(
                row,
                "claim_id",
                Code.CLAIM_DISAGREES,
                f"claim_id {clip(fact.claim_id)} is the fact_id of a fact whose own claim_id "
                f"is {clip(named)}: a claim named after a fact holds that fact",
            )
        if fact.fact_id not in superseded:
            claims.setdefault(fact.claim_id, []).append((row, fact))
    for members in claims.values():
        if len(members) > 1:
            _check_claim(facts, members, metrics)


def _check_claim(
    facts: Table, members: list[tuple[int, Fact]], metrics: Mapping[str, Metric]
) -> None:
    first_row, first = members[0]
    amounts: dict[str, _Amounts] = {}
    for row, fact in members:
        differs = [n for n in AGREEING_FIELDS if getattr(fact, n) != getattr(first, n)]
        for name in differs:
            facts.problem(
                row,
                name,
                Code.CLAIM_DISAGREES,
                f"fact {clip(fact.fact_id)} states claim {clip(fact.claim_id)} with {name} "
                f"{_shown(getattr(fact, name))}, but {clip(first.fact_id)} (row {first_row}) "
                f"states it with {_shown(getattr(first, name))}; the facts of one claim "
                "agree in entity, metric, period and status",
            )
        if differs:
            continue
        _check_amount(facts, row, fact, metrics.get(fact.metric_id), amounts)


def _shown(value: object) -> str:
    return "(empty)" if value is None else clip(str(value))


def _check_amount(
    facts: Table, row: int, fact: Fact, metric: Metric | None, amounts: dict[str, _Amounts]
) -> None:
    if metric is None:
        return  # a broken reference, reported by check_foreign_keys
    unit = canonical_unit(fact.unit, metric.unit)
    if unit is None:
        return  # a unit problem, reported by check_units
    kind = metric.kind if isinstance(metric.kind, MetricKind) else None
    try:
        interval = convert_interval(fact_interval(fact, kind), fact.unit, unit)
    except (UnitError, ValueError, ArithmeticError):
        return
    held = amounts.get(unit)
    if held is None:
        amounts[unit] = _Amounts(interval, fact.fact_id, fact.fact_id)
        return
    common = held.common.intersection(interval)
    if common is None:
        other = held.low_fact if interval.high < held.common.low else held.high_fact
        facts.problem(
            row,
            "value",
            Code.CLAIM_DISAGREES,
            f"fact {clip(fact.fact_id)} states claim {clip(fact.claim_id)} as "
            f"{interval.describe(unit)}, outside {held.common.describe(unit)}, what its "
            f"earlier facts allow (bounded by {clip(other)}): the amounts of one claim overlap",
        )
        return
    if common.low != held.common.low:
        held.low_fact = fact.fact_id
    if common.high != held.common.high:
        held.high_fact = fact.fact_id
    held.common = common
