"""The columnar engine's "did you mean" hints are the row engine's, found without
difflib over every key; the bounds that let it skip keys really bound difflib."""

from __future__ import annotations

import difflib
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

import numpy as np
import pyarrow as pa

from aifacts.validation.columnar import hints
from aifacts.validation.rules import base as checks

_CHARS = "abf-0123é"
_keys = st.lists(st.text(_CHARS, min_size=1, max_size=9), min_size=1, max_size=60)
_wanted = st.text(_CHARS, min_size=1, max_size=9)


def _lcs(a: str, b: str) -> int:
    """The textbook longest common subsequence."""
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal = 0
        for j, y in enumerate(b, start=1):
            diagonal, row[j] = row[j], diagonal + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


@settings(max_examples=80)
@given(keys=_keys, wanted=st.lists(_wanted, min_size=1, max_size=3))
def test_hints_are_the_row_engines(keys: list[str], wanted: list[str]) -> None:
    """Keys may repeat (a key both kept and failed); the row engine sees each once.
    Several broken values share one index, as in a validation; keys are tried a few
    at a time and with or without the subsequence bound, as in a huge package."""
    for block, pairs in ((4096, 4096), (2, 4096), (3, 0)):
        with patch.object(hints, "_BLOCK", block), patch.object(hints, "_MAX_PAIRS", pairs):
            index = hints.Keys(pa.array(keys, pa.string()))
            for value in wanted:
                offered = index.candidates(value)
                assert checks.nearest(value, offered) == checks.nearest(value, dict.fromkeys(keys))


@settings(max_examples=150)
@given(texts=st.lists(st.text(_CHARS, max_size=12), min_size=1, max_size=20), wanted=_wanted)
def test_subsequence_bound_is_twice_the_lcs_and_bounds_difflib(
    texts: list[str], wanted: str
) -> None:
    lengths = np.array([len(t) for t in texts])
    bounds = hints._subsequence_bounds(wanted, texts, lengths)
    for text, bound in zip(texts, bounds.tolist(), strict=True):
        total = len(text) + len(wanted)
        assert bound == pytest.approx(2.0 * _lcs(text, wanted) / total)
        assert difflib.SequenceMatcher(None, text, wanted).ratio() <= bound + 1e-12


def test_a_typo_among_a_hundred_thousand_similar_keys_gets_the_row_engines_hints() -> None:
    keys = [f"f-{i:07d}" for i in range(100_000)]
    index = hints.Keys(pa.array(keys, pa.string()))
    for wanted in ("f-0005968", "f-00159x8", "no-such-fact"):
        offered = index.candidates(wanted)
        assert len(offered) < 1000  # the bounds ruled out almost every key
        assert checks.nearest(wanted, offered) == checks.nearest(wanted, keys)
