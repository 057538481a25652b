"""The data dictionary page, rendered from the package descriptor and the unit registry.

Nothing here is written by hand: every resource and column comes from the descriptor
that ``aifacts build`` writes (:func:`aifacts.release.build.descriptor`), every unit from
:data:`aifacts.contract.units.UNIT_DEFINITIONS`, every vocabulary from
:mod:`aifacts.contract.vocab`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import _md

from aifacts.api import Dataset
from aifacts.contract.schema import RESOURCES
from aifacts.contract.units import (
    COUNTED_THINGS,
    CURRENCIES,
    UNIT_DEFINITIONS,
    dimension_name,
    parse_unit,
)
from aifacts.release.build import descriptor

__all__ = ["data_dictionary"]

_UNIT_OF_COLUMN = {
    ("facts", "value"): "in the fact's `unit`",
    ("facts", "value_high"): "in the fact's `unit`",
    ("facts", "unit"): "a unit of the [registry](#units)",
    ("metrics", "unit"): "a unit of the [registry](#units)",
}


def _constraints(field: dict[str, Any], primary_key: list[str], fks: dict[str, str]) -> str:
    parts = []
    if field["name"] in primary_key:
        parts.append("primary key (unique)")
    constraints = field.get("constraints", {})
    if constraints.get("required"):
        parts.append("required")
    if "pattern" in constraints:
        parts.append("pattern " + _md.code(constraints["pattern"]))
    if field["name"] in fks:
        parts.append("references " + fks[field["name"]])
    if field.get("bareNumber"):
        parts.append("plain decimal")
    if field.get("type") == "date":
        parts.append("YYYY-MM-DD")
    return "; ".join(parts) or "—"


def _foreign_keys(schema: dict[str, Any], resource: str) -> dict[str, str]:
    out = {}
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]["resource"] or resource
        key = fk["reference"]["fields"]
        out[fk["fields"]] = f"[`{target}.{key}`](#{target}-{key})"
    return out


def _resource_section(entry: dict[str, Any], rows: int) -> list[str]:
    name = entry["name"]
    schema = entry["schema"]
    fks = _foreign_keys(schema, name)
    lines = [
        f"## {_md.text(entry.get('title', name))} {{ #{name} }}",
        "",
        _md.text(entry.get("description", "")),
        "",
        f"File `{entry['path']}` · {rows} rows · {entry.get('bytes', '?')} bytes · "
        f"primary key `{', '.join(schema['primaryKey'])}`"
        + (f" · hash `{entry['hash']}`" if "hash" in entry else ""),
        "",
    ]
    body = []
    for field in schema["fields"]:
        column = field["name"]
        enum = field.get("constraints", {}).get("enum")
        body.append(
            (
                f'<a id="{name}-{column}"></a>`{column}`',
                field["type"],
                _constraints(field, schema["primaryKey"], fks),
                ", ".join(f"`{v}`" for v in enum) if enum else "—",
                _UNIT_OF_COLUMN.get((name.removesuffix("-json"), column), "—"),
                _md.text(field.get("description", "")),
            )
        )
    header = ("Column", "Type", "Constraints", "Allowed values", "Unit", "Description")
    lines += [_md.table(header, body), ""]
    return lines


def _units_section(ds: Dataset) -> list[str]:
    used: dict[str, set[str]] = defaultdict(set)
    for metric in ds.metrics:
        used[metric.unit].add(f"[{metric.metric_id}](../metrics/{metric.metric_id}.md) (canonical)")
    for fact in ds.facts:
        used[fact.unit].add(f"[{fact.metric_id}](../metrics/{fact.metric_id}.md)")
    groups = {
        "Prefixes": [d for d in UNIT_DEFINITIONS if d.split("=")[0].strip().endswith("-")],
        "Currencies (each its own dimension; no fixed rate links them)": [
            d for d in UNIT_DEFINITIONS if d.split("=")[0].strip() in CURRENCIES
        ],
        "Counted things (each its own dimension)": [
            d for d in UNIT_DEFINITIONS if d.split("=")[0].strip() in COUNTED_THINGS
        ],
    }
    grouped = {d for ds_ in groups.values() for d in ds_}
    groups = {
        "Base and derived units": [d for d in UNIT_DEFINITIONS if d not in grouped],
        **groups,
    }
    lines = [
        "## Units { #units }",
        "",
        "Every `unit` cell parses with one [Pint](https://pint.readthedocs.io/) registry, "
        "`aifacts.ureg`, built from exactly the definitions below and nothing else. The "
        "same lines are written into `datapackage.json` under `units`, so readers without "
        "this library see what every unit string means. A space multiplies: "
        "`billion CNY` is 10⁹ CNY.",
        "",
    ]
    for title, defs in groups.items():
        lines += [f"### {title}", "", "```text", *defs, "```", ""]
    rows = []
    for unit in sorted(used, key=str.lower):
        rows.append(
            (_md.code(unit), dimension_name(parse_unit(unit)), ", ".join(sorted(used[unit])))
        )
    lines += [
        "### Units in use { #units-in-use }",
        "",
        "Every unit string the release uses, what it measures, and the metrics that use it.",
        "",
        _md.table(("Unit", "Measures", "Metrics"), rows),
        "",
    ]
    return lines


def _vocabulary_section() -> list[str]:
    from aifacts.contract import vocab

    lines = ["## Vocabularies { #vocabularies }", ""]
    for name in vocab.__all__:
        enum = getattr(vocab, name)
        doc = (enum.__doc__ or "").strip().splitlines()[0]
        values = ", ".join(f"`{m.value}`" for m in enum)
        lines += [f"- **{name}** — {_md.text(doc)}: {values}"]
    return [*lines, ""]


def data_dictionary(folder: Path, ds: Dataset) -> str:
    """The Markdown of the data dictionary of the package in ``folder``."""
    desc = descriptor(folder)
    counts = {"sources": len(ds.sources), "entities": len(ds.entities)}
    counts |= {"metrics": len(ds.metrics), "facts": len(ds.facts)}
    licenses = ", ".join(
        f"[{_md.text(lic['name'])}]({lic['path']})" for lic in desc.get("licenses", [])
    )
    lines = [
        "# Data dictionary",
        "",
        '!!! note "Generated, not written"',
        "    This page is rendered from the package descriptor "
        "(`aifacts.release.build.descriptor`, the same `datapackage.json` that `aifacts build` "
        "writes) and the unit registry each time the site is built, so it cannot go stale.",
        "",
        f"Package `{desc['name']}` version **{desc['version']}** · created "
        f"`{desc['created']}` · licence {licenses}.",
        "",
        "Resources: "
        + ", ".join(f"[{r.name}](#{r.name}) ({counts.get(r.name, 0)} rows)" for r in RESOURCES)
        + ". Columns may hold an empty cell wherever they are not required; an empty cell "
        "means the source does not say (the row's `note` says why).",
        "",
    ]
    for entry in desc["resources"]:
        # A JSON form ("facts-json") holds the rows of its CSV resource.
        rows = counts.get(entry["name"], counts.get(entry["name"].removesuffix("-json"), 0))
        lines += _resource_section(entry, rows)
    lines += _claims_section()
    lines += _vocabulary_section()
    lines += _units_section(ds)
    return "\n".join(lines)


def _claims_section() -> list[str]:
    return [
        "## Claims, canonical values and doubt { #claims }",
        "",
        "- **`claim_id`**: facts that state one claim share it: a headline, a summary and "
        "the body restating one number; one amount stated in two currencies; the English "
        "and the Chinese text; a source repeating the one it is `derived_from`. A fact "
        "alone in its claim has its own `fact_id`. Count a claim once in totals. "
        "`aifacts validate` checks that the facts of a claim agree in entity, metric, "
        "period and status and that their amounts in one unit overlap (as the intervals "
        "their qualifiers allow). Amounts in two currencies are not compared by "
        "validation, as no fixed rate links them: stated in one sentence, they imply an "
        "exchange rate, which the consistency rule `rates` of `aifacts check` records and "
        "compares with the other rates the sources imply.",
        "- **`value_canonical`, `value_high_canonical`, `unit_canonical`**: the value in "
        "its metric's unit without a scale word (`100` `billion USD` → `100000000000` "
        "`USD`; `65` `%` of a metric in `dimensionless` → `0.65`), money in its own "
        "currency (`CNY` stays `CNY`), as exact decimals. `aifacts build` writes them and "
        "`aifacts validate` checks them exactly. They are empty when the value has no "
        "exact decimal in the metric's unit (5 months in years).",
        "- **`doubt`**: the number is recorded faithfully, as its source states it, but "
        "is contradicted by other evidence (named by fact id) or implausible; the number "
        "is not changed, and the reason is shown wherever the fact is.",
        "- **`published_basis`**: `stated` (the document gives the date), `inferred` (the "
        "note says from what) or `none` (`published` empty). **`document_held`**: whether "
        "the exact text of the source is at hand for the completeness audit "
        "(`document_sha256` set); a source not held is checked quote by quote. "
        "**`retrieved`**: the day a web page was read; empty for a document that is not a "
        "web page.",
        "- **`parent_id`** (entities): the entity this one is part of or owned by (a "
        "city's country, a subsidiary's parent company, a product's maker), never one it "
        "is only based in or supported by.",
        "",
    ]
