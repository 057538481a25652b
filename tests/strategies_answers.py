"""Hypothesis strategies for the answers (totals, comparisons): small generated packages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from aifacts.contract.records import Fact
from tests.strategies_consistency import fact

#: What a mention of a claim may vary in: status, period (a year or none) and currency.
STATUSES = ("plan", "pledge")
YEARS = (None, 2024, 2025)
UNITS = ("million USD", "million CNY")

amounts = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("1e5"), places=1, allow_nan=False)


def _period(year: int | None) -> dict[str, Any]:
    if year is None:
        return {}
    return {"period_start": date(year, 1, 1), "period_end": date(year, 12, 31)}


@st.composite
def budget_facts(
    draw: st.DrawFn, statuses: tuple[str, ...] = STATUSES, units: tuple[str, ...] = UNITS
) -> list[Fact]:
    """1–6 facts of the metric ``budget`` about the city (in ``cn``), of mixed status,
    period and currency; each its own claim."""
    count = draw(st.integers(min_value=1, max_value=6))
    return [
        fact(
            f"f{i}",
            draw(amounts),
            metric_id="budget",
            entity_id="city",
            unit=draw(st.sampled_from(units)),
            status=draw(st.sampled_from(statuses)),
            **_period(draw(st.sampled_from(YEARS))),
        )
        for i in range(count)
    ]


@st.composite
def bounded_facts(draw: st.DrawFn, fact_id: str, **fields: Any) -> Fact:
    """A fact whose interval is bounded: exact, approximately, or a range."""
    qualifier = draw(st.sampled_from(("exact", "approximately", "range", "at_most")))
    low = draw(amounts)
    extra: dict[str, Any] = {}
    if qualifier == "range":
        extra["value_high"] = low + draw(amounts)
    return fact(fact_id, low, qualifier=qualifier, **extra, **fields)


@st.composite
def claimed_facts(draw: st.DrawFn) -> list[Fact]:
    """1–4 claims of the metric ``budget`` about the city, each stated by 1–3 facts (in
    USD, or the same amount again in yuan at 1 USD = 7 CNY, as a source gives both), all
    plans about 2025; facts of one claim share ``claim_id``. Rows are shuffled."""
    out: list[Fact] = []
    for c in range(draw(st.integers(min_value=1, max_value=4))):
        value = draw(amounts)
        for m in range(draw(st.integers(min_value=1, max_value=3))):
            yuan = m > 0 and draw(st.booleans())
            made = fact(
                f"c{c}-m{m}",
                value * 7 if yuan else value,
                metric_id="budget",
                entity_id="city",
                unit="million CNY" if yuan else "million USD",
                status="plan",
                **_period(2025),
            )
            out.append(made.model_copy(update={"claim_id": f"claim-{c}"}))
    return draw(st.permutations(out))
