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
import sys
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

from aifacts.contract.problems import Code
from aifacts.contract.schema import ID_PATTERN, LANGUAGE_PATTERN, MAX_INTEGER, SHA256_PATTERN
from aifacts.contract.text_rules import text_problem, unit_problem
from aifacts.contract.vocab import (
    EntityKind,
    MetricKind,
    OmissionReason,
    PublishedBasis,
    Qualifier,
    SourceKind,
    Status,
)

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
_SLUG = re.compile(ID_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)


def _fail(code: Code, message: str) -> PydanticCustomError:
    """A pydantic error whose type is our code and whose message is final text."""
    return PydanticCustomError(code.value, "{message}", {"message": message})


def _clean_text(value: str, *, multiline: bool = False) -> str:
    """Refuse text a reader would be misled by: stray whitespace, non-NFC, invisible
    or control characters (:mod:`aifacts.contract.text_rules`; tab and line feed only in
    ``multiline`` text), formulas."""
    if not value:
        raise _fail(Code.REQUIRED, "empty text; leave the field unset (None) instead")
    if value != value.strip():
        raise _fail(Code.WHITESPACE, f"{value[:40]!r} has stray whitespace at an end")
    if not unicodedata.is_normalized("NFC", value):
        raise _fail(Code.NOT_NFC, "text is not in Unicode NFC (normalise it with NFC)")
    found = text_problem(value, multiline=multiline)
    if found is not None:
        raise _fail(*found)
    if value.startswith(_FORMULA_START):
        raise _fail(
            Code.FORMULA,
            f"{value[:40]!r} starts with {value[0]!r}, which a spreadsheet would run as a formula",
        )
    return value


def _clean_lines(value: str) -> str:
    return _clean_text(value, multiline=True)


def _plain_unit(value: str) -> str:
    why = unit_problem(value)
    if why is not None:
        raise _fail(Code.UNIT_UNKNOWN, why)
    return value


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
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


#: Non-empty one-line text in NFC, without stray whitespace, invisible or control
#: characters (:mod:`aifacts.contract.text_rules`) or a formula-like start.
Text = Annotated[str, Strict(), AfterValidator(_clean_text)]
#: :data:`Text` that may hold tabs and line feeds (schema fields marked ``multiline``).
LongText = Annotated[str, Strict(), AfterValidator(_clean_lines)]
#: A unit string: :data:`Text` in plain printable ASCII, for the unit registry to parse.
UnitText = Annotated[Text, AfterValidator(_plain_unit), AfterValidator(sys.intern)]
#: A lowercase slug id such as ``alibaba-cloud``.
Slug = Annotated[Text, _matching(_SLUG, "a lowercase slug id such as 'alibaba-cloud'")]
#: A BCP 47 language tag such as ``en`` or ``zh``.
Language = Annotated[Text, _matching(_LANGUAGE, "a BCP 47 language tag such as 'en' or 'zh'")]
#: A lowercase hex SHA-256 digest.
Sha256 = Annotated[Text, _matching(_SHA256, "a lowercase hex SHA-256 (64 characters)")]
#: A slug that names another row (a reference): one copy of each is kept however many
#: rows name it (``sys.intern``), as a big package's facts name few entities.
Ref = Annotated[Slug, AfterValidator(sys.intern)]
#: An exact decimal number: what is written is what is read back.
Number = Annotated[Decimal, BeforeValidator(_exact_number)]


class RuleViolation(NamedTuple):
    """A rule broken within one record: which field, which code, what was expected."""

    field: str
    code: Code
    message: str


#: One set of field names per distinct set, shared by the records that set those fields.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_MAX_FIELD_SETS = 4096


def _shared_fields_set(record: BaseModel) -> None:
    """Give ``record`` the one shared copy of its set of given fields.

    Pydantic keeps a set of the names given at validation on every instance (about
    2 KB for a fact: more than its values); the records are frozen, so nothing ever
    adds to it, and one set per distinct combination serves them all. It is the
    set ``model_fields_set`` returns: read it, never change it.
    """
    own = record.__pydantic_fields_set__
    key = frozenset(own)
    shared = _FIELD_SETS.get(key)
    if shared is None:
        if len(_FIELD_SETS) >= _MAX_FIELD_SETS:
            return
        shared = _FIELD_SETS[key] = own
    object.__setattr__(record, "__pydantic_fields_set__", shared)


class Record(BaseModel):
    """The base of every record: frozen, strict, no unknown fields.

    Records whose given fields are the same share one ``model_fields_set`` set (see
    :func:`_shared_fields_set`): treat it as read-only.
    """

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
        _shared_fields_set(self)
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
    derived_from: Ref | None = None
    document_sha256: Sha256 | None = None
    note: LongText | None = None
    retrieved: date | None = None
    #: Required in a file; in Python it defaults to ``stated`` when ``published`` is
    #: given, else ``none``.
    published_basis: Annotated[PublishedBasis, Strict(False)] = None  # type: ignore[assignment]
    #: Required in a file; in Python it defaults to whether ``document_sha256`` is given.
    document_held: bool = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """Fill ``published_basis`` and ``document_held`` from the fields they follow."""
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        if filled.get("published_basis") is None:
            stated = filled.get("published") is not None
            filled["published_basis"] = PublishedBasis.STATED if stated else PublishedBasis.NONE
        if filled.get("document_held") is None:
            filled["document_held"] = filled.get("document_sha256") is not None
        return filled

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
    country: Ref | None = None
    parent_id: Ref | None = None
    note: LongText | None = None

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
    description: LongText
    unit: UnitText
    kind: Annotated[MetricKind, Strict(False)]
    note: LongText | None = None


class Fact(Record):
    """One claim, as one source states it (resource ``facts``)."""

    resource: ClassVar[str] = "facts"
    key_field: ClassVar[str] = "fact_id"

    fact_id: Slug
    entity_id: Ref
    metric_id: Ref
    value: Number
    unit: UnitText
    qualifier: Annotated[Qualifier, Strict(False)]
    value_high: Number | None = None
    status: Annotated[Status, Strict(False)]
    period_start: date | None = None
    period_end: date | None = None
    as_of: date | None = None
    source_id: Ref
    locator: Text
    quote: LongText
    quote_en: LongText | None = None
    related_entity_id: Ref | None = None
    part_of: Ref | None = None
    supersedes: Ref | None = None
    note: LongText | None = None
    #: Required in a file; in Python it defaults to ``fact_id`` (a fact alone in its claim).
    claim_id: Ref = None  # type: ignore[assignment]
    value_canonical: Number | None = None
    value_high_canonical: Number | None = None
    unit_canonical: UnitText | None = None
    doubt: LongText | None = None

    @model_validator(mode="before")
    @classmethod
    def _own_claim(cls, data: Any) -> Any:
        """A fact given no ``claim_id`` is alone in its claim: its claim is its fact_id."""
        if isinstance(data, dict) and data.get("claim_id") is None and "fact_id" in data:
            return {**data, "claim_id": data["fact_id"]}
        return data

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """``value`` in ``unit`` as a Pint Quantity of :data:`aifacts.ureg` (exact Decimal)."""
        from aifacts.contract.units import get_registry

        return get_registry().Quantity(self.value, self.unit)

    @property
    def quantity_high(self) -> pint.Quantity[Any] | None:
        """``value_high`` as a Quantity, for a range; else ``None``."""
        if self.value_high is None:
            return None
        from aifacts.contract.units import get_registry

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
    source_id: Ref
    offset: Annotated[int, Strict(), Field(ge=0, le=MAX_INTEGER)]
    span: LongText
    reason: Annotated[OmissionReason, Strict(False)]
    note: LongText | None = None


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
