"""Charts over time: how a number of the United States or China moved, year by year.

A series is one entity's facts on one metric (or on the metrics of one family, such
as total and intelligent computing power) that are about one calendar year or one
day: the point sits at the end of that time. Facts about several years (a 2013–2023
total) are not points in time and are left out; the table under each chart lists
every fact drawn. Panels are chosen by rule, not by id: a metric (or family) gets a
panel when the United States or China has facts for three or more distinct times.

Hedging is drawn as the other charts draw it: a filled marker is exact, a hollow one
*approximately*; a range is a vertical line between its ends, an *at least* a dashed
line up to the top of the axis, an *at most* a dashed line down to zero. What is
measured (``actual``, ``estimate``) is a circle, joined by a line per series; what
is aimed at or expected (``target``, ``plan``, ``pledge``, ``forecast``) is a
diamond, never joined: a target is not a level reached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aifacts.api import Dataset
    from aifacts.contract.records import Fact

__all__ = ["COUNTRY_COLOURS", "SeriesPanel", "series_panels", "series_spec", "styled"]

COUNTRIES = {"us": "United States", "cn": "China"}
#: Each country's colour, in every chart of the site.
COUNTRY_COLOURS = {"United States": "#1f5fa8", "China": "#c8312b"}
MEASURED = frozenset({"actual", "estimate"})
MIN_TIMES = 3


@dataclass(frozen=True)
class SeriesPanel:
    """A chart over time: its title, the unit of its axis and the facts it draws."""

    slug: str
    title: str
    unit: str
    facts: tuple[Fact, ...]


def point_in_time(fact: Fact) -> date | None:
    """The end of the one calendar year or the one day ``fact`` is about, else ``None``."""
    start, end = fact.period_start, fact.period_end
    if start is None or end is None:
        return None
    if start == end:
        return end
    whole_year = start.year == end.year and (start.month, start.day, end.month, end.day) == (
        1,
        1,
        12,
        31,
    )
    return end if whole_year else None


def decimal_year(fact: Fact) -> float:
    """Where a point sits on the axis of years: a whole year at its middle (2023 → 2023.5),
    a day at its place in its year (30 June 2023 → about 2023.49)."""
    start, end = fact.period_start, fact.period_end
    assert start is not None and end is not None
    if start != end:
        return end.year + 0.5
    days = (date(end.year + 1, 1, 1) - date(end.year, 1, 1)).days
    return end.year + (end.timetuple().tm_yday - 0.5) / days


def _family(ds: Dataset, metric_id: str) -> str:
    metric = ds.metric(metric_id)
    return metric.family or metric_id


def _country_entity(ds: Dataset, entity_id: str) -> bool:
    return entity_id in COUNTRIES


def series_panels(ds: Dataset) -> list[SeriesPanel]:
    """One panel per metric family with a time series for the US or China."""
    by_family: dict[str, list[Fact]] = defaultdict(list)
    for fact in ds.facts:
        if _country_entity(ds, fact.entity_id) and point_in_time(fact) is not None:
            by_family[_family(ds, fact.metric_id)].append(fact)
    panels = []
    for family, facts in sorted(by_family.items()):
        times: dict[str, set[date]] = defaultdict(set)
        for fact in facts:
            moment = point_in_time(fact)
            assert moment is not None
            times[fact.entity_id].add(moment)
        if max(len(t) for t in times.values()) < MIN_TIMES:
            continue
        units = {str(f.quantity.dimensionality) for f in facts}
        if len(units) != 1:
            continue  # two currencies, say: never one axis
        first = ds.metric(facts[0].metric_id)
        metrics = sorted({f.metric_id for f in facts})
        title = (
            " and ".join(ds.metric(m).label for m in metrics) if len(metrics) > 1 else first.label
        )
        who = " and ".join(COUNTRIES[e] for e in sorted(times, key=lambda e: e != "us"))
        unit = _axis_unit(facts)
        facts.sort(key=lambda f: (point_in_time(f), f.entity_id, f.metric_id, f.fact_id))
        panels.append(
            SeriesPanel(
                slug=f"over-time-{family}",
                title=f"{who}: {title}, over time ({unit})",
                unit=unit,
                facts=tuple(facts),
            )
        )
    return panels


def _axis_unit(facts: list[Fact]) -> str:
    """The unit most of the facts are stated in (so most labels need no conversion)."""
    counts: dict[str, int] = defaultdict(int)
    for fact in facts:
        counts[fact.unit] += 1
    return max(sorted(counts), key=lambda u: counts[u])


def _rows(ds: Dataset, panel: SeriesPanel) -> tuple[list[dict[str, Any]], float]:
    def convert(fact: Fact, number: Any) -> float:
        return float((number * fact.quantity.units).to(panel.unit).magnitude)

    values = [
        convert(f, f.value_high if f.value_high is not None else f.value) for f in panel.facts
    ]
    top = max([*values, 0.0]) * 1.15 or 1.0
    rows = []
    for fact in panel.facts:
        moment = point_in_time(fact)
        assert moment is not None
        value = convert(fact, fact.value)
        qualifier = fact.qualifier.value
        status = fact.status.value
        many_metrics = len({f.metric_id for f in panel.facts}) > 1
        label = COUNTRIES[fact.entity_id]
        if many_metrics:
            label += " · " + ds.metric(fact.metric_id).label
        row: dict[str, Any] = {
            "when": moment.isoformat(),
            "year": decimal_year(fact),
            "y": value,
            "series": label,
            "status": status,
            "kind": "measured" if status in MEASURED else "aimed at or expected",
            "qualifier": qualifier,
            "fact": fact.fact_id,
            "source": fact.source_id,
        }
        if qualifier == "at_least":
            row |= {"lo": value, "hi": top, "bound": "open-ended"}
        elif qualifier == "at_most":
            row |= {"lo": 0.0, "hi": value, "bound": "open-ended"}
        elif qualifier == "range" and fact.value_high is not None:
            row |= {"lo": value, "hi": convert(fact, fact.value_high), "bound": "range"}
        rows.append(row)
    return rows, top


def series_spec(ds: Dataset, panel: SeriesPanel) -> dict[str, Any]:
    """The Vega-Lite spec of a chart over time."""
    import altair as alt

    rows, top = _rows(ds, panel)
    base = alt.Chart(alt.Data(values=rows))
    years = [r["year"] for r in rows]
    x = alt.X(
        "year:Q",
        title="year (a whole year at its middle, a day at its date)",
        scale=alt.Scale(domain=[int(min(years)), int(max(years)) + 1], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    y_scale = alt.Scale(domain=[0, top], nice=False)
    y = alt.Y("y:Q", scale=y_scale, title=panel.unit)
    names = sorted({r["series"] for r in rows})
    if set(names) <= set(COUNTRY_COLOURS):
        scale = alt.Scale(domain=names, range=[COUNTRY_COLOURS[n] for n in names])
        colour = alt.Color("series:N", title="Series", scale=scale)
    else:
        colour = alt.Color("series:N", title="Series")
    shape = alt.Shape(
        "kind:N",
        title="What the number is",
        scale=alt.Scale(domain=["measured", "aimed at or expected"], range=["circle", "diamond"]),
    )
    tooltip = ["fact:N", "source:N", "when:N", "status:N", "qualifier:N", "y:Q"]
    line = (
        base.transform_filter("datum.kind == 'measured'")
        .mark_line(strokeWidth=1.5, opacity=0.7)
        .encode(x=x, y=y, color=colour, detail="series:N")
    )
    bounds = (
        base.transform_filter("isValid(datum.lo)")
        .mark_rule(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("lo:Q", scale=y_scale, title=panel.unit),
            y2="hi:Q",
            color=colour,
            strokeDash=alt.StrokeDash(
                "bound:N",
                title="Line",
                scale=alt.Scale(domain=["open-ended", "range"], range=[[5, 3], [1, 0]]),
            ),
        )
    )
    filled = (
        base.transform_filter("datum.qualifier != 'approximately'")
        .mark_point(filled=True, size=90, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    )
    hollow = (
        base.transform_filter("datum.qualifier == 'approximately'")
        .mark_point(filled=False, size=90, strokeWidth=2.5, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    )
    layered = alt.layer(line, bounds, filled, hollow)
    return styled(layered.properties(width=560, height=320, title=panel.title), columns=2)


def styled(chart: Any, *, columns: int) -> dict[str, Any]:
    """``chart`` in the site's one chart style (fonts, legend below, no frame), as a spec."""
    configured = (
        chart.configure_view(stroke=None)
        .configure_axis(labelFont="sans-serif", titleFont="sans-serif")
        .configure_legend(
            orient="bottom", columns=columns, labelFont="sans-serif", titleFont="sans-serif"
        )
        .configure_title(font="sans-serif", fontSize=14, anchor="start")
    )
    result: dict[str, Any] = configured.to_dict()
    return result
