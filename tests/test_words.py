"""Quantities in words: every rendering is spotted with its kind and its value (or its
interval), and spans stay disjoint and slice back, whatever surrounds them."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.text.agreement import NUMBER_KINDS
from aifacts.text.kinds import WORD_KINDS, MentionKind
from aifacts.text.spotter import numbers_in, spot
from tests.strategies_words import WORD_FILLER, Rendered, rendered_words, wordy_text


@settings(max_examples=300)
@given(
    rendered_words(),
    st.lists(st.sampled_from(WORD_FILLER), max_size=3),
    st.lists(st.sampled_from(WORD_FILLER), max_size=3),
)
def test_a_rendering_is_spotted_with_its_kind_and_value(
    rendered: Rendered, left: list[str], right: list[str]
) -> None:
    written, kind, value, high = rendered
    prefix = " ".join([*left, ""])
    of = " of" if kind is MentionKind.VAGUE and written.endswith("s") else ""  # "dozens of"
    text = prefix + written + of + " " + " ".join(right)
    found = [m for m in spot(text) if m.start == len(prefix)]
    assert found, f"{written!r} not spotted in {text!r}: {spot(text)}"
    (m,) = found
    assert m.span == written
    assert (m.kind, m.value, m.value_high) == (kind, value, high)
    assert value in numbers_in(text)


@settings(max_examples=300)
@given(wordy_text())
def test_word_spans_are_disjoint_and_slice_back(text: str) -> None:
    mentions = spot(text)
    for a, b in pairwise(mentions):
        assert a.end <= b.start
    for m in mentions:
        assert m.start < m.end and text[m.start : m.end] == m.span


def test_every_word_kind_states_a_number_a_fact_can_record() -> None:
    assert WORD_KINDS <= NUMBER_KINDS
    assert {k.value for k in WORD_KINDS} == {
        "vague", "scale", "fraction", "multiple", "rank", "comparative", "span",
    }  # fmt: skip


def test_a_word_form_holding_digits_keeps_their_value() -> None:
    (m,) = spot("output grew 12 times in a year")
    assert (m.span, m.kind, m.value) == ("12 times", MentionKind.MULTIPLE, Decimal(12))
    (m,) = spot("one of the top 3 vendors")
    assert (m.span, m.kind, m.value) == ("top 3", MentionKind.RANK, Decimal(3))
