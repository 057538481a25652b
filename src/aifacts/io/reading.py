"""Read one resource file into typed records, collecting every problem on the way.

Bytes → text (UTF-8; a BOM is accepted) → CSV rows (LF or CRLF) → typed cells
(exact :class:`~decimal.Decimal` numbers, ISO dates) → records. Nothing here stops
at the first problem: each is recorded as a :class:`~aifacts.contract.problems.Problem`
with the file, the row (header = row 1), the field and what was expected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from aifacts.contract.problems import Code, Problem, clip
from aifacts.contract.records import Entity, Fact, Metric, Omission, Record, Source
from aifacts.contract.schema import Field, Resource
from aifacts.io.encoding import decode
from aifacts.io.json_limits import MAX_NUMBER

__all__ = [
    "INTEGER_PATTERN",
    "NUMBER_PATTERN",
    "RECORD_TYPES",
    "Table",
    "csv_rows",
    "json_file_problem",
    "parse_cell",
    "read_csv",
    "read_json",
]

RECORD_TYPES: dict[str, type[Record]] = {
    "sources": Source,
    "entities": Entity,
    "metrics": Metric,
    "facts": Fact,
    "omissions": Omission,
}

_NOT_ARRAY = "expected a JSON array of row objects"
# Whole-cell patterns, always used with ``fullmatch``: ``$`` alone would match before
# a final line feed, and ``"100\n"`` is not a number.
#: A plain decimal (``6.513``, ``-2``), the whole cell.
NUMBER_PATTERN = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
#: A whole number (``42``), the whole cell.
INTEGER_PATTERN = r"-?(?:0|[1-9][0-9]*)"
_NUMBER = re.compile(NUMBER_PATTERN)
_INTEGER = re.compile(INTEGER_PATTERN)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TYPE_CODES = {
    "number": Code.TYPE_NUMBER,
    "integer": Code.TYPE_INTEGER,
    "date": Code.TYPE_DATE,
    "boolean": Code.TYPE_BOOLEAN,
}
_PYDANTIC_CODES: dict[str, Code] = {
    "greater_than_equal": Code.OUT_OF_RANGE,
    "less_than_equal": Code.OUT_OF_RANGE,
    "int_type": Code.TYPE_INTEGER,
    "missing": Code.REQUIRED,
    "string_too_short": Code.REQUIRED,
    "enum": Code.ENUM,
    "string_pattern_mismatch": Code.PATTERN,
    "date_type": Code.TYPE_DATE,
    "decimal_type": Code.TYPE_NUMBER,
}


@dataclass
class Table:
    """What reading one resource gave: its records by row number, and its problems."""

    resource: Resource
    file: str
    rows: list[tuple[int, Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Keys of rows that exist but failed their own checks: still valid targets of
    #: references, so one bad cell does not cascade into broken references elsewhere.
    failed_keys: dict[str, int] = field(default_factory=dict)

    def problem(self, row: int | None, fld: str | None, code: Code, message: str) -> None:
        """Record one problem of this file."""
        self.problems.append(Problem(self.resource.name, self.file, row, fld, code, message))


def parse_cell(spec: Field, text: str) -> tuple[Any, str | None]:
    """The typed value of one cell, or ``(None, why)`` when it is not of the field's type.

    An empty cell is ``None`` (missing). Numbers are plain decimals (``6.513``, ``-2``),
    kept exact; dates are ``YYYY-MM-DD``.
    """
    if text == "":
        return None, None
    if spec.type in ("number", "integer") and len(text) > MAX_NUMBER:  # never converted
        return (
            None,
            f"{clip(text, 40)} is {len(text)} characters long; a number has at most {MAX_NUMBER}",
        )
    if spec.type == "number":
        if not _NUMBER.fullmatch(text):
            return None, f"{text[:40]!r} is not a plain decimal number such as 6.513"
        return Decimal(text), None
    if spec.type == "integer":
        if not _INTEGER.fullmatch(text):
            return None, f"{text[:40]!r} is not a whole number such as 42"
        return int(text), None
    if spec.type == "boolean":
        if text not in ("true", "false"):
            return None, f"{clip(text, 40)} is not a boolean: write true or false"
        return text == "true", None
    if spec.type == "date":
        if not _DATE.fullmatch(text):
            return None, f"{text[:40]!r} is not a date YYYY-MM-DD"
        try:
            return date.fromisoformat(text), None
        except ValueError as exc:
            return None, f"{text!r} is not a real date ({exc})"
    return text, None


def _check_header(table: Table, header: list[str]) -> dict[str, int] | None:
    """Map field name → column index, or ``None`` when the rows cannot be read."""
    expected = list(table.resource.field_names)
    if header == expected:
        return {name: i for i, name in enumerate(header)}
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    dupes = sorted({n for n in header if header.count(n) > 1})
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unexpected {', '.join(clip(n, 40) for n in extra[:10])}")
    if dupes:
        parts.append(f"repeated {', '.join(dupes)}")
    if not parts:
        parts.append("columns out of order")
    table.problem(
        1,
        None,
        Code.HEADER_MISMATCH,
        f"header does not match the schema ({'; '.join(parts)}); expected: {','.join(expected)}",
    )
    if missing or dupes:
        return None
    return {name: header.index(name) for name in expected}


def _record_problems(table: Table, row: int, data: dict[str, Any], skip: set[str]) -> Record | None:
    model = RECORD_TYPES[table.resource.name]
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        model_level = False
        for err in exc.errors():
            loc = err["loc"]
            if not loc:
                model_level = True
                continue
            name = str(loc[0])
            if name in skip:
                continue
            code = _PYDANTIC_CODES.get(err["type"])
            if code is None:
                code = Code(err["type"]) if err["type"] in Code._value2member_map_ else Code.PATTERN
            message = err["msg"]
            vocabulary = table.resource.get(name).enum
            if code is Code.ENUM and vocabulary is not None:
                allowed = ", ".join(str(member.value) for member in vocabulary)
                value = data.get(name)
                shown = clip(value) if isinstance(value, str) else repr(value)
                message = f"{shown} is not one of: {allowed}"
            table.problem(row, name, code, message)
        if model_level:
            draft = model.model_construct(**{k: v for k, v in data.items() if v is not None})
            for violation in draft.rule_violations():
                table.problem(row, violation.field, violation.code, violation.message)
        return None


def read_csv(resource: Resource, file: str, data: bytes) -> Table:
    """Read the bytes of one resource's CSV into a :class:`Table` of records and problems.

    The text is decoded as it is read (a whole ``str``, and the ``StringIO`` that
    copies it at four bytes a character, would cost several times the file while
    the records are built); whether it is UTF-8 at all is decided first.
    """
    table = Table(resource, file)
    text, why = decode(data)
    if text is None:
        table.problem(None, None, Code.ENCODING, why)
        return table
    del text  # the verdict only: the rows are read from the bytes, a block at a time
    lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    for row, cells, columns, width in csv_rows(table, lines):
        _read_row(table, row, cells, columns, width)
    return table


def csv_rows(
    table: Table, lines: Iterable[str]
) -> Iterator[tuple[int, list[str], dict[str, int], int]]:
    """The rows of CSV text (``lines``, split as ``newline=""`` splits them) after its
    header: each row's number and cells, the column of each field of the schema, and
    the header's width. Problems of the header, and where the CSV breaks (reading
    stops there), go to ``table``. Lets a caller read a huge file a row at a time.
    """
    from aifacts.io.csv_limit import allow_big_fields

    allow_big_fields()
    resource = table.resource
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            table.problem(
                1,
                None,
                Code.HEADER_MISMATCH,
                f"the file is empty; expected the header {','.join(resource.field_names)}",
            )
            return
        columns = _check_header(table, header)
        if columns is None:
            return
        width = len(header)
        for row, cells in enumerate(reader, start=2):
            yield row, cells, columns, width
    except csv.Error as exc:
        table.problem(
            reader.line_num or None,
            None,
            Code.CSV_MALFORMED,
            f"the CSV cannot be parsed near line {reader.line_num}: {exc}",
        )


def _read_row(
    table: Table, row: int, cells: list[str], columns: dict[str, int], width: int
) -> None:
    if not any(cells):
        table.problem(row, None, Code.BLANK_ROW, "the row is blank; delete it")
        return
    if len(cells) != width:
        table.problem(
            row, None, Code.ROW_LENGTH, f"the row has {len(cells)} cells, the header {width}"
        )
        return
    data: dict[str, Any] = {}
    bad: set[str] = set()
    for spec in table.resource.fields:
        text = cells[columns[spec.name]]
        value, why = parse_cell(spec, text)
        if why is not None:
            code = _TYPE_CODES[spec.type]
            table.problem(row, spec.name, code, why)
            bad.add(spec.name)
        elif value is None and spec.required:
            table.problem(row, spec.name, Code.REQUIRED, f"{spec.name} is required")
            bad.add(spec.name)
        data[spec.name] = value
    record = _record_problems(table, row, data, bad)
    if record is not None and not bad:
        table.rows.append((row, record))
    else:
        key = cells[columns[table.resource.primary_key]]
        if key:
            table.failed_keys.setdefault(key, row)


def json_file_problem(resource: Resource, file: str, path: Path) -> Problem | None:
    """The problem :func:`read_json` reports first when the file at ``path`` is not a
    JSON array at all (not UTF-8, not JSON, not an array), else ``None``.

    The file is read a line at a time (:mod:`aifacts.io.json_scan`), so a huge file costs
    a few thousand lines of memory: a big validation can tell a truncated JSON form at
    once.
    """
    from aifacts.io.json_scan import first_problem

    verdict = first_problem(path)
    if verdict is None:
        return None
    if verdict.kind == "encoding":
        return Problem(resource.name, file, None, None, Code.ENCODING, verdict.message)
    message = f"not valid JSON: {verdict.message}" if verdict.kind == "json" else _NOT_ARRAY
    return Problem(resource.name, file, None, None, Code.CSV_MALFORMED, message)


def _load_json(
    resource: Resource, file: str, decoded: tuple[str | None, str]
) -> tuple[list[Any] | None, Problem | None]:
    """The array of the :func:`decode`-d text, parsed within bounds
    (:func:`aifacts.io.json_limits.loads`), or the file-level problem that stops it being
    read."""
    from aifacts.io.json_limits import loads

    text, why = decoded
    if text is None:
        return None, Problem(resource.name, file, None, None, Code.ENCODING, why)
    try:
        rows = loads(text)
    except ValueError as exc:
        message = f"not valid JSON: {exc}"
        return None, Problem(resource.name, file, None, None, Code.CSV_MALFORMED, message)
    if not isinstance(rows, list):
        return None, Problem(resource.name, file, None, None, Code.CSV_MALFORMED, _NOT_ARRAY)
    return rows, None


def read_json(resource: Resource, file: str, data: bytes) -> Table:
    """Read the JSON form of a resource (an array of row objects) into a :class:`Table`.

    Each object is checked exactly as a CSV row is: its values are turned back into
    cell text (numbers keep their exact decimal text) and go through the same rules.
    """
    table = Table(resource, file)
    from aifacts.io.json_limits import LongNumber, Repeated, clip_number

    rows, problem = _load_json(resource, file, decode(data))
    if problem is not None or rows is None:
        table.problems.extend([problem] if problem is not None else [])
        return table
    names = resource.field_names
    columns = {name: i for i, name in enumerate(names)}
    for index, obj in enumerate(rows):
        row = index + 2  # as in the CSV form: the header would be row 1
        if not isinstance(obj, dict):
            table.problem(row, None, Code.ROW_LENGTH, "expected an object with the row's fields")
            continue
        if isinstance(obj, Repeated):
            for key in obj.repeated:
                message = f"the key {clip(key)} appears twice in the object; once per field"
                table.problem(row, key if key in columns else None, Code.HEADER_MISMATCH, message)
            continue
        keys = list(obj)
        if sorted(keys) != sorted(names):
            missing = [n for n in names if n not in obj]
            extra = [k for k in keys if k not in columns]
            table.problem(
                row,
                None,
                Code.HEADER_MISMATCH,
                f"the object's keys differ from the schema (missing {missing}, "
                f"unexpected {clip(str(extra))})",
            )
            continue
        cells = []
        for name in names:
            value = obj[name]
            if value is None:
                cells.append("")
            elif isinstance(value, LongNumber):
                cells.append("\x00")  # never read: caught as a bad cell below
                code = _TYPE_CODES.get(resource.get(name).type, Code.PATTERN)
                table.problem(row, name, code, clip_number(value))
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, Decimal):
                cells.append(format(value, "f"))
            elif isinstance(value, str):
                cells.append(value)
            else:
                cells.append("\x00")  # neither text nor number: caught as a bad cell below
                table.problem(
                    row,
                    name,
                    Code.PATTERN,
                    f"expected text, a number or null, got {type(value).__name__}",
                )
        _read_row(table, row, cells, columns, len(names))
    return table
