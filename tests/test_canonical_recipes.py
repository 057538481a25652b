"""`facts.csv` alone, read by pandas and by DuckDB, sorts and compares amounts within a
metric by `value_canonical`: checked against values worked out by hand from the facts'
own `value` and `unit`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

FACTS = Path(__file__).resolve().parents[1] / "datapackage" / "facts.csv"

#: ai-infrastructure-investment, by hand: 80 billion USD (rui-post-02) < 400 billion USD
#: (lesson-01); 380 billion yuan (deepwater-08) is in CNY, never compared with dollars.
BY_HAND = [
    ("deepwater-08", Decimal("380000000000"), "CNY"),
    ("rui-post-02", Decimal("80000000000"), "USD"),
    ("lesson-01", Decimal("400000000000"), "USD"),
]


def test_pandas_sorts_value_canonical_within_a_metric_exactly() -> None:
    pd = pytest.importorskip("pandas")
    facts = pd.read_csv(FACTS, dtype=str, keep_default_na=False)
    # The facts of the bundled documents, whose canonical values were worked out by hand.
    hand = {fact_id for fact_id, _, _ in BY_HAND}
    spend = facts[
        (facts["metric_id"] == "ai-infrastructure-investment") & facts["fact_id"].isin(hand)
    ].copy()
    spend["amount"] = spend["value_canonical"].map(Decimal)
    ordered = spend.sort_values(["unit_canonical", "amount"])
    got = list(zip(ordered["fact_id"], ordered["amount"], ordered["unit_canonical"], strict=True))
    assert got == BY_HAND
    # 1.39亿美元, US$139 million and 139 million USD: one amount, equal to the cent
    budget = facts[
        (facts["metric_id"] == "subsidy-programme-budget") & (facts["unit_canonical"] == "USD")
    ]
    assert set(budget["value_canonical"].map(Decimal)) == {Decimal(139_000_000)}
    assert len(budget) == 6


def test_duckdb_sorts_value_canonical_within_a_metric_exactly() -> None:
    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(
        f"""
        SELECT fact_id, CAST(value_canonical AS DECIMAL(38, 6)) AS amount, unit_canonical
        FROM read_csv('{FACTS.as_posix()}', all_varchar = true)
        WHERE metric_id = 'ai-infrastructure-investment'
          AND fact_id IN ({", ".join(repr(f) for f, _, _ in BY_HAND)})
        ORDER BY unit_canonical, amount
        """
    ).fetchall()
    assert [(r[0], Decimal(r[1]), r[2]) for r in rows] == BY_HAND
    # a share in percent and one in plain numbers compare once canonical: 65 % of the H100
    [(share,)] = duckdb.sql(
        f"""
        SELECT CAST(value_canonical AS DECIMAL(38, 6)) FROM read_csv('{FACTS.as_posix()}',
        all_varchar = true) WHERE fact_id = 'ainews-0729-19'
        """
    ).fetchall()
    assert Decimal(share) == Decimal("0.65")
