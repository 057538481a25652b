"""Release 0.2.0's promise for sources read on the web: every fact of a source with a
URL cites a short verbatim quote that states its number, and every source says whether
the text its facts were read from is at hand."""

from __future__ import annotations

import aifacts
from aifacts.text.agreement import quote_disagreement

MAX_QUOTE = 300


def test_every_fact_of_a_web_source_has_a_short_quote_stating_its_value() -> None:
    ds = aifacts.load()
    web = {s.source_id for s in ds.sources if s.url}
    facts = [f for f in ds.facts if f.source_id in web]
    assert len(web) >= 15 and len(facts) >= 100
    for fact in facts:
        assert len(fact.quote) <= MAX_QUOTE, fact.fact_id
        values = [fact.value] + ([fact.value_high] if fact.value_high is not None else [])
        assert quote_disagreement(fact.quote, values, fact.unit) is None, fact.fact_id


def test_every_web_source_says_when_it_was_read_and_what_is_at_hand() -> None:
    for source in aifacts.load().sources:
        if source.url:
            assert source.retrieved is not None, source.source_id
        if source.document_held:
            assert source.document_sha256, source.source_id
        else:
            # Not held: its facts are checked quote by quote, and the source says so.
            assert not source.document_sha256, source.source_id
            assert source.note, source.source_id


def test_the_release_is_big_enough_and_has_time_series() -> None:
    ds = aifacts.load()
    assert len(ds.sources) >= 20 and len(ds.facts) >= 150
    points: dict[tuple[str, str], set[object]] = {}
    for fact in ds.facts:
        if fact.period_end is not None:
            points.setdefault((fact.entity_id, fact.metric_id), set()).add(fact.period_end)
    series = [key for key, ends in points.items() if len(ends) >= 3]
    assert len({metric for _, metric in series}) >= 4, series
