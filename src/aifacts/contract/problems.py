"""What can be wrong with a data package, declared as data.

Each kind of problem is a :class:`Code` with a fixed string value (stable: tools may
match on it) and a title and description for people. A :class:`Problem` is one
occurrence: where it is (resource, file, row, field) and what was expected.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

__all__ = ["CLIP", "CODE_INFO", "Code", "Problem", "clip"]

#: Characters of a cell, a token or a path a message quotes; the rest are counted.
CLIP = 200


def clip(text: str, limit: int = CLIP, *, quoted: bool = True) -> str:
    """``text`` quoted for a message (``repr``; as it is with ``quoted=False``), cut
    after ``limit`` characters with the count of the rest, so one huge cell cannot make
    a huge message.

    Example:
        >>> clip("x" * 205, 3)
        "'xxx' (and 202 more characters)"
        >>> clip("x" * 205, 3, quoted=False)
        'xxx… (and 202 more characters)'
    """
    show = repr if quoted else str
    if len(text) <= limit:
        return show(text)
    return f"{show(text[:limit])}{'' if quoted else '…'} (and {len(text) - limit} more characters)"


class Code(StrEnum):
    """The fixed reason codes of validation problems."""

    DESCRIPTOR_INVALID = "descriptor-invalid"
    RESOURCE_MISSING = "resource-missing"
    FILE_MISSING = "file-missing"
    BYTES_MISMATCH = "bytes-mismatch"
    HASH_MISMATCH = "hash-mismatch"
    ENCODING = "encoding"
    CSV_MALFORMED = "csv-malformed"
    HEADER_MISMATCH = "header-mismatch"
    ROW_LENGTH = "row-length"
    BLANK_ROW = "blank-row"
    REQUIRED = "required"
    TYPE_NUMBER = "type-number"
    TYPE_DATE = "type-date"
    TYPE_INTEGER = "type-integer"
    TYPE_BOOLEAN = "type-boolean"
    OUT_OF_RANGE = "out-of-range"
    ENUM = "enum"
    PATTERN = "pattern"
    WHITESPACE = "whitespace"
    NOT_NFC = "not-nfc"
    CONTROL_CHARACTER = "control-character"
    TEXT_FORBIDDEN_CHAR = "text-forbidden-char"
    FORMULA = "formula"
    DUPLICATE_KEY = "duplicate-key"
    FOREIGN_KEY = "foreign-key"
    REFERENCE_KIND = "reference-kind"
    SELF_REFERENCE = "self-reference"
    UNIT_UNKNOWN = "unit-unknown"
    UNIT_DIMENSION = "unit-dimension"
    SHARE_BOUNDS = "share-bounds"
    COUNT_NEGATIVE = "count-negative"
    VALUE_HIGH = "value-high"
    PERIOD_ORDER = "period-order"
    QUOTE_VALUE = "quote-value"
    JSON_MISMATCH = "json-mismatch"
    CANONICAL_MISMATCH = "canonical-mismatch"
    CLAIM_DISAGREES = "claim-disagrees"
    PUBLISHED_BASIS = "published-basis"
    DOCUMENT_HELD = "document-held"


CODE_INFO: dict[Code, tuple[str, str]] = {
    Code.DESCRIPTOR_INVALID: (
        "Invalid descriptor",
        "datapackage.json is not JSON, or lacks what a data package must have.",
    ),
    Code.RESOURCE_MISSING: (
        "Missing resource",
        "A resource of the contract (sources, entities, metrics, facts) is not declared.",
    ),
    Code.FILE_MISSING: (
        "Missing or refused file",
        "A resource's path names a file that does not exist or that is not read: one "
        "outside the package folder (through a symbolic link), or not a regular file "
        "(a FIFO, a device, a folder).",
    ),
    Code.BYTES_MISMATCH: (
        "Size mismatch",
        "The file's size differs from the `bytes` the descriptor records.",
    ),
    Code.HASH_MISMATCH: (
        "Hash mismatch",
        "The file's SHA-256 differs from the `hash` the descriptor records.",
    ),
    Code.ENCODING: ("Not UTF-8", "The file is not valid UTF-8 (a UTF-8 BOM is accepted)."),
    Code.CSV_MALFORMED: (
        "Malformed CSV",
        "The CSV cannot be parsed (an unclosed quote, a NUL byte, ...).",
    ),
    Code.HEADER_MISMATCH: (
        "Header mismatch",
        "The header row differs from the schema's field names, in name or order.",
    ),
    Code.ROW_LENGTH: ("Wrong number of cells", "A row has more or fewer cells than the header."),
    Code.BLANK_ROW: ("Blank row", "A row has no value at all."),
    Code.REQUIRED: ("Missing value", "A required field is empty."),
    Code.TYPE_NUMBER: (
        "Not a number",
        "A number field holds something other than a plain decimal such as 6.513.",
    ),
    Code.TYPE_DATE: ("Not a date", "A date field holds something other than a date YYYY-MM-DD."),
    Code.TYPE_INTEGER: (
        "Not an integer",
        "An integer field holds something other than a whole number such as 42.",
    ),
    Code.TYPE_BOOLEAN: (
        "Not a boolean",
        "A boolean field holds something other than `true` or `false`.",
    ),
    Code.OUT_OF_RANGE: (
        "Out of range",
        "A number lies outside the range its field allows (a negative offset).",
    ),
    Code.ENUM: ("Not an allowed value", "A field with a fixed vocabulary holds another value."),
    Code.PATTERN: ("Wrong format", "A value does not match the format its field requires."),
    Code.WHITESPACE: ("Stray whitespace", "A value starts or ends with whitespace."),
    Code.NOT_NFC: ("Not NFC", "Text is not in Unicode Normalization Form C."),
    Code.CONTROL_CHARACTER: (
        "Control character",
        "Text holds a control character (NUL, backspace, DEL, a C1 control such as "
        "U+009B); tab and newline are allowed only inside multi-line text (quotes, notes).",
    ),
    Code.TEXT_FORBIDDEN_CHAR: (
        "Invisible or forbidden character",
        "Text holds a bidirectional override, isolate or mark, a zero-width character, "
        "a noncharacter (U+FFFF) or a lone surrogate: it would show other than it reads.",
    ),
    Code.FORMULA: (
        "Formula-like text",
        "Text starts with a character a spreadsheet would run as a formula (= + - @ tab CR).",
    ),
    Code.DUPLICATE_KEY: ("Duplicate key", "Two rows share a primary key."),
    Code.FOREIGN_KEY: ("Broken reference", "A reference names a row that does not exist."),
    Code.REFERENCE_KIND: (
        "Reference of the wrong kind",
        "A reference names a row of the wrong kind (a `country` that is not a country).",
    ),
    Code.SELF_REFERENCE: (
        "Self or circular reference",
        "A row refers to itself, or references form a cycle.",
    ),
    Code.UNIT_UNKNOWN: (
        "Unknown unit",
        "A unit string that the aifacts unit registry cannot parse.",
    ),
    Code.UNIT_DIMENSION: (
        "Wrong dimension",
        "A fact's unit measures something other than its metric's canonical unit.",
    ),
    Code.SHARE_BOUNDS: ("Share out of bounds", "A share lies outside 0–100 %."),
    Code.COUNT_NEGATIVE: ("Negative count", "A count is below zero."),
    Code.VALUE_HIGH: (
        "Incoherent range",
        "`value_high` is set only for a `range`, and there it exceeds `value`.",
    ),
    Code.PERIOD_ORDER: ("Period reversed", "`period_start` is after `period_end`."),
    Code.QUOTE_VALUE: (
        "Quote and value disagree",
        "The fact's value is not among the numbers its quote states.",
    ),
    Code.JSON_MISMATCH: (
        "JSON form out of date",
        "A resource's JSON form (facts.json) does not hold exactly the rows of its CSV; "
        "`aifacts build` regenerates it.",
    ),
    Code.CANONICAL_MISMATCH: (
        "Canonical value out of date",
        "A fact's `value_canonical`, `value_high_canonical` or `unit_canonical` is not "
        "exactly its value in its metric's canonical unit (money in its own currency); "
        "`aifacts build` rewrites them.",
    ),
    Code.CLAIM_DISAGREES: (
        "Facts of one claim disagree",
        "Facts sharing a `claim_id` differ in entity, metric, period or status, or state "
        "amounts that cannot both hold (their intervals do not overlap).",
    ),
    Code.PUBLISHED_BASIS: (
        "Publication basis and date disagree",
        "A source's `published_basis` is `stated` or `inferred` without a `published` "
        "date, or `none` with one.",
    ),
    Code.DOCUMENT_HELD: (
        "Document held and hash disagree",
        "A source's `document_held` is true without a `document_sha256`, or false with one.",
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, and where: ``facts.csv:12:unit: 'GW' is a power, ...``.

    ``row`` counts as a spreadsheet does: the header is row 1, the first record row 2.
    ``row`` and ``field`` are ``None`` when the problem concerns a whole file or row.
    """

    resource: str
    file: str
    row: int | None
    field: str | None
    code: Code
    message: str

    def line(self) -> str:
        """The problem as one line: ``file:row:field: message``, safe to print (control
        and invisible characters escaped, :func:`aifacts.contract.characters.terminal_safe`)."""
        from aifacts.contract.characters import terminal_safe

        where = [self.file]
        if self.row is not None:
            where.append(str(self.row))
        if self.field is not None:
            where.append(self.field)
        return terminal_safe(f"{':'.join(where)}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with the code as its string value."""
        data = asdict(self)
        data["code"] = str(self.code)
        return data
