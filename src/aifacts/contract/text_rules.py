"""The text rules of a cell: no forbidden character (:mod:`aifacts.contract.characters`),
and a unit string that is plain ASCII.

Example:
    >>> text_problem("100 \\u202eUSD", multiline=False)[1]
    'text holds U+202E RIGHT-TO-LEFT OVERRIDE at position 4'
    >>> text_problem("中国 – “AI”", multiline=False) is None
    True
"""

from __future__ import annotations

import unicodedata

from aifacts.contract.characters import describe, first_forbidden
from aifacts.contract.problems import Code

__all__ = ["text_problem", "unit_problem"]


def text_problem(text: str, *, multiline: bool) -> tuple[Code, str] | None:
    """The code and message for the first forbidden character of ``text``, or ``None``.

    A control character (tab and line feed in a one-line field included) is
    :attr:`~aifacts.contract.problems.Code.CONTROL_CHARACTER`; any other is
    :attr:`~aifacts.contract.problems.Code.TEXT_FORBIDDEN_CHAR`.
    """
    found = first_forbidden(text, multiline=multiline)
    if found is None:
        return None
    char = found.group()
    message = f"text holds {describe(char)} at position {found.start()}"
    if unicodedata.category(char) == "Cc":
        if char in "\t\n":
            message += "; this field is one line (tab and line feed only in multi-line text)"
        return Code.CONTROL_CHARACTER, message
    return Code.TEXT_FORBIDDEN_CHAR, message


def unit_problem(text: str) -> str | None:
    """Why ``text`` cannot be a unit string before Pint reads it, or ``None``.

    A unit is plain printable ASCII (U+0020–U+007E): the registry
    (:data:`aifacts.contract.units.UNIT_DEFINITIONS`) defines no name outside it, and Pint
    must never see a no-break space or an invisible character it would read past
    (``billion`` U+202E ``USD`` read as ``billion USD``). Characters
    :func:`text_problem` refuses are its to report.
    """
    if text.isascii() and text.isprintable():
        return None
    bad = next(c for c in text if not " " <= c <= "~")
    position = text.index(bad)
    return (
        f"a unit is plain ASCII text such as 'billion USD'; it holds {describe(bad)} "
        f"at position {position}"
    )
