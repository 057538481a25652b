"""The sure passes of the quote-value rule (:mod:`aifacts.validation.rules.quote_values`),
on whole columns.

A quote that certainly states its fact's numbers as written needs no exact check;
:func:`blank_sure` finds those per streamed batch, in the reading threads, and
keeps only the other quotes, so the rule later checks few rows and the quotes of
the rest are never held in memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.validation.rules.base import repeated

__all__ = ["blank_sure", "digit_tokens", "sure"]

#: Digits the spotter does not read as a number of their own (footnote marks, labels,
#: dates, times, fractions, ordinals): replaced before looking for a value (RE2 syntax).
_NOT_NUMBERS = (
    r"\[[0-9]+\]",
    r"(?:[Gg]roup|[Pp]art|[Ss]ection|[Ss]tep|[Cc]hapter|[Pp]hase|[Tt]ier|No\.)\s*[0-9]+",
    r"[0-9]+-[0-9]+-[0-9]+",
    r"[0-9.,]*[/:][0-9.,/:]*",
    r"[0-9]+\s?[年月日号]",
    r"[0-9]+(?:st|nd|rd|th)(?:[^A-Za-z]|$)",
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+[0-9]+",
    r"[0-9]+\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
_NOT_NUMBERS_RE = "|".join(f"(?:{p})" for p in _NOT_NUMBERS)
#: A ``bytes.translate`` table: digits, "." and "," stay, every other byte is a space.
_DIGIT_RUNS = bytes(c if chr(c) in "0123456789.," else 32 for c in range(256))


def _digit_runs(text: pa.Array) -> pa.Array:
    """``text`` with every character but digits, "." and "," turned into spaces
    (each byte of a non-ASCII character too)."""
    validity, offsets, data = text.buffers()
    if data is None or data.size == 0:
        return text
    mapped = data.to_pybytes().translate(_DIGIT_RUNS)  # one C pass: faster than numpy's
    return pa.StringArray.from_buffers(
        len(text), offsets, pa.py_buffer(mapped), validity, text.null_count, text.offset
    )


def digit_tokens(quotes: Any) -> pa.Array:
    """Each quote's digit tokens (runs of digits, "." and ","; trailing "." and ","
    are trimmed later), once the digits the spotter reads otherwise are blanked out."""
    quotes = _array(quotes)
    # Blank out (a regex replace, slow) only the quotes that hold such digits.
    odd = pc.match_substring_regex(quotes, _NOT_NUMBERS_RE)
    if pc.any(odd).as_py():
        blanked = pc.replace_substring_regex(quotes.filter(odd), _NOT_NUMBERS_RE, "#")
        quotes = pc.replace_with_mask(quotes, odd, blanked)
    return pc.ascii_split_whitespace(pc.ascii_trim_whitespace(_digit_runs(quotes)))


def _any_token(tokens: pa.Array, column: pa.Array) -> Any:
    """A numpy mask: true where ``column`` equals one of the row's (trimmed) tokens.

    The first tokens are compared first, in one pass; the other tokens only of
    the rows that did not match already.
    """
    n = len(column)
    mask = np.zeros(n, dtype=bool)
    head = pc.list_slice(tokens, 0, 1)
    first = pc.utf8_rtrim(pc.list_flatten(head), characters=".,")
    if len(first) == n:  # every row has a token: aligned with the rows
        mask |= pc.fill_null(pc.equal(first, column), False).to_numpy(zero_copy_only=False)
    else:
        _scatter(mask, pc.list_parent_indices(head), first, column, None)
    rest = np.flatnonzero(~mask & (pc.list_value_length(tokens).to_numpy(zero_copy_only=False) > 1))
    if len(rest):
        picked = pa.array(rest)
        part = tokens.take(picked)
        flat = pc.utf8_rtrim(pc.list_flatten(part), characters=".,")
        _scatter(mask, pc.list_parent_indices(part), flat, column.take(picked), rest)
    return mask


def _scatter(mask: Any, parents: Any, flat: Any, column: Any, rows: Any) -> None:
    hit = pc.fill_null(pc.equal(flat, pc.take(column, parents)), False)
    found = pc.filter(parents, hit).to_numpy(zero_copy_only=False)
    mask[found if rows is None else rows[found]] = True


def _array(column: Any) -> pa.Array:
    """``column`` as one array: a batch's single chunk as it is (joining copies it)."""
    if not isinstance(column, pa.ChunkedArray):
        return column
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def sure(quotes: Any, values: Any, highs: Any) -> pa.Array:
    """True where the quote certainly states both the value and the high (if any):
    a sure pass of the quote-value rule; false where it may not (checked exactly).

    A plain decimal value that is one of the quote's digit tokens, less trailing
    "." and ",", once the digits the spotter reads otherwise are blanked out, is a
    number the spotter finds with that value as written, which the rule accepts.
    """
    quotes, values, highs = _array(quotes), _array(values), pc.fill_null(_array(highs), "")
    found = repeated(quotes, values, highs)
    if found is not None:  # each distinct (quote, value, high) once
        firsts, group = found
        once = _sure(quotes.take(firsts), values.take(firsts), highs.take(firsts))
        return pa.array(once[group])
    return pa.array(_sure(quotes, values, highs))


def _sure(quotes: pa.Array, values: pa.Array, highs: pa.Array) -> Any:
    """:func:`sure` of every row, as a numpy mask."""
    tokens = digit_tokens(quotes)
    passed = _any_token(tokens, values)
    ranged = np.flatnonzero(pc.binary_length(highs).to_numpy(zero_copy_only=False) > 0)
    if len(ranged):
        picked = pa.array(ranged)
        stated = _any_token(tokens.take(picked), highs.take(picked))
        passed[ranged[~stated]] = False
    return passed


def blank_sure(table: pa.Table) -> pa.Table:
    """``table`` (kept fact columns) with the quotes that surely pass set to null, the
    others dictionary-encoded: a quote restated by many facts (a claim in two
    languages, a source quoted by several facts) is held once a batch."""
    index = table.column_names.index("quote")
    if not table.num_rows:
        return table.set_column(index, "quote", pc.dictionary_encode(_array(table["quote"])))
    passed = sure(table["quote"], table["value"], table["value_high"])
    blank = pc.if_else(passed, pa.scalar(None, pa.string()), _array(table["quote"]))
    return table.set_column(index, "quote", pc.dictionary_encode(blank))
