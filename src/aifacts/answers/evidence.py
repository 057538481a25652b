"""Evidence beyond direct values: bounds other facts imply, rates the data implies, caveats.

- :func:`derived_bounds`: what ratio and share facts imply for an entity's absolute
  value, read from the consistency rule ``comparisons``
  (:mod:`aifacts.consistency.comparisons`), never derived twice: "China has less than
  one-tenth of US compute" and China's 90 EFLOPS give "the US has at least 895 EFLOPS".
- :func:`offered_rates`: the exchange rates the data itself implies (one amount stated
  in two currencies, :mod:`aifacts.consistency.rates`), with the interval the rounding
  of both amounts allows and the facts they come from.
- :func:`caveats`: what makes values unlike: different statuses (an actual figure
  beside a target or a pledge), different periods (a year beside an undated
  multi-year pledge, with the pledge's stated duration when a fact gives one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aifacts.contract.display import format_period
from aifacts.contract.intervals import Interval, format_number
from aifacts.dataset.money import ConversionError, ExchangeRate
from aifacts.errors import UnknownIdError

if TYPE_CHECKING:
    from aifacts.consistency.rates import ImpliedRate
    from aifacts.contract.records import Fact
    from aifacts.dataset.base import Records

__all__ = [
    "DURATION_METRIC",
    "IMPLIED",
    "Derived",
    "caveats",
    "derived_bounds",
    "offered_rates",
    "period_label",
    "resolve_rates",
]

#: Pass as ``rates`` (``--rate implied``) to convert with the rates the data implies.
IMPLIED = "implied"

#: The metric whose facts state how long a pledge or plan runs ("a three-year plan").
DURATION_METRIC = "commitment-duration"


@dataclass(frozen=True)
class Derived:
    """A value no fact states, derived from facts that do.

    Attributes:
        entity_id: the entity the value is about.
        metric_id: the metric it is a value of.
        interval: the values the facts allow, in ``unit``.
        unit: the unit of ``interval``.
        fact_ids: the facts it comes from, the relation (ratio or share) first.
        how: one sentence saying how it was derived, naming the numbers.
        status: the status of the facts it comes from (they share it).
        entity_name: the entity's name.
    """

    entity_id: str
    metric_id: str
    interval: Interval
    unit: str
    fact_ids: tuple[str, ...]
    how: str
    status: str
    entity_name: str = ""

    @property
    def text(self) -> str:
        """``'at least 895 EFLOPS'``."""
        return self.interval.describe(self.unit)

    def record(self) -> dict[str, Any]:
        """JSON-ready data; the interval as exact decimal text."""
        return {
            "entity": self.entity_id,
            "value": self.text,
            "interval": self.interval.to_dict(),
            "unit": self.unit,
            "status": self.status,
            "derived_from": list(self.fact_ids),
            "how": self.how,
        }


def _entity_id(dataset: Records, named: str) -> str | None:
    from aifacts.dataset.query import resolve_entity

    try:  # the rule names the entity by id or by name; both resolve
        return resolve_entity(dataset, named)
    except UnknownIdError:
        return None


def derived_bounds(dataset: Records, facts: Sequence[Fact], metric_id: str) -> list[Derived]:
    """The values of ``metric_id`` that ratios and shares among ``facts`` imply, per entity.

    Only facts of ``facts`` are used (pass the selection the answer reads: as of a
    date, of some statuses...); each result names every fact it comes from.
    """
    from aifacts.consistency import comparisons
    from aifacts.consistency.context import Context
    from aifacts.consistency.findings import Verdict

    context = Context.build(facts, dataset.metrics, dataset.entities, dataset.sources)
    by_id = {f.fact_id: f for f in facts}
    relations = {**comparisons.RATIO_OF, **comparisons.SHARE_OF}
    out = []
    for finding in comparisons.run(context):
        implied = finding.details.get("implied")
        first = by_id.get(finding.fact_ids[0]) if finding.fact_ids else None
        if finding.verdict is not Verdict.INFO or not implied or first is None:
            continue
        if relations.get(first.metric_id) != metric_id:
            continue
        entity = _entity_id(dataset, str(implied["entity_id"]))
        if entity is None:  # "world": no entity of the dataset
            continue
        interval = Interval(Decimal(implied["low"]), Decimal(implied["high"]))
        status = first.status.value
        out.append(
            Derived(
                entity, metric_id, interval, str(implied["unit"]), finding.fact_ids,
                finding.message, status, dataset.lookup("entity", entity).name,
            )
        )  # fmt: skip
    return out


def offered_rates(dataset: Records, facts: Iterable[Fact]) -> list[ImpliedRate]:
    """The dated exchange rates ``facts`` imply (one amount in two currencies), when
    bounded: a rate that may be anything (a range against a one-sided amount, say)
    converts nothing honestly, so it is not offered. Of several for one pair of
    currencies, a conversion takes the one dated nearest the amount
    (:func:`aifacts.answers.claims.rate_for`)."""
    from aifacts.consistency.context import Context
    from aifacts.consistency.rates import rates_in

    context = Context.build(facts, dataset.metrics, dataset.entities, dataset.sources)
    return [
        r
        for r in rates_in(context)
        if r.date is not None and r.interval.low > 0 and r.interval.high.is_finite()
    ]


def resolve_rates(
    dataset: Records, facts: Sequence[Fact], rates: Sequence[ExchangeRate] | str
) -> tuple[tuple[ExchangeRate, ...], dict[tuple[str, ...], Interval]]:
    """The rates to convert with, and the interval of each implied one (by its facts).

    ``rates`` is the rates given, or :data:`IMPLIED` for those the data implies
    (read from ``facts``: pass those stated by then).
    """
    if isinstance(rates, str):
        if rates != IMPLIED:
            raise ConversionError(f"rates: {rates!r} is not a list of rates or {IMPLIED!r}")
        implied = offered_rates(dataset, facts)
        chosen = tuple(r for i in implied if (r := i.exchange_rate()) is not None)
        return chosen, {i.fact_ids: i.interval for i in implied}
    return tuple(rates), {}


def period_label(fact: Fact) -> str:
    """``'2025'``, ``'2024-01-01 to 2024-06-30'``, or ``'no period'``."""
    return format_period(fact.period_start, fact.period_end) or "no period"


def _durations(dataset: Records, fact: Fact) -> list[Fact]:
    return [
        d
        for d in dataset.facts
        if d.metric_id == DURATION_METRIC
        and d.entity_id == fact.entity_id
        and d.source_id == fact.source_id
        and d.status == fact.status
    ]


def caveats(dataset: Records, facts: Sequence[Fact]) -> list[str]:
    """Why ``facts`` are not alike: statuses and periods that differ, said with the facts."""
    notes = []
    statuses: dict[str, list[str]] = {}
    periods: dict[str, list[str]] = {}
    for fact in facts:
        statuses.setdefault(fact.status.value, []).append(fact.fact_id)
        periods.setdefault(period_label(fact), []).append(fact.fact_id)
    if len(statuses) > 1:
        listed = "; ".join(f"{s}: {', '.join(ids)}" for s, ids in statuses.items())
        notes.append(f"statuses differ ({listed}): a target or pledge is not an actual figure")
    if len(periods) > 1:
        listed = "; ".join(f"{p}: {', '.join(ids)}" for p, ids in periods.items())
        notes.append(f"periods differ ({listed})")
    undated: dict[str, list[str]] = {}
    durations: dict[str, Fact] = {}
    for fact in facts:
        if fact.period_start is None and fact.period_end is None:
            for d in _durations(dataset, fact):
                undated.setdefault(d.fact_id, []).append(fact.fact_id)
                durations[d.fact_id] = d
    for duration_id, ids in undated.items():
        d = durations[duration_id]
        span = format_number(d.value) + (
            f"–{format_number(d.value_high)}" if d.value_high is not None else ""
        )
        notes.append(
            f"{', '.join(ids)}: no period; the same source states a {d.status.value} of "
            f"{d.entity_id} that runs {span} {d.unit} ({d.fact_id}): not one year's figure"
        )
    return notes
