"""Rule ``parts``: the parts of a whole can sum to it.

A fact declares itself a part of another with ``part_of``. For each whole with
active parts, every part's interval is converted to the whole's unit and the
intervals are added (:mod:`aifacts.contract.intervals`). Then:

- the sum overlaps the whole's interval → **consistent**;
- the sum's least value exceeds the whole's greatest → **inconsistent** (the parts
  are more than the whole);
- the sum's greatest value falls short of the whole's least → **info**: the listed
  parts account for less than the whole (``part_of`` does not claim that every
  part is listed);
- a part whose unit cannot be added to the whole's (GW to yuan) → **inconsistent**;
  a part in another currency is converted with a rate its own source implies
  (:mod:`~aifacts.consistency.rates`) and the finding names it; with no such rate
  the part is reported as **info** and the sum is not checked.

Example:
    >>> import aifacts
    >>> from aifacts.consistency.context import Context
    >>> found = run(Context.from_dataset(aifacts.load()))
    >>> [f.verdict.value for f in found if "ainews-0729-05" in f.fact_ids]  # Shanghai's parts
    ['consistent']
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from aifacts.consistency.context import Context, source_ids
from aifacts.consistency.findings import Finding, Verdict
from aifacts.consistency.rates import ImpliedRate, rates_in
from aifacts.contract.intervals import Interval, convert_interval, interval_sum
from aifacts.contract.units import canonical_dimensions, parse_unit
from aifacts.dataset.money import currency_of

if TYPE_CHECKING:
    from aifacts.contract.records import Fact

__all__ = ["run"]

RULE = "parts"


def _in_whole_unit(
    context: Context, part: Fact, whole: Fact, rates: list[ImpliedRate]
) -> tuple[Interval | None, ImpliedRate | None, str | None]:
    """The part's interval in the whole's unit, the rate used, or why it cannot be added."""
    part_unit, whole_unit = parse_unit(part.unit), parse_unit(whole.unit)
    if part_unit.dimensionality == whole_unit.dimensionality:
        return context.interval(part, whole.unit), None, None
    if canonical_dimensions(part_unit) != canonical_dimensions(whole_unit):
        return None, None, f"{part.unit!r} cannot be added to {whole.unit!r}"
    source, target = currency_of(part.unit), currency_of(whole.unit)
    if source is None or target is None:
        return None, None, f"{part.unit!r} cannot be added to {whole.unit!r}"
    for rate in rates:
        if rate.source_id != part.source_id:
            continue
        oriented = rate if rate.base == source else rate.inverse()
        if (oriented.base, oriented.quote) == (source, target):
            amount = context.interval(part, oriented.base) * oriented.interval
            return convert_interval(amount, oriented.quote, whole.unit), oriented, None
    return None, None, f"{part.unit!r} needs an exchange rate to be added to {whole.unit!r}"


def _check_whole(
    context: Context, whole: Fact, parts: list[Fact], rates: list[ImpliedRate]
) -> Finding:
    ids = (whole.fact_id, *(p.fact_id for p in parts))
    sources = source_ids([whole, *parts])
    whole_interval = context.interval(whole)
    converted: list[Interval] = []
    used: list[dict[str, Any]] = []
    unaddable: list[str] = []
    problems: list[str] = []
    for part in parts:
        interval, rate, why = _in_whole_unit(context, part, whole, rates)
        if interval is None:
            unaddable.append(part.fact_id)
            problems.append(f"{part.fact_id}: {why}")
            continue
        converted.append(interval)
        if rate is not None:
            used.append({"fact_id": part.fact_id, "rate": rate.to_dict()})
    details: dict[str, Any] = {
        "whole": {"fact_id": whole.fact_id, "unit": whole.unit, **whole_interval.to_dict()},
        "parts": [
            {"fact_id": p.fact_id, "unit": p.unit, **context.interval(p).to_dict()} for p in parts
        ],
        "rates_used": used,
    }
    if unaddable:
        dimension_clash = any("cannot be added" in p for p in problems)
        verdict = Verdict.INCONSISTENT if dimension_clash else Verdict.INFO
        message = f"parts of {whole.fact_id} cannot all be added: " + "; ".join(problems)
        details["unaddable"] = unaddable
        return Finding(RULE, verdict, message, ids, sources, details)
    total = interval_sum(converted)
    details["sum"] = {"unit": whole.unit, **total.to_dict()}
    stated = " + ".join(f"{p.value} {p.unit}" for p in parts)
    what = (
        f"{len(parts)} parts ({stated}) sum to {total.describe(whole.unit)}; "
        f"the whole {whole.fact_id} asserts {whole_interval.describe(whole.unit)}"
    )
    if used:
        what += (
            " (converted with the rate "
            + ", ".join(
                f"{u['rate']['base']}→{u['rate']['quote']} of {u['rate']['source_id']}"
                for u in used
            )
            + ")"
        )
    if total.overlaps(whole_interval):
        return Finding(RULE, Verdict.CONSISTENT, f"consistent: {what}", ids, sources, details)
    if total.low > whole_interval.high:
        message = f"parts exceed the whole: {what}"
        return Finding(RULE, Verdict.INCONSISTENT, message, ids, sources, details)
    message = f"parts account for less than the whole (some may be unlisted): {what}"
    return Finding(RULE, Verdict.INFO, message, ids, sources, details)


def run(context: Context) -> list[Finding]:
    """Check every whole that has active parts; one finding per whole."""
    by_whole: dict[str, list[Fact]] = defaultdict(list)
    for fact in context.facts:
        if fact.part_of:
            by_whole[fact.part_of].append(fact)
    active = {f.fact_id: f for f in context.facts}
    rates = rates_in(context)
    findings = []
    for whole_id, parts in sorted(by_whole.items()):
        whole = active.get(whole_id)
        if whole is None:
            successor = context.superseded.get(whole_id, "an unknown fact")
            message = (
                f"the whole {whole_id} is superseded by {successor}; "
                f"its parts were not checked (point them at the new whole)"
            )
            findings.append(
                Finding(
                    RULE,
                    Verdict.INFO,
                    message,
                    (whole_id, *(p.fact_id for p in parts)),
                    source_ids(parts),
                )
            )
            continue
        findings.append(_check_whole(context, whole, parts, rates))
    return findings
