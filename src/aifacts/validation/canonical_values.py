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

from aifacts.contract.canonical import canonical_unit, canonical_values
from aifacts.contract.problems import Code, clip
from aifacts.contract.records import Fact, Metric
from aifacts.io.reading import Table
from aifacts.io.writing import cell_text

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
