"""Shares lie within 0–100 %; counts are not negative."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aifacts.contract import unit_terms
from aifacts.contract.problems import Code
from aifacts.contract.records import Fact, Metric
from aifacts.contract.vocab import MetricKind
from aifacts.validation.rules.base import Kept, Rule, Subsets, Tables

__all__ = ["RULE", "as_fraction"]

_BOUNDED = (MetricKind.SHARE, MetricKind.COUNT)


def as_fraction(number: Decimal, unit: str) -> Decimal | None:
    """``number`` of ``unit`` as a plain number; ``None`` when ``unit`` is not a plain
    number or does not parse. The registry's plain terms are looked up, not parsed."""
    known = unit_terms.factor(unit)
    if known is not None:  # ``dimensionless`` is the number itself, as in Pint: unrounded
        return number if known == 1 else number * known
    if unit_terms.dimensions(unit):
        return None  # a unit problem, reported by the units rule
    from aifacts.contract.units import UnitError, canonical_dimensions, get_registry, parse_unit

    try:
        parsed = parse_unit(unit)
    except UnitError:
        return None
    if canonical_dimensions(parsed):
        return None  # a unit problem, reported by the units rule
    magnitude = get_registry().Quantity(number, parsed).to("dimensionless").magnitude
    return Decimal(magnitude)


def check(tables: Tables) -> None:
    """Report each share outside 0–100 % and each negative count."""
    kinds = {m.key: m.kind for _, m in tables["metrics"].rows if isinstance(m, Metric)}
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        kind = kinds.get(fact.metric_id)
        if kind not in _BOUNDED:
            continue
        for name in ("value", "value_high"):
            number = getattr(fact, name)
            if number is None:
                continue
            if kind is MetricKind.COUNT and number < 0:
                facts.problem(
                    row,
                    name,
                    Code.COUNT_NEGATIVE,
                    f"{number} {fact.unit} is negative; a count is 0 or more",
                )
            elif kind is MetricKind.SHARE:
                fraction = as_fraction(number, fact.unit)
                if fraction is not None and not Decimal(0) <= fraction <= Decimal(1):
                    facts.problem(
                        row,
                        name,
                        Code.SHARE_BOUNDS,
                        f"{number} {fact.unit} is outside 0–100 % for a share",
                    )


def _floats(col: Any) -> Any:
    """The cells of a kept number column as float64, null where empty: a kept cell
    is a plain decimal already."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pc.if_else(pc.greater(pc.binary_length(col), 0), col, None), pa.float64())


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The metrics that bound their facts, and the facts that may be out of bounds:
    a negative number, or a share whose float value (float rounding is monotone) is
    near or above 1 or cannot be told."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    metrics, every = kept["metrics"].table, kept["facts"].table
    bounded_kinds = pa.array([k.value for k in _BOUNDED])
    bounded = metrics.filter(pc.is_in(metrics["kind"], value_set=bounded_kinds))
    position = pc.index_in(every["metric_id"], value_set=bounded["metric_id"])
    mask = pc.is_valid(position)
    facts = every.select(["unit", "value", "value_high"]).filter(mask)
    at = position.filter(mask)
    metric_kinds = bounded["kind"].to_pylist()
    is_share = pc.take(pa.array([k == MetricKind.SHARE for k in metric_kinds], pa.bool_()), at)
    factor: dict[str, float | None] = {}
    for unit in pc.unique(facts["unit"].filter(is_share)).to_pylist():
        fraction = as_fraction(Decimal(1), unit)
        factor[unit] = None if fraction is None else float(fraction)
    index = pc.index_in(facts["unit"], value_set=pa.array(list(factor), pa.string()))
    factors = pc.take(pa.array(list(factor.values()), pa.float64()), index)
    found = np.zeros(facts.num_rows, dtype=bool)
    for name in ("value", "value_high"):
        col = facts[name]
        try:
            scaled = pc.multiply(_floats(col), factors)
        except pa.ArrowInvalid:  # a number too long for a float: check every share exactly
            scaled = pa.nulls(facts.num_rows, pa.float64())
        above = pc.fill_null(pc.greater(scaled, 1 - 1e-12), False)
        above = _surely_above(facts["unit"], col, above, factor)
        share = pc.and_(is_share, pc.or_(pc.is_null(scaled), above))
        hit = pc.and_(pc.greater(pc.binary_length(col), 0), pc.or_(share, pc.starts_with(col, "-")))
        found |= np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    if not found.any():  # (a take, even of no rows, joins a million rows' chunks)
        return {"metrics": bounded}
    picked = np.zeros(every.num_rows, dtype=bool)
    picked[pc.indices_nonzero(mask).to_numpy()[found]] = True
    return {"metrics": bounded, "facts": every.filter(pa.array(picked))}


def _surely_above(units: Any, col: Any, above: Any, factor: Mapping[str, float | None]) -> Any:
    """``above`` (cells a float puts at or over 100 %), less those that are exactly at
    most 100 % where their unit is a power of ten of a plain number (``100`` percent:
    1 exactly). Those are read as Arrow decimals and compared with 10ᵏ exactly; a
    cell too long for a decimal stays in (the check is exact)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = np.asarray(pc.fill_null(above, False).to_numpy(zero_copy_only=False), dtype=bool)
    if not mask.any():
        return above
    rows = np.flatnonzero(mask)
    picked = pa.array(rows)
    row_units = pc.take(units, picked)
    cells = pc.take(col, picked)
    for unit in pc.unique(row_units).to_pylist():
        fraction = as_fraction(Decimal(1), unit) if factor.get(unit) else None
        if not fraction or fraction.as_tuple().digits != (1,):
            continue  # no power of ten: the float's verdict stands
        limit = Decimal(1) / fraction  # 10ᵏ, exactly
        here = np.flatnonzero(np.asarray(pc.equal(row_units, unit).to_numpy(), dtype=bool))
        try:
            numbers = pc.cast(pc.take(cells, pa.array(here)), pa.decimal128(38, 12))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        over = pc.greater(numbers, pa.scalar(limit, pa.decimal128(38, 12)))
        mask[rows[here[~np.asarray(over.to_numpy(zero_copy_only=False), dtype=bool)]]] = False
    return pa.array(mask)


RULE = Rule(
    name="bounds",
    codes=(Code.SHARE_BOUNDS, Code.COUNT_NEGATIVE),
    reads={"metrics": ("kind",), "facts": ("metric_id", "unit", "value", "value_high")},
    check=check,
    suspects=suspects,
    each=("facts",),
)
