"""Rule ``check_canonical_values``: a fact's canonical columns say exactly its value.

``value_canonical``, ``value_high_canonical`` and ``unit_canonical`` are derived from
``value``, ``value_high``, ``unit`` and the metric's unit
(:func:`aifacts.contract.canonical.canonical_values`); ``aifacts build`` writes them.
A cell that differs (as a number for the values: ``1E+3`` is ``1000``; as text for the
unit) is reported with what the file says and what it should say. A fact whose unit
does not measure what its metric does is left to ``check_units``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from aifacts.contract.canonical import canonical_unit, canonical_values
from aifacts.contract.problems import Code, clip
from aifacts.contract.records import Fact, Metric
from aifacts.io.reading import Table
from aifacts.io.writing import cell_text
from aifacts.validation.rules.base import Kept, Rule, Subsets

__all__ = ["CANONICAL_FIELDS", "check_canonical_values"]

#: The derived columns, in the order they are checked.
CANONICAL_FIELDS = ("value_canonical", "value_high_canonical", "unit_canonical")


def check_canonical_values(tables: Mapping[str, Table]) -> None:
    """Each fact's canonical columns hold its value in its metric's canonical unit."""
    units = {m.key: m.unit for _, m in tables["metrics"].rows if isinstance(m, Metric)}
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        metric_unit = units.get(fact.metric_id)
        if metric_unit is None or canonical_unit(fact.unit, metric_unit) is None:
            continue  # a broken reference or a unit problem, reported by their rules
        wanted = canonical_values(fact.value, fact.value_high, fact.unit, metric_unit)
        for name, should in zip(CANONICAL_FIELDS, wanted, strict=True):
            held = getattr(fact, name)
            if held == should:
                continue
            says = "is empty" if held is None else f"says {clip(cell_text(held))}"
            facts.problem(
                row,
                name,
                Code.CANONICAL_MISMATCH,
                f"{name} {says}, should be {_should(should, fact, metric_unit)}; "
                "`aifacts build` writes it",
            )


def _should(should: object, fact: Fact, metric_unit: str) -> str:
    if should is not None:
        return clip(cell_text(should))
    if canonical_values(fact.value, fact.value_high, fact.unit, metric_unit)[2] is not None:
        return "empty, as value_high is"
    return f"empty ({fact.value} {fact.unit} has no exact decimal in {metric_unit})"


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """Facts whose canonical columns may be wrong.

    Per distinct (unit, metric) the canonical unit and factor are found once. A factor
    that is a power of ten moves the decimal point only: a cell then holds exactly the
    value when its digits (sign, point and outer zeros left out) are the value's and,
    as a float, it is near the value times the factor (which fixes the point). Every
    other row is checked exactly.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from aifacts.contract.canonical import conversion_factor

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
        return {}
    return {"metrics": metrics, "facts": facts.filter(suspect)}


def _text(col: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

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
    import pyarrow.compute as pc

    bare = pc.replace_substring_regex(col, pattern=r"[-.]", replacement="")
    return pc.utf8_rtrim(pc.utf8_ltrim(bare, characters="0"), characters="0")


def _moved_point(value: Any, held: Any, scale: Any) -> Any:
    import pyarrow.compute as pc

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
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pc.if_else(pc.greater(pc.binary_length(col), 0), col, None), pa.float64())


RULE = Rule(
    name="canonical_values",
    codes=(Code.CANONICAL_MISMATCH,),
    reads={
        "metrics": ("unit",),
        "facts": (
            "metric_id",
            "value",
            "value_high",
            "unit",
            "value_canonical",
            "value_high_canonical",
            "unit_canonical",
        ),
    },
    check=check_canonical_values,
    suspects=suspects,
)
