"""Line up what the sources say about one metric for several entities, with all the evidence.

:func:`compare` gathers, for each entity asked for, the facts of the metric, turns
each value into one unit (with its qualifier intact: ``≥ 80 %`` stays a lower
bound) and keeps the source, status and period beside it. Then it adds what the
data implies (:mod:`aifacts.answers.evidence`):

- **derived values**: bounds that ratio and share facts imply for an entity with no
  direct value ("China has under 1/10th of US compute" and China's 90 EFLOPS: the US
  has at least 895 EFLOPS), each with its interval and the facts it comes from;
- **implied exchange rates**: amounts in another currency are converted only through
  an :class:`~aifacts.dataset.money.ExchangeRate`; without one they are shown as
  stated, and the rates the data itself implies (one amount stated in two currencies)
  are offered with their origin; ``rates="implied"`` uses them, and the values so
  converted are marked derived;
- **caveats**: different statuses (actual vs target vs pledge) and periods (a year vs
  an undated multi-year pledge) are said, never silently lined up.

Each claim counts once: facts that restate one claim (``claim_id``) are one row,
whose ``mentions`` lists the others.

Which facts count for an entity:

- by default, facts about the entity itself;
- ``include_children=True``: also entities below it through ``parent_id``;
- ``by_country=True``: every fact whose entity's ``country`` is the entity asked for
  (``us`` then includes OpenAI's Stargate project).

Example:
    >>> import aifacts
    >>> table = aifacts.load().compare("ai-awareness", ["cn", "us"])
    >>> [(row.entity_id, row.text) for row in table.rows]
    [('cn', '≥ 80 %'), ('us', '62 %')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aifacts.answers.claims import claims, doubt_of, interval_in, rate_for
from aifacts.answers.evidence import (
    IMPLIED,
    Derived,
    caveats,
    derived_bounds,
    offered_rates,
    resolve_rates,
)
from aifacts.contract.display import format_period, format_value
from aifacts.contract.intervals import Interval
from aifacts.contract.records import Fact, Metric
from aifacts.contract.units import UnitError, canonical_dimensions, dimension_name, parse_unit
from aifacts.dataset.money import ConversionError, ExchangeRate, convert, currency_of
from aifacts.dataset.query import Selection, Values, resolve_entity, stated_on

if TYPE_CHECKING:
    from aifacts.consistency.rates import ImpliedRate
    from aifacts.dataset.tables import Tables

__all__ = [
    "IMPLIED",
    "Comparison",
    "ComparisonRow",
    "Derived",
    "check_unit",
    "common_unit",
    "compare",
]


@dataclass(frozen=True)
class ComparisonRow:
    """One claim in a comparison, read from one of its facts, in the comparison's unit.

    Attributes:
        entity_id: the entity asked for that this fact counts towards.
        fact: the fact read (its quote, locator, note...).
        value: the (low) value in ``unit``.
        value_high: the high end of a range, in ``unit``.
        unit: the comparison's unit, or the fact's own when it could not be converted.
        converted: whether ``value`` is in the comparison's unit.
        rate: the exchange rate used, if a currency changed.
        entity_name: the name of the fact's entity.
        source_title: the title of the fact's source (English when known).
        note: why a value was not converted, if so.
        interval: the values the fact allows, in ``unit`` (widened by an implied
            rate's own interval).
        mentions: the other facts stating the same claim.
        derived: the value is not stated but computed (converted at a rate the data
            implies); ``rate.fact_ids`` names the facts the rate comes from.
        doubt: why the number is doubted, if it is.
    """

    entity_id: str
    fact: Fact
    value: Decimal
    value_high: Decimal | None
    unit: str
    converted: bool
    rate: ExchangeRate | None
    entity_name: str
    source_title: str
    note: str | None = None
    interval: Interval | None = None
    mentions: tuple[str, ...] = ()
    derived: bool = False
    doubt: str = ""

    @property
    def text(self) -> str:
        """The value as a reader sees it: ``'≥ 80 %'``, ``'90000 PFLOPS'``."""
        return format_value(self.value, self.unit, self.fact.qualifier, self.value_high)

    @property
    def stated(self) -> str:
        """The value as the source states it, before conversion."""
        f = self.fact
        return format_value(f.value, f.unit, f.qualifier, f.value_high)

    def record(self) -> dict[str, str]:
        """The row as text columns (for CSV, JSON and tables)."""
        f = self.fact
        return {
            "entity": self.entity_id,
            "kind": "derived" if self.derived else "stated",
            "value": self.text,
            "interval": str(self.interval) if self.interval else "",
            "as_stated": self.stated,
            "status": f.status.value,
            "period": format_period(f.period_start, f.period_end),
            "about": self.entity_name,
            "source": self.source_title,
            "fact_id": f.fact_id,
            "mentions": ", ".join(self.mentions),
            "rate": self.rate.describe() if self.rate else "",
            "doubt": self.doubt,
            "note": self.note or "",
        }


def _derived_record(d: Derived) -> dict[str, str]:
    return {
        "entity": d.entity_id,
        "kind": "derived",
        "value": d.text,
        "interval": str(d.interval),
        "as_stated": "",
        "status": d.status,
        "period": "",
        "about": d.entity_name,
        "source": "",
        "fact_id": ", ".join(d.fact_ids),
        "mentions": "",
        "rate": "",
        "doubt": "",
        "note": d.how,
    }


@dataclass(frozen=True)
class Comparison:
    """What the sources say and imply about ``metric`` for each of ``entities``, in ``unit``.

    Attributes:
        metric: the metric.
        unit: the unit values are shown in.
        entities: the entity ids asked for, in order.
        rows: one row per claim, stated by the facts.
        derived: values the facts imply for an entity (ratios, shares), with intervals.
        offered: exchange rates the data implies, offered when no rate was given for
            an amount left in another currency.
        caveats: what makes the values unlike (statuses, periods), in words.
    """

    metric: Metric
    unit: str
    entities: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    derived: tuple[Derived, ...] = ()
    offered: tuple[ImpliedRate, ...] = ()
    caveats: tuple[str, ...] = ()

    def for_entity(self, entity_id: str) -> tuple[ComparisonRow, ...]:
        """The rows that count towards ``entity_id``."""
        return tuple(r for r in self.rows if r.entity_id == entity_id)

    def derived_for(self, entity_id: str) -> tuple[Derived, ...]:
        """The derived values about ``entity_id``."""
        return tuple(d for d in self.derived if d.entity_id == entity_id)

    @property
    def missing(self) -> tuple[str, ...]:
        """Entities asked for that no fact states a value for (derived ones may exist)."""
        return tuple(e for e in self.entities if not self.for_entity(e))

    def records(self) -> list[dict[str, str]]:
        """Every stated row, then every derived value, as text columns."""
        out = [row.record() for row in self.rows]
        out += [_derived_record(d) for d in self.derived]
        return out

    def __str__(self) -> str:
        lines = [f"{self.metric.label} ({self.metric.metric_id}), in {self.unit}"]
        for entity in self.entities:
            for row in self.for_entity(entity):
                rec = row.record()
                when = f", {rec['period']}" if rec["period"] else ""
                flag = f" [not converted: {row.note}]" if row.note else ""
                flag += (
                    f" [derived: converted at {row.rate.describe()}]"
                    if row.derived and row.rate
                    else ""
                )
                flag += f" [also stated by {rec['mentions']}]" if row.mentions else ""
                flag += f" [doubted: {row.doubt}]" if row.doubt else ""
                lines.append(
                    f"  {entity}: {rec['value']} ({rec['status']}{when}; {rec['about']}; "
                    f"{rec['source']}; {rec['fact_id']}){flag}"
                )
            if not self.for_entity(entity):
                lines.append(f"  {entity}: no fact")
            for d in self.derived_for(entity):
                lines.append(
                    f"  {entity}: {d.text} (derived, {d.status}; interval {d.interval}; "
                    f"from {', '.join(d.fact_ids)})"
                )
        lines += [f"  offered rate: {r.describe()}" for r in self.offered]
        lines += [f"  caveat: {c}" for c in self.caveats]
        return "\n".join(lines)


def common_unit(metric: Metric, facts: Sequence[Fact]) -> str:
    """The unit most facts are stated in (if compatible with the metric), else the metric's."""
    wanted = canonical_dimensions(parse_unit(metric.unit))
    counts = Counter(f.unit for f in facts if canonical_dimensions(parse_unit(f.unit)) == wanted)
    money = currency_of(metric.unit)
    if money is not None:  # prefer a unit in the metric's own currency
        counts = Counter({u: n for u, n in counts.items() if currency_of(u) == money}) or counts
    return counts.most_common(1)[0][0] if counts else metric.unit


def _row(
    ds: Tables,
    entity_id: str,
    fact: Fact,
    unit: str,
    rates: Sequence[ExchangeRate],
    widths: dict[tuple[str, ...], Interval],
    mentions: tuple[str, ...],
) -> ComparisonRow:
    source = ds.source(fact.source_id)
    common: dict[str, Any] = {
        "entity_id": entity_id,
        "fact": fact,
        "entity_name": ds.entity(fact.entity_id).name,
        "source_title": source.title_en or source.title,
        "mentions": mentions,
        "doubt": doubt_of(fact),
    }
    rate = rate_for(fact.unit, unit, rates, stated_on(fact, ds))
    metric = ds.metric(fact.metric_id)
    try:
        low = convert(fact.quantity, unit, rate)
        high = fact.quantity_high
        high_value = convert(high, unit, rate).quantity.magnitude if high is not None else None
        width = widths.get(rate.fact_ids) if rate is not None and low.rate is not None else None
        interval = interval_in(fact, metric, unit, low.rate and rate, width)
    except ConversionError as exc:
        return ComparisonRow(
            value=fact.value,
            value_high=fact.value_high,
            unit=fact.unit,
            converted=False,
            rate=None,
            note=str(exc).split(":")[0],
            interval=interval_in(fact, metric, fact.unit),
            **common,
        )
    return ComparisonRow(
        value=low.quantity.magnitude,
        value_high=high_value,
        unit=unit,
        converted=True,
        rate=low.rate,
        interval=interval,
        derived=low.rate is not None and width is not None,
        **common,
    )


def compare(
    ds: Tables,
    metric: str,
    entities: Values,
    *,
    unit: str | None = None,
    rates: Sequence[ExchangeRate] | str = (),
    include_children: bool = False,
    by_country: bool = False,
    status: Values | None = None,
    period: Any = None,
    as_of: str | date | None = None,
) -> Comparison:
    """Line up the facts of ``metric`` for each of ``entities``, and what they imply.

    Args:
        ds: the dataset.
        metric: the metric id, e.g. ``"ai-compute-capacity"``.
        entities: entity ids or names in the order to show them, e.g. ``["cn", "us"]``.
        unit: the unit to show values in; default: the unit most of the facts use.
        rates: exchange rates allowed for amounts in another currency, or ``"implied"``
            for the rates the data implies (the values so converted are marked derived).
        include_children: count facts about entities below each one (``parent_id``).
        by_country: count every fact whose entity's ``country`` is the entity.
        status: keep only these statuses (``"actual"``...).
        period: keep only facts about this time (see :mod:`aifacts.dataset.query`).
        as_of: only what had been stated by this date.

    Returns:
        A :class:`Comparison`; ``str()`` of it is a readable summary.

    Raises:
        UnknownIdError: an unknown metric or entity (with suggestions).
        ConversionError: ``unit`` is not a unit of the metric's kind.
    """
    asked = [entities] if isinstance(entities, str) else list(entities)
    wanted = list(dict.fromkeys(resolve_entity(ds, e) for e in asked))
    everything: Selection = ds.as_of(as_of) if as_of is not None else ds.selection.in_force()
    chosen = everything.query(status=status, period=period)
    base = chosen.query(metric=metric)
    groups: list[tuple[str, Selection]] = []
    for entity_id in wanted:
        if by_country:
            groups.append((entity_id, base.query(country=entity_id)))
        else:
            groups.append(
                (entity_id, base.query(entity=entity_id, include_children=include_children))
            )
    facts = [f for _, sel in groups for f in sel]
    record = ds.metric(metric)
    if unit is not None:
        check_unit(unit, record)
    shown = unit or common_unit(record, facts)
    use, widths = resolve_rates(ds, everything.facts, rates)
    rows = []
    for entity_id, selection in groups:
        for claim in claims(selection, lambda f: currency_of(f.unit) == currency_of(shown)):
            rows.append(_row(ds, entity_id, claim.fact, shown, use, widths, claim.others))
    derived = tuple(
        _in_unit(d, record, shown)
        for d in derived_bounds(ds, chosen.facts, metric)
        if d.entity_id in wanted
    )
    unconverted = [r.fact for r in rows if not r.converted]
    offered = tuple(
        r
        for r in offered_rates(ds, everything.facts)
        if any({r.base, r.quote} == {currency_of(f.unit), currency_of(shown)} for f in unconverted)
    )
    notes = tuple(caveats(ds, [r.fact for r in rows]))
    return Comparison(record, shown, tuple(wanted), tuple(rows), derived, offered, notes)


def _in_unit(d: Derived, metric: Metric, unit: str) -> Derived:
    """``d`` re-expressed in ``unit`` (the comparison's), exactly."""
    from dataclasses import replace

    from aifacts.contract.intervals import convert_interval

    try:
        return replace(d, interval=convert_interval(d.interval, d.unit, unit), unit=unit)
    except Exception:  # pint's DimensionalityError: a unit of another currency
        return d


def check_unit(unit: str, metric: Metric) -> None:
    try:
        parsed = parse_unit(unit)
    except UnitError as exc:
        raise ConversionError(str(exc)) from None
    if canonical_dimensions(parsed) != canonical_dimensions(parse_unit(metric.unit)):
        raise ConversionError(
            f"{unit!r} is {dimension_name(parsed)}; metric {metric.metric_id!r} is measured "
            f"in {metric.unit!r}, {dimension_name(parse_unit(metric.unit))}"
        )
