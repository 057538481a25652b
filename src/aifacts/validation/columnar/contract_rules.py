"""The columnar form of the claims, canonical-value and source-basis rules.

Whole-column tests pick the rows that may break a rule; those rows alone go through
the row engine's own rule (:mod:`aifacts.validation.claims`,
:mod:`aifacts.validation.canonical_values`, :mod:`aifacts.validation.source_basis`), so
each problem is the very one the row engine reports. ``run`` is the columnar engine's
runner of a row rule on subsets (``rules._run``), passed in so that this module does
not import the registry that lists it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract.canonical import canonical_unit, conversion_factor
from aifacts.validation.canonical_values import check_canonical_values
from aifacts.validation.claims import check_claims
from aifacts.validation.columnar.read import Kept
from aifacts.validation.source_basis import check_source_basis

if TYPE_CHECKING:
    from aifacts.validation.report import Collector

__all__ = ["canonical_values_rule", "claims_rule", "source_basis_rule"]

Resources = MutableMapping[str, Kept]
Run = Callable[..., None]


def source_basis_rule(kept: Resources, out: Collector, run: Run) -> None:
    """Sources are few: every one goes through the row rule."""
    run(check_source_basis, kept, {"sources": kept["sources"].table}, out, "sources")


def claims_rule(kept: Resources, out: Collector, run: Run) -> None:
    """The facts of claims held by more than one fact, or named after another fact, and
    the facts that supersede them, go through the row rule together."""
    facts = kept["facts"].table
    claim, fact_id = _text(facts["claim_id"]), _text(facts["fact_id"])
    counts = pc.value_counts(claim)
    shared = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    named = pc.unique(claim.filter(pc.not_equal(claim, fact_id)))
    claims = pc.unique(pa.concat_arrays([shared.cast(pa.string()), named.cast(pa.string())]))
    if not len(claims):
        return
    involved = pc.or_(pc.is_in(claim, value_set=claims), pc.is_in(fact_id, value_set=claims))
    members = fact_id.filter(involved)
    correcting = pc.is_in(_text(facts["supersedes"]), value_set=members.combine_chunks())
    subset = facts.filter(pc.or_(involved, correcting))
    run(check_claims, kept, {"metrics": kept["metrics"].table, "facts": subset}, out, "facts",
        chunked=False)  # fmt: skip


def canonical_values_rule(kept: Resources, out: Collector, run: Run) -> None:
    """Facts whose canonical columns may be wrong go through the row rule.

    Per distinct (unit, metric) the canonical unit and factor are found once. A factor
    that is a power of ten moves the decimal point only: a cell then holds exactly the
    value when its digits (sign, point and outer zeros left out) are the value's and,
    as a float, it is near the value times the factor (which fixes the point). Every
    other row is checked exactly.
    """
    facts, metrics = kept["facts"].table, kept["metrics"].table
    metric_units = dict(
        zip(metrics["metric_id"].to_pylist(), metrics["unit"].to_pylist(), strict=True)
    )
    key = pc.binary_join_element_wise(_text(facts["unit"]), _text(facts["metric_id"]), "\x00")
    distinct = pc.unique(key)
    units: list[str | None] = []
    scales: list[float | None] = []
    checked: list[bool] = []
    for joined in distinct.to_pylist():
        unit, metric_id = joined.split("\x00")
        target = canonical_unit(unit, metric_units.get(metric_id) or "")
        checked.append(target is not None)
        units.append(target)
        scales.append(None if target is None else _power_of_ten(conversion_factor(unit, target)))
    at = pc.index_in(key, value_set=distinct)
    want_unit = pc.take(pa.array(units, pa.string()), at)
    scale = pc.take(pa.array(scales, pa.float64()), at)
    fine = pc.and_(
        pc.fill_null(pc.equal(_text(facts["unit_canonical"]), want_unit), False),
        pc.is_valid(scale),
    )
    for source, derived in (("value", "value_canonical"), ("value_high", "value_high_canonical")):
        fine = pc.and_(fine, _moved_point(_text(facts[source]), _text(facts[derived]), scale))
    suspect = pc.and_(pc.take(pa.array(checked, pa.bool_()), at), pc.invert(fine))
    if not pc.any(suspect).as_py():
        return
    subsets = {"metrics": metrics, "facts": facts.filter(suspect)}
    run(check_canonical_values, kept, subsets, out, "facts")


def _text(col: Any) -> Any:
    """A column as strings, an empty cell as ``''`` (never null)."""
    return pc.fill_null(col.cast(pa.string()), "")


def _power_of_ten(factor: Fraction) -> float | None:
    """``factor`` as a float when it is 10ᵏ (|k| < 290), else ``None``."""
    top, bottom = factor.numerator, factor.denominator
    whole = top if bottom == 1 else bottom if top == 1 else 0
    text = str(whole)
    if text.startswith("1") and set(text[1:]) <= {"0"} and len(text) < 290:
        return float(factor)
    return None


def _digits(col: Any) -> Any:
    bare = pc.replace_substring_regex(col, pattern=r"[-.]", replacement="")
    return pc.utf8_rtrim(pc.utf8_ltrim(bare, characters="0"), characters="0")


def _moved_point(value: Any, held: Any, scale: Any) -> Any:
    """Rows whose ``held`` cell is surely ``value`` × ``scale`` (both empty counts)."""
    both_empty = pc.and_(pc.equal(value, ""), pc.equal(held, ""))
    digits = _digits(value)
    same_digits = pc.equal(digits, _digits(held))
    zero = pc.equal(digits, "")
    wanted = pc.multiply(_floats(value), scale)
    near = pc.less_equal(
        pc.abs(pc.subtract(_floats(held), wanted)), pc.multiply(pc.abs(wanted), 1e-9)
    )
    normal = pc.and_(pc.greater(pc.abs(wanted), 1e-290), pc.less(pc.abs(wanted), 1e290))
    filled = pc.and_(pc.not_equal(value, ""), pc.not_equal(held, ""))
    sure = pc.and_(pc.and_(filled, same_digits), pc.or_(zero, pc.and_(normal, near)))
    return pc.fill_null(pc.or_(both_empty, sure), False)


def _floats(col: Any) -> Any:
    return pc.cast(pc.if_else(pc.greater(pc.binary_length(col), 0), col, None), pa.float64())
