"""Builders and Hypothesis strategies for the consistency tests (intervals, rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from aifacts.api import Dataset
from aifacts.contract.intervals import Interval
from aifacts.contract.records import Entity, Fact, Metric, Source

METRICS = (
    Metric(metric_id="budget", label="Budget", description="A budget.", unit="USD", kind="flow"),
    Metric(metric_id="part-a", label="Part A", description="A part.", unit="USD", kind="flow"),
    Metric(metric_id="part-b", label="Part B", description="A part.", unit="USD", kind="flow"),
    Metric(metric_id="power", label="Power", description="Power.", unit="GW", kind="stock"),
    Metric(
        metric_id="ai-compute-capacity",
        label="AI computing capacity",
        description="AI compute.",
        unit="EFLOPS",
        kind="stock",
    ),
    Metric(
        metric_id="ai-compute-relative-to",
        label="AI compute relative to",
        description="A ratio.",
        unit="dimensionless",
        kind="ratio",
    ),
    Metric(
        metric_id="share-of-global-ai-compute",
        label="Share of global AI compute",
        description="A share.",
        unit="percent",
        kind="share",
    ),
)
ENTITIES = (
    Entity(entity_id="cn", name="China", kind="country", country="cn"),
    Entity(entity_id="us", name="United States", kind="country", country="us"),
    Entity(entity_id="city", name="City", kind="city", country="cn", parent_id="cn"),
)
SOURCES = (
    Source(source_id="s1", title="One", language="en", kind="news"),
    Source(source_id="s2", title="Two", language="en", kind="news"),
)

_DEFAULTS: dict[str, Any] = {
    "entity_id": "city",
    "metric_id": "budget",
    "unit": "million USD",
    "qualifier": "exact",
    "status": "plan",
    "source_id": "s1",
    "locator": "para 1",
    "quote": "a quote",
}


def fact(fact_id: str, value: str | int, **fields: Any) -> Fact:
    """A valid fact with defaults for what the test does not care about."""
    for name in ("value", "value_high"):
        if isinstance(fields.get(name), str | int):
            fields[name] = Decimal(fields[name])
    return Fact(fact_id=fact_id, value=Decimal(value), **{**_DEFAULTS, **fields})


def dataset(*facts: Fact) -> Dataset:
    """A dataset of ``facts`` with the test metrics, entities and sources."""
    return Dataset(sources=SOURCES, entities=ENTITIES, metrics=METRICS, facts=tuple(facts))


#: Exact decimals of modest size, as a source might write them.
decimals = st.decimals(
    min_value=Decimal("-1e6"),
    max_value=Decimal("1e6"),
    allow_nan=False,
    allow_infinity=False,
    places=4,
)
positive_decimals = st.decimals(
    min_value=Decimal("0.001"),
    max_value=Decimal("1e6"),
    allow_nan=False,
    allow_infinity=False,
    places=3,
)


@st.composite
def intervals(draw: st.DrawFn, bounded: bool = False) -> Interval:
    """Closed intervals; unless ``bounded``, an end may be infinite."""
    a, b = sorted((draw(decimals), draw(decimals)))
    if not bounded:
        if draw(st.booleans()) and draw(st.booleans()):
            a = Decimal("-Infinity")
        if draw(st.booleans()) and draw(st.booleans()):
            b = Decimal("Infinity")
    return Interval(a, b)


@st.composite
def members(draw: st.DrawFn, interval: Interval) -> Decimal:
    """A value inside a bounded ``interval``."""
    low, high = interval.low, interval.high
    if low == high:
        return low
    t = draw(st.integers(min_value=0, max_value=1000))
    value = low + (high - low) * Decimal(t) / Decimal(1000)
    return min(max(value, low), high)  # the arithmetic above rounds at 28 digits
