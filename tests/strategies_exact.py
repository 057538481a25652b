"""Hypothesis strategies for values at the edges of what validation accepts, for the
export round trips: numbers that a spreadsheet or a decimal column would change, the
integer bound, and text of every kind of character the record rules let through."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import strategies as st

from aifacts.api import Dataset
from aifacts.contract.characters import first_forbidden
from aifacts.contract.records import Fact, Omission
from aifacts.contract.schema import MAX_INTEGER
from aifacts.contract.vocab import Qualifier
from tests import strategies as rs

#: Numbers that lose something in a spreadsheet cell or a fixed-scale column.
EDGE_NUMBERS = [
    "0", "-0", "0.0", "-0.000", "6.5130", "6.513", "100", "1.10", "0.30000000000000004",
    "12345678901234567", "0.000000013677660891780809", "9007199254740993",
    "123456789012345678901234567890.123456789012345678901234567890",
    "-99999999999999999999999999999999999999", "0." + "0" * 37 + "1",
]  # fmt: skip

#: Plain decimals of up to 38 digits before and after the point: what one parquet
#: column holds exactly (76 digits), trailing zeros and ``-0`` included.
edge_numbers = st.sampled_from(EDGE_NUMBERS) | st.from_regex(
    r"\A-?(0|[1-9][0-9]{0,37})(\.[0-9]{1,38})?\Z"
)

_FORMULA = ("=", "+", "-", "@")


def _accepted(text: str, multiline: bool = True) -> bool:
    """The record rules' clean text: no stray whitespace, NFC, no ASCII formula start,
    no character :mod:`aifacts.contract.text_rules` forbids (tab and line feed only in
    multi-line fields)."""
    return (
        bool(text)
        and text == text.strip()
        and unicodedata.is_normalized("NFC", text)
        and not text.startswith(_FORMULA)
        and first_forbidden(text, multiline=multiline) is None
    )


#: Text of any character the record rules accept in a multi-line field: every Unicode
#: category but surrogates, full-width and small formula signs and apostrophes at the
#: start, and text that looks like an Office Open XML escape (``_x0041_``).
_edge_parts = st.lists(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(["'", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "\t", "\n", '"', ","])
    | st.sampled_from(["_x0041_", "_x005F_", "_xFFFE_", "\U0010fffd"]),
    min_size=1,
    max_size=8,
).map(lambda parts: unicodedata.normalize("NFC", "".join(parts)))
edge_texts = _edge_parts.filter(_accepted)
#: The same for a one-line field (no tab or line feed).
edge_lines = _edge_parts.filter(lambda text: _accepted(text, multiline=False))


@st.composite
def edge_facts(draw: st.DrawFn) -> Fact:
    """A fact whose value (and value_high, for a range) and note are edge cases."""
    fact = draw(rs.facts())
    low, high = Decimal(draw(edge_numbers)), Decimal(draw(edge_numbers))
    if draw(st.booleans()) and low != high:
        low, high = sorted([low, high])
        update = {"value": low, "value_high": high, "qualifier": Qualifier.RANGE}
    else:
        update = {"value": low, "value_high": None, "qualifier": Qualifier.EXACT}
    update["note"] = draw(st.none() | edge_texts)
    update["as_of"] = draw(st.none() | st.dates())  # year 1 to 9999
    update["quote"] = draw(edge_texts)
    return fact.model_copy(update=update)


edge_omissions = st.builds(
    Omission,
    omission_id=rs.slugs,
    source_id=rs.slugs,
    offset=st.sampled_from([0, 1, 2**31, MAX_INTEGER - 1, MAX_INTEGER])
    | st.integers(0, MAX_INTEGER),
    span=edge_texts,
    reason=st.sampled_from(["footnote-mark", "list-label"]),
    note=st.none() | edge_texts,
)


@st.composite
def edge_packages(draw: st.DrawFn) -> Dataset:
    """A small dataset of records with edge values (references need not resolve)."""

    def unique(strategy: st.SearchStrategy[object], key: str) -> tuple[object, ...]:
        return tuple(draw(st.lists(strategy, max_size=3, unique_by=lambda r: getattr(r, key))))

    return Dataset(
        unique(rs.sources, "source_id"),  # type: ignore[arg-type]
        unique(
            rs.entities.map(lambda e: e.model_copy(update={"name": draw(edge_lines)})), "entity_id"
        ),  # type: ignore[arg-type]
        unique(rs.metrics, "metric_id"),  # type: ignore[arg-type]
        unique(edge_facts(), "fact_id"),  # type: ignore[arg-type]
        unique(edge_omissions, "omission_id"),  # type: ignore[arg-type]
    )
