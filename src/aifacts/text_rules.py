"""Which characters a text cell may hold: one definition, read by both engines.

Text is refused when it holds a character a reader cannot see, or one that changes
how the characters around it are shown or run:

- **controls**: C0 (U+0000–U+001F; tab and line feed are allowed only in the fields
  the schema marks ``multiline``), DEL (U+007F) and C1 (U+0080–U+009F, which
  terminals obey: U+009B starts an escape sequence);
- **bidirectional formatting**: the embeddings and overrides U+202A–U+202E, the
  isolates U+2066–U+2069, and the marks U+200E, U+200F and U+061C. The marks are
  refused with the rest: they are as invisible, they move the signs and punctuation
  around a number (``-5`` can show as ``5-``), and the package's languages (English,
  Chinese) never need them. A source whose text holds one is quoted without it, and
  the fact's ``note`` says so;
- **zero-width characters**: U+200B–U+200D, U+2060–U+2064 and U+FEFF (a byte order
  mark is accepted at the start of a file, never inside text): two strings that look
  the same would differ;
- **noncharacters**: U+FDD0–U+FDEF and the last two code points of every plane
  (U+FFFE, U+FFFF, U+1FFFE, ...), which no text interchange may hold (an xlsx file
  holding one is malformed);
- **lone surrogates** (U+D800–U+DFFF), which only a JSON escape can produce.

Everything else passes: Chinese, en dashes, curly quotes, full-width punctuation,
ordinary and no-break spaces (a unit is stricter: :func:`unit_problem`).

The forbidden code points are written once, in :data:`FORBIDDEN`; the pattern for
Python's :mod:`re` (:func:`forbidden_re`) and the one for RE2, which pyarrow's
``match_substring_regex`` uses (:func:`re2_class`), are both generated from it.

Example:
    >>> text_problem("100 \\u202eUSD", multiline=False)[1]
    'text holds U+202E RIGHT-TO-LEFT OVERRIDE at position 4'
    >>> text_problem("中国 – “AI”", multiline=False) is None
    True
"""

from __future__ import annotations

import functools
import re
import unicodedata

from aifacts.problems import Code

__all__ = [
    "FORBIDDEN",
    "LINE_BREAKS",
    "describe",
    "first_forbidden",
    "forbidden_re",
    "re2_class",
    "text_problem",
    "unit_problem",
]

#: Tab and line feed: allowed inside the fields the schema marks ``multiline`` only.
LINE_BREAKS: tuple[tuple[int, int], ...] = ((0x09, 0x0A),)

#: The code points no text cell may hold, as inclusive ranges (see the module's doc).
FORBIDDEN: tuple[tuple[int, int], ...] = (
    (0x00, 0x08),  # C0 controls before the tab
    (0x0B, 0x1F),  # C0 controls after the line feed (CR included)
    (0x7F, 0x9F),  # DEL and the C1 controls
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x200B, 0x200D),  # zero width space, non-joiner, joiner
    (0x200E, 0x200F),  # LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # WORD JOINER and the invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0xD800, 0xDFFF),  # surrogates (alone in a Python string only)
    (0xFDD0, 0xFDEF),  # noncharacters
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (the BOM)
    *((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(17)),  # noncharacters
)

_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def _py_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges) + "]"


def re2_class(*, multiline: bool) -> str:
    """The forbidden characters as an RE2 character class, for pyarrow: the same
    ranges as :func:`forbidden_re` but surrogates, which UTF-8 (and so an Arrow
    string) cannot hold. With ``multiline=False``, tab and line feed are in it too."""
    ranges = FORBIDDEN if multiline else FORBIDDEN + LINE_BREAKS
    parts = (f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in ranges if not 0xD800 <= lo <= 0xDFFF)
    return "[" + "".join(parts) + "]"


@functools.cache
def forbidden_re(*, multiline: bool) -> re.Pattern[str]:
    """The forbidden characters as a :mod:`re` character class (compiled on first use);
    with ``multiline=False``, tab and line feed too."""
    return re.compile(_py_class(FORBIDDEN if multiline else FORBIDDEN + LINE_BREAKS))


def first_forbidden(text: str, *, multiline: bool) -> re.Match[str] | None:
    """The first character of ``text`` that a field may not hold, or ``None``."""
    return forbidden_re(multiline=multiline).search(text)


def describe(char: str) -> str:
    """A character by code point and name, never raw: ``U+202E RIGHT-TO-LEFT OVERRIDE``.

    Example:
        >>> describe("\\x9b"), describe("\\ufffe")
        ('U+009B CONTROL SEQUENCE INTRODUCER', 'U+FFFE (a noncharacter)')
    """
    point = ord(char)
    name = _CONTROL_NAMES.get(point) or unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        kind = {"Cc": "a control character", "Cs": "a lone surrogate"}.get(category)
        if kind is None:
            kind = "a noncharacter" if _noncharacter(point) else "unnamed"
        return f"U+{point:04X} ({kind})"
    return f"U+{point:04X} {name}"


def _noncharacter(point: int) -> bool:
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def text_problem(text: str, *, multiline: bool) -> tuple[Code, str] | None:
    """The code and message for the first forbidden character of ``text``, or ``None``.

    A control character (tab and line feed in a one-line field included) is
    :attr:`~aifacts.problems.Code.CONTROL_CHARACTER`; any other is
    :attr:`~aifacts.problems.Code.TEXT_FORBIDDEN_CHAR`.
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
    (:data:`aifacts.units.UNIT_DEFINITIONS`) defines no name outside it, and Pint
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
