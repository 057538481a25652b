"""JSON read with bounds: on nesting, on the length of a number, and on repeated keys.

:func:`json.loads` as it comes trusts its input: ``1e999999999`` in a JSON form
became a gigabyte of digits once written out as a plain decimal, 5,000 digits stop
``int()`` with an error that says neither file nor row, 100,000 nested brackets end
in a ``RecursionError``, and of two equal keys in one object the last silently wins.
:func:`loads` parses the same JSON, but:

- a number token longer than :data:`MAX_NUMBER` characters (or one whose plain
  decimal form would be) is never converted: it stays a :class:`LongNumber`, the
  token's text, for the caller to report where it stands (the file, row and field);
- an object that repeats a key becomes a :class:`Repeated` (a ``dict`` with the
  first value of each key) that names the keys repeated, for the caller to report;
- arrays and objects nested deeper than ``max_depth`` are refused with a
  ``ValueError`` before anything is parsed (when ``max_depth`` is given).

Example:
    >>> value = loads('{"a": 1e999999999, "b": 2, "b": 3}')
    >>> type(value["a"]).__name__, value["b"], value.repeated
    ('LongNumber', Decimal('2'), ('b',))
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_NUMBER",
    "LongNumber",
    "Repeated",
    "clip_number",
    "loads",
    "too_deep",
    "too_deep_message",
]

#: Arrays and objects a descriptor may nest (a JSON form's rows need two).
MAX_DEPTH = 64
#: Characters of a JSON number token, and of its plain decimal form.
MAX_NUMBER = 100

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class LongNumber(str):
    """The text of a JSON number too long to convert (see :data:`MAX_NUMBER`)."""

    __slots__ = ()


class Repeated(dict[str, Any]):
    """A JSON object that repeats a key: the first value of each key, and ``repeated``,
    the keys that appear more than once (in order of their second appearance)."""

    repeated: tuple[str, ...] = ()


def clip_number(token: str) -> str:
    """How a message quotes a number token too long to read: its first characters and
    how long it is (or would be, written out as a plain decimal).

    Example:
        >>> clip_number("1" * 5000)
        'a number of 5000 characters (1111111111…); at most 100 are read'
        >>> clip_number("1e999999999")
        "'1e999999999' is a number of more than 100 digits; at most 100 are read"
    """
    if len(token) <= MAX_NUMBER:
        return (
            f"{token!r} is a number of more than {MAX_NUMBER} digits; at most {MAX_NUMBER} are read"
        )
    return f"a number of {len(token)} characters ({token[:10]}…); at most {MAX_NUMBER} are read"


def _decimal(token: str) -> Decimal | LongNumber:
    if len(token) > MAX_NUMBER:
        return LongNumber(token)
    value = Decimal(token)
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a JSON number is finite
    width = len(digits) + exponent if exponent >= 0 else max(len(digits), 1 - exponent) + 1
    return LongNumber(token) if width > MAX_NUMBER else value


def _integer(token: str) -> int | LongNumber:
    return LongNumber(token) if len(token) > MAX_NUMBER else int(token)


def _float(token: str) -> float | LongNumber:
    return LongNumber(token) if len(token) > MAX_NUMBER else float(token)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    repeated: list[str] = []
    for key, value in pairs:
        if key in obj:
            repeated.append(key)
        else:
            obj[key] = value
    if not repeated:
        return obj
    marked = Repeated(obj)
    marked.repeated = tuple(dict.fromkeys(repeated))
    return marked


def too_deep(text: str, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep in the JSON ``text``."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def loads(text: str, *, decimal: bool = True, max_depth: int | None = None) -> Any:
    """Parse JSON ``text`` within bounds: numbers are :class:`~decimal.Decimal` (or, with
    ``decimal=False``, ``int`` and ``float``), too long ones :class:`LongNumber`,
    objects that repeat a key :class:`Repeated`.

    Raises:
        ValueError: the text is not JSON (a :class:`json.JSONDecodeError`), or nests
            deeper than ``max_depth`` (or than the interpreter can parse).
    """
    if max_depth is not None and too_deep(text, max_depth):
        raise ValueError(too_deep_message(max_depth))
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=_decimal if decimal else _integer,
            parse_float=_decimal if decimal else _float,
        )
    except RecursionError:
        raise ValueError(too_deep_message(max_depth)) from None


def too_deep_message(limit: int | None = None) -> str:
    """What :func:`loads` says of JSON nested too deep (deeper than ``limit``, or than
    the interpreter parses when none is given)."""
    return f"arrays and objects nest more than {limit or MAX_DEPTH} deep"
