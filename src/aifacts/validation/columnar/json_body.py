"""A JSON form's rows as ``aifacts build`` lays them out, read a line at a time, in
step with its CSV (:mod:`aifacts.validation.columnar.json_forms`): ``[``, one row object per line,
``]``. Any other layout is left to the row engine's code (:class:`Unsure`).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from aifacts.io.package import open_regular
from aifacts.validation.columnar.json_lines import Unsure

__all__ = ["CHUNK", "Body", "open_body"]

CHUNK = 1 << 20  # bytes of JSON read at a time when looking for lines
_HEAD, _TAIL, _EMPTY = b"[\n", b"\n]\n", b"[]\n"


def open_body(json_path: Path) -> Body:
    """The JSON form's rows, opened past its ``[\\n`` (its framing checked); none for
    the ``[]\\n`` of a CSV without rows (emptied, it still says how many rows lack)."""
    handle = open_regular(json_path)
    size = os.fstat(handle.fileno()).st_size
    if size == len(_EMPTY) and handle.read() == _EMPTY:
        body = Body(handle, 0)
        body.done = True
        return body
    handle.seek(0)
    if size < len(_HEAD) + len(_TAIL) or handle.read(len(_HEAD)) != _HEAD:
        handle.close()
        raise Unsure  # e.g. a BOM, or another layout: left to the row engine
    handle.seek(size - len(_TAIL))
    if handle.read(len(_TAIL)) != _TAIL:
        handle.close()
        raise Unsure
    handle.seek(len(_HEAD))
    return Body(handle, size - len(_HEAD) - len(_TAIL))


class Body:
    """The JSON form between its ``[\\n`` and ``\\n]\\n``: its rows' lines, read in step.

    ``take`` reads bytes, ``back`` unreads them; ``lines`` reads whole lines. ``done``
    is set once the body's last line (the one without a line feed after it) is read.
    """

    def __init__(self, handle: io.BufferedReader, size: int) -> None:
        self.handle = handle
        self.left = size
        self.done = False
        self.buffer = bytearray()

    def __enter__(self) -> Body:
        return self

    def __exit__(self, *_: object) -> None:
        self.handle.close()

    def take(self, n: int) -> bytes:
        data = self.handle.read(min(n, self.left))
        self.left -= len(data)
        return data

    def same(self, blob: Any) -> bool:
        """Whether the next bytes are those of the Arrow buffer ``blob`` (read either way)."""
        if len(self.buffer) < blob.size:
            self.buffer = bytearray(blob.size)
        view = memoryview(self.buffer)[: min(blob.size, self.left)]
        n = 0
        while n < len(view) and (got := self.handle.readinto(view[n:])):
            n += got
        self.left -= n
        if n == blob.size and pa.py_buffer(view[:n]).equals(blob):
            return True
        self.back(n)
        return False

    def back(self, n: int) -> None:
        self.handle.seek(-n, 1)
        self.left += n

    def lines(self, n: int, hint: int = CHUNK) -> tuple[list[bytes], bool]:
        """Up to ``n`` lines (without their line feed), and whether the last is the
        body's last."""
        if self.done:
            return [], False
        chunks: list[bytes] = []
        found = 0
        while found < n and self.left:
            chunk = self.take(max(hint, CHUNK))
            chunks.append(chunk)
            found += chunk.count(b"\n")
        parts = b"".join(chunks).split(b"\n", n)
        if len(parts) > n:  # n whole lines and the start of the next
            self.back(len(parts[n]))
            return parts[:n], False
        self.done = True
        return parts, True
