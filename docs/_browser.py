"""The fact browser: a page per source, entity and metric, cross-linked, from the data.

Each fact is written once, in full, on its source's page under a heading whose id is
the ``fact_id`` (``sources/<source_id>/#<fact_id>``); every other page links there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import _md

from aifacts.api import Dataset
from aifacts.contract.records import Entity, Fact, Metric, Source
from aifacts.contract.units import dimension_name, parse_unit

__all__ = ["fact_href", "fact_pages", "period", "show"]


def show(value: Any) -> str:
    """A record field as the CSV cell reads: ``''`` for None, enum values, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def fact_href(fact: Fact) -> str:
    """The link to a fact from any generated page one folder deep."""
    return f"../sources/{fact.source_id}.md#{fact.fact_id}"


def fact_link(fact: Fact) -> str:
    return f"[`{fact.fact_id}`]({fact_href(fact)})"


def period(fact: Fact) -> str:
    """``2024-01-01 – 2024-12-31``, one date, or empty."""
    start, end = show(fact.period_start), show(fact.period_end)
    if start and end:
        return start if start == end else f"{start} – {end}"
    return start or end


def value_of(fact: Fact) -> str:
    """The number with the source's hedging, as escaped Markdown."""
    return _md.text(
        _md.stated(show(fact.value), fact.unit, show(fact.qualifier), show(fact.value_high))
    )


def _entity_link(ds: Dataset, entity_id: str) -> str:
    entity = ds.entity(entity_id)
    return f"[{_md.text(entity.name)}](../entities/{entity_id}.md)"


def _metric_link(ds: Dataset, metric_id: str) -> str:
    metric = ds.metric(metric_id)
    return f"[{_md.text(metric.label)}](../metrics/{metric_id}.md)"


def _fact_rows(ds: Dataset, facts: list[Fact], *, about: str) -> list[tuple[str, ...]]:
    rows = []
    for f in facts:
        first = (
            _metric_link(ds, f.metric_id) if about == "entity" else _entity_link(ds, f.entity_id)
        )
        rows.append(
            (
                fact_link(f),
                first,
                value_of(f),
                show(f.status),
                period(f) or "—",
                _md.code(f.locator)
                if about == "source"
                else f"[`{f.source_id}`](../sources/{f.source_id}.md)",
            )
        )
    return rows


_FACT_HEADER = ("Fact", "{first}", "Value as stated", "Status", "Period", "Source")


def _fact_table(ds: Dataset, facts: list[Fact], *, about: str) -> str:
    first = "Metric" if about == "entity" else "Entity"
    header = tuple(h.format(first=first) for h in _FACT_HEADER)
    if about == "source":  # every fact on a source page is from that source
        header = (*header[:-1], "Locator")
    return _md.table(header, _fact_rows(ds, facts, about=about))


def _fact_section(ds: Dataset, fact: Fact, parts: list[Fact], corrected_by: list[Fact]) -> str:
    lines = [
        f"### {fact.fact_id} {{ #{fact.fact_id} }}",
        "",
        f"{_entity_link(ds, fact.entity_id)} · {_metric_link(ds, fact.metric_id)}: "
        f"**{value_of(fact)}** ({show(fact.qualifier)}, {show(fact.status)})",
        "",
        _md.quote_block(fact.quote),
        "",
    ]
    if fact.quote_en:
        lines += [
            f"*English (a convenience translation, not evidence):* {_md.text(fact.quote_en)}",
            "",
        ]
    details: list[tuple[str, str]] = [("Locator", _md.code(fact.locator))]
    if period(fact):
        details.append(("Period", period(fact)))
    if fact.as_of:
        details.append(("As of", show(fact.as_of)))
    if fact.related_entity_id:
        details.append(("Related entity", _entity_link(ds, fact.related_entity_id)))
    if fact.part_of:
        details.append(("Part of", fact_link(ds.fact(fact.part_of))))
    if parts:
        details.append(("Parts", ", ".join(fact_link(p) for p in parts)))
    if fact.supersedes:
        details.append(("Supersedes", fact_link(ds.fact(fact.supersedes))))
    if corrected_by:
        details.append(("Superseded by", ", ".join(fact_link(p) for p in corrected_by)))
    if fact.claim_id != fact.fact_id:
        details.append(("Claim", _md.text(fact.claim_id)))
    if fact.note:
        details.append(("Note", _md.text(fact.note)))
    if fact.doubt:
        details.append(("Doubt", _md.text(fact.doubt)))
    lines += [_md.table(("Field", "Value"), details), ""]
    return "\n".join(lines)


def _source_page(ds: Dataset, source: Source, facts: list[Fact], quoting: list[Source]) -> str:
    parts: dict[str, list[Fact]] = defaultdict(list)
    corrected: dict[str, list[Fact]] = defaultdict(list)
    for f in ds.facts:
        if f.part_of:
            parts[f.part_of].append(f)
        if f.supersedes:
            corrected[f.supersedes].append(f)
    meta = [
        ("Source id", f"`{source.source_id}`"),
        ("Title", _md.text(source.title)),
        ("English title", _md.text(source.title_en or "—")),
        ("Publisher", _md.text(source.publisher or "— (the document does not say)")),
        ("Published", show(source.published) or "— (the document does not say)"),
        ("Language", f"`{source.language}`"),
        ("URL", f"<{source.url}>" if source.url else "— (unknown)"),
        ("Kind", show(source.kind)),
        ("SHA-256 of the text read", _md.code(source.document_sha256 or "—")),
    ]
    if source.derived_from:
        meta.append(("Derived from", f"[`{source.derived_from}`]({source.derived_from}.md)"))
    if quoting:
        meta.append(
            ("Quoted by", ", ".join(f"[`{s.source_id}`]({s.source_id}.md)" for s in quoting))
        )
    if source.note:
        meta.append(("Note", _md.text(source.note)))
    lines = [
        f"# {_md.text(source.title_en or source.title)}",
        "",
        _md.table(("Field", "Value"), meta),
        "",
        f"## Facts ({len(facts)})",
        "",
        _fact_table(ds, facts, about="source") if facts else "This source gives no fact yet.",
        "",
    ]
    for fact in facts:
        lines.append(_fact_section(ds, fact, parts[fact.fact_id], corrected[fact.fact_id]))
    return "\n".join(lines)


def _entity_page(ds: Dataset, entity: Entity, facts: list[Fact], related: list[Fact]) -> str:
    children = [e for e in ds.entities if e.parent_id == entity.entity_id]
    meta = [
        ("Entity id", f"`{entity.entity_id}`"),
        ("Name", _md.text(entity.name)),
        ("Chinese name", _md.text(entity.name_zh or "—")),
        ("Kind", show(entity.kind)),
        ("Country", _entity_link(ds, entity.country) if entity.country else "—"),
        ("Belongs to", _entity_link(ds, entity.parent_id) if entity.parent_id else "—"),
    ]
    if children:
        meta.append(("Includes", ", ".join(_entity_link(ds, c.entity_id) for c in children)))
    if entity.note:
        meta.append(("Note", _md.text(entity.note)))
    lines = [f"# {_md.text(entity.name)}", "", _md.table(("Field", "Value"), meta), ""]
    lines += [f"## Facts about {_md.text(entity.name)} ({len(facts)})", ""]
    lines += [_fact_table(ds, facts, about="entity") if facts else "No fact is about it.", ""]
    if related:
        lines += [
            f"## Facts naming it as the other party ({len(related)})",
            "",
            "The investee of an investment, or the base of a comparison.",
            "",
            _md.table(
                ("Fact", "Entity", "Metric", "Value as stated", "Source"),
                [
                    (
                        fact_link(f),
                        _entity_link(ds, f.entity_id),
                        _metric_link(ds, f.metric_id),
                        value_of(f),
                        f"[`{f.source_id}`](../sources/{f.source_id}.md)",
                    )
                    for f in related
                ],
            ),
            "",
        ]
    return "\n".join(lines)


def _metric_page(ds: Dataset, metric: Metric, facts: list[Fact]) -> str:
    meta = [
        ("Metric id", f"`{metric.metric_id}`"),
        ("Label", _md.text(metric.label)),
        ("Description", _md.text(metric.description)),
        ("Canonical unit", _md.code(metric.unit) + f" ({dimension_name(parse_unit(metric.unit))})"),
        ("Kind", show(metric.kind)),
    ]
    if metric.note:
        meta.append(("Note", _md.text(metric.note)))
    lines = [f"# {_md.text(metric.label)}", "", _md.table(("Field", "Value"), meta), ""]
    lines += [f"## Facts ({len(facts)})", ""]
    lines += [_fact_table(ds, facts, about="metric") if facts else "No fact uses it yet.", ""]
    return "\n".join(lines)


def _indexes(ds: Dataset, by: dict[str, dict[str, list[Fact]]]) -> Iterator[tuple[str, str]]:
    rows = [
        (
            f"[`{s.source_id}`]({s.source_id}.md)",
            _md.text(s.title_en or s.title),
            _md.text(s.publisher or "—"),
            show(s.published) or "—",
            f"`{s.language}`",
            show(s.kind),
            str(len(by["source"][s.source_id])),
        )
        for s in ds.sources
    ]
    yield (
        "sources/index.md",
        "\n".join(
            [
                "# Sources",
                "",
                "The documents the facts are read from. Each page lists the source's metadata "
                "and every fact it gives, with the source's own words.",
                "",
                _md.table(
                    ("Source", "Title", "Publisher", "Published", "Lang.", "Kind", "Facts"), rows
                ),
                "",
            ]
        ),
    )
    rows = [
        (
            f"[`{e.entity_id}`]({e.entity_id}.md)",
            _md.text(e.name),
            _md.text(e.name_zh or ""),
            show(e.kind),
            f"`{e.country}`" if e.country else "—",
            str(len(by["entity"][e.entity_id])),
        )
        for e in ds.entities
    ]
    yield (
        "entities/index.md",
        "\n".join(
            [
                "# Entities",
                "",
                "Countries, cities, companies, programmes, products and groups that facts "
                "are about.",
                "",
                _md.table(("Entity", "Name", "Chinese name", "Kind", "Country", "Facts"), rows),
                "",
            ]
        ),
    )
    rows = [
        (
            f"[`{m.metric_id}`]({m.metric_id}.md)",
            _md.text(m.label),
            _md.code(m.unit),
            show(m.kind),
            str(len(by["metric"][m.metric_id])),
        )
        for m in ds.metrics
    ]
    yield (
        "metrics/index.md",
        "\n".join(
            [
                "# Metrics",
                "",
                "What is measured, with its canonical unit.",
                "",
                _md.table(("Metric", "Label", "Unit", "Kind", "Facts"), rows),
                "",
            ]
        ),
    )
    rows = [
        (
            fact_link(f),
            _entity_link(ds, f.entity_id),
            _metric_link(ds, f.metric_id),
            value_of(f),
            show(f.status),
            period(f) or "—",
            f"[`{f.source_id}`](../sources/{f.source_id}.md)",
        )
        for f in ds.facts
    ]
    yield (
        "facts/index.md",
        "\n".join(
            [
                "# All facts",
                "",
                f"Every fact of release {ds.version} ({len(ds.facts)} facts). Each id links to the "
                "fact on its source's page, with the quote that states it.",
                "",
                _md.table(
                    ("Fact", "Entity", "Metric", "Value as stated", "Status", "Period", "Source"),
                    rows,
                ),
                "",
            ]
        ),
    )


def fact_pages(ds: Dataset) -> Iterator[tuple[str, str]]:
    """Every page of the fact browser, as (path under docs/, Markdown)."""
    by: dict[str, dict[str, list[Fact]]] = {
        k: defaultdict(list) for k in ("source", "entity", "metric", "related")
    }
    for f in ds.facts:
        by["source"][f.source_id].append(f)
        by["entity"][f.entity_id].append(f)
        by["metric"][f.metric_id].append(f)
        if f.related_entity_id:
            by["related"][f.related_entity_id].append(f)
    yield from _indexes(ds, by)
    for s in ds.sources:
        quoting = [q for q in ds.sources if q.derived_from == s.source_id]
        yield f"sources/{s.source_id}.md", _source_page(ds, s, by["source"][s.source_id], quoting)
    for e in ds.entities:
        yield (
            f"entities/{e.entity_id}.md",
            _entity_page(ds, e, by["entity"][e.entity_id], by["related"][e.entity_id]),
        )
    for m in ds.metrics:
        yield f"metrics/{m.metric_id}.md", _metric_page(ds, m, by["metric"][m.metric_id])
