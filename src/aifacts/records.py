"""Typed, frozen, strict records: one class per resource of the data contract.

Field-level rules (formats, vocabularies, clean text) live in the annotated types
below, so a record built in Python obeys exactly what a CSV row must. Rules that
relate two fields of one record live in :func:`row_rules` and run on every record.

Example:
    >>> from decimal import Decimal
    >>> Entity(entity_id="cn", name="China", kind="country", country="cn").name_zh is None
    True
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)
from pydantic_core import PydanticCustomError

from aifacts.problems import Code
from aifacts.schema import ID_PATTERN, LANGUAGE_PATTERN, MAX_INTEGER, SHA256_PATTERN
from aifacts.vocab import EntityKind, MetricKind, OmissionReason, Qualifier, SourceKind, Status

if TYPE_CHECKING:
    import pint

__all__ = [
    "Entity",
    "Fact",
    "Metric",
    "Omission",
    "Record",
    "RuleViolation",
    "Source",
    "row_rules",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SLUG = re.compile(ID_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)


def _fail(code: Code, message: str) -> PydanticCustomError:
    """A pydantic error whose type is our code and whose message is final text."""
    return PydanticCustomError(code.value, "{message}", {"message": message})


def _clean_text(value: str) -> str:
    """Refuse text a reader would be misled by: stray whitespace, non-NFC, formulas."""
    if not value:
        raise _fail(Code.REQUIRED, "empty text; leave the field unset (None) instead")
    if value != value.strip():
        raise _fail(Code.WHITESPACE, f"{value[:40]!r} has stray whitespace at an end")
    if not unicodedata.is_normalized("NFC", value):
        raise _fail(Code.NOT_NFC, "text is not in Unicode NFC (normalise it with NFC)")
    control = _CONTROL.search(value)
    if control:
        raise _fail(
            Code.CONTROL_CHARACTER,
            f"text holds the control character {control.group()!r} at position {control.start()}",
        )
    if value.startswith(_FORMULA_START):
        raise _fail(
            Code.FORMULA,
            f"{value[:40]!r} starts with {value[0]!r}, which a spreadsheet would run as a formula",
        )
    return value


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise _fail(Code.PATTERN, f"{value[:40]!r} is not {what}")
        return value

    return AfterValidator(check)


def _exact_number(value: Any) -> Decimal:
    """Accept a finite Decimal or an int; refuse floats and text, which would be guessed."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise _fail(
            Code.TYPE_NUMBER,
            f"expected an exact number (Decimal or int), got {type(value).__name__}",
        )
    number = Decimal(value)
    if not number.is_finite():
        raise _fail(Code.TYPE_NUMBER, f"expected a finite number, got {number}")
    return number


#: Non-empty text in NFC, without stray whitespace or a formula-like start.
Text = Annotated[str, Strict(), AfterValidator(_clean_text)]
#: A lowercase slug id such as ``alibaba-cloud``.
Slug = Annotated[Text, _matching(_SLUG, "a lowercase slug id such as 'alibaba-cloud'")]
#: A BCP 47 language tag such as ``en`` or ``zh``.
Language = Annotated[Text, _matching(_LANGUAGE, "a BCP 47 language tag such as 'en' or 'zh'")]
#: A lowercase hex SHA-256 digest.
Sha256 = Annotated[Text, _matching(_SHA256, "a lowercase hex SHA-256 (64 characters)")]
#: An exact decimal number: what is written is what is read back.
Number = Annotated[Decimal, BeforeValidator(_exact_number)]


class RuleViolation(NamedTuple):
    """A rule broken within one record: which field, which code, what was expected."""

    field: str
    code: Code
    message: str


class Record(BaseModel):
    """The base of every record: frozen, strict, no unknown fields."""

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", validate_default=True)

    resource: ClassVar[str]
    key_field: ClassVar[str]

    @property
    def key(self) -> str:
        """The record's primary key."""
        return str(getattr(self, self.key_field))

    def rule_violations(self) -> list[RuleViolation]:
        """Rules that relate fields of this record; empty when it is coherent."""
        return []

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        violations = self.rule_violations()
        if violations:
            first = violations[0]
            raise _fail(first.code, f"{first.field}: {first.message}")
        return self


class Source(Record):
    """A document facts are read from (resource ``sources``)."""

    resource: ClassVar[str] = "sources"
    key_field: ClassVar[str] = "source_id"

    source_id: Slug
    title: Text
    title_en: Text | None = None
    publisher: Text | None = None
    published: date | None = None
    language: Language
    url: Text | None = None
    kind: Annotated[SourceKind, Strict(False)]
    derived_from: Slug | None = None
    document_sha256: Sha256 | None = None
    note: Text | None = None

    def rule_violations(self) -> list[RuleViolation]:
        if self.derived_from == self.source_id:
            return [
                RuleViolation(
                    "derived_from", Code.SELF_REFERENCE, "a source cannot be derived from itself"
                )
            ]
        return []


class Entity(Record):
    """A country, city, company, programme, product or group (resource ``entities``)."""

    resource: ClassVar[str] = "entities"
    key_field: ClassVar[str] = "entity_id"

    entity_id: Slug
    name: Text
    name_zh: Text | None = None
    kind: Annotated[EntityKind, Strict(False)]
    country: Slug | None = None
    parent_id: Slug | None = None
    note: Text | None = None

    def rule_violations(self) -> list[RuleViolation]:
        if self.parent_id == self.entity_id:
            return [
                RuleViolation(
                    "parent_id", Code.SELF_REFERENCE, "an entity cannot be its own parent"
                )
            ]
        return []


class Metric(Record):
    """What is measured, with its canonical unit (resource ``metrics``)."""

    resource: ClassVar[str] = "metrics"
    key_field: ClassVar[str] = "metric_id"

    metric_id: Slug
    label: Text
    description: Text
    unit: Text
    kind: Annotated[MetricKind, Strict(False)]
    note: Text | None = None


class Fact(Record):
    """One claim, as one source states it (resource ``facts``)."""

    resource: ClassVar[str] = "facts"
    key_field: ClassVar[str] = "fact_id"

    fact_id: Slug
    entity_id: Slug
    metric_id: Slug
    value: Number
    unit: Text
    qualifier: Annotated[Qualifier, Strict(False)]
    value_high: Number | None = None
    status: Annotated[Status, Strict(False)]
    period_start: date | None = None
    period_end: date | None = None
    as_of: date | None = None
    source_id: Slug
    locator: Text
    quote: Text
    quote_en: Text | None = None
    related_entity_id: Slug | None = None
    part_of: Slug | None = None
    supersedes: Slug | None = None
    note: Text | None = None

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """``value`` in ``unit`` as a Pint Quantity of :data:`aifacts.ureg` (exact Decimal)."""
        from aifacts.units import get_registry

        return get_registry().Quantity(self.value, self.unit)

    @property
    def quantity_high(self) -> pint.Quantity[Any] | None:
        """``value_high`` as a Quantity, for a range; else ``None``."""
        if self.value_high is None:
            return None
        from aifacts.units import get_registry

        return get_registry().Quantity(self.value_high, self.unit)

    def rule_violations(self) -> list[RuleViolation]:
        return list(_fact_rules(self))


class Omission(Record):
    """A number a source states that is deliberately not a fact (resource ``omissions``).

    ``offset`` counts characters (Unicode code points) of the source's document, decoded
    from UTF-8, from 0; ``span`` is the mention's exact text there.
    """

    resource: ClassVar[str] = "omissions"
    key_field: ClassVar[str] = "omission_id"

    omission_id: Slug
    source_id: Slug
    offset: Annotated[int, Strict(), Field(ge=0, le=MAX_INTEGER)]
    span: Text
    reason: Annotated[OmissionReason, Strict(False)]
    note: Text | None = None


def _fact_rules(fact: Fact) -> list[RuleViolation]:
    out = []
    if fact.qualifier == Qualifier.RANGE:
        if fact.value_high is None:
            out.append(
                RuleViolation(
                    "value_high", Code.VALUE_HIGH, "a range needs value_high, the high end"
                )
            )
        elif fact.value_high <= fact.value:
            out.append(
                RuleViolation(
                    "value_high",
                    Code.VALUE_HIGH,
                    f"value_high {fact.value_high} must exceed value {fact.value} in a range",
                )
            )
    elif fact.value_high is not None:
        out.append(
            RuleViolation(
                "value_high",
                Code.VALUE_HIGH,
                f"value_high is only for qualifier 'range', not {str(fact.qualifier)!r}",
            )
        )
    if fact.period_start and fact.period_end and fact.period_start > fact.period_end:
        out.append(
            RuleViolation(
                "period_end",
                Code.PERIOD_ORDER,
                f"period_end {fact.period_end} is before period_start {fact.period_start}",
            )
        )
    for name in ("part_of", "supersedes"):
        if getattr(fact, name) == fact.fact_id:
            out.append(RuleViolation(name, Code.SELF_REFERENCE, f"a fact cannot be {name} itself"))
    return out


def row_rules(record: Record) -> list[RuleViolation]:
    """Every rule the record breaks that relates two of its fields."""
    return record.rule_violations()
