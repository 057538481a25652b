"""The lines :func:`aifacts.io.writing.write_json` writes, from Arrow batches of clean CSV
rows: what the columnar engine compares a JSON form with
(:mod:`aifacts.validation.columnar.json_forms`).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract.schema import Resource
from aifacts.errors import AifactsError

__all__ = ["Unsure", "Writer"]

#: Bytes json.dumps escapes (with their escapes, in the order to apply them) among
#: those a clean text cell may hold; any other byte below 0x20 sends the resource to
#: the row engine.
_ESCAPES = ((ord("\\"), "\\", "\\\\"), (ord('"'), '"', '\\"'), (10, "\n", "\\n"), (9, "\t", "\\t"))


class Unsure(AifactsError):
    """Raised when only the row engine's code can say what the problems are (caught
    inside the engine: it never reaches a caller)."""


class Writer:
    """The lines :func:`aifacts.io.writing.write_json` writes for a batch of clean CSV rows.

    Each line is one join of the cells and the text between them: the key of the
    next field, the quotes around text, ``null`` for an empty cell. What lies between
    two cells depends only on whether each is empty: one of four texts.
    """

    def __init__(self, res: Resource) -> None:
        self.quoted = [f.type not in ("number", "integer", "boolean") for f in res.fields]
        marks = ['"' if q else "" for q in self.quoted]
        self.between: list[Any] = []
        for i, fld in enumerate(res.fields):
            texts = []
            for empty_before in (False, True):
                for empty in (False, True):
                    head = "  {" if i == 0 else ("" if empty_before else marks[i - 1]) + ", "
                    key = json.dumps(fld.name) + ": "
                    texts.append(head + key + ("null" if empty else marks[i]))
            self.between.append(pa.array(texts, pa.string()))
        closing = [marks[-1] + "},\n"] * 2 + ["},\n"] * 2  # after the last cell
        self.between.append(pa.array(closing, pa.string()))

    def lines(self, batch: Any) -> Any:
        """The batch's JSON lines, each ending ``,\\n``, as an Arrow string array."""
        n = batch.num_rows
        columns = batch.columns
        empty = [_empty(col) for col in columns]
        parts: list[Any] = []
        for i, between in enumerate(self.between):
            before = empty[i - 1] if i else None
            now = empty[i] if i < len(columns) else None
            parts.append(_pick(between, before, now, n))
            if i < len(columns):
                parts.append(_escaped(columns[i]) if self.quoted[i] else columns[i])
        return pc.binary_join_element_wise(*parts, "")


def _empty(col: Any) -> Any:
    """Which cells of a string array are empty, as a numpy boolean array (``None``: none)."""
    offsets = np.frombuffer(col.buffers()[1], np.int32, len(col) + 1, col.offset * 4)
    mask = offsets[1:] == offsets[:-1]
    return mask if mask.any() else None


def _pick(texts: Any, before: Any, now: Any, n: int) -> Any:
    """The text between two cells, row by row: ``texts[2 * before_empty + now_empty]``."""
    if before is None and now is None:
        return texts[0]
    index = np.zeros(n, np.int8)
    if before is not None:
        index += 2 * before.astype(np.int8)
    if now is not None:
        index += now.astype(np.int8)
    return texts.take(pa.array(index))


def _escaped(col: Any) -> Any:
    """Text cells escaped as ``json.dumps(text, ensure_ascii=False)`` escapes them."""
    data = col.buffers()[2]
    if data is None or len(col) == 0:
        return col
    offsets = np.frombuffer(col.buffers()[1], np.int32, len(col) + 1, col.offset * 4)
    raw = np.frombuffer(data, np.uint8)[offsets[0] : offsets[-1]]
    control = raw[raw < 0x20]
    controls = set(np.unique(control).tolist()) if len(control) else set()
    if controls - {9, 10}:
        raise Unsure  # json.dumps writes \u00XX (or \r, \b, \f): not in a clean cell
    for byte, text, escape in _ESCAPES:
        if byte in controls if byte < 0x20 else (raw == byte).any():
            col = pc.replace_substring(col, text, escape)
    return col
