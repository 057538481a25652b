"""Whole-column tests that flag every row which might break a rule of its own.

Each test is a superset: a row it does not flag is certain to pass every cell and
record rule of the row engine, so only flagged rows are re-read row by row (by the
row engine's own code, for identical problems). Exact per-value checks run in
Python only on the few distinct values (dates) or on non-ASCII text.

To add a per-row rule to both engines: add it to the records (row engine) and add
a flag here, in :data:`ROW_RULES`, that is true for every row that might break it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract.characters import re2_class
from aifacts.contract.schema import ID_PATTERN, Field, Resource
from aifacts.io.reading import INTEGER_PATTERN, NUMBER_PATTERN, parse_cell

__all__ = ["INTEGER", "NUMBER", "ROW_RULES", "as_floats", "row_flags"]

Columns = Mapping[str, Any]  # field name → pyarrow StringArray
Mask = Any  # a numpy boolean array, one value per row


def _whole(pattern: str) -> str:
    """``pattern`` matching a whole cell in RE2 (``\\z``: the very end, as the row
    engine's ``fullmatch``; never before a final line feed)."""
    return rf"\A(?:{pattern})\z"


#: A plain decimal, as the row engine's number rule.
NUMBER = _whole(NUMBER_PATTERN)
#: A whole number, as the row engine's integer rule.
INTEGER = _whole(INTEGER_PATTERN)
_DASH = ord("-")


def _byte_set(chars: str) -> Any:
    table = np.zeros(256, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


# ASCII whitespace as ``str.strip`` sees it, and the starts a spreadsheet runs as formulas.
_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_BAD_FIRST = _byte_set(_SPACE + "=+-@")
_BAD_LAST = _byte_set(_SPACE)
#: Fields that must not name their own row's key (the records' self-reference rules).
SELF_FIELDS: dict[str, tuple[str, ...]] = {
    "sources": ("derived_from",),
    "entities": ("parent_id",),
    "facts": ("part_of", "supersedes"),
}


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
    """Rows whose cell of ``spec`` may break a cell rule (type, enum, pattern, text)."""
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
        bad = _regex_flags(col, _whole(spec.pattern), empty)
    elif offsets is not None:
        bad = _text_flags(spec, col)
    else:  # not a plain string array: every non-empty cell is checked exactly
        bad = ~empty
    return bad | empty if spec.required else bad


def _blank(col: Any) -> Any:
    return pc.equal(pc.binary_length(col), 0)


def as_floats(col: Any) -> Any:
    """The cells as float64 (monotone in the exact value); null where not a plain decimal."""
    numeric = pc.match_substring_regex(col, NUMBER)
    text = pc.if_else(numeric, col, pa.scalar(None, pa.string()))
    return pc.cast(text, pa.float64())


def _fact_flags(res: Resource, cols: Columns) -> Mask:
    is_range = pc.equal(cols["qualifier"], "range")
    flags = ~_numpy(is_range) & ~_numpy(_blank(cols["value_high"]))  # a high outside a range
    ranges = pc.indices_nonzero(is_range)
    if len(ranges):
        high, low = cols["value_high"].take(ranges), cols["value"].take(ranges)
        try:
            # Floats are monotone: high > low as floats implies it exactly; else check.
            exceeds = pc.fill_null(pc.greater(as_floats(high), as_floats(low)), False)
        except pa.ArrowInvalid:
            exceeds = pc.equal(high, pa.scalar(None, pa.string()))  # all null: check each
            exceeds = pc.fill_null(exceeds, False)
        flags[pc.filter(ranges, pc.invert(exceeds)).to_numpy()] = True
    start, end = cols["period_start"], cols["period_end"]
    both = pc.invert(pc.or_(_blank(start), _blank(end)))
    return flags | _numpy(pc.and_(both, pc.greater(start, end)))


def _self_flags(res: Resource, cols: Columns) -> Mask | None:
    key = cols[res.primary_key]
    masks = [_numpy(pc.equal(cols[name], key)) for name in SELF_FIELDS.get(res.name, ())]
    return reduce(np.logical_or, masks) if masks else None


#: Record rules per resource, as flag functions ``(resource, columns) -> mask | None``.
ROW_RULES: dict[str, tuple[Callable[[Resource, Columns], Mask | None], ...]] = {
    "sources": (_self_flags,),
    "entities": (_self_flags,),
    "metrics": (),
    "facts": (_self_flags, _fact_flags),
}


def row_flags(res: Resource, cols: Columns) -> pa.BooleanArray:
    """A boolean array: true for every row that might break a rule of its own."""
    mask = np.zeros(len(next(iter(cols.values()))), dtype=bool)
    for spec in res.fields:
        mask |= cell_flags(spec, cols[spec.name])
    for rule in ROW_RULES.get(res.name, ()):
        found = rule(res, cols)
        if found is not None:
            mask |= found
    return pa.array(mask)
