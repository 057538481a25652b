"""Write records back out, byte for byte as the reader expects them.

CSV: UTF-8 without BOM, LF line ends, minimal quoting, the schema's column order,
numbers in plain decimal notation exactly as held (``6.513`` stays ``6.513``),
dates ``YYYY-MM-DD``, empty cells for missing values. Reading a canonical file and
writing it back gives the same bytes.

JSON: an array of objects, one per row, with every column; numbers are JSON
numbers written from their exact decimal text, missing values ``null``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from aifacts.contract.schema import Resource

if TYPE_CHECKING:
    from aifacts.contract.records import Record

__all__ = ["cell_text", "json_chunks", "write_csv", "write_json"]


def cell_text(value: Any) -> str:
    """The CSV text of one typed value.

    Example:
        >>> cell_text(Decimal("1E+3")), cell_text(None), cell_text(date(2025, 7, 29))
        ('1000', '', '2025-07-29')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(resource: Resource, records: Iterable[Record]) -> bytes:
    """The canonical CSV bytes of ``records`` of ``resource``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(resource.field_names)
    for record in records:
        writer.writerow([cell_text(getattr(record, name)) for name in resource.field_names])
    return buffer.getvalue().encode("utf-8")


def _json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(cell_text(value), ensure_ascii=False)


def json_chunks(resource: Resource, records: Iterable[Record]) -> Iterator[bytes]:
    """The bytes :func:`write_json` writes, a row at a time: a JSON form can be compared
    with its file as it is read, without holding either whole.

    Example:
        >>> from aifacts.contract.schema import resource
        >>> b"".join(json_chunks(resource("facts"), []))
        b'[]\\n'

    """
    first = True
    for record in records:
        members = ", ".join(
            f"{json.dumps(name)}: {_json_value(getattr(record, name))}"
            for name in resource.field_names
        )
        yield ("[\n  {" if first else ",\n  {").encode("utf-8") + (members + "}").encode("utf-8")
        first = False
    yield b"[]\n" if first else b"\n]\n"


def write_json(resource: Resource, records: Iterable[Record]) -> bytes:
    """The JSON bytes of ``records``: one object per line inside an array."""
    return b"".join(json_chunks(resource, records))
