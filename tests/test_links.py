"""Linked records: ds.entity/source/metric behave as the record and navigate links."""

from __future__ import annotations

import pydantic
import pytest

import aifacts
from aifacts.contract.records import Entity, Fact, Metric, Source
from aifacts.dataset.links import LinkedEntity, LinkedMetric, LinkedSource, fact_links
from aifacts.errors import UnknownIdError

DS = aifacts.load()


def _record(records: tuple[object, ...], key: str) -> object:
    return next(r for r in records if r.key == key)  # type: ignore[attr-defined]


def test_entity_view_is_the_entity_record() -> None:
    view = DS.entity("alibaba-cloud")
    plain = _record(DS.entities, "alibaba-cloud")
    assert isinstance(view, Entity) and isinstance(view, LinkedEntity)
    assert view == plain and plain == view
    assert hash(view) == hash(DS.entity("alibaba-cloud"))
    assert view.name == "Alibaba Cloud" and view.name_zh == "阿里云"
    assert view.model_dump() == plain.model_dump()  # type: ignore[attr-defined]
    with pytest.raises(pydantic.ValidationError):
        view.name = "x"  # frozen like every record


def test_entity_navigation() -> None:
    alibaba = DS.entity("alibaba")
    assert [c.entity_id for c in alibaba.children] == ["alibaba-cloud"]
    assert alibaba.parent is None
    cloud = alibaba.children[0]
    assert cloud.parent == alibaba and isinstance(cloud.parent, LinkedEntity)
    # the 380 billion yuan pledge is Alibaba's own; the 4 million customers are Alibaba Cloud's
    assert "deepwater-08" in alibaba.facts.ids and "allinai-01" not in alibaba.facts.ids
    assert "allinai-01" in alibaba.all_facts.ids
    assert set(alibaba.all_facts) == set(alibaba.facts) | set(cloud.facts)
    assert all(isinstance(f, Fact) for f in alibaba.facts)


def test_related_facts() -> None:
    # "Nvidia plans to invest up to $100 billion in OpenAI"
    assert "deepwater-01" in DS.entity("openai").related_facts.ids


def test_source_and_metric_views() -> None:
    source = DS.source("all-in-ai-tech-giants-summary")
    assert isinstance(source, Source) and isinstance(source, LinkedSource)
    assert source == _record(DS.sources, "all-in-ai-tech-giants-summary")
    assert {f.source_id for f in source.facts} == {"all-in-ai-tech-giants-summary"}
    assert source.origin is None
    metric = DS.metric("ai-awareness")
    assert isinstance(metric, Metric) and isinstance(metric, LinkedMetric)
    assert {f.entity_id for f in metric.facts} == {"cn", "us"}


def test_fact_lookup_is_the_plain_fact() -> None:
    fact = DS.fact("deepwater-07")
    assert type(fact) is Fact and fact.value == 90 and fact.unit == "EFLOPS"


@pytest.mark.parametrize("kind", ["entity", "source", "metric", "fact"])
def test_unknown_ids_suggest_the_nearest(kind: str) -> None:
    known = {
        "entity": "alibaba",
        "source": "rui-post-us-china-ai-gap",
        "metric": "revenue",
        "fact": "deepwater-07",
    }[kind]
    with pytest.raises(UnknownIdError) as caught:
        getattr(DS, kind)(known[:3] + known[4:])  # one letter missing
    assert known in caught.value.nearest
    assert isinstance(caught.value, KeyError)


def test_fact_links_shows_parts_and_source() -> None:
    # "one billion yuan (US$139 million) ... 600 million yuan for computing power
    # subsidies, 300 million yuan for third-party AI model discounts, and 100 million yuan"
    info = fact_links(DS, "ainews-0729-05")
    assert info["value"] == "1 billion CNY"
    assert [p["value"] for p in info["parts"]] == [
        "600 million CNY",
        "300 million CNY",
        "100 million CNY",
    ]
    assert info["source"]["publisher"] == "AI News"
    assert info["entity"]["name"] == "Shanghai"
    part = fact_links(DS, "ainews-0729-08")
    assert part["part_of"]["fact_id"] == "ainews-0729-05"
