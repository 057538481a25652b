"""The canonical-values pre-filter: every fact the rule would report is among its
suspects, whichever way it numbers the facts' kinds, and a package with a distinct
unit per fact does not make it allocate per (unit, metric) pair."""

from __future__ import annotations

import contextlib
import tracemalloc
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.canonical import canonical_values  # noqa: E402
from aifacts.contract.schema import resource  # noqa: E402
from aifacts.io.reading import Table  # noqa: E402
from aifacts.io.writing import cell_text  # noqa: E402
from aifacts.validation.rules import canonical_values as rule  # noqa: E402
from aifacts.validation.rules.base import ROW, stand_ins  # noqa: E402

METRICS = [("investment", "USD"), ("power", "GW"), ("share", "percent"), ("span", "year")]
#: Units as kept rows hold them (a unit is required: never empty)
UNITS = ["USD", "billion USD", "million yuan", "MW", "GW", "%", "month", "kg", "not a unit"]
CANONICAL = ["USD", "CNY", "GW", "percent", "year", "", "billion USD"]


def _kept(facts: list[dict[str, str]]) -> dict[str, Any]:
    """Kept tables as the columnar engine holds them: text cells and row numbers."""
    columns = rule.RULE.reads["facts"]
    table = {name: pa.array([f[name] for f in facts], pa.string()) for name in columns}
    table[ROW] = pa.array(range(2, len(facts) + 2), pa.int64())
    metrics = {
        "metric_id": pa.array([m for m, _ in METRICS], pa.string()),
        "unit": pa.array([u for _, u in METRICS], pa.string()),
        ROW: pa.array(range(2, len(METRICS) + 2), pa.int64()),
    }
    return {
        "facts": SimpleNamespace(table=pa.table(table), failed_keys={}),
        "metrics": SimpleNamespace(table=pa.table(metrics), failed_keys={}),
    }


def _reported(kept: dict[str, Any]) -> set[int]:
    """The rows the rule itself reports, checking every fact."""
    tables = {
        name: Table(resource(name), name, rows=stand_ins(name, kept[name].table))
        for name in ("facts", "metrics")
    }
    rule.check_canonical_values(tables)
    return {p.row for p in tables["facts"].problems if p.row is not None}


def _suspected(kept: dict[str, Any]) -> set[int]:
    found = rule.suspects(kept)
    return set(found["facts"][ROW].to_pylist()) if found else set()


@st.composite
def _fact(draw: st.DrawFn) -> dict[str, str]:
    metric = draw(st.sampled_from([m for m, _ in METRICS] + ["no-such-metric"]))
    unit = draw(st.sampled_from(UNITS))
    value = draw(st.decimals(-(10**6), 10**6, places=3, allow_nan=False))
    high = draw(st.none() | st.decimals(-(10**6), 10**6, places=3, allow_nan=False))
    metric_unit = dict(METRICS).get(metric, "USD")
    derived: tuple[Any, Any, Any] = (None, None, None)
    with contextlib.suppress(Exception):  # a unit that does not parse: nothing derived
        derived = canonical_values(value, high, unit, metric_unit)
    cells = [cell_text(v) for v in derived]
    if draw(st.booleans()):  # a wrong cell: another value, a copy, another unit
        at = draw(st.integers(0, 2))
        cells[at] = draw(
            st.sampled_from(
                [cell_text(value), cell_text(value * 10), "", *CANONICAL]
                if at == 2
                else [cell_text(value), cell_text(value * 10), cell_text(value * 1000), "", "1E+3"]
            )
        )
    return {
        "metric_id": metric,
        "value": cell_text(value),
        "value_high": cell_text(high),
        "unit": unit,
        "value_canonical": cells[0],
        "value_high_canonical": cells[1],
        "unit_canonical": cells[2],
    }


@settings(max_examples=150, deadline=None)
@given(facts=st.lists(_fact(), min_size=1, max_size=25))
def test_every_fact_the_rule_reports_is_suspected_both_ways(facts: list[dict[str, str]]) -> None:
    kept = _kept(facts)
    reported = _reported(kept)
    counted = _suspected(kept)
    assert reported <= counted
    dense = rule._DENSE
    try:
        rule._DENSE = 0  # the kinds sorted, as for a package with many distinct units
        assert _suspected(kept) == counted
    finally:
        rule._DENSE = dense


def test_a_distinct_unit_per_fact_does_not_allocate_per_unit_and_metric() -> None:
    """3,000 units and 3,000 metrics: a table per (unit, metric) pair would be 9
    million entries (72 MB each); the facts' kinds are numbered instead."""
    n = 3000
    facts = [
        {
            "metric_id": f"metric-{i}",
            "value": "1",
            "value_high": "",
            "unit": f"USD{i}",
            "value_canonical": "1",
            "value_high_canonical": "",
            "unit_canonical": "USD",
        }
        for i in range(n)
    ]
    kept = _kept(facts)
    metrics = kept["metrics"].table
    ids = [f"metric-{i}" for i in range(n)]
    kept["metrics"].table = pa.table(
        {
            "metric_id": pa.array(ids, pa.string()),
            "unit": pa.array(["USD"] * n, pa.string()),
            ROW: pa.array(range(2, n + 2), pa.int64()),
        }
    )
    assert metrics.num_rows == len(METRICS)
    tracemalloc.start()
    try:
        found = rule.suspects(kept)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MiB"
    assert found == {}  # "USD<i>" is no unit: the units rule reports it, not this one


def test_a_copied_value_with_its_point_not_moved_is_suspected() -> None:
    good = {
        "metric_id": "investment",
        "value": "6.513",
        "value_high": "",
        "unit": "billion USD",
        "value_canonical": "6513000000",
        "value_high_canonical": "",
        "unit_canonical": "USD",
    }
    wrong = dict(good, value_canonical="6.513")
    kept = _kept([good, wrong, dict(good, unit_canonical="CNY")])
    assert _reported(kept) == {3, 4}
    assert _suspected(kept) == {3, 4}
    assert Decimal(good["value_canonical"]) == Decimal(good["value"]).scaleb(9)
