"""Cells a batch repeats are tested once each, with the very verdicts of every row.

The columnar engine tests each distinct long cell once (the reading's cell tests)
and each distinct (quote, value, value_high) once (the quote-value rule's sure
pass) when a batch restates them, as the release restates a quote in many facts.
These tests hold it to three promises: the rows found stand for every row, the
verdicts spread back are those of testing every row, and both engines still report
the same problems on a package that repeats faulty cells.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow", reason="pyarrow is a dependency of aifacts")
np = pytest.importorskip("numpy", reason="numpy is a dependency of aifacts")

from aifacts.contract.schema import resource  # noqa: E402
from aifacts.validation.columnar import flags  # noqa: E402
from aifacts.validation.engine import validate  # noqa: E402
from aifacts.validation.rules import quote_tokens  # noqa: E402
from aifacts.validation.rules.base import repeated  # noqa: E402
from benchmarks.replicate import replicate  # noqa: E402
from tests.packages import read_rows, write_rows  # noqa: E402


@st.composite
def _picks(draw: st.DrawFn, choices: int, rows: st.SearchStrategy[int]) -> list[int]:
    """``rows`` picks among ``choices``, from a drawn seed (inputs stay small)."""
    count, seed = draw(rows), draw(st.integers(0, 2**32))
    rng = random.Random(seed)
    return [rng.randrange(choices) for _ in range(count)]


@st.composite
def _columns(draw: st.DrawFn) -> list[list[str]]:
    """One to three columns of 1,024 to 1,500 cells each, each drawn from a few values."""
    rows = draw(st.integers(1024, 1500))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        values = draw(st.lists(st.text(max_size=3), min_size=1, max_size=8, unique=True))
        out.append([values[i] for i in draw(_picks(len(values), st.just(rows)))])
    return out


@settings(max_examples=40, deadline=None)
@given(columns=_columns())
def test_the_rows_found_stand_for_every_row(columns: list[list[str]]) -> None:
    found = repeated(*(pa.array(c, pa.string()) for c in columns))
    assert found is not None  # at most 8 distinct values in the first 1,024 rows
    firsts, group = found
    firsts = firsts.to_pylist()
    rows = list(zip(*columns, strict=True))
    # each row's set of cells is its representative's ...
    assert [rows[firsts[g]] for g in group.tolist()] == rows
    # ... the representatives differ, and each is the first row of its set
    assert len({rows[i] for i in firsts}) == len(firsts)
    assert all(group[first] == j for j, first in enumerate(firsts))
    assert all(firsts[g] <= i for i, g in enumerate(group.tolist()))


@settings(max_examples=30, deadline=None)
@given(distinct=st.integers(1, 1024), seed=st.integers(0, 2**32), extra=st.integers(0, 300))
def test_repeats_are_sought_when_most_first_rows_restate_a_cell(
    distinct: int, seed: int, extra: int
) -> None:
    """The first 1,024 rows decide: with more than 512 distinct cells among them,
    every row is tested."""
    head = [f"cell {i % distinct}" for i in range(1024)]
    random.Random(seed).shuffle(head)
    cells = head + [f"later {i}" for i in range(extra)]
    found = repeated(pa.array(cells, pa.string()))
    assert (found is None) == (distinct > 512)
    if found is not None:
        assert len(found[0]) == distinct + extra


def test_a_short_batch_is_tested_row_by_row() -> None:
    assert repeated(pa.array(["same"] * 1023, pa.string())) is None


_TRICKY = st.text(
    st.sampled_from(list("aZ09 .,-=+@\t\n\x07\x85\xa0\u3000\u0301é中年")), max_size=12
)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(_TRICKY, min_size=1, max_size=6),
    picks=_picks(6, st.integers(1024, 1200)),
    field=st.sampled_from(["quote", "note", "locator", "value", "unit"]),
)
def test_cell_tests_of_repeated_long_cells_are_those_of_every_row(
    values: list[str], picks: list[int], field: str
) -> None:
    """Long cells (the tests find their repeats) give every row its own verdict."""
    padding = "x" * 40  # long enough for the repeats to be sought
    cells = [values[i % len(values)] + padding + values[i % len(values)] for i in picks]
    spec = next(f for f in resource("facts").fields if f.name == field)
    col = pa.array(cells, pa.string())
    assert flags.cell_flags(spec, col).tolist() == flags._cell_flags(spec, col).tolist()


_QUOTE_WORDS = st.sampled_from(
    ["12", "12.5", "1,200", "2024年", "[3]", "Phase 2", "3 May", "to", "and", "US$", "亿", " "]
)


@settings(max_examples=40, deadline=None)
@given(
    quotes=st.lists(st.lists(_QUOTE_WORDS, max_size=6).map(" ".join), min_size=1, max_size=5),
    numbers=st.lists(st.sampled_from(["12", "12.5", "1200", "2024", "3", "2"]), min_size=1),
    picks=_picks(60, st.integers(1024, 1300)),
)
def test_the_sure_pass_on_repeats_is_that_of_every_row(
    quotes: list[str], numbers: list[str], picks: list[int]
) -> None:
    rows = [
        (quotes[p % 5 % len(quotes)], numbers[p // 5 % len(numbers)], numbers[-1] * (p % 2))
        for p in picks
    ]
    q, v, h = (pa.array(list(c), pa.string()) for c in zip(*rows, strict=True))
    assert repeated(q, v, h) is not None
    assert quote_tokens.sure(q, v, h).to_pylist() == quote_tokens._sure(q, v, h).tolist()


@pytest.fixture(scope="module")
def replicated() -> Iterator[Path]:
    """The release's facts replicated to 2,500 rows: each quote and note restated
    about eight times, enough rows for the repeats to be sought."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "replicated"
        replicate(folder, 2500)
        yield folder


_EDITED = ["quote", "note", "value", "value_high", "unit", "locator", "quote_en"]


@settings(max_examples=15, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 290), st.sampled_from(_EDITED), _TRICKY),
        min_size=1,
        max_size=4,
    ),
    one_copy=st.booleans(),
)
def test_both_engines_agree_where_faulty_cells_repeat(
    replicated: Path, edits: list[tuple[int, str, str]], one_copy: bool
) -> None:
    """A cell edited in every copy of a fact (so repeated) or in one copy only: the
    problems, their rows and their order are the row engine's."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        shutil.copytree(replicated, folder)
        rows = read_rows(folder, "facts")
        header, body = rows[0], rows[1:]
        facts = sum(1 for row in body if row[0].endswith("-r0"))
        for index, column, text in edits:
            at = header.index(column)
            copies = [index % facts] if one_copy else range(index % facts, len(body), facts)
            for row in copies:
                body[row][at] = text
        write_rows(folder, "facts", rows)
        seen: list[object] = []

        def spy(*columns: object) -> object:
            found = repeated(*columns)
            seen.append(found is not None)
            return found

        with (
            mock.patch.object(flags, "repeated", spy),
            mock.patch.object(quote_tokens, "repeated", spy),
        ):
            columnar = validate(folder, engine="columnar")
        assert any(seen)  # the repeats were sought and found
        by_rows = validate(folder, engine="rows")
        assert columnar.valid == by_rows.valid
        assert columnar.stats == by_rows.stats
        assert columnar.problems == by_rows.problems
