"""Queries and as-of views: filters select exactly the facts that satisfy them.

Expected ids were read off the source documents: e.g. the first document says
"Chinese consumers exhibit ... over 80% awareness, compared to 62% in the US" [4].
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.api import Dataset
from aifacts.contract.records import Entity, Fact, Metric, Source
from aifacts.contract.vocab import Qualifier, Status
from aifacts.dataset.query import FILTERS, QueryError, Selection, parse_period, split_values
from aifacts.errors import UnknownIdError, UsageError

DS = aifacts.load()


def test_query_returns_typed_facts_in_dataset_order() -> None:
    chosen = DS.query(metric="ai-awareness")
    assert all(isinstance(f, Fact) for f in chosen)
    by_entity = {f.entity_id: f for f in chosen}
    # "over 80% awareness, compared to 62% in the US"
    assert by_entity["cn"].value == 80 and by_entity["cn"].qualifier is Qualifier.AT_LEAST
    assert by_entity["us"].value == 62 and by_entity["us"].qualifier is Qualifier.EXACT
    order = [f.fact_id for f in DS.facts]
    assert sorted(chosen.ids, key=order.index) == list(chosen.ids)


def test_include_children_follows_parent_id() -> None:
    own = DS.query(entity="alibaba", metric="revenue")
    assert len(own) == 0
    # "Alibaba Cloud ... with projected revenues of $6.513 billion in 2024 [7]"
    widened = DS.query(entity="alibaba", metric="revenue", include_children=True)
    assert [(f.entity_id, f.value, f.unit) for f in widened] == [
        ("alibaba-cloud", Decimal("6.513"), "billion USD")
    ]


def test_include_children_reaches_grandchildren() -> None:
    from aifacts.contract.records import Entity
    from tests.strategies_consistency import ENTITIES, dataset, fact

    # a district of a city of China: its fact is China's grandchild's
    district = Entity(entity_id="district", name="D", kind="region", country="cn", parent_id="city")
    base = dataset(fact("in-district", 5, entity_id="district"))
    ds = type(base)(
        sources=base.sources, entities=(*ENTITIES, district), metrics=base.metrics,
        facts=base.facts,
    )  # fmt: skip
    assert ds.query(entity="cn", include_children=True).ids == ("in-district",)
    assert ds.query(entity="cn").ids == ()


def test_country_filter_uses_the_entity_country() -> None:
    entities = {f.entity_id for f in DS.query(country="us", metric="ai-compute-capacity")}
    assert entities == {"openai-stargate"}  # Stargate's 90 EFLOPS target


def test_several_values_mean_any_of_them() -> None:
    both = DS.query(entity=["cn", "us"], metric="ai-awareness")
    assert {f.entity_id for f in both} == {"cn", "us"}
    assert DS.query(entity=(e for e in ("us", "cn")), metric="ai-awareness") == both


def test_status_accepts_enum_or_text() -> None:
    assert DS.query(status=Status.PLEDGE) == DS.query(status="pledge")
    assert all(f.status is Status.PLEDGE for f in DS.query(status="pledge"))


def test_period_overlap() -> None:
    # Microsoft's "$80 billion investment in AI data centers in 2025"
    assert "rui-post-02" in DS.query(period=2025).ids
    # Huawei's Ascend 950 "in 2026 and 2027": a 2026–2027 period overlaps 2027
    assert "deepwater-12" in DS.query(period="2027").ids
    assert "deepwater-12" in DS.query(period=("2025-06-01", "2026-01-01")).ids
    assert "deepwater-12" not in DS.query(period=2025).ids
    # facts without a period never match a period filter
    assert "deepwater-07" not in DS.query(period=(1900, 2100)).ids


def test_parse_period_forms() -> None:
    assert parse_period(2025) == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period(("2025-07-29", 2026)) == (date(2025, 7, 29), date(2026, 12, 31))
    with pytest.raises(QueryError, match="not a date"):
        parse_period("July 2025")
    with pytest.raises(QueryError, match="after it ends"):
        parse_period((2026, 2025))


def test_unknown_ids_name_the_nearest() -> None:
    with pytest.raises(UnknownIdError) as caught:
        DS.query(entity="alibba")
    assert "alibaba" in caught.value.nearest
    assert "did you mean" in str(caught.value)
    with pytest.raises(UnknownIdError, match="unknown metric"):
        DS.query(metric="ai-awarenes")
    with pytest.raises(UnknownIdError, match="unknown status"):
        DS.query(status="rumour")


def test_a_misspelt_filter_is_refused_naming_the_filters() -> None:
    """A keyword that is no filter is never ignored (that would select every fact)."""
    for query in (DS.query, DS.selection.query):
        with pytest.raises(UsageError) as caught:
            query(entty="us")  # type: ignore[call-arg]
        assert "'entty'" in str(caught.value) and "did you mean 'entity'?" in str(caught.value)
        assert isinstance(caught.value, ValueError)


def test_every_filter_is_taken_by_query_and_named_for_the_command_line() -> None:
    assert FILTERS == ("entity", "metric", "source", "status", "country", "period")
    everything = DS.query(**dict.fromkeys(FILTERS), include_children=False)
    assert everything == DS.selection and len(everything) == len(DS.facts)


def test_selection_is_immutable_and_chains() -> None:
    chosen = DS.query(country="cn")
    assert isinstance(chosen.facts, tuple)
    with pytest.raises(AttributeError):
        chosen.append(DS.facts[0])  # type: ignore[attr-defined]
    chained = chosen.query(metric="ai-awareness")
    assert chained == DS.query(country="cn", metric="ai-awareness")
    assert isinstance(chosen[0:2], Selection) and len(chosen[0:2]) == 2
    assert "Selection(" in repr(chained)


def test_as_of_keeps_what_was_stated_by_then() -> None:
    # all-in-ai-tech-giants-summary: 2025-05-29; ainews-china-ai-self-reliance: 2025-07-29
    june = DS.as_of("2025-06-01")
    assert "all-in-ai-tech-giants-summary" in {f.source_id for f in june}
    from aifacts.dataset.query import stated_on

    for fact in june:  # each stated by then: its as_of, else its source's date
        stated = fact.as_of or stated_on(fact, DS)
        assert stated is not None and stated <= date(2025, 6, 1), fact.fact_id
    august = DS.as_of(date(2025, 8, 1))
    assert "ainews-0729-05" in august.ids and "ainews-0729-05" not in june.ids
    # facts with no known statement date only when asked for
    assert "deepwater-07" not in august.ids
    assert "deepwater-07" in DS.as_of("2025-08-01", include_undated=True).ids


# --- a small package with a chain of corrections -------------------------------------


def _fact(fact_id: str, value: int, as_of: date | None, supersedes: str | None = None) -> Fact:
    return Fact(
        fact_id=fact_id,
        entity_id="cn",
        metric_id="m",
        value=value,
        unit="EFLOPS",
        qualifier="exact",
        status="actual",
        as_of=as_of,
        source_id="s",
        locator="[1]",
        quote=f"{value} EFLOPS",
        supersedes=supersedes,
    )


def _package(facts: list[Fact], published: date | None = None) -> Dataset:
    return Dataset(
        sources=(
            Source(source_id="s", title="T", language="en", kind="news", published=published),
        ),
        entities=(Entity(entity_id="cn", name="China", kind="country", country="cn"),),
        metrics=(Metric(metric_id="m", label="M", description="D", unit="EFLOPS", kind="stock"),),
        facts=tuple(facts),
    )


CHAIN = _package(
    [
        _fact("a", 1, date(2025, 1, 1)),
        _fact("b", 2, date(2025, 3, 1), supersedes="a"),
        _fact("c", 3, date(2025, 6, 1), supersedes="b"),
        _fact("other", 9, date(2025, 2, 1)),
    ]
)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2024-12-31", ()),
        ("2025-01-01", ("a",)),
        ("2025-02-15", ("a", "other")),
        ("2025-03-01", ("b", "other")),
        ("2025-12-31", ("c", "other")),
    ],
)
def test_as_of_picks_the_correction_in_force(when: str, expected: tuple[str, ...]) -> None:
    assert CHAIN.as_of(when).ids == expected


def test_as_of_applies_corrections_outside_the_selection() -> None:
    only_a = CHAIN.query(entity="cn").query(metric="m")[0:1]
    assert only_a.ids == ("a",)
    assert only_a.as_of("2025-04-01").ids == ()  # b corrects a by then
    assert CHAIN.selection.in_force().ids == ("c", "other")


def test_as_of_falls_back_to_the_source_date() -> None:
    ds = _package([_fact("x", 1, None)], published=date(2025, 5, 29))
    assert ds.as_of("2025-05-28").ids == ()
    assert ds.as_of("2025-05-29").ids == ("x",)


# --- properties ------------------------------------------------------------------------


def _ancestors(entity_id: str) -> set[str]:
    parents = {e.entity_id: e.parent_id for e in DS.entities}
    seen = {entity_id}
    while parents.get(entity_id):
        entity_id = parents[entity_id]  # type: ignore[assignment]
        seen.add(entity_id)
    return seen


def _subset(values: list[str]) -> st.SearchStrategy[list[str] | None]:
    return st.none() | st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)


filters = st.fixed_dictionaries(
    {
        "entity": _subset([e.entity_id for e in DS.entities]),
        "metric": _subset([m.metric_id for m in DS.metrics]),
        "source": _subset([s.source_id for s in DS.sources]),
        "status": _subset([s.value for s in Status]),
        "country": _subset(["cn", "us", "shanghai"]),
        "period": st.none() | st.integers(2022, 2031),
        "include_children": st.booleans(),
    }
)


def _satisfies(fact: Fact, spec: dict[str, object]) -> bool:
    """The filter rule, written independently of the library's code."""
    entity = spec["entity"]
    if entity is not None:
        lineage = _ancestors(fact.entity_id) if spec["include_children"] else {fact.entity_id}
        if not lineage & set(entity):  # type: ignore[call-overload]
            return False
    for key, value in (("metric", fact.metric_id), ("source", fact.source_id)):
        if spec[key] is not None and value not in spec[key]:  # type: ignore[operator]
            return False
    if spec["status"] is not None and fact.status.value not in spec["status"]:  # type: ignore[operator]
        return False
    if spec["country"] is not None:
        country = next(e.country for e in DS.entities if e.entity_id == fact.entity_id)
        if country not in spec["country"]:  # type: ignore[operator]
            return False
    year = spec["period"]
    if year is not None:
        if fact.period_start is None and fact.period_end is None:
            return False
        start_year = fact.period_start.year if fact.period_start else -(10**9)
        end_year = fact.period_end.year if fact.period_end else 10**9
        if not start_year <= year <= end_year:  # type: ignore[operator]
            return False
    return True


@settings(max_examples=150)
@given(filters)
def test_query_is_exactly_the_facts_satisfying_the_filter(spec: dict[str, object]) -> None:
    result = DS.query(**spec)  # type: ignore[arg-type]
    assert list(result) == [f for f in DS.facts if _satisfies(f, spec)]


@settings(max_examples=60)
@given(filters, filters)
def test_chained_queries_intersect(first: dict[str, object], second: dict[str, object]) -> None:
    chained = DS.query(**first).query(**second)  # type: ignore[arg-type]
    assert set(chained) == set(DS.query(**first)) & set(DS.query(**second))  # type: ignore[arg-type]


@st.composite
def chains(draw: st.DrawFn) -> Dataset:
    """Facts with random dates, each possibly correcting an earlier one."""
    count = draw(st.integers(1, 8))
    facts: list[Fact] = []
    for i in range(count):
        day = draw(st.none() | st.dates(date(2024, 1, 1), date(2026, 12, 31)))
        target = draw(st.none() | st.sampled_from([f.fact_id for f in facts])) if facts else None
        facts.append(_fact(f"f{i}", i, day, supersedes=target))
    return _package(facts)


@settings(max_examples=100)
@given(chains(), st.dates(date(2023, 6, 1), date(2027, 6, 1)))
def test_as_of_keeps_stated_facts_not_yet_corrected(ds: Dataset, when: date) -> None:
    stated = {f.fact_id for f in ds.facts if f.as_of is not None and f.as_of <= when}
    corrected = {f.supersedes for f in ds.facts if f.fact_id in stated and f.supersedes}
    assert set(ds.as_of(when).ids) == stated - corrected


# --- command-line filter values: split at commas, never an empty one -----------------------

_ID = st.text(st.sampled_from("abcxyz0-9é中"), min_size=1, max_size=8)


@given(st.lists(st.lists(_ID, min_size=1, max_size=4), min_size=1, max_size=3), st.data())
def test_split_values_keeps_every_id_in_order(groups: list[list[str]], data: st.DataObject) -> None:
    spaced = [", ".join(g) if data.draw(st.booleans()) else ",".join(g) for g in groups]
    assert split_values(spaced, "--entity") == [i for g in groups for i in g]


@given(st.lists(_ID, max_size=4), st.integers(min_value=0, max_value=4), st.sampled_from(["", " "]))
def test_split_values_refuses_an_empty_item_naming_the_option(
    ids: list[str], where: int, blank: str
) -> None:
    items = [*ids[:where], blank, *ids[where:]]
    with pytest.raises(QueryError, match=r"^--metric: "):
        split_values(",".join(items), "--metric")
    with pytest.raises(QueryError, match=r"^--metric: "):
        split_values([*ids, ",".join(items)], "--metric")


def test_split_values_without_the_option() -> None:
    assert split_values(None, "--entity") is None
    assert split_values([], "--entity") is None  # a repeatable option not given


def test_entity_names_work_where_ids_do() -> None:
    # entities.csv: cn,China,中国 ; alibaba-cloud,Alibaba Cloud,阿里云
    by_id = DS.query(entity="cn").ids
    assert by_id  # China has facts
    for name in ("China", "中国", "china", " CHINA "):
        assert DS.query(entity=name).ids == by_id
    assert DS.query(entity="Alibaba Cloud").ids == DS.query(entity="alibaba-cloud").ids
    assert DS.query(country="United States").ids == DS.query(country="us").ids


def test_a_misspelt_name_suggests_the_entity_by_name() -> None:
    with pytest.raises(UnknownIdError) as caught:
        DS.query(entity="chian")
    assert caught.value.nearest == ("cn",)
    assert str(caught.value) == "unknown entity 'chian'; did you mean: cn (China)?"
    with pytest.raises(UnknownIdError, match="unknown country 'Chiina'"):
        DS.query(country="Chiina")
