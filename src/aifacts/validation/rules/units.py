"""Units parse, and each fact's unit measures what its metric's unit measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aifacts.contract.problems import Code
from aifacts.contract.records import Fact, Metric
from aifacts.validation.rules.base import Kept, Rule, Subsets, Tables, unit_dimensions

__all__ = ["RULE"]


def _dimension_name(text: str) -> str:
    from aifacts.contract.units import dimension_name, parse_unit

    return dimension_name(parse_unit(text))


def _unit_error(text: str) -> str:
    from aifacts.contract.units import UnitError, parse_unit

    try:
        parse_unit(text)
    except UnitError as exc:
        return str(exc)
    raise AssertionError(f"{text!r} parses")  # pragma: no cover - only called on a failure


def check(tables: Tables) -> None:
    """Report each unit that does not parse, and each fact's unit of another dimension
    than its metric's."""
    metrics_table = tables["metrics"]
    metric_dims = {}
    for row, metric in metrics_table.rows:
        assert isinstance(metric, Metric)
        dims = unit_dimensions(metric.unit)
        if dims is None:
            metrics_table.problem(row, "unit", Code.UNIT_UNKNOWN, _unit_error(metric.unit))
            continue
        metric_dims[metric.key] = (dims, metric.unit)
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        dims = unit_dimensions(fact.unit)
        if dims is None:
            facts.problem(row, "unit", Code.UNIT_UNKNOWN, _unit_error(fact.unit))
            continue
        expected = metric_dims.get(fact.metric_id)
        if expected is not None and dims != expected[0]:
            facts.problem(
                row,
                "unit",
                Code.UNIT_DIMENSION,
                f"{fact.unit!r} is {_dimension_name(fact.unit)}, metric {fact.metric_id!r} "
                f"needs {_dimension_name(expected[1])}",
            )


def _dimension_ids(units: list[str]) -> list[int | None]:
    """Number each distinct dimension; ``None`` for a unit that does not parse."""
    ids: dict[Any, int] = {}
    return [
        None if (dims := unit_dimensions(text)) is None else ids.setdefault(dims, len(ids))
        for text in units
    ]


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """Every metric, and the facts whose unit does not parse or lacks its metric's
    dimension (one lookup per distinct unit)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    metrics, facts = kept["metrics"].table, kept["facts"].table
    units = pc.unique(
        pa.concat_arrays([metrics["unit"].combine_chunks(), pc.unique(facts["unit"])])
    )
    dim_of = pa.array(_dimension_ids(units.to_pylist()), pa.int64())
    fact_dim = pc.take(dim_of, pc.index_in(facts["unit"], value_set=units))
    metric_dim = pc.take(dim_of, pc.index_in(metrics["unit"], value_set=units))
    expected = pc.take(metric_dim, pc.index_in(facts["metric_id"], value_set=metrics["metric_id"]))
    unknown = pc.is_null(fact_dim)
    differs = pc.fill_null(pc.not_equal(fact_dim, expected), False)
    return {"metrics": metrics, "facts": facts.filter(pc.or_(unknown, differs))}


RULE = Rule(
    name="units",
    codes=(Code.UNIT_UNKNOWN, Code.UNIT_DIMENSION),
    reads={"metrics": ("unit",), "facts": ("metric_id", "unit")},
    check=check,
    suspects=suspects,
    each=("facts",),
)
