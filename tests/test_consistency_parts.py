"""Rule ``parts``: the Shanghai programme's parts sum to its whole; altered parts do not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import aifacts
from aifacts.consistency import Verdict, check
from tests.packages import read_rows, write_rows
from tests.strategies_consistency import dataset, fact


def _shanghai(findings: list[Any]) -> list[Any]:
    """The findings about Shanghai's programme (the whole is ainews-0729-05)."""
    return [f for f in findings if "ainews-0729-05" in f.fact_ids]


def test_shanghai_programme_is_consistent_on_the_bundled_release() -> None:
    """'one billion yuan' = 600 + 300 + 100 million yuan (AI News, 29 July 2025, para 13-14)."""
    (finding,) = _shanghai(aifacts.load().check().by_rule("parts"))
    assert finding.verdict is Verdict.CONSISTENT
    assert finding.fact_ids == (
        "ainews-0729-05",
        "ainews-0729-08",
        "ainews-0729-09",
        "ainews-0729-10",
    )
    assert finding.source_ids == ("ainews-china-ai-self-reliance",)
    # 599.5+299.5+99.5 = 998.5 million; 600.5+300.5+100.5 = 1001.5 million
    assert finding.details["sum"] == {"unit": "billion CNY", "low": "0.9985", "high": "1.0015"}


def test_altering_one_part_in_a_copy_of_the_package_is_found(
    package_copy: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    rows = read_rows(package_copy, "facts")
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("fact_id")] == "ainews-0729-08":
            assert row[header.index("value")] == "600"
            row[header.index("value")] = "700"
            # a corrected copy says 700 in its quote too, as the validator requires
            quote = row[header.index("quote")]
            row[header.index("quote")] = quote.replace("600 million", "700 million")
    write_rows(package_copy, "facts", rows, refresh=False)
    code, _, _ = run_cli("build", str(package_copy))
    assert code == 0
    report = aifacts.load(package_copy).check()
    (finding,) = _shanghai(report.by_rule("parts"))
    assert finding.verdict is Verdict.INCONSISTENT
    assert "ainews-0729-08" in finding.fact_ids and "ainews-0729-05" in finding.fact_ids
    assert "exceed" in finding.message
    code, out, _ = run_cli("check", str(package_copy), "--rule", "parts")
    assert code == 1
    assert "inconsistent" in out and "ainews-0729-08" in out


def test_parts_short_of_the_whole_are_info_not_a_contradiction() -> None:
    whole = fact("w", 1, unit="billion USD")
    part = fact("p", 600, metric_id="part-a", part_of="w")
    (finding,) = check(dataset(whole, part), ["parts"]).findings
    assert finding.verdict is Verdict.INFO


def test_parts_in_units_that_cannot_be_added_are_reported() -> None:
    whole = fact("w", 1, unit="billion USD")
    part = fact("p", 2, metric_id="power", unit="GW", part_of="w")
    (finding,) = check(dataset(whole, part), ["parts"]).findings
    assert finding.verdict is Verdict.INCONSISTENT
    assert "cannot be added" in finding.message
    assert finding.details["unaddable"] == ["p"]


def test_a_part_in_another_currency_without_a_rate_is_not_summed() -> None:
    whole = fact("w", 1, unit="billion USD")
    part = fact("p", 600, metric_id="part-a", unit="million CNY", part_of="w")
    (finding,) = check(dataset(whole, part), ["parts"]).findings
    assert finding.verdict is Verdict.INFO
    assert "exchange rate" in finding.message


def test_a_superseded_part_is_left_out() -> None:
    whole = fact("w", 1, unit="billion USD")
    wrong = fact("p1", 900, metric_id="part-a", part_of="w")
    fixed = fact("p2", 600, metric_id="part-a", part_of="w", supersedes="p1")
    other = fact("p3", 400, metric_id="part-b", part_of="w")
    assert not check(dataset(whole, wrong, other), ["parts"]).consistent
    report = check(dataset(whole, wrong, fixed, other), ["parts"])
    assert report.consistent
    assert "p1" not in report.findings[0].fact_ids
