"""Whole-column tests that flag every row which might break a rule of its own.

Each test is a superset: a row it does not flag is certain to pass every cell and
record rule of the row engine, so only flagged rows are re-read row by row (by the
row engine's own code, for identical problems). Exact per-value checks run in
Python only on the few distinct values (dates) or on non-ASCII text.

The rules within a record are :data:`aifacts.contract.row_rules.ROW_RULES`: each
brings its own pre-filter, run here on every batch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract.characters import re2_class
from aifacts.contract.row_rules import (
    FORMULA_START,
    INTEGER_PATTERN,
    NUMBER_PATTERN,
    ROW_RULES,
    as_floats,
    whole_cell,
)
from aifacts.contract.schema import ID_PATTERN, Field, Resource
from aifacts.io.reading import parse_cell
from aifacts.validation.rules.base import repeated

__all__ = ["INTEGER", "NUMBER", "row_flags"]

Columns = Mapping[str, Any]  # field name → pyarrow StringArray
Mask = Any  # a numpy boolean array, one value per row


#: A plain decimal, as the row engine's number rule.
NUMBER = whole_cell(NUMBER_PATTERN)
#: A whole number, as the row engine's integer rule.
INTEGER = whole_cell(INTEGER_PATTERN)
_DASH = ord("-")


def _byte_set(chars: str) -> Any:
    table = np.zeros(256, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


# ASCII whitespace as ``str.strip`` sees it, and the starts a spreadsheet runs as formulas.
_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_BAD_FIRST = _byte_set(_SPACE + "".join(FORMULA_START))
_BAD_LAST = _byte_set(_SPACE)


def _views(col: Any) -> tuple[Any, Any]:
    """The offsets (``len(col) + 1``) and the bytes of a string array, as numpy arrays."""
    _, offsets, data = col.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32, count=len(col) + 1, offset=col.offset * 4)
    if data is None:
        return starts, np.zeros(1, dtype=np.uint8)
    return starts, np.frombuffer(data, dtype=np.uint8)


def _numpy(mask: Any) -> Mask:
    """An Arrow boolean array (nulls as false) as a numpy one."""
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _rows_of(offsets: Any, positions: Any) -> Any:
    """The rows holding the bytes at ``positions`` (absolute offsets into the data)."""
    return np.searchsorted(offsets, positions, side="right") - 1


def _text_flags(spec: Field, col: Any) -> Mask:
    """Non-empty cells that break a text rule: exactly, in whole-array passes.

    Bytes decide control characters, formula starts and ASCII whitespace at an end.
    Non-ASCII cells are few kinds of check more: their first and last characters
    (whitespace?) are judged once per distinct character, forbidden characters
    (:mod:`aifacts.contract.text_rules`) by one RE2 search, and their NFC form all at once:
    cells joined by line feeds (a character that never composes, so the joined text
    is NFC exactly when every cell is) go through one ``is_normalized``. A unit
    (``spec.unit``) that is not ASCII is flagged whole. A row holding a tab or line
    feed inside is flagged too (its exact check is the row engine's); nothing that
    breaks a rule is left unflagged.
    """
    offsets, data = _views(col)
    n = len(col)
    mask = np.zeros(n, dtype=bool)
    starts, ends = offsets[:-1], offsets[1:]
    full = np.flatnonzero(ends > starts)
    if not len(full):
        return mask
    raw = data[offsets[0] : offsets[-1]]
    if raw.min() < 0x20 or (raw == 0x7F).any():  # rare: then find the cells
        control = np.flatnonzero((raw < 0x20) | (raw == 0x7F))
        mask[_rows_of(offsets, control + offsets[0])] = True
    first, last = data[starts[full]], data[ends[full] - 1]
    mask[full[_BAD_FIRST[first] | _BAD_LAST[last]]] = True
    if raw.max() >= 0x80:  # some cell is not ASCII: find which
        wide = np.flatnonzero(~_numpy(pc.string_is_ascii(col)))
        if spec.unit:
            mask[wide] = True  # a unit is plain ASCII: the row engine says why not
        else:
            _check_wide(col, wide, mask, full, first >= 0x80, last >= 0x80)
    return mask


def _check_wide(col: Any, wide: Any, mask: Mask, full: Any, first: Any, last: Any) -> None:
    """Flag the non-ASCII cells (rows ``wide``) that hold a forbidden character, are
    not NFC or have whitespace at an end (``first``/``last``: whether the cells
    ``full`` start/end with a non-ASCII character)."""
    for rows, start in ((full[first], 0), (full[last], -1)):
        if len(rows):
            ends = pc.utf8_slice_codeunits(col.take(pa.array(rows)), start, start + 1 or None)
            spaces = [c for c in pc.unique(ends).to_pylist() if c.isspace()]
            if spaces:
                mask[rows[_numpy(pc.is_in(ends, value_set=pa.array(spaces)))]] = True
    cells = col.take(pa.array(wide))
    # Tab and line feed are flagged by their bytes: the multi-line class serves all.
    mask[wide[_numpy(pc.match_substring_regex(cells, re2_class(multiline=True)))]] = True
    whole = pa.ListArray.from_arrays(pa.array([0, len(cells)], pa.int32()), cells)
    if not unicodedata.is_normalized("NFC", pc.binary_join(whole, "\n")[0].as_py()):
        texts = cells.to_pylist()
        bad = [i for i, text in enumerate(texts) if not unicodedata.is_normalized("NFC", text)]
        mask[wide[bad]] = True


def _id_flags(col: Any) -> Mask:
    """Non-empty cells that may not match :data:`~aifacts.contract.schema.ID_PATTERN` (a slug)."""
    offsets, data = _views(col)
    raw = data[offsets[0] : offsets[-1]]
    alnum = (raw >= ord("a")) & (raw <= ord("z"))
    alnum |= (raw >= ord("0")) & (raw <= ord("9"))
    dash = raw == _DASH
    # A character outside [a-z0-9-], or a doubled dash (may flag a neighbour too).
    odd = ~(alnum | dash)
    odd[:-1] |= dash[:-1] & dash[1:]
    hits = np.flatnonzero(odd) + offsets[0]
    mask = np.zeros(len(col), dtype=bool)
    mask[_rows_of(offsets, hits)] = True
    starts, ends = offsets[:-1], offsets[1:]
    full = np.flatnonzero(ends > starts)
    mask[full[data[starts[full]] == _DASH]] = True  # a dash first ...
    mask[full[data[ends[full] - 1] == _DASH]] = True  # ... or last
    return mask


def _date_flags(spec: Field, col: Any) -> Mask:
    bad = [v for v in pc.unique(col).to_pylist() if v and parse_cell(spec, v)[1] is not None]
    if not bad:
        return np.zeros(len(col), dtype=bool)
    return _numpy(pc.is_in(col, value_set=pa.array(bad, pa.string())))


def _regex_flags(col: Any, pattern: str, empty: Mask) -> Mask:
    """Non-empty cells not matching ``pattern`` (ASCII: a match is clean text too)."""
    return ~_numpy(pc.match_substring_regex(col, pattern)) & ~empty


def _outside(col: Any, spec: Field, empty: Mask) -> Mask:
    """Numbers that may lie outside ``spec``'s ``minimum`` and ``maximum``: floats at or
    beyond either (exact check later)."""
    floats = as_floats(col).to_numpy(zero_copy_only=False)
    inside = np.ones(len(floats), dtype=bool)
    with np.errstate(invalid="ignore"):  # NaN (not a number) is flagged as well
        if spec.minimum is not None:
            inside &= floats > spec.minimum
        if spec.maximum is not None:
            inside &= floats < spec.maximum
    return ~empty & ~inside


def cell_flags(spec: Field, col: Any) -> Mask:
    """Rows whose cell of ``spec`` may break a cell rule (type, enum, pattern, text):
    each distinct cell tested once when the cells are long and the batch repeats them
    (see :func:`~aifacts.validation.rules.base.repeated`)."""
    if _by_regex_or_text(spec) and col.type == pa.string() and not col.null_count:
        offsets, _ = _views(col)
        if offsets[-1] - offsets[0] >= _LONG * len(col):
            found = repeated(col)
            if found is not None:
                firsts, group = found
                return _cell_flags(spec, col.take(firsts))[group]
    return _cell_flags(spec, col)


#: Bytes a cell holds on average for its column's repeats to be worth finding: a
#: regex or the text passes cost a few passes over the bytes, finding the repeats a
#: hash per cell. On the release replicated to a million facts, its quotes (about 95
#: bytes) and notes (65) cost 0.3 CPU s less when each distinct cell is tested once;
#: short cells, or a byte scan (ids), cost more (see benchmarks/README.md).
_LONG = 32


def _by_regex_or_text(spec: Field) -> bool:
    """Whether ``spec``'s cells are tested by a regex or the text passes: not by a set
    lookup (an enum), a byte scan (an id) or per distinct value already (a date)."""
    if spec.type in ("number", "integer", "boolean"):
        return True
    return spec.type == "string" and spec.enum is None and spec.pattern != ID_PATTERN


def _cell_flags(spec: Field, col: Any) -> Mask:
    offsets, _ = _views(col) if not col.null_count and col.type == pa.string() else (None, None)
    empty = (offsets[1:] == offsets[:-1]) if offsets is not None else _numpy(_blank(col))
    if spec.type in ("number", "integer"):
        bad = _regex_flags(col, NUMBER if spec.type == "number" else INTEGER, empty)
        if spec.minimum is not None or spec.maximum is not None:
            bad |= _outside(col, spec, empty)
    elif spec.type == "date":
        bad = _date_flags(spec, col)
    elif spec.type == "boolean":
        bad = _regex_flags(col, "^(?:true|false)$", empty)
    elif spec.enum is not None:
        allowed = pa.array([m.value for m in spec.enum], pa.string())
        bad = ~_numpy(pc.is_in(col, value_set=allowed)) & ~empty
    elif spec.pattern == ID_PATTERN and offsets is not None:
        bad = _id_flags(col)  # a byte scan: empty cells are not flagged
    elif spec.pattern is not None:
        bad = _regex_flags(col, whole_cell(spec.pattern), empty)
    elif offsets is not None:
        bad = _text_flags(spec, col)
    else:  # not a plain string array: every non-empty cell is checked exactly
        bad = ~empty
    return bad | empty if spec.required else bad


def _blank(col: Any) -> Any:
    return pc.equal(pc.binary_length(col), 0)


def row_flags(res: Resource, cols: Columns) -> pa.BooleanArray:
    """A boolean array: true for every row that might break a rule of its own."""
    mask = np.zeros(len(next(iter(cols.values()))), dtype=bool)
    for spec in res.fields:
        mask |= cell_flags(spec, cols[spec.name])
    for rule in ROW_RULES:
        if rule.resource == res.name:
            mask |= rule.suspects(cols) if rule.suspects is not None else True
    return pa.array(mask)
