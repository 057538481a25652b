"""Data frames: one per resource or one tidy facts frame, with exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest

import aifacts
from aifacts.contract.schema import RESOURCES

pd = pytest.importorskip("pandas")
DS = aifacts.load()


def test_one_frame_per_resource_with_the_contract_columns() -> None:
    frames = DS.to_pandas()
    assert set(frames) == {"sources", "entities", "metrics", "facts", "omissions"}
    for res in RESOURCES:
        assert list(frames[res.name].columns) == list(res.field_names)
        assert len(frames[res.name]) == len(getattr(DS, res.name))


def test_values_are_exact_with_their_unit() -> None:
    facts = DS.to_pandas()["facts"].set_index("fact_id")
    # "projected revenues of $6.513 billion in 2024"
    row = facts.loc["allinai-03"]
    assert row["value"] == Decimal("6.513") and isinstance(row["value"], Decimal)
    assert row["unit"] == "billion USD"
    assert row["period_start"] == pd.Timestamp("2024-01-01")
    assert pd.isna(facts.loc["deepwater-07", "as_of"])
    # every value survives the frame exactly
    assert dict(zip(facts.index, facts["value"], strict=True)) == {
        f.fact_id: f.value for f in DS.facts
    }


def test_tidy_frame_joins_labels() -> None:
    tidy = DS.to_pandas(tidy=True).set_index("fact_id")
    row = tidy.loc["deepwater-07"]
    assert row["entity_name"] == "China" and row["entity_country"] == "cn"
    assert row["metric_label"] == "AI computing capacity" and row["metric_unit"] == "EFLOPS"
    assert row["source_title"].startswith("万亿美元赛道鸣枪")
    ainews = tidy.loc["ainews-0729-05"]
    assert ainews["source_publisher"] == "AI News"
    assert ainews["source_published"] == pd.Timestamp("2025-07-29")


def test_selection_frames_hold_only_the_selected_facts() -> None:
    chosen = DS.query(metric="ai-awareness")
    frame = chosen.to_pandas(tidy=True)
    assert sorted(frame["fact_id"]) == sorted(chosen.ids)
    assert set(frame["entity_name"]) == {"China", "United States"}
    assert len(chosen.to_pandas()["entities"]) == len(DS.entities)


def test_quantity_column_converts() -> None:
    frame = DS.query(metric="ai-compute-capacity").to_pandas(tidy=True, quantities=True)
    petaflops = frame["quantity"].map(lambda q: q.to("PFLOPS").magnitude)
    assert set(petaflops) == {Decimal(90000)}


def test_pandas_is_not_imported_by_aifacts() -> None:
    import subprocess
    import sys

    code = "import sys, aifacts; aifacts.load().query(entity='cn'); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
