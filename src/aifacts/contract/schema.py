"""The data contract as data: every resource, its columns, types and constraints.

This module is the one place the contract is written down. ``datapackage.json``'s
schemas are generated from it (:func:`table_schema`), the reader checks files
against it, and the docs' data dictionary is rendered from it. Renaming a column
here is a MAJOR version (DESIGN §1).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from aifacts.contract.vocab import (
    EntityKind,
    MetricKind,
    OmissionReason,
    PublishedBasis,
    Qualifier,
    SourceKind,
    Status,
)

__all__ = [
    "ID_PATTERN",
    "MAX_INTEGER",
    "RESOURCES",
    "Field",
    "ForeignKey",
    "Resource",
    "resource",
    "table_schema",
]

#: Lowercase slugs: ``alibaba-cloud``, ``cn``, ``ainews-0729-01``.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: BCP 47 language tags as the sources need them: ``en``, ``zh``, ``zh-Hant``.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
#: The largest magnitude of an ``integer`` field: 2^53 − 1, the largest whole number
#: that every export format holds exactly (a JSON reader's or a spreadsheet's double,
#: sqlite's and parquet's int64 hold more).
MAX_INTEGER = 2**53 - 1

FieldType = Literal["string", "number", "integer", "date", "boolean"]
#: The cell text of a ``boolean`` field: Table Schema's default ``true`` and ``false`` only.
BOOLEAN_VALUES: tuple[str, str] = ("true", "false")


@dataclass(frozen=True)
class Field:
    """One column: its name, Table Schema type, whether it is required, and rules.

    Text rules (:mod:`aifacts.contract.text_rules`): ``multiline`` text may hold tabs and line
    feeds (verbatim quotes, notes, descriptions); any other text is one line. A
    ``unit`` is plain printable ASCII, parsed by the unit registry.
    """

    name: str
    type: FieldType
    description: str
    required: bool = False
    enum: builtins.type[StrEnum] | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    multiline: bool = False
    unit: bool = False

    def to_descriptor(self) -> dict[str, Any]:
        """The Table Schema field descriptor (Table Schema §Field Descriptors)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = [m.value for m in self.enum]
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        if self.type == "number":
            out["bareNumber"] = True
        if self.type == "date":
            out["format"] = "default"
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        return out


@dataclass(frozen=True)
class ForeignKey:
    """A column (``field``) that must name a row of ``resource`` by its key ``key``."""

    field: str
    resource: str
    key: str

    def to_descriptor(self) -> dict[str, Any]:
        return {"fields": self.field, "reference": {"resource": self.resource, "fields": self.key}}


@dataclass(frozen=True)
class Resource:
    """A table of the package: ``sources``, ``entities``, ``metrics`` or ``facts``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = field(default=())
    #: An optional resource may be left out of a package; when declared it is checked.
    optional: bool = False

    @property
    def path(self) -> str:
        """The file the resource lives in, relative to ``datapackage.json``."""
        return f"{self.name}.csv"

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        """The names of the fields, in order (computed once: the engines ask per row)."""
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def _id(name: str, description: str, *, required: bool = False) -> Field:
    return Field(name, "string", description, required=required, pattern=ID_PATTERN)


SOURCES = Resource(
    name="sources",
    title="Sources",
    description="The documents facts are read from, with the metadata they give.",
    primary_key="source_id",
    fields=(
        _id("source_id", "Lowercase slug naming the source.", required=True),
        Field("title", "string", "Title in the source's own language.", required=True),
        Field(
            "title_en", "string", "English title (a translation when the original is not English)."
        ),
        Field(
            "publisher",
            "string",
            "Who published it, as the document names them; empty when it does not.",
        ),
        Field("published", "date", "Publication date; empty when the document does not give it."),
        Field(
            "language",
            "string",
            "BCP 47 language tag of the text facts are quoted from.",
            required=True,
            pattern=LANGUAGE_PATTERN,
        ),
        Field("url", "string", "Where the document is published; empty when unknown."),
        Field("kind", "string", "What kind of document it is.", required=True, enum=SourceKind),
        _id("derived_from", "The source_id of a source this one quotes or summarises."),
        Field(
            "document_sha256",
            "string",
            "SHA-256 (lowercase hex) of the exact UTF-8 text the facts were read from; "
            "empty when the package does not hold a copy.",
            pattern=SHA256_PATTERN,
        ),
        Field(
            "note",
            "string",
            "Anything a reader must know, e.g. why a field is empty.",
            multiline=True,
        ),
        Field(
            "retrieved",
            "date",
            "The date the web page was read; empty for a document that is not a web page "
            "(the note says so).",
        ),
        Field(
            "published_basis",
            "string",
            "How `published` was established: `stated` (the document gives the date), "
            "`inferred` (worked out from other evidence, which the note names; `published` "
            "set) or `none` (not known; `published` empty).",
            required=True,
            enum=PublishedBasis,
        ),
        Field(
            "document_held",
            "boolean",
            "true when the exact text the facts were read from is at hand for the "
            "completeness audit (then `document_sha256` is set); false when it is not kept "
            "and the facts are checked quote by quote only.",
            required=True,
        ),
    ),
    foreign_keys=(ForeignKey("derived_from", "sources", "source_id"),),
)

ENTITIES = Resource(
    name="entities",
    title="Entities",
    description="Countries, cities, companies, programmes, products and groups facts are about.",
    primary_key="entity_id",
    fields=(
        _id(
            "entity_id", "Lowercase slug; countries use ISO 3166-1 alpha-2 (cn, us).", required=True
        ),
        Field("name", "string", "English name.", required=True),
        Field("name_zh", "string", "Chinese name, where one is established."),
        Field("kind", "string", "What kind of entity it is.", required=True, enum=EntityKind),
        _id("country", "The entity_id of its country (ISO 3166-1 alpha-2, lowercase)."),
        _id("parent_id", "The entity_id of the entity this one belongs to."),
        Field("note", "string", "Anything a reader must know.", multiline=True),
    ),
    foreign_keys=(
        ForeignKey("country", "entities", "entity_id"),
        ForeignKey("parent_id", "entities", "entity_id"),
    ),
)

METRICS = Resource(
    name="metrics",
    title="Metrics",
    description="What is measured, with its canonical unit.",
    primary_key="metric_id",
    fields=(
        _id("metric_id", "Lowercase slug naming the metric.", required=True),
        Field("label", "string", "Short human label.", required=True),
        Field(
            "description",
            "string",
            "What is measured, for a newcomer.",
            required=True,
            multiline=True,
        ),
        Field(
            "unit",
            "string",
            "Canonical unit; every fact's unit must have its dimension.",
            required=True,
            unit=True,
        ),
        Field("kind", "string", "What kind of quantity it is.", required=True, enum=MetricKind),
        Field("note", "string", "Anything a reader must know.", multiline=True),
    ),
)

FACTS = Resource(
    name="facts",
    title="Facts",
    description="One claim, as one source states it, with the source's own words.",
    primary_key="fact_id",
    fields=(
        _id("fact_id", "Lowercase slug naming the fact.", required=True),
        _id("entity_id", "The entity the number is about.", required=True),
        _id("metric_id", "What the number measures.", required=True),
        Field(
            "value",
            "number",
            "The number as stated, in `unit` (the low end of a range).",
            required=True,
        ),
        Field(
            "unit",
            "string",
            "Unit of `value`, parsed by the aifacts Pint registry.",
            required=True,
            unit=True,
        ),
        Field("qualifier", "string", "The source's hedging.", required=True, enum=Qualifier),
        Field("value_high", "number", "The high end, for a `range` only."),
        Field("status", "string", "What kind of number it is.", required=True, enum=Status),
        Field("period_start", "date", "First day of the time the number is about."),
        Field("period_end", "date", "Last day of the time the number is about."),
        Field("as_of", "date", "When the source stated it; empty when unknown."),
        _id("source_id", "The source that states it.", required=True),
        Field(
            "locator",
            "string",
            "Where in the source: a footnote mark such as [3], or a paragraph.",
            required=True,
        ),
        Field(
            "quote",
            "string",
            "The verbatim words of the source that state the number.",
            required=True,
            multiline=True,
        ),
        Field(
            "quote_en",
            "string",
            "A convenience English translation of a non-English quote; not evidence.",
            multiline=True,
        ),
        _id("related_entity_id", "The other party: investee, or the base of a comparison."),
        _id("part_of", "The fact_id of the whole this fact is a part of."),
        _id("supersedes", "The fact_id this fact corrects."),
        Field(
            "note",
            "string",
            "Anything a reader must know: interpretations, empty fields.",
            multiline=True,
        ),
        _id(
            "claim_id",
            "The claim the fact states: facts restating one claim (a headline and the body, "
            "two currencies, two languages, a source and the one it is derived from) share "
            "it; a fact alone in its claim has its own fact_id.",
            required=True,
        ),
        Field(
            "value_canonical",
            "number",
            "`value` in `unit_canonical`, exact (written by `aifacts build`).",
        ),
        Field(
            "value_high_canonical",
            "number",
            "`value_high` in `unit_canonical`, exact; empty when `value_high` is.",
        ),
        Field(
            "unit_canonical",
            "string",
            "The metric's canonical unit without a scale word; money stays in its own "
            "currency (`CNY`, `USD`), never converted.",
            unit=True,
        ),
        Field(
            "doubt",
            "string",
            "Faithful but doubtful: why the number, recorded exactly as its source states "
            "it, is contradicted by other evidence (fact ids) or implausible; the number is "
            "not changed.",
            multiline=True,
        ),
    ),
    foreign_keys=(
        ForeignKey("entity_id", "entities", "entity_id"),
        ForeignKey("metric_id", "metrics", "metric_id"),
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("related_entity_id", "entities", "entity_id"),
        ForeignKey("part_of", "facts", "fact_id"),
        ForeignKey("supersedes", "facts", "fact_id"),
    ),
)

OMISSIONS = Resource(
    name="omissions",
    title="Omissions",
    description=(
        "Numbers a source states that are deliberately not facts (footnote marks, headings, "
        "names, publication dates), each with its reason: what makes 'every number "
        "accounted for' an auditable claim."
    ),
    primary_key="omission_id",
    optional=True,
    fields=(
        _id("omission_id", "Lowercase slug naming the omission.", required=True),
        _id("source_id", "The source whose document states the number.", required=True),
        Field(
            "offset",
            "integer",
            "Where the mention starts in the source's document, in characters (Unicode code "
            "points of the UTF-8 text) from 0.",
            required=True,
            minimum=0,
            maximum=MAX_INTEGER,
        ),
        Field(
            "span",
            "string",
            "The mention exactly as the document writes it.",
            required=True,
            multiline=True,
        ),
        Field("reason", "string", "Why it is not a fact.", required=True, enum=OmissionReason),
        Field(
            "note", "string", "The reason in words, where the category needs it.", multiline=True
        ),
    ),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)

#: The resources in dependency order: a resource only references earlier ones or itself.
RESOURCES: tuple[Resource, ...] = (SOURCES, ENTITIES, METRICS, FACTS, OMISSIONS)


def resource(name: str) -> Resource:
    """The resource called ``name``."""
    for r in RESOURCES:
        if r.name == name:
            return r
    raise KeyError(name)


def table_schema(res: Resource) -> dict[str, Any]:
    """The Frictionless Table Schema of a resource, foreign keys included."""
    schema: dict[str, Any] = {
        "fields": [f.to_descriptor() for f in res.fields],
        "primaryKey": [res.primary_key],
        "missingValues": [""],
    }
    if res.foreign_keys:
        fks = []
        for fk in res.foreign_keys:
            d = fk.to_descriptor()
            if fk.resource == res.name:
                d["reference"]["resource"] = ""  # a self-reference, per Table Schema
            fks.append(d)
        schema["foreignKeys"] = fks
    return schema
