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
from aifacts.validation.rules.base import (
    Kept,
    Rule,
    Subsets,
    as_mask,
    encoded,
    positions,
    text_column,
)

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

    Each fact is judged by its *kind*: its unit, its metric and its
    ``unit_canonical``, numbered (:func:`_kinds`). Per kind found, the canonical unit
    and factor are found once: a wrong ``unit_canonical`` or a factor that is no power
    of ten sends the fact to the exact check. Where the factor is 1 and the canonical
    cells copy the value cells, the row is sure (the common case, a few comparisons).
    Where it is another power of ten, 10ᵏ, both cells are read as Arrow decimals whose
    scales differ by ``k`` (:func:`_moved_point`).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from aifacts.contract.canonical import conversion_factor

    facts, metrics = kept["facts"].table, kept["metrics"].table
    metric_units = [u or "" for u in metrics["unit"].to_pylist()]
    names, kind_at, kinds = _kinds(facts, metrics["metric_id"])
    # per kind: _UNCHECKED (left to other rules), _EXACT, or the power of ten
    verdict = np.full(len(kinds), _UNCHECKED, dtype=np.int32)
    found_for: dict[tuple[int, int], tuple[str | None, int]] = {}  # (unit, metric): once
    for at, (unit, metric, held) in enumerate(kinds):
        if (unit, metric) not in found_for:
            text = names[0][unit]
            target = canonical_unit(text, metric_units[metric]) if metric >= 0 else None
            power = _power_of_ten(conversion_factor(text, target)) if target else _NO_POWER
            found_for[unit, metric] = target, power
        target, power = found_for[unit, metric]
        if target is not None:
            fine = held == names[1].get(target) and power != _NO_POWER
            verdict[at] = power if fine else _EXACT
    row_verdict = verdict[kind_at]
    found = row_verdict == _EXACT
    pairs = [(text_column(facts[s]), text_column(facts[d])) for s, d in _DERIVED]
    copied = as_mask(pc.and_(*(pc.equal(source, held) for source, held in pairs)))
    # sure where the point need not move and the cells are copies
    moving = (row_verdict != _UNCHECKED) & ~found & ~(copied & (row_verdict == 0))
    exponents = sorted(set(verdict.tolist()) - {_UNCHECKED, _EXACT})
    groups = [np.flatnonzero(moving & (row_verdict == exponent)) for exponent in exponents]
    where = np.concatenate(groups) if groups else np.zeros(0, np.int64)
    if len(where):  # one take a column, then a slice per power of ten
        rows = pa.array(where)
        taken = [(source.take(rows), held.take(rows)) for source, held in pairs]
        sure = np.ones(len(where), dtype=bool)
        start = 0
        for exponent, group in zip(exponents, groups, strict=True):
            end = start + len(group)
            for source, held in taken:
                part = slice(start, end)
                sure[part] &= _moved_point(source[part], held[part], exponent)
            start = end
        found[where[~sure]] = True
    if not found.any():
        return {}
    return {"metrics": metrics, "facts": facts.filter(pa.array(found))}


def _kinds(
    facts: Any, metric_ids: Any
) -> tuple[tuple[list[str], dict[str, int]], Any, list[tuple[int, int, int]]]:
    """Each fact's kind, numbered: the distinct (unit, metric, ``unit_canonical``)
    of the facts, as (the units' texts, the canonical units' numbers by text), each
    row's kind (numpy), and each kind's (unit, metric, canonical unit) numbers (a
    metric id no metric has is -1)."""
    import numpy as np
    import pyarrow.compute as pc

    units, unit_at = encoded(text_column(facts["unit"]))
    held, held_at = encoded(text_column(facts["unit_canonical"]))
    metric_at = positions(pc.index_in(facts["metric_id"], value_set=metric_ids))
    width, depth = len(metric_ids) + 1, max(len(held), 1)  # metric -1 is number 0
    size = len(units) * width * depth
    if size > _DENSE:  # many distinct units (no real package has them): sort the triples
        triples = np.stack([unit_at, metric_at + 1, held_at], axis=1)
        distinct, kind_at = np.unique(triples, axis=0, return_inverse=True)
        kinds = [(u, m - 1, h) for u, m, h in distinct.tolist()]
        return (units.to_pylist(), _numbers(held)), kind_at.reshape(-1), kinds
    key = unit_at * width  # (in place from here: a million rows' temporaries cost more)
    key += metric_at
    key += 1
    key *= depth
    key += held_at
    found = np.flatnonzero(np.bincount(key, minlength=size))  # counted: no sort
    number = np.zeros(size, dtype=np.int32)
    number[found] = np.arange(len(found), dtype=np.int32)
    kinds = [(k // (width * depth), k // depth % width - 1, k % depth) for k in found.tolist()]
    return (units.to_pylist(), _numbers(held)), number[key], kinds


def _numbers(texts: Any) -> dict[str, int]:
    """Each text's position in an Arrow array of distinct texts."""
    return {text: at for at, text in enumerate(texts.to_pylist())}


#: The value columns and the canonical columns derived from them.
_DERIVED = (("value", "value_canonical"), ("value_high", "value_high_canonical"))
#: ``power`` of a factor that is no power of ten.
_NO_POWER = -(10**6)
#: A kind of fact whose canonical columns are checked exactly, or left to other rules.
_EXACT, _UNCHECKED = -(10**6) - 1, -(10**6) - 2
#: Kinds of fact counted in a table this long at most (16 MB), else sorted.
_DENSE = 1 << 22
#: Digits after the point a value may have and still be judged here.
_FRACTION = 12


def _moved_point(value: Any, held: Any, exponent: int) -> Any:
    """Rows (a numpy mask) whose ``held`` cell is surely the number ``value`` × 10ᵏ
    (``k`` = ``exponent``); both empty counts.

    ``value`` read as a decimal of scale ``s`` and ``held`` of scale ``s - k`` are one
    integer when ``held`` = ``value`` × 10ᵏ, exactly. A cell with more digits after
    the point than those scales allow (or too many in all) is not read: its rows are
    checked exactly.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = as_mask(pc.equal(value, ""))
    both_empty = empty & as_mask(pc.equal(held, ""))
    filled = np.flatnonzero(~empty & as_mask(pc.not_equal(held, "")))
    if not len(filled):
        return both_empty
    at = pa.array(filled)
    scale = _FRACTION + max(exponent, 0)
    wide = max(scale, scale - exponent) > 24
    kind, whole = (
        (pa.decimal256, pa.decimal256(76, 0)) if wide else (pa.decimal128, pa.decimal128(38, 0))
    )
    digits = 76 if wide else 38
    try:
        read = _whole(pc.cast(value.take(at), kind(digits, scale)), whole)
        said = _whole(pc.cast(held.take(at), kind(digits, scale - exponent)), whole)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return both_empty  # a cell too long or too fine for these scales
    sure = both_empty.copy()
    sure[filled] = as_mask(pc.equal(read, said))
    return sure


def _whole(decimals: Any, whole: Any) -> Any:
    """Decimals as the integers they are stored as (a view: no copy of the digits)."""
    import pyarrow as pa

    if isinstance(decimals, pa.ChunkedArray):
        decimals = decimals.combine_chunks()
    return decimals.view(whole)


def _power_of_ten(factor: Fraction) -> int:
    """``k`` when ``factor`` is 10ᵏ, else :data:`_NO_POWER`."""
    top, bottom = factor.numerator, factor.denominator
    whole, sign = (top, 1) if bottom == 1 else (bottom, -1) if top == 1 else (0, 1)
    text = str(whole)
    if text.startswith("1") and set(text[1:]) <= {"0"} and len(text) < 60:
        return sign * (len(text) - 1)
    return _NO_POWER


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
