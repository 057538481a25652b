"""The first release's facts: every quote is the source's own words, every source's
document is the one the facts were read from, and key facts say what the sources say.

The expected values below were read off the source documents by hand."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

import aifacts
from aifacts import Qualifier, Status

DS = aifacts.load()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _documents(seeds: Path) -> dict[str, str]:
    """Each seed document's text, keyed by the SHA-256 of its bytes."""
    return {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.read_text(encoding="utf-8")
        for path in sorted(seeds.glob("*.txt"))
    }


def test_every_held_document_is_a_source(seeds: Path) -> None:
    held = {s.document_sha256 for s in DS.sources if s.document_sha256}
    assert set(_documents(seeds)) == held


def test_each_of_the_five_documents_has_facts(seeds: Path) -> None:
    by_hash = {s.document_sha256: s.source_id for s in DS.sources if s.document_sha256}
    for digest in _documents(seeds):
        source_id = by_hash[digest]
        assert [f for f in DS.facts if f.source_id == source_id], source_id


def test_every_quote_occurs_verbatim_in_its_document(seeds: Path) -> None:
    documents = _documents(seeds)
    text_of = {
        s.source_id: _squash(documents[s.document_sha256])
        for s in DS.sources
        if s.document_sha256 in documents
    }
    # a source whose text is not held on its own (the aggregator's summary) is read
    # within the document of the source it is derived from (the page holding both)
    for s in DS.sources:
        if s.source_id not in text_of and s.derived_from in text_of:
            text_of[s.source_id] = text_of[s.derived_from]
    # Facts of web pages whose text is not kept are checked quote by quote elsewhere
    # (tests/test_web_sources.py): here, every fact read from a document at hand.
    missing = [
        f.fact_id
        for f in DS.facts
        if f.source_id in text_of and _squash(f.quote) not in text_of[f.source_id]
    ]
    assert {s.source_id for s in DS.sources if s.document_held} <= set(text_of)
    assert missing == []


def test_footnote_locators_follow_their_quote(seeds: Path) -> None:
    """Where a document marks footnotes, the locator is a mark after the quote."""
    documents = _documents(seeds)
    for fact in DS.facts:
        if not fact.locator.startswith("["):
            continue
        source = DS.source(fact.source_id)
        assert source.document_sha256 is not None
        text = documents[source.document_sha256]
        at = text.index(fact.quote) + len(fact.quote)
        following = text[at : text.find("[", at) + 80]
        assert fact.locator in following, fact.fact_id


def test_chinese_quotes_carry_an_english_rendering() -> None:
    for fact in DS.facts:
        has_han = re.search(r"[\u4e00-\u9fff]", fact.quote) is not None
        assert (fact.quote_en is not None) == has_han, fact.fact_id


def test_the_social_post_records_the_report_it_quotes() -> None:
    post = DS.source("rui-post-us-china-ai-gap")
    assert post.kind == "social"
    report = DS.source(post.derived_from or "")
    assert report.publisher == "Shenzhen AI Industry Association"
    assert report.document_sha256 is None and report.published is None
    assert report.note and "January 2025" in report.note


def test_dates_are_only_those_the_documents_give() -> None:
    published = {s.source_id: s.published for s in DS.sources}
    assert str(published["all-in-ai-tech-giants-summary"]) == "2025-05-29"
    for source_id in ("deep-water-ai-race-summary", "chips-ai-race-lesson-summary"):
        assert published[source_id] is None
        assert DS.source(source_id).note  # says why the date is empty
    held = {s.source_id for s in DS.sources if s.document_held or s.source_id.startswith("ainews")}
    for fact in DS.facts:
        if fact.source_id in held:  # the documents at hand: no date but theirs
            assert fact.as_of == published[fact.source_id]


# fact id, entity, value, unit, qualifier, status — read off the documents by hand.
EXPECTED = [
    ("deepwater-01", "nvidia", "100", "billion USD", Qualifier.AT_MOST, Status.PLEDGE),
    ("deepwater-02", "nvidia-openai-data-centre", "10", "GW", Qualifier.EXACT, Status.PLAN),
    ("deepwater-03", "nvidia-openai-data-centre", "8", "million household", Qualifier.EXACT,
     Status.PLAN),
    ("deepwater-07", "cn", "90", "EFLOPS", Qualifier.EXACT, Status.ACTUAL),
    ("deepwater-08", "alibaba", "380", "billion CNY", Qualifier.EXACT, Status.PLEDGE),
    ("deepwater-13", "cn", "280", "EFLOPS", Qualifier.EXACT, Status.ACTUAL),
    ("deepwater-16", "cn", "30", "percent", Qualifier.EXACT, Status.ACTUAL),
    ("deepwater-17", "cn", "80", "percent", Qualifier.AT_LEAST, Status.ACTUAL),
    ("deepwater-18", "us", "62", "percent", Qualifier.EXACT, Status.ACTUAL),
    ("deepwater-21", "cn", "30", "percent", Qualifier.APPROXIMATELY, Status.ACTUAL),
    ("deepwater-22", "cn", "10", "trillion CNY", Qualifier.AT_LEAST, Status.FORECAST),
    ("lesson-01", "hyperscalers", "400", "billion USD", Qualifier.AT_LEAST, Status.ESTIMATE),
    ("lesson-04", "openai", "500", "billion USD", Qualifier.EXACT, Status.ACTUAL),
    ("lesson-05", "cn", "2", "million robot", Qualifier.AT_LEAST, Status.ACTUAL),
    ("allinai-01", "alibaba-cloud", "4", "million customer", Qualifier.EXACT, Status.ACTUAL),
    ("allinai-03", "alibaba-cloud", "6.513", "billion USD", Qualifier.EXACT, Status.FORECAST),
    ("ainews-0729-05", "shanghai", "1", "billion CNY", Qualifier.EXACT, Status.PLAN),
    ("ainews-0729-06", "shanghai", "139", "million USD", Qualifier.EXACT, Status.PLAN),
    ("ainews-0729-11", "shanghai", "10", "percent", Qualifier.RANGE, Status.PLAN),
    ("ainews-0729-12", "shanghai", "500", "million CNY", Qualifier.AT_MOST, Status.PLAN),
    ("ainews-0729-14", "hangzhou", "250", "million CNY", Qualifier.EXACT, Status.PLAN),
    ("ainews-0729-17", "cn", "55", "percent", Qualifier.EXACT, Status.FORECAST),
    ("ainews-0729-18", "cn", "17", "percent", Qualifier.EXACT, Status.ACTUAL),
    ("ainews-0729-19", "huawei-ascend-910c", "65", "percent", Qualifier.APPROXIMATELY,
     Status.ACTUAL),
    ("rui-post-01", "us", "90", "percent", Qualifier.EXACT, Status.ACTUAL),
    ("rui-post-02", "microsoft", "80", "billion USD", Qualifier.EXACT, Status.PLAN),
    ("rui-post-03", "cn", "0.1", "dimensionless", Qualifier.AT_MOST, Status.ACTUAL),
    ("rui-post-06", "us", "50", "percent", Qualifier.AT_LEAST, Status.ACTUAL),
    ("rui-post-08", "openai", "110", "billion USD", Qualifier.EXACT, Status.FORECAST),
]  # fmt: skip


@pytest.mark.parametrize(("fact_id", "entity", "value", "unit", "qualifier", "status"), EXPECTED)
def test_key_facts_say_what_their_sources_say(
    fact_id: str, entity: str, value: str, unit: str, qualifier: Qualifier, status: Status
) -> None:
    fact = DS.fact(fact_id)
    assert (fact.entity_id, fact.value, fact.unit) == (entity, Decimal(value), unit)
    assert (fact.qualifier, fact.status) == (qualifier, status)


def test_the_shanghai_parts_belong_to_the_whole() -> None:
    parts = [f for f in DS.facts if f.part_of == "ainews-0729-05"]
    assert sorted(f.value for f in parts) == [Decimal(100), Decimal(300), Decimal(600)]
    assert {f.unit for f in parts} == {"million CNY"}


def test_one_amount_in_two_currencies_gives_two_facts() -> None:
    yuan, dollars = DS.fact("ainews-0729-05"), DS.fact("ainews-0729-06")
    assert yuan.quote == dollars.quote
    assert {yuan.unit, dollars.unit} == {"billion CNY", "million USD"}


def test_ranges_periods_and_comparisons() -> None:
    assert DS.fact("ainews-0729-11").value_high == Decimal(100)
    assert DS.fact("ainews-0729-13").value_high == Decimal(5)
    forecast = DS.fact("ainews-0729-17")
    assert (str(forecast.period_start), str(forecast.period_end)) == ("2027-01-01", "2027-12-31")
    assert DS.fact("rui-post-03").related_entity_id == "us"
    assert DS.fact("ainews-0729-19").related_entity_id == "nvidia-h100"
    assert DS.fact("deepwater-01").related_entity_id == "openai"


def test_groups_are_entities() -> None:
    assert DS.entity("us-hyperscalers").kind == "group"
    # parent_id is "part of / owned by": Hangzhou nurtures the six little dragons, owns none
    assert DS.entity("hangzhou-six-little-dragons").parent_id is None


def test_entities_have_chinese_names_where_established() -> None:
    expected = {"alibaba": "阿里巴巴", "huawei": "华为", "shanghai": "上海", "cn": "中国"}
    for entity_id, name_zh in expected.items():
        assert DS.entity(entity_id).name_zh == name_zh


def test_every_metric_has_a_description_and_every_fact_a_metric_in_use() -> None:
    used = {f.metric_id for f in DS.facts}
    assert used == {m.metric_id for m in DS.metrics}
    assert all(len(m.description) > 20 for m in DS.metrics)


def test_each_facts_number_can_be_read_off_its_quote() -> None:
    """The quote states the fact's value: in the fact's unit, or as a plain number."""
    from aifacts.text.spotter import spot

    bad = []
    for fact in DS.facts:
        multiplier = aifacts.ureg.Quantity(Decimal(1), fact.unit).to_base_units().magnitude
        wanted = {fact.value, Decimal(multiplier) * fact.value}
        spotted: set[Decimal] = set()
        for mention in spot(fact.quote):
            spotted |= {mention.value, mention.value / mention.scale}
            if mention.value_high is not None:
                spotted.add(mention.value_high)
        if not wanted & spotted:
            bad.append((fact.fact_id, fact.value, fact.unit, [m.span for m in spot(fact.quote)]))
    assert bad == []
