"""Whether a JSON form is a JSON array at all, read a line at a time.

:func:`aifacts.io.reading.read_json` decodes the whole file and parses it whole; a
truncated 459 MB ``facts.json`` then takes its whole text in memory (twice its bytes
when it holds Chinese) just to say where it stops being JSON. :func:`first_problem`
says the same, in the same words, holding a few thousand lines at a time:

1. Every line is decoded (the first bytes that are not UTF-8 win, as when the whole
   file is decoded) and the lines ending ``,\\n`` are parsed a chunk at a time as
   items of an array, the form ``aifacts build`` writes: ``[``, one row object per
   line, ``]``.
2. If every line is such an item (with the first and last lines of the form), the
   file is a JSON array. Otherwise, from the first line that is not, the text is
   parsed from that line on, behind a prefix that puts ``json`` in the very state
   the lines before leave it in (inside the array, after a comma), a growing window
   of lines at a time, until the error found cannot depend on where the window
   ends; its position is then moved back to the whole file's lines and characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from aifacts.io.encoding import utf16_without_bom
from aifacts.io.json_limits import too_deep_message

__all__ = ["first_problem"]

_BOM = b"\xef\xbb\xbf"
_CHUNK = 4096  # lines parsed at a time
_WINDOW = 64  # lines of the first window; doubled as needed
_HOOKS: dict[str, Any] = {
    "object_pairs_hook": lambda _: None,
    "parse_float": lambda _: None,
    "parse_int": lambda _: None,
}


@dataclass(frozen=True)
class Verdict:
    """Why the text is not a JSON array: ``encoding`` (the bytes are not UTF-8; the
    message :func:`aifacts.io.encoding.decode` gives), or ``json`` (the message
    :func:`json.loads` raises), or ``not_array``."""

    kind: str
    message: str = ""


def first_problem(path: Path) -> Verdict | None:
    """Why the file at ``path`` is not a JSON array, as reading it whole would say;
    ``None`` when it is one."""
    from aifacts.io.package import open_regular

    with open_regular(path) as handle:
        scan = _Scan(handle)
        bad = scan.run()
        if bad is not None:
            return bad
        if scan.suspect is None:
            return None
        return _window_verdict(handle, scan.suspect)


@dataclass(frozen=True)
class _Line:
    """Where a line starts: its number (from 1), and bytes and characters before it."""

    number: int
    byte: int
    char: int


class _Scan:
    """One pass over the lines: their encoding, and the first line that is not an
    item of the array in the form ``aifacts build`` writes (``suspect``)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.suspect: _Line | None = None
        self.start = 0  # bytes of the BOM skipped
        self.head = b""  # the first two bytes after it (decode's UTF-16 guess)
        self.chunk: list[tuple[_Line, str]] = []

    def run(self) -> Verdict | None:
        first = self.handle.read(len(_BOM))
        self.start = len(_BOM) if first == _BOM else 0
        self.handle.seek(self.start)
        self.head = self.handle.read(4)
        self.handle.seek(self.start)
        why = utf16_without_bom(self.head)
        if why is not None:  # in decode's words
            return Verdict("encoding", why)
        byte = char = 0
        lines = []  # (where, text) of the lines that do not end ",\n"
        where: _Line | None = None  # the last line's
        for number, raw in enumerate(self.handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return self._not_utf8(number, byte, raw, exc)
            where = _Line(number, byte, char)
            byte += len(raw)
            char += len(text)
            if text.endswith(",\n") and number > 1:
                if self.suspect is None:
                    self.chunk.append((where, text))
                    if len(self.chunk) == _CHUNK:
                        self._check_chunk()
            else:
                self._check_chunk()
                lines.append((where, text))
        self._check_chunk()
        if where is None:
            self.suspect = _Line(1, 0, 0)  # an empty file: json says so
        else:
            self._check_frame(lines, where)
        return None

    def _not_utf8(self, number: int, byte: int, raw: bytes, exc: UnicodeDecodeError) -> Verdict:
        at = byte + exc.start
        bad = (raw + self.handle.read(4))[exc.start : exc.start + 4]
        guess = "UTF-16" if self.head[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8"
        why = f"line {number}, byte {at}: {bad!r} is not UTF-8 ({guess}); save the file as UTF-8"
        return Verdict("encoding", why)

    def _check_chunk(self) -> None:
        """Parse the pending ``,``-ended lines as array items; on failure, mark the
        first line that is not one on its own."""
        if self.chunk and self.suspect is None and not _items("".join(t for _, t in self.chunk)):
            failing = (where for where, text in self.chunk if not _items(text))
            self.suspect = next(failing, self.chunk[0][0])
        self.chunk.clear()

    def _check_frame(self, lines: list[tuple[_Line, str]], last: _Line) -> None:
        """The lines not ended by ``,\n`` must be the form's: ``[`` first, the last
        item (no comma) then ``]`` last, or the whole file ``[]``. The first that is
        not becomes the suspect, unless a line before it already is; so does a last
        line ended by a comma (the file is cut short)."""
        total = last.number
        for where, text in lines:
            if self.suspect is not None and self.suspect.number < where.number:
                return
            if not _framing(where.number, text, total, lines):
                self.suspect = where
                return
        if self.suspect is None and lines[-1][0].number != total:
            self.suspect = last


def _framing(number: int, text: str, total: int, lines: list[tuple[_Line, str]]) -> bool:
    """Whether line ``number`` of ``total``, not ended by ``,\n``, is where the form
    ``aifacts build`` writes has such a line."""
    if total == 1:
        return text == "[]\n"
    last = lines[-1][1] if lines[-1][0].number == total else None
    if number == 1:
        return text == "[\n" and total >= 3
    if number == total:  # and the line before it the last item, not ended by a comma
        return text == "]\n" and len(lines) > 1 and lines[-2][0].number == total - 1
    return number == total - 1 and last == "]\n" and _items(text.removesuffix("\n") + ",")


def _items(text: str) -> bool:
    """Whether ``text`` is a run of JSON values, each followed by a comma."""
    try:
        json.loads("[" + text + "0]", **_HOOKS)
    except (ValueError, RecursionError):
        return False
    return True


def _window_verdict(handle: BinaryIO, where: _Line) -> Verdict | None:
    """Parse from line ``where`` on, a growing window of lines at a time."""
    prefix = "" if where.number == 1 else ("[\n" if where.number == 2 else "[0,\n")
    size = _WINDOW
    while True:
        handle.seek(where.byte + _start(handle))
        lines, complete = _lines(handle, size)
        text = prefix + "".join(lines)
        try:
            value = json.loads(text, **_HOOKS)
        except json.JSONDecodeError as exc:
            last = len(lines[-1]) if lines else 0
            if complete or exc.pos < len(text) - last:
                return Verdict("json", _moved(exc, prefix, where))
        except RecursionError:
            if complete:  # in the words of aifacts.io.json_limits.loads
                return Verdict("json", too_deep_message())
        except ValueError as exc:
            if complete:
                return Verdict("json", str(exc))
        else:
            if complete:
                return None if isinstance(value, list) else Verdict("not_array")
        size *= 2


def _start(handle: BinaryIO) -> int:
    """Bytes of a BOM at the start of the file (not part of its text)."""
    handle.seek(0)
    return len(_BOM) if handle.read(len(_BOM)) == _BOM else 0


def _lines(handle: BinaryIO, n: int) -> tuple[list[str], bool]:
    """Up to ``n`` decoded lines, and whether they reach the end of the file."""
    lines: list[str] = []
    reader: Iterator[bytes] = iter(handle)
    for raw in reader:
        lines.append(raw.decode("utf-8"))
        if len(lines) == n:
            return lines, not handle.read(1)
    return lines, True


def _moved(exc: json.JSONDecodeError, prefix: str, where: _Line) -> str:
    """``exc``'s message with its place in the whole file rather than in the window."""
    line = exc.lineno - prefix.count("\n") + where.number - 1
    pos = exc.pos - len(prefix) + where.char
    return f"{exc.msg}: line {line} column {exc.colno} (char {pos})"
