"""Line up what the sources say about one metric for several entities, in one unit.

:func:`compare` gathers, for each entity asked for, the facts of the metric, turns
each value into one unit (with its qualifier intact: ``≥ 80 %`` stays a lower
bound) and keeps the source, status and period beside it. Amounts in another
currency are converted only through an :class:`~aifacts.dataset.money.ExchangeRate` you
pass; without one they are shown as stated and flagged.

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

from aifacts.contract.display import format_period, format_value
from aifacts.contract.records import Fact, Metric
from aifacts.contract.units import UnitError, canonical_dimensions, dimension_name, parse_unit
from aifacts.dataset.money import ConversionError, Converted, ExchangeRate, convert, currency_of
from aifacts.dataset.query import Selection, Values, resolve_entity

if TYPE_CHECKING:
    from aifacts.dataset.tables import Tables

__all__ = ["Comparison", "ComparisonRow", "compare"]


@dataclass(frozen=True)
class ComparisonRow:
    """One fact in a comparison, its value in the comparison's unit when possible.

    Attributes:
        entity_id: the entity asked for that this fact counts towards.
        fact: the fact itself (its quote, locator, note...).
        value: the (low) value in ``unit``.
        value_high: the high end of a range, in ``unit``.
        unit: the comparison's unit, or the fact's own when it could not be converted.
        converted: whether ``value`` is in the comparison's unit.
        rate: the exchange rate used, if a currency changed.
        entity_name: the name of the fact's entity.
        source_title: the title of the fact's source (English when known).
        note: why a value was not converted, if so.
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
            "value": self.text,
            "as_stated": self.stated,
            "status": f.status.value,
            "period": format_period(f.period_start, f.period_end),
            "about": self.entity_name,
            "source": self.source_title,
            "fact_id": f.fact_id,
            "rate": self.rate.describe() if self.rate else "",
            "note": self.note or "",
        }


@dataclass(frozen=True)
class Comparison:
    """What the sources say about ``metric`` for each of ``entities``, in ``unit``."""

    metric: Metric
    unit: str
    entities: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]

    def for_entity(self, entity_id: str) -> tuple[ComparisonRow, ...]:
        """The rows that count towards ``entity_id``."""
        return tuple(r for r in self.rows if r.entity_id == entity_id)

    @property
    def missing(self) -> tuple[str, ...]:
        """Entities asked for that no fact speaks about."""
        return tuple(e for e in self.entities if not self.for_entity(e))

    def records(self) -> list[dict[str, str]]:
        """Every row as text columns."""
        return [row.record() for row in self.rows]

    def __str__(self) -> str:
        lines = [f"{self.metric.label} ({self.metric.metric_id}), in {self.unit}"]
        for row in self.rows:
            rec = row.record()
            when = f", {rec['period']}" if rec["period"] else ""
            flag = f" [not converted: {row.note}]" if row.note else ""
            lines.append(
                f"  {row.entity_id}: {rec['value']} ({rec['status']}{when}; {rec['about']}; "
                f"{rec['source']}; {rec['fact_id']}){flag}"
            )
        lines += [f"  {e}: no fact" for e in self.missing]
        return "\n".join(lines)


def _common_unit(metric: Metric, facts: Sequence[Fact]) -> str:
    """The unit most facts are stated in (if compatible with the metric), else the metric's."""
    wanted = canonical_dimensions(parse_unit(metric.unit))
    counts = Counter(f.unit for f in facts if canonical_dimensions(parse_unit(f.unit)) == wanted)
    money = currency_of(metric.unit)
    if money is not None:  # prefer a unit in the metric's own currency
        counts = Counter({u: n for u, n in counts.items() if currency_of(u) == money}) or counts
    return counts.most_common(1)[0][0] if counts else metric.unit


def _rate_for(fact: Fact, unit: str, rates: Sequence[ExchangeRate]) -> ExchangeRate | None:
    pair = {currency_of(fact.unit), currency_of(unit)}
    for rate in rates:
        if {rate.base, rate.quote} == pair:
            return rate
    return None


def _row(
    ds: Tables, entity_id: str, fact: Fact, unit: str, rates: Sequence[ExchangeRate]
) -> ComparisonRow:
    source = ds.source(fact.source_id)
    common: dict[str, Any] = {
        "entity_id": entity_id,
        "fact": fact,
        "entity_name": ds.entity(fact.entity_id).name,
        "source_title": source.title_en or source.title,
    }
    rate = _rate_for(fact, unit, rates)
    try:
        low: Converted = convert(fact.quantity, unit, rate)
        high = fact.quantity_high
        high_value = convert(high, unit, rate).quantity.magnitude if high is not None else None
    except ConversionError as exc:
        return ComparisonRow(
            value=fact.value,
            value_high=fact.value_high,
            unit=fact.unit,
            converted=False,
            rate=None,
            note=str(exc).split(":")[0],
            **common,
        )
    return ComparisonRow(
        value=low.quantity.magnitude,
        value_high=high_value,
        unit=unit,
        converted=True,
        rate=low.rate,
        **common,
    )


def compare(
    ds: Tables,
    metric: str,
    entities: Values,
    *,
    unit: str | None = None,
    rates: Sequence[ExchangeRate] = (),
    include_children: bool = False,
    by_country: bool = False,
    status: Values | None = None,
    period: Any = None,
    as_of: str | date | None = None,
) -> Comparison:
    """Line up the facts of ``metric`` for each of ``entities``, in one unit.

    Args:
        ds: the dataset.
        metric: the metric id, e.g. ``"ai-compute-capacity"``.
        entities: entity ids in the order to show them, e.g. ``["cn", "us"]``.
        unit: the unit to show values in; default: the unit most of the facts use.
        rates: exchange rates allowed for amounts in another currency.
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
    everything: Selection = ds.as_of(as_of) if as_of is not None else ds.selection
    base = everything.query(metric=metric, status=status, period=period)
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
        _check_unit(unit, record)
    shown = unit or _common_unit(record, facts)
    rows = tuple(_row(ds, e, f, shown, rates) for e, sel in groups for f in sel)
    return Comparison(record, shown, tuple(wanted), rows)


def _check_unit(unit: str, metric: Metric) -> None:
    try:
        parsed = parse_unit(unit)
    except UnitError as exc:
        raise ConversionError(str(exc)) from None
    if canonical_dimensions(parsed) != canonical_dimensions(parse_unit(metric.unit)):
        raise ConversionError(
            f"{unit!r} is {dimension_name(parsed)}; metric {metric.metric_id!r} is measured "
            f"in {metric.unit!r}, {dimension_name(parse_unit(metric.unit))}"
        )
