"""Shares at and around 100 %: both engines give the exact verdict (the columnar
pre-filter must neither miss a share just over 100 % nor hold one exactly at it)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.contract.problems import Code
from aifacts.io.writing import cell_text
from aifacts.release.build import build
from aifacts.validation.engine import validate
from benchmarks.generate import generate
from tests.packages import read_rows, write_rows

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

#: Around the bound of a share in percent: exactly 100, a hair over and under it.
NEAR = st.sampled_from(
    ["100", "100.0", "99.99999999999999", "100.00000000000001", "100.000000000001", "1E+2"]
) | st.decimals(min_value=99, max_value=101, places=14).map(cell_text)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), values=st.lists(NEAR, min_size=1, max_size=6))
def test_shares_near_the_bound_get_the_exact_verdict_from_both_engines(
    seed: int, values: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pkg"
        generate(folder, 60, seed=seed)
        share = {
            r[0] for r in read_rows(folder, "metrics")[1:] if "share" in r
        }  # metric ids of the share kind
        rows = read_rows(folder, "facts")
        at = {name: rows[0].index(name) for name in rows[0]}
        shares = [i for i, r in enumerate(rows[1:], 1) if r[at["metric_id"]] in share]
        expected = set()
        for index, value in zip(shares, values, strict=False):
            if "E" in value:
                continue  # not a plain decimal: a pattern problem, not a bound
            row = rows[index]
            row[at["unit"]], row[at["value"]], row[at["value_high"]] = "percent", value, ""
            row[at["qualifier"]] = "exact"
            row[at["quote"]] = f"a share of {value} percent"
            if Decimal(value) > 100:
                expected.add(index + 1)
        write_rows(folder, "facts", rows)
        build(folder)
        by_rows = validate(folder, engine="rows", max_per_code=None).problems
        assert validate(folder, engine="columnar", max_per_code=None).problems == by_rows
        assert {p.row for p in by_rows if p.code is Code.SHARE_BOUNDS} == expected
