"""Totals that refuse to lie: add the facts of one metric over an entity, or say why not.

:func:`total` adds, for each entity asked for, the facts of one metric about it and
about what it holds: for a country every entity located in it (its cities, companies,
projects), and below any entity every entity under it through ``parent_id``.

It adds only what can be added, and otherwise says what blocks the sum and which
option would allow it (:class:`Blocker`):

- **status**: an actual figure, a plan and a pledge do not add up (``--status pledge``);
- **period**: a year's spending and an undated multi-year pledge do not either
  (``--period 2025``);
- **currency**: yuan and dollars add only through an exchange rate (``--rate implied``,
  the rate the data itself implies, or ``--rate CNY/USD=RATE@DATE``);
- **overlap**: a figure for an entity and one for an entity it holds (China's and
  Shanghai's) may count the same money twice: narrow the entities.

Each claim counts once (facts sharing a ``claim_id``: a headline and the body, one
amount in two currencies), and a fact that is a part of another counted fact
(``part_of``) is left to its whole. The result is an interval (the sum of what each
input allows: rounding, "over", "up to", ranges); values converted at a rate the
data implies are marked derived, doubted facts are marked doubted, and facts left
out are listed with the reason (an entity with no country counts towards none).

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> result = ds.total("subsidy-programme-budget", "shanghai", rates="implied")
    >>> result.totals[0].ok
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aifacts.answers.claims import Claim, claims, doubt_of, interval_in, rate_for
from aifacts.answers.compare import check_unit, common_unit
from aifacts.answers.evidence import caveats, offered_rates, period_label, resolve_rates
from aifacts.contract.display import format_number
from aifacts.contract.intervals import Interval, interval_sum
from aifacts.contract.vocab import EntityKind, Qualifier
from aifacts.dataset.money import ConversionError, ExchangeRate, convert, currency_of
from aifacts.dataset.query import Selection, Values, resolve_entity, stated_on

if TYPE_CHECKING:
    from aifacts.consistency.rates import ImpliedRate
    from aifacts.contract.records import Entity, Fact, Metric
    from aifacts.dataset.tables import Tables

__all__ = ["Blocker", "Part", "Total", "Totals", "total"]


@dataclass(frozen=True)
class Blocker:
    """Why facts cannot be added, and what would allow it.

    Attributes:
        reason: ``status``, ``period``, ``currency`` or ``overlap``.
        message: the facts that disagree, in words.
        options: command-line options that would allow a total (``--status pledge``);
            in Python the keyword of the same name (``status="pledge"``).
    """

    reason: str
    message: str
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        hint = f"; to total, add {' or '.join(self.options)}" if self.options else ""
        return f"{self.reason}: {self.message}{hint}"


@dataclass(frozen=True)
class Part:
    """One claim added in a total.

    Attributes:
        claim: the claim: the fact read and every mention of it.
        value: the stated value in the total's unit (``None`` if not convertible).
        interval: the values it allows in the total's unit (``None`` if not convertible).
        rate: the exchange rate used, when its currency differs.
        derived: converted at a rate the data implies (not stated in this unit).
        doubt: why the number is doubted, if it is.
    """

    claim: Claim
    value: Decimal | None
    interval: Interval | None
    rate: ExchangeRate | None
    derived: bool
    doubt: str

    @property
    def fact(self) -> Fact:
        """The fact read for the claim."""
        return self.claim.fact


@dataclass(frozen=True)
class Total:
    """The total of one metric for one entity, or what blocks it.

    Attributes:
        entity_id: the entity asked for.
        entity_name: its name.
        unit: the unit of the total.
        parts: the claims added, each once.
        blockers: why the parts cannot be added (empty when they can).
        left_out: ``(fact_id, reason)`` for facts not added (another mention of a
            counted claim is not left out: it is listed in its part).
        caveats: what a reader should know (a pledge's stated duration...).
    """

    entity_id: str
    entity_name: str
    unit: str
    parts: tuple[Part, ...]
    blockers: tuple[Blocker, ...] = ()
    left_out: tuple[tuple[str, str], ...] = ()
    caveats: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing blocks the total."""
        return not self.blockers

    @property
    def interval(self) -> Interval | None:
        """The sum of what each part allows; ``None`` when blocked or there is nothing to add."""
        if not self.ok or not self.parts or any(p.interval is None for p in self.parts):
            return None
        return interval_sum(p.interval for p in self.parts if p.interval is not None)

    @property
    def is_interval(self) -> bool:
        """Some input is a bound, a range, hedged or derived, so the total is an interval."""
        return any(p.fact.qualifier is not Qualifier.EXACT or p.derived for p in self.parts)

    @property
    def value(self) -> Decimal | None:
        """The sum of the stated values (the low end of ranges); ``None`` when blocked."""
        if self.interval is None:
            return None
        return sum((p.value for p in self.parts if p.value is not None), Decimal(0))

    @property
    def text(self) -> str:
        """``'219 billion USD'`` (exact inputs: the interval is their rounding),
        ``'at least 480 billion USD'``, ``'blocked'`` or ``'no facts'``."""
        interval = self.interval
        if not self.parts:
            return "no facts"
        if interval is None:
            return "blocked"
        if self.is_interval:
            return interval.describe(self.unit)
        return f"{format_number(self.value or Decimal(0))} {self.unit}"

    def lines(self) -> list[str]:
        """The total in words, with every part, blocker and fact left out."""
        head = f"{self.entity_id} ({self.entity_name}): {self.text}"
        if self.interval is not None and not self.is_interval:
            head += f", interval {self.interval}"
        out = [head]
        for p in self.parts:
            marks = [m for m, on in (("derived", p.derived), ("doubted", bool(p.doubt))) if on]
            also = f"; also stated by {', '.join(p.claim.others)}" if p.claim.others else ""
            shown = p.interval.describe(self.unit) if p.interval else "not convertible"
            out.append(
                f"  + {p.fact.fact_id}: {shown} ({p.fact.status.value}, "
                f"{period_label(p.fact)}; {p.fact.entity_id}{also})"
                + (f" [{', '.join(marks)}]" if marks else "")
            )
        out += [f"  blocked by {b}" for b in self.blockers]
        out += [f"  left out {fid}: {why}" for fid, why in self.left_out]
        out += [f"  caveat: {c}" for c in self.caveats]
        return out


@dataclass(frozen=True)
class Totals:
    """The totals of ``metric`` for each entity asked for.

    Attributes:
        metric: the metric.
        totals: one :class:`Total` per entity asked for, in order.
        caveats: why the totals are unlike one another (statuses or periods that differ
            between entities: a plan for 2025 beside an undated pledge).
    """

    metric: Metric
    totals: tuple[Total, ...]
    caveats: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No total is blocked."""
        return all(t.ok for t in self.totals)

    def records(self) -> list[dict[str, Any]]:
        """One row per total: entity, total, interval, claims, facts, blockers."""
        return [
            {
                "entity": t.entity_id,
                "total": t.text,
                "interval": str(t.interval) if t.interval is not None else "",
                "unit": t.unit,
                "claims": len(t.parts),
                "facts": ", ".join(f.fact_id for p in t.parts for f in p.claim.mentions),
                "blocked_by": "; ".join(str(b) for b in t.blockers),
                "left_out": "; ".join(f"{i}: {why}" for i, why in t.left_out),
            }
            for t in self.totals
        ]

    def __str__(self) -> str:
        lines = [f"Total {self.metric.label} ({self.metric.metric_id})"]
        for t in self.totals:
            lines += t.lines()
        lines += [f"unlike totals: {c}" for c in self.caveats]
        return "\n".join(lines)


def _members(ds: Tables, root: Entity) -> dict[str, list[str]]:
    """Every entity the root holds (itself too), with its holders within the root."""
    parents = {e.entity_id: e.parent_id for e in ds.entities}
    out: dict[str, list[str]] = {}
    for entity in ds.entities:
        chain: list[str] = []
        seen: str | None = entity.entity_id
        while seen is not None and seen not in chain:
            chain.append(seen)
            seen = parents.get(seen) or None
        if root.entity_id in chain:
            out[entity.entity_id] = chain[1 : chain.index(root.entity_id) + 1]
        elif root.kind is EntityKind.COUNTRY and entity.country == root.entity_id:
            out[entity.entity_id] = [*chain[1:], root.entity_id]
    return out


def _left_out_by_parts(chosen: list[Claim]) -> tuple[list[Claim], list[tuple[str, str]]]:
    counted = {f.fact_id for c in chosen for f in c.mentions}
    kept, left = [], []
    for claim in chosen:
        whole = claim.fact.part_of
        if whole is not None and whole in counted:
            left.append((claim.fact.fact_id, f"a part of {whole}, counted in its whole"))
        else:
            kept.append(claim)
    return kept, left


def _differ(what: str, groups: dict[str, list[str]], options: tuple[str, ...]) -> Blocker:
    listed = "; ".join(f"{key}: {', '.join(ids)}" for key, ids in groups.items())
    plural = "statuses" if what == "status" else f"{what}s"
    return Blocker(what, f"{plural} differ ({listed})", options)


def _blockers(
    ds: Tables,
    parts: list[Part],
    unit: str,
    holders: dict[str, list[str]],
    offered: list[ImpliedRate],
) -> list[Blocker]:
    out = []
    statuses: dict[str, list[str]] = {}
    periods: dict[str, list[str]] = {}
    for p in parts:
        statuses.setdefault(p.fact.status.value, []).append(p.fact.fact_id)
        periods.setdefault(period_label(p.fact), []).append(p.fact.fact_id)
    if len(statuses) > 1:
        out.append(_differ("status", statuses, tuple(f"--status {s}" for s in statuses)))
    if len(periods) > 1:
        years = sorted({str(p.fact.period_start.year) for p in parts if p.fact.period_start})
        out.append(_differ("period", periods, tuple(f"--period {y}" for y in years)))
    stuck = [p for p in parts if p.interval is None]
    if stuck:
        pairs = sorted({f"{currency_of(p.fact.unit)}/{currency_of(unit)}" for p in stuck})
        listed = ", ".join(f"{p.fact.fact_id} in {currency_of(p.fact.unit)}" for p in stuck)
        wanted = {frozenset((currency_of(p.fact.unit), currency_of(unit))) for p in stuck}
        implied = [r.describe() for r in offered if frozenset((r.base, r.quote)) in wanted]
        options = (
            *(["--rate implied"] if implied else []),
            *(f"--rate {q}=RATE@YYYY-MM-DD" for q in pairs),
        )
        message = f"currencies differ: the total is in {currency_of(unit)}, {listed}"
        if implied:
            message += f"; the data implies {'; '.join(implied)}"
        out.append(Blocker("currency", message, options))
    counted = {p.fact.entity_id: p.fact.fact_id for p in parts}
    for p in parts:
        for holder in holders.get(p.fact.entity_id, []):
            if holder in counted:
                out.append(
                    Blocker(
                        "overlap",
                        f"{p.fact.fact_id} is about {ds.entity(p.fact.entity_id).name}, held by "
                        f"{ds.entity(holder).name}, which has its own figure ({counted[holder]}): "
                        "the whole may include the part",
                        ("--entities naming only one of them",),
                    )
                )
    return out


def _one(
    ds: Tables,
    base: Selection,
    metric: Metric,
    entity_id: str,
    unit: str,
    rates: tuple[ExchangeRate, ...],
    widths: dict[tuple[str, ...], Interval],
    offered: list[ImpliedRate],
) -> Total:
    root = ds.entity(entity_id)
    holders = _members(ds, root)
    facts = [f for f in base if f.entity_id in holders]
    chosen = claims(facts, lambda f: currency_of(f.unit) == currency_of(unit))
    kept, left = _left_out_by_parts(chosen)
    parts = []
    for claim in kept:
        rate = rate_for(claim.fact.unit, unit, rates, stated_on(claim.fact, ds))
        crosses = rate is not None and currency_of(claim.fact.unit) != currency_of(unit)
        width = widths.get(rate.fact_ids) if rate is not None and crosses else None
        used = rate if crosses else None
        try:
            value: Decimal | None = convert(claim.fact.quantity, unit, used).quantity.magnitude
            interval: Interval | None = interval_in(claim.fact, metric, unit, used, width)
        except ConversionError:
            value = interval = None
        parts.append(Part(claim, value, interval, used, width is not None, doubt_of(claim.fact)))
    if root.kind is EntityKind.COUNTRY:
        nowhere = [
            f for f in base if f.entity_id not in holders and ds.entity(f.entity_id).country is None
        ]
        left += [
            (f.fact_id, f"{ds.entity(f.entity_id).name} has no country: it counts towards none")
            for f in nowhere
        ]
    blockers = _blockers(ds, parts, unit, holders, offered)
    notes = caveats(ds, [p.fact for p in parts])
    notes = [n for n in notes if not n.startswith(("statuses differ", "periods differ"))]
    return Total(
        entity_id, root.name, unit, tuple(parts), tuple(blockers), tuple(left), tuple(notes)
    )


def total(
    ds: Tables,
    metric: str,
    entities: Values,
    *,
    unit: str | None = None,
    rates: tuple[ExchangeRate, ...] | str = (),
    status: Values | None = None,
    period: Any = None,
    as_of: str | date | None = None,
) -> Totals:
    """Add the facts of ``metric`` for each of ``entities``, each claim once, or say why not.

    Args:
        ds: the dataset.
        metric: the metric id, e.g. ``"ai-infrastructure-investment"``.
        entities: entity ids or names (``"cn"``, ``"China"``, ``"中国"``).
        unit: the unit of the totals; default: the unit most of the facts use (in the
            metric's own currency when some are).
        rates: exchange rates allowed across currencies, or ``"implied"`` for the rates
            the data implies (values so converted are marked derived).
        status: add only facts of these statuses (``"pledge"``).
        period: add only facts about this time (``2025``; undated facts never match).
        as_of: only what had been stated by this date.

    Returns:
        :class:`Totals`; each :class:`Total` is ``ok`` or lists its blockers.

    Raises:
        UnknownIdError: an unknown metric or entity (with suggestions).
        ConversionError: ``unit`` is not a unit of the metric's kind; a malformed ``rates``.
    """
    asked = [entities] if isinstance(entities, str) else list(entities)
    wanted = list(dict.fromkeys(resolve_entity(ds, e) for e in asked))
    everything: Selection = ds.as_of(as_of) if as_of is not None else ds.selection.in_force()
    base = everything.query(metric=metric, status=status, period=period)
    record = ds.metric(metric)
    if unit is not None:
        check_unit(unit, record)
    shown = unit or common_unit(record, list(base))
    use, widths = resolve_rates(ds, everything.facts, rates)
    offered = offered_rates(ds, everything.facts) if not use else []
    totals = tuple(_one(ds, base, record, e, shown, use, widths, offered) for e in wanted)
    across = [p.fact for t in totals for p in t.parts]
    unlike = [n for n in caveats(ds, across) if n.startswith(("statuses", "periods"))]
    return Totals(record, totals, tuple(unlike) if len(totals) > 1 else ())
