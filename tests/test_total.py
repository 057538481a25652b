"""Totals add one metric's facts over entities only when they can be added, each claim once."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from typer.testing import CliRunner

import aifacts
from aifacts.cli.main import app
from aifacts.dataset.money import ConversionError
from aifacts.errors import UnknownIdError

DS = aifacts.load()
#: The facts of the five documents of the first release, which these tests read by hand.
SEED_DS = dataclasses.replace(
    DS, facts=tuple(f for f in DS.facts if not DS.source(f.source_id).url)
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_country_adds_its_cities() -> None:
    # Shanghai "600 million yuan for computing power subsidies" (ainews-0729-08) and
    # Hangzhou "250 million yuan" (ainews-0729-14): both in China, both plans, undated.
    (cn,) = DS.total("compute-subsidy-budget", "China").totals
    assert cn.ok and cn.entity_id == "cn"
    assert [p.fact.fact_id for p in cn.parts] == ["ainews-0729-08", "ainews-0729-14"]
    assert cn.value == Decimal(850) and cn.unit == "million CNY"
    assert cn.interval is not None
    assert (cn.interval.low, cn.interval.high) == (Decimal(849), Decimal(851))  # ±0.5 each
    assert cn.text == "850 million CNY"


def test_mixed_statuses_are_refused_with_the_option_that_allows_it() -> None:
    # Rui's post: Microsoft "plans an $80 billion investment" (plan, 2025); the same
    # metric for OpenAI? none; for the US only one fact: ok. For the world of the
    # US and China together, a plan and a pledge: the cross-entity caveat says so.
    result = SEED_DS.total("ai-infrastructure-investment", ["us", "cn"], rates="implied")
    assert result.ok
    assert result.caveats == (
        "statuses differ (plan: rui-post-02; pledge: deepwater-08): a target or pledge is "
        "not an actual figure",
        "periods differ (2025: rui-post-02; no period: deepwater-08)",
    )


def test_a_status_mix_within_an_entity_blocks_the_total() -> None:
    # subsidy-rate (plan) and... use power-capacity: Stargate "10 gigawatts" (target)
    # and the Nvidia–OpenAI data centre "10 gigawatts" (plan, no country): for the US
    # only Stargate counts; both through a project with no country are left out.
    (us,) = SEED_DS.total("power-capacity", "us").totals
    assert [p.fact.fact_id for p in us.parts] == ["deepwater-05"]
    assert ("deepwater-02", "Nvidia–OpenAI super AI data centre has no country: it counts "
            "towards none") in us.left_out  # fmt: skip
    (both,) = SEED_DS.total("ai-compute-capacity", "us").totals  # Stargate's target only
    assert both.ok and [p.fact.fact_id for p in both.parts] == ["deepwater-06"]


def test_currencies_block_until_a_rate_is_given() -> None:
    (cn,) = SEED_DS.total("ai-infrastructure-investment", "cn", unit="billion USD").totals
    assert not cn.ok and cn.interval is None and cn.text == "blocked"
    (blocker,) = cn.blockers
    assert blocker.reason == "currency"
    assert "deepwater-08 in CNY" in blocker.message and "1 USD = 7.19424 CNY" in blocker.message
    assert blocker.options == ("--rate implied", "--rate CNY/USD=RATE@YYYY-MM-DD")
    (cn,) = SEED_DS.total(
        "ai-infrastructure-investment", "cn", unit="billion USD", rates="implied"
    ).totals
    assert cn.ok and cn.parts[0].derived and cn.is_interval
    assert cn.interval is not None and cn.interval.low < Decimal("52.82") < cn.interval.high
    assert any("deepwater-09" in c for c in cn.caveats)  # "a three-year plan"


def test_the_same_us_139_million_counts_once() -> None:
    # "one billion yuan (US$139 million)": the headline, the body, both currencies and
    # an aggregator's restatement share one claim_id; the total reads it once, in USD.
    (shanghai,) = DS.total("subsidy-programme-budget", "Shanghai").totals
    assert shanghai.ok and len(shanghai.parts) == 1
    (part,) = shanghai.parts
    assert part.fact.unit == "million USD" and shanghai.value == Decimal(139)
    assert "ainews-0729-05" in part.claim.others  # the yuan mention, listed not added
    assert shanghai.interval is not None
    assert (shanghai.interval.low, shanghai.interval.high) == (Decimal("138.5"), Decimal("139.5"))


def test_a_part_is_left_to_its_whole() -> None:
    from tests.strategies_consistency import dataset, fact

    whole = fact("whole", 1000)
    part = fact("part", 600, part_of="whole")
    (cn,) = dataset(whole, part).total("budget", "cn").totals
    assert [p.fact.fact_id for p in cn.parts] == ["whole"]
    assert cn.left_out == (("part", "a part of whole, counted in its whole"),)
    assert cn.value == Decimal(1000)


def test_errors() -> None:
    with pytest.raises(UnknownIdError, match="did you mean: cn \\(China\\)"):
        DS.total("ai-infrastructure-investment", "chian")
    with pytest.raises(ConversionError, match="a power"):
        DS.total("ai-infrastructure-investment", "cn", unit="GW")


def test_cli_total_exit_codes_and_messages() -> None:
    code, out, err = run(
        "total",
        "ai-infrastructure-investment",
        "-e",
        "cn",
        "-u",
        "billion USD",
        "--status",
        "pledge",
    )
    assert code == 1
    assert "cn,blocked" in out
    assert "blocked by currency" in err and "to total, add --rate implied" in err
    code, out, err = run(
        "total", "ai-infrastructure-investment", "-e", "中国", "-u", "billion USD",
        "--rate", "implied", "--status", "pledge",
    )  # fmt: skip
    assert code == 0, err
    assert "deepwater-08" in out and "[derived]" in err
    code, _, err = run("total", "ai-infrastructure-investment", "-e", "cn", "--rate", "implied,x")
    assert code == 2
    code, _, err = run("total", "ai-infrastructure-investment", "-e", "cn", "--period", "20x5")
    assert code == 2 and "--period" in err
