"""Properties of the answers on generated packages: totals refuse what does not add up and
never count a claim twice; comparisons' derived intervals hold every value the facts allow."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aifacts.answers.compare import compare
from aifacts.answers.total import total
from aifacts.contract.intervals import fact_interval
from aifacts.contract.records import Fact
from aifacts.contract.vocab import MetricKind
from tests.strategies_answers import bounded_facts, budget_facts, claimed_facts
from tests.strategies_consistency import dataset, members


def _period(f: Fact) -> tuple[object, object]:
    return (f.period_start, f.period_end)


@given(budget_facts())
def test_a_total_is_refused_exactly_when_status_period_or_currency_differ(
    facts: list[Fact],
) -> None:
    (result,) = total(dataset(*facts), "budget", "cn", unit="million USD").totals
    alike = (
        len({f.status for f in facts}) == 1
        and len({_period(f) for f in facts}) == 1
        and all(f.unit == "million USD" for f in facts)
    )
    assert result.ok is alike
    reasons = {b.reason for b in result.blockers}
    assert ("status" in reasons) is (len({f.status for f in facts}) > 1)
    assert ("period" in reasons) is (len({_period(f) for f in facts}) > 1)
    assert ("currency" in reasons) is any(f.unit != "million USD" for f in facts)
    assert [p.fact.fact_id for p in result.parts] == [f.fact_id for f in facts]  # none lost
    if alike:
        assert result.value == sum((f.value for f in facts), Decimal(0))
    else:
        assert result.interval is None and result.text == "blocked"


@given(budget_facts(statuses=("plan",), units=("million USD",)), st.data())
def test_a_total_holds_every_sum_the_facts_allow(facts: list[Fact], data: st.DataObject) -> None:
    facts = [f.model_copy(update={"period_start": None, "period_end": None}) for f in facts]
    (result,) = total(dataset(*facts), "budget", "cn").totals
    assert result.ok and result.interval is not None
    picked = [data.draw(members(fact_interval(f, MetricKind.FLOW))) for f in facts]
    assert result.interval.contains(sum(picked, Decimal(0)))


@given(
    bounded_facts("abs", entity_id="cn", metric_id="ai-compute-capacity", unit="EFLOPS",
                  status="actual"),
    bounded_facts("ratio", entity_id="cn", metric_id="ai-compute-relative-to",
                  unit="dimensionless", status="actual", related_entity_id="us"),
    st.data(),
)  # fmt: skip
def test_compare_derived_intervals_hold_every_value_the_facts_allow(
    absolute: Fact, ratio: Fact, data: st.DataObject
) -> None:
    ds = dataset(absolute, ratio)
    table = compare(ds, "ai-compute-capacity", ["cn", "us"])
    (derived,) = table.derived_for("us")
    assert derived.fact_ids == ("ratio", "abs")
    china = data.draw(members(fact_interval(absolute, MetricKind.STOCK)))
    times = data.draw(members(fact_interval(ratio, MetricKind.RATIO)))
    if times > 0:  # China = times × US
        assert derived.interval.contains(china / times)
    else:
        assert derived.interval.high.is_infinite()


@given(claimed_facts())
def test_a_total_counts_each_claim_once_and_lists_its_mentions(facts: list[Fact]) -> None:
    (result,) = total(dataset(*facts), "budget", "cn", unit="million USD").totals
    assert result.ok  # the yuan mention never blocks: the claim is read in dollars
    by_claim: dict[str, list[Fact]] = {}
    for f in facts:
        by_claim.setdefault(getattr(f, "claim_id"), []).append(f)  # noqa: B009
    assert len(result.parts) == len(by_claim)
    for part in result.parts:
        assert part.fact.unit == "million USD"
        assert {f.fact_id for f in part.claim.mentions} == {
            f.fact_id for f in by_claim[part.claim.claim_id]
        }
    usd = [next(f for f in group if f.unit == "million USD") for group in by_claim.values()]
    assert result.value == sum((f.value for f in usd), Decimal(0))
