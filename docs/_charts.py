"""Charts of the US–China comparisons, drawn from the data when the site is built.

Each chart is a Vega-Lite spec (built with Altair) rendered to SVG offline by
``vl-convert``, so the site shows it with no script and no network. Facts are chosen
by rule (a metric's dimension or kind, the entity's country), not by id, so a new
fact joins its chart on the next build. The source's hedging is drawn, never
rounded away: an "at least" is a marker with a dashed line running on to the edge of
the axis, an "at most" a dashed line from zero, a range a solid line between its ends,
an "approximately" a hollow marker. Currencies are never converted into each other:
each has its own panel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import _md
import _series
from _browser import fact_href, period, show, value_of

from aifacts.api import Dataset
from aifacts.contract.records import Fact
from aifacts.contract.units import dimension_name, parse_unit

__all__ = ["CHARTS", "chart_pages"]

GROUPS = {"us": "United States", "cn": "China"}
OTHER = "Both or neither"
COLOURS = {**_series.COUNTRY_COLOURS, OTHER: "#7a7a7a"}
SHAPES = {
    "exact": "circle",
    "approximately": "circle",
    "at_least": "triangle-right",
    "at_most": "triangle-left",
    "range": "diamond",
}
KEY = (
    "**How to read the charts.** A filled circle is a number the source states exactly; "
    "a hollow circle one it gives as *approximately* (no margin is drawn, because the "
    "source gives none). A ▶ with a dashed line running on to the edge of the axis is an "
    "*at least*: the true value lies somewhere on that line. A ◀ with a dashed line from "
    "zero is an *at most*. Two ◆ joined by a solid line are a *range*. Colour gives the "
    "country. Each row names its fact; the table under each chart gives every charted "
    "fact with its source's words."
)


def country_of(ds: Dataset, entity_id: str) -> str:
    """``United States``, ``China`` or ``Both or neither``, through country and parents."""
    seen: set[str] = set()
    current: str | None = entity_id
    while current and current not in seen:
        seen.add(current)
        entity = ds.entity(current)
        if show(entity.kind) == "country":
            return GROUPS.get(entity.entity_id, OTHER)
        if entity.country:
            return GROUPS.get(entity.country, OTHER)
        current = entity.parent_id
    return OTHER


@dataclass(frozen=True)
class Panel:
    """One chart: its title, the unit its axis shows, and the facts it draws."""

    slug: str
    title: str
    unit: str
    facts: tuple[Fact, ...]
    bounded: float | None = None  # the axis ends here (100 for shares)


def _short_period(fact: Fact) -> str:
    """A whole calendar year as ``2023``; otherwise the period as the fact gives it."""
    start, end = fact.period_start, fact.period_end
    if (
        start
        and end
        and start.year == end.year
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    ):
        return str(start.year)
    return period(fact)


def _label_text(fact: Fact, unit: str, converted: float, qualifier: str) -> str:
    """The number as stated; when the axis unit differs, the exact conversion beside it."""
    stated = _md.stated(show(fact.value), fact.unit, qualifier, show(fact.value_high))
    if fact.unit == unit or qualifier == "range":
        return stated
    return f"{stated} (= {_md.QUALIFIER_SYMBOL.get(qualifier, '')}{converted:g} {unit})"


def _rows(ds: Dataset, panel: Panel) -> tuple[list[dict[str, Any]], list[str], float]:
    def convert(fact: Fact, number: Any) -> float:
        quantity = number * fact.quantity.units
        return float(quantity.to(panel.unit).magnitude)

    highs = [convert(f, f.value_high if f.value_high is not None else f.value) for f in panel.facts]
    top = panel.bounded or max([*highs, 0.0]) * 1.25 or 1.0
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for fact in panel.facts:
        entity = ds.entity(fact.entity_id)
        metric = ds.metric(fact.metric_id)
        when = _short_period(fact)
        other = f" vs {ds.entity(fact.related_entity_id).name}" if fact.related_entity_id else ""
        label = (
            f"{entity.name} · {metric.label}{other}|"
            f"{show(fact.status)}{', ' + when if when else ''} · {fact.fact_id}"
        )
        order.append(label)
        value = convert(fact, fact.value)
        qualifier = show(fact.qualifier)
        row = {
            "label": label,
            "group": country_of(ds, fact.entity_id),
            "qualifier": qualifier,
            "x": value,
            "text": _label_text(fact, panel.unit, value, qualifier),
            "fact": fact.fact_id,
        }
        if qualifier == "at_least":
            row |= {"lo": value, "hi": top, "bound": "open-ended"}
        elif qualifier == "at_most":
            row |= {"lo": 0.0, "hi": value, "bound": "open-ended"}
        elif qualifier == "range" and fact.value_high is not None:
            row |= {"lo": value, "hi": convert(fact, fact.value_high), "bound": "range"}
        rows.append(row)
        if "hi" in row and qualifier == "range":
            rows.append({**row, "x": row["hi"], "text": "", "end": True})
    return rows, order, top


def spec(ds: Dataset, panel: Panel) -> dict[str, Any]:
    """The Vega-Lite spec of a panel."""
    import altair as alt

    rows, order, top = _rows(ds, panel)
    data = alt.Data(values=rows)
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=420, labelFontSize=11, labelExpr="split(datum.label, '|')"),
    )
    x_scale = alt.Scale(domain=[0, top], nice=False)
    colour = alt.Color(
        "group:N",
        title="Country",
        scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
    )
    base = alt.Chart(data)
    rules = (
        base.transform_filter("isValid(datum.lo)")
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("lo:Q", scale=x_scale, title=panel.unit),
            x2="hi:Q",
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "bound:N",
                title="Line",
                scale=alt.Scale(domain=["open-ended", "range"], range=[[5, 3], [1, 0]]),
            ),
        )
    )
    shape = alt.Shape(
        "qualifier:N",
        title="The source says",
        scale=alt.Scale(domain=list(SHAPES), range=list(SHAPES.values())),
        legend=alt.Legend(labelExpr="replace(datum.label, '_', ' ')"),
    )
    x = alt.X("x:Q", scale=x_scale, title=panel.unit)
    filled = (
        base.transform_filter("datum.qualifier != 'approximately'")
        .mark_point(filled=True, size=110, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape)
    )
    hollow = (
        base.transform_filter("datum.qualifier == 'approximately'")
        .mark_point(filled=False, size=110, strokeWidth=2.5, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape)
    )
    labels = (
        base.transform_filter("!datum.end")
        .mark_text(align="left", dx=9, dy=-9, fontSize=11)
        .encode(x=alt.X("x:Q", scale=x_scale), y=y, text="text:N", color=colour)
    )
    chart = alt.layer(rules, filled, hollow, labels).properties(
        width=400, height=max(80, 44 * len(order)), title=panel.title
    )
    return _series.styled(chart, columns=3)


def svg(ds: Dataset, panel: Panel | _series.SeriesPanel) -> str:
    """The panel rendered to SVG, offline."""
    import vl_convert

    drawn = _series.series_spec(ds, panel) if isinstance(panel, _series.SeriesPanel) else None
    rendered: str = vl_convert.vegalite_to_svg(drawn or spec(ds, panel))  # type: ignore[arg-type]
    return rendered


def _facts_table(ds: Dataset, facts: tuple[Fact, ...]) -> str:
    rows = []
    for f in facts:
        rows.append(
            (
                f"[`{f.fact_id}`]({fact_href(f)})",
                _md.text(ds.entity(f.entity_id).name),
                _md.text(ds.metric(f.metric_id).label),
                value_of(f),
                show(f.status),
                period(f) or "—",
                f"[`{f.source_id}`](../sources/{f.source_id}.md) {_md.code(f.locator)}",
                _md.text(f.quote),
            )
        )
    header = ("Fact", "Entity", "Metric", "As stated", "Status", "Period", "Source", "Quote")
    return _md.table(header, rows)


# --- which facts each chart draws: rules over the data, not lists of ids --------------


def _metric_ids(ds: Dataset, keep: Callable[[Any], bool]) -> set[str]:
    return {m.metric_id for m in ds.metrics if keep(m)}


def _compute(ds: Dataset) -> list[Panel]:
    flops = _metric_ids(
        ds, lambda m: dimension_name(parse_unit(m.unit)) == "a compute rate (FLOPS)"
    )
    relative = _metric_ids(
        ds, lambda m: "compute" in m.metric_id and show(m.kind) in {"share", "ratio"}
    )
    return [
        Panel(
            "compute-capacity",
            "Computing power, as stated (EFLOPS)",
            "EFLOPS",
            tuple(f for f in ds.facts if f.metric_id in flops),
        ),
        Panel(
            "compute-relative",
            "Computing power in relative terms (percent)",
            "percent",
            tuple(f for f in ds.facts if f.metric_id in relative),
        ),
    ]


def _currency(fact: Fact) -> str | None:
    dims = [d for d in fact.quantity.dimensionality if d.startswith("[currency_")]
    return dims[0][len("[currency_") : -1] if len(dims) == 1 else None


def _investment(ds: Dataset) -> list[Panel]:
    metrics = _metric_ids(ds, lambda m: "investment" in m.metric_id)
    facts = [f for f in ds.facts if f.metric_id in metrics and _currency(f)]
    currencies = sorted({_currency(f) for f in facts} - {None}, key=lambda c: (c != "USD", c))
    return [
        Panel(
            f"investment-{c.lower()}",
            f"Investment pledged, planned or estimated (billion {c})",
            f"billion {c}",
            tuple(f for f in facts if _currency(f) == c),
        )
        for c in currencies
        if c
    ]


def _shares(ds: Dataset) -> list[Panel]:
    shares = _metric_ids(ds, lambda m: show(m.kind) == "share")
    facts = [
        f
        for f in ds.facts
        if f.metric_id in shares
        and country_of(ds, f.entity_id) != OTHER
        and ds.entity(f.entity_id).entity_id in GROUPS
    ]
    facts.sort(
        key=lambda f: (ds.metric(f.metric_id).label, f.entity_id != "us", show(f.period_start))
    )
    return [
        Panel(
            "shares",
            "Shares stated for the United States and China (percent)",
            "percent",
            tuple(facts),
            bounded=100.0,
        )
    ]


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    intro: str
    panels: Callable[[Dataset], list[Panel]] | Callable[[Dataset], list[_series.SeriesPanel]]


CHARTS: tuple[Chart, ...] = (
    Chart(
        "compute",
        "US and China: computing power",
        "Computing power as the sources state it: absolute capacities in EFLOPS, and "
        "relative figures (a share of the world's, one country's or chip's as a share of "
        "another's). Targets and plans are not capacities in place: the label says which "
        "each number is.",
        _compute,
    ),
    Chart(
        "investment",
        "US and China: investment",
        "Money invested, or pledged, planned or estimated to be invested, in AI and its "
        "infrastructure. Amounts in different currencies are in separate panels: no fixed "
        "rate links yuan to dollars, and this site converts none. Periods differ (one "
        "year, three years, unstated): the label and the table say which.",
        _investment,
    ),
    Chart(
        "shares",
        "US and China: shares",
        "Every share (percent of a whole) the sources state for the United States or China "
        "themselves. Shares of different wholes are on separate rows; compare within a row "
        "pair, not across.",
        _shares,
    ),
    Chart(
        "over-time",
        "US and China over time",
        "How a number moved: every metric for which the United States or China has facts "
        "about three or more distinct years or days, each point at the end of the time it "
        "is about. Measured numbers (circles) are joined per series; targets, plans and "
        "forecasts (diamonds) are drawn where they aim, never joined to what was measured. "
        "Several sources stating one figure are several points on one spot: the table "
        "lists each with its words.",
        _series.series_panels,
    ),
)


def chart_pages(ds: Dataset) -> Iterator[tuple[str, str]]:
    """Every chart page and its SVGs, as (path under docs/, content)."""
    index = [
        "# Charts",
        "",
        "Drawn from the data each time the site is built: every point is a fact of release "
        f"{ds.version}, and every chart lists the facts it draws, linked to their sources.",
        "",
        KEY,
        "",
    ]
    for chart in CHARTS:
        panels = [p for p in chart.panels(ds) if p.facts]
        index.append(
            f"- [{chart.title}]({chart.slug}.md) — {sum(len(p.facts) for p in panels)} facts"
        )
        page = [
            "---",
            "hide:",
            "  - toc",
            "---",
            "",
            f"# {chart.title}",
            "",
            chart.intro,
            "",
            f'!!! info "Reading the chart"\n    {KEY}',
            "",
        ]
        for panel in panels:
            yield f"charts/{panel.slug}.svg", svg(ds, panel)
            ids = ", ".join(f"[`{f.fact_id}`]({fact_href(f)})" for f in panel.facts)
            page += [
                f"## {panel.title} {{ #{panel.slug} }}",
                "",
                f"![{panel.title}]({panel.slug}.svg)",
                "",
                f"*Drawn from facts {ids} of release {ds.version}.*",
                "",
                _facts_table(ds, panel.facts),
                "",
            ]
        yield f"charts/{chart.slug}.md", "\n".join(page)
    yield "charts/index.md", "\n".join(index) + "\n"
