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
ordinary and no-break spaces (a unit is stricter: :func:`aifacts.contract.text_rules.unit_problem`).

The forbidden code points are written once, in :data:`FORBIDDEN`; the pattern for
Python's :mod:`re` (:func:`forbidden_re`) and the one for RE2, which pyarrow's
``match_substring_regex`` uses (:func:`re2_class`), are both generated from it.

Example:
    >>> first_forbidden("100 \\u202eUSD", multiline=False).start()
    4
    >>> first_forbidden("中国 – “AI”", multiline=False) is None
    True
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "FORBIDDEN",
    "LINE_BREAKS",
    "describe",
    "first_forbidden",
    "forbidden_re",
    "json_safe",
    "re2_class",
    "terminal_safe",
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


def terminal_safe(text: str) -> str:
    """``text`` safe to print on a terminal: every character :mod:`aifacts.contract.text_rules`
    forbids (controls, bidi, zero-width, noncharacters, surrogates; tab and line feed
    kept) written as a Python escape: ``\\x9b``, ``\\u202e``, ``\\U0001fffe``.

    Example:
        >>> print(terminal_safe("a\\x9b[31mb \\u202eUSD"))
        a\\x9b[31mb \\u202eUSD
    """
    return forbidden_re(multiline=True).sub(_python_escape, text)


def json_safe(text: str) -> str:
    """JSON text with every forbidden character inside its strings as a JSON escape
    (``\\u009b``; a surrogate pair beyond the BMP): the same JSON value, safe on a
    terminal. JSON's own syntax is ASCII, so the characters are all inside strings.

    Example:
        >>> print(json_safe('{"note": "a\\x9bb"}'))
        {"note": "a\\u009bb"}
    """
    return forbidden_re(multiline=True).sub(_json_escape, text)


def _python_escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _json_escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
