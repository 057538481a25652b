"""Links of any length: a chain or a loop of thousands of ``supersedes`` is judged
by walking each record once (the loop named, cut short, in every message), and the
pre-filters that follow links do it in a few rounds, however long the chain."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aifacts.contract.problems import Code
from aifacts.validation.engine import validate
from aifacts.validation.rules.claims import _superseding
from aifacts.validation.rules.cycles import loops, suspects
from benchmarks.generate import generate
from tests.packages import read_rows, write_rows

pa = pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

#: Random links: record i names record links[i] (None: no link).
graphs = st.integers(1, 30).flatmap(
    lambda n: st.lists(st.none() | st.integers(0, n - 1), min_size=n, max_size=n)
)


def _on_a_loop(links: list[int | None]) -> dict[int, list[int]]:
    """By the definition: a record whose links lead back to it; its loop from it."""
    found = {}
    for start in range(len(links)):
        path, at = [start], links[start]
        while at is not None and at != start and len(path) <= len(links):
            path.append(at)
            at = links[at]
        if at == start:
            found[start] = path
    return found


@given(links=graphs)
def test_every_record_on_a_loop_is_found_with_its_loop(links: list[int | None]) -> None:
    named = {str(i): str(t) for i, t in enumerate(links) if t is not None}
    found = loops(named)
    expected = _on_a_loop(links)
    assert set(found) == {str(i) for i in expected}
    for i, path in expected.items():
        loop, start = found[str(i)]
        assert [loop[(start + k) % len(loop)] for k in range(len(loop))] == [str(p) for p in path]


@given(links=graphs)
def test_the_pre_filter_keeps_exactly_the_records_on_a_loop(links: list[int | None]) -> None:
    keys = [f"f{i}" for i in range(len(links))]
    table = pa.table(
        {
            "fact_id": keys,
            "part_of": [""] * len(links),
            "supersedes": ["" if t is None else keys[t] for t in links],
            "__row": list(range(2, len(links) + 2)),
        }
    )
    kept = {
        name: SimpleNamespace(table=table if name == "facts" else _empty(name), failed_keys={})
        for name in ("facts", "entities", "sources")
    }
    found = suspects(kept)
    rows = set(found["facts"]["fact_id"].to_pylist()) if "facts" in found else set()
    assert rows == {keys[i] for i in _on_a_loop(links)}


def _empty(name: str) -> pa.Table:
    from aifacts.contract.row_rules import SELF_LINKS
    from aifacts.contract.schema import resource

    columns = [resource(name).primary_key, *SELF_LINKS[name]]
    return pa.table({**{c: pa.array([], pa.string()) for c in columns}, "__row": []})


@given(links=graphs, seeds=st.sets(st.integers(0, 29)))
def test_what_supersedes_a_picked_fact_is_picked_however_far(
    links: list[int | None], seeds: set[int]
) -> None:
    picked = np.array([i in seeds for i in range(len(links))])
    step = np.array([-1 if t is None else t for t in links])
    expected = picked.copy()
    for _ in range(len(links)):  # one link a round, as many rounds as records
        expected |= np.array([t is not None and bool(expected[t]) for t in links])
    assert (_superseding(picked, step) == expected).all()


@pytest.mark.parametrize("loop", [False, True])
def test_a_supersedes_chain_of_thousands_is_judged_alike_by_both_engines(
    tmp_path: Path, loop: bool
) -> None:
    folder = tmp_path / "pkg"
    generate(folder, 3000, seed=4)
    header, *rows = read_rows(folder, "facts")
    fact_id, supersedes = header.index("fact_id"), header.index("supersedes")
    for before, row in pairwise(rows):
        row[supersedes] = before[fact_id]
    if loop:
        rows[0][supersedes] = rows[-1][fact_id]
    write_rows(folder, "facts", [header, *rows])
    by_rows = validate(folder, engine="rows", max_per_code=None)
    by_columns = validate(folder, engine="columnar", max_per_code=None)
    assert by_columns.problems == by_rows.problems
    cycles = [p for p in by_rows.problems if p.code is Code.SELF_REFERENCE]
    assert len(cycles) == (len(rows) if loop else 0)
    for problem in cycles:
        assert "more records" in problem.message and len(problem.message) < 400


@given(links=graphs)
def test_each_fact_is_linked_to_the_row_of_the_fact_it_supersedes(
    links: list[int | None],
) -> None:
    from aifacts.validation.rules.claims import _superseded_rows

    ids = pa.array([f"f{i}" for i in range(len(links))])
    named = pa.array(["" if t is None else f"f{t}" for t in links])
    corrected = named.filter(pa.compute.greater(pa.compute.binary_length(named), 0))
    step = _superseded_rows(ids, named, corrected)
    assert step.tolist() == [-1 if t is None else t for t in links]
