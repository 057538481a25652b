"""Whole-column tests that flag every row which might break a rule of its own.

Each test is a superset: a row it does not flag is certain to pass every cell and
record rule of the row engine, so only flagged rows are re-read row by row (by the
row engine's own code, for identical problems). Exact per-value checks run in
Python only on the few distinct values (dates) or on non-ASCII text.

To add a per-row rule to both engines: add it to the records (row engine) and add
a flag here, in :data:`ROW_RULES`, that is true for every row that might break it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic_core import PydanticCustomError

from aifacts.reading import parse_cell
from aifacts.records import _clean_text
from aifacts.schema import ID_PATTERN, Field, Resource

__all__ = ["NUMBER", "ROW_RULES", "as_floats", "row_flags"]

Columns = Mapping[str, Any]  # field name → pyarrow StringArray

#: A plain decimal, as the row engine's number rule, but with RE2's strict ``$``.
NUMBER = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$"
# Printable first characters the text rules refuse: a space, a formula sign.
_STARTS = (" ", "=", "+", "@", "-")
_DASH = ord("-")
#: Fields that must not name their own row's key (the records' self-reference rules).
SELF_FIELDS: dict[str, tuple[str, ...]] = {
    "sources": ("derived_from",),
    "entities": ("parent_id",),
    "facts": ("part_of", "supersedes"),
}


def _empty(col: Any) -> Any:
    return pc.equal(pc.binary_length(col), 0)


def _mask_at(n: int, indices: list[int]) -> Any:
    mask = np.zeros(n, dtype=bool)
    mask[indices] = True
    return pa.array(mask)


def _clean(text: str) -> bool:
    try:
        _clean_text(text)
    except PydanticCustomError:
        return False
    return True


def _text_flags(col: Any) -> Any:
    """Cells the text rules may refuse: ASCII ones by whole-column tests, others exactly.

    An ASCII cell passes every text rule unless it holds a character outside the
    printable range (control characters, tab, line breaks, the other whitespace) or
    starts with a space or a formula sign or ends with a space.
    """
    ascii_only = pc.string_is_ascii(col)
    unprintable = pc.and_(
        pc.invert(pc.ascii_is_printable(col)), pc.greater(pc.binary_length(col), 0)
    )
    flags = pc.or_(
        pc.and_(ascii_only, unprintable),
        pc.or_(
            pc.is_in(pc.utf8_slice_codeunits(col, 0, 1), value_set=pa.array(_STARTS, pa.string())),
            pc.ends_with(col, " "),
        ),
    )
    other = pc.indices_nonzero(pc.invert(ascii_only))
    if len(other):
        positions = other.to_pylist()
        values = col.take(other).to_pylist()
        bad = [i for i, v in zip(positions, values, strict=True) if not _clean(v)]
        if bad:
            flags = pc.or_(flags, _mask_at(len(col), bad))
    return flags


def _views(col: Any) -> tuple[Any, Any]:
    """The offsets (``len(col) + 1``) and the bytes of a string array, as numpy arrays."""
    _, offsets, data = col.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32, count=len(col) + 1, offset=col.offset * 4)
    if data is None:
        return starts, np.zeros(1, dtype=np.uint8)
    return starts, np.frombuffer(data, dtype=np.uint8)


def _id_flags(col: Any) -> Any:
    """Non-empty cells that may not match :data:`~aifacts.schema.ID_PATTERN` (a slug)."""
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
    mask[np.searchsorted(offsets, hits, side="right") - 1] = True
    starts, ends = offsets[:-1], offsets[1:]
    full = np.flatnonzero(ends > starts)
    mask[full[data[starts[full]] == _DASH]] = True  # a dash first ...
    mask[full[data[ends[full] - 1] == _DASH]] = True  # ... or last
    return pa.array(mask)


def _date_flags(spec: Field, col: Any) -> Any:
    bad = [v for v in pc.unique(col).to_pylist() if v and parse_cell(spec, v)[1] is not None]
    return pc.is_in(col, value_set=pa.array(bad, pa.string()))


def cell_flags(spec: Field, col: Any) -> Any:
    """Rows whose cell of ``spec`` may break a cell rule (type, enum, pattern, text)."""
    empty = _empty(col)
    if spec.type == "number":
        bad = pc.and_not(pc.invert(pc.match_substring_regex(col, NUMBER)), empty)
    elif spec.type == "date":
        bad = _date_flags(spec, col)
    elif spec.enum is not None:
        allowed = pa.array([m.value for m in spec.enum], pa.string())
        bad = pc.and_not(pc.invert(pc.is_in(col, value_set=allowed)), empty)
    elif spec.pattern == ID_PATTERN and not col.null_count and col.type == pa.string():
        bad = _id_flags(col)  # a byte scan: empty cells are not flagged
    elif spec.pattern is not None:
        # A cell matching its (ASCII) pattern is clean text as well.
        bad = pc.and_not(pc.invert(pc.match_substring_regex(col, spec.pattern)), empty)
    else:
        bad = _text_flags(col)
    return pc.or_(bad, empty) if spec.required else bad


def as_floats(col: Any) -> Any:
    """The cells as float64 (monotone in the exact value); null where not a plain decimal."""
    numeric = pc.match_substring_regex(col, NUMBER)
    text = pc.if_else(numeric, col, pa.scalar(None, pa.string()))
    return pc.cast(text, pa.float64())


def _fact_flags(res: Resource, cols: Columns) -> Any:
    is_range = pc.equal(cols["qualifier"], "range")
    high_empty = _empty(cols["value_high"])
    flags = pc.and_not(pc.invert(high_empty), is_range)  # value_high outside a range
    ranges = pc.indices_nonzero(is_range)
    if len(ranges):
        high, low = cols["value_high"].take(ranges), cols["value"].take(ranges)
        try:
            # Floats are monotone: high > low as floats implies it exactly; else check.
            exceeds = pc.fill_null(pc.greater(as_floats(high), as_floats(low)), False)
        except pa.ArrowInvalid:
            exceeds = pc.equal(high, pa.scalar(None, pa.string()))  # all null: check each
            exceeds = pc.fill_null(exceeds, False)
        doubtful = pc.filter(ranges, pc.invert(exceeds))
        if len(doubtful):
            flags = pc.or_(flags, _mask_at(len(is_range), doubtful.to_numpy()))
    start, end = cols["period_start"], cols["period_end"]
    both = pc.invert(pc.or_(_empty(start), _empty(end)))
    return pc.or_(flags, pc.and_(both, pc.greater(start, end)))


def _self_flags(res: Resource, cols: Columns) -> Any:
    key = cols[res.primary_key]
    masks = [pc.equal(cols[name], key) for name in SELF_FIELDS.get(res.name, ())]
    return reduce(pc.or_, masks) if masks else None


#: Record rules per resource, as flag functions ``(resource, columns) -> mask | None``.
ROW_RULES: dict[str, tuple[Callable[[Resource, Columns], Any], ...]] = {
    "sources": (_self_flags,),
    "entities": (_self_flags,),
    "metrics": (),
    "facts": (_self_flags, _fact_flags),
}


def row_flags(res: Resource, cols: Columns) -> Any:
    """A boolean array: true for every row that might break a rule of its own."""
    masks = [cell_flags(spec, cols[spec.name]) for spec in res.fields]
    for rule in ROW_RULES.get(res.name, ()):
        mask = rule(res, cols)
        if mask is not None:
            masks.append(mask)
    return reduce(pc.or_, masks)
