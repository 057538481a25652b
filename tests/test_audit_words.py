"""The audit sees quantities in words, and a mention is covered only by a fact that states
that very mention (by its offset in the document), not by one that quotes the same number."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.audit.completeness import AuditStatus, SourceAudit, audit_text
from aifacts.text.kinds import WORD_KINDS

DS = aifacts.load()
Run = Callable[..., tuple[int, str, str]]


def _audits(seeds: Path) -> dict[str, tuple[str, SourceAudit]]:
    by_hash = {s.document_sha256: s.source_id for s in DS.sources if s.document_sha256}
    out = {}
    for path in sorted(seeds.glob("*.txt")):
        source_id = by_hash[hashlib.sha256(path.read_bytes()).hexdigest()]
        text = path.read_text(encoding="utf-8")
        out[source_id] = text, DS.audit(text, source_id)
    return out


def test_every_quantity_in_words_is_a_fact_or_an_omission(seeds: Path) -> None:
    kinds = set()
    for source_id, (_, audit) in _audits(seeds).items():
        for item in audit.mentions:
            if item.mention.kind in WORD_KINDS:
                kinds.add(item.mention.kind)
                assert item.status is not AuditStatus.MISSED, (source_id, item.mention)
    assert kinds == WORD_KINDS  # the five documents hold a mention of every kind


def test_the_vague_amounts_of_the_issue_are_facts(seeds: Path) -> None:
    audits = _audits(seeds)
    wanted = [
        ("deep-water-ai-race-summary", "several million", "deepwater-15"),
        ("deep-water-ai-race-summary", "multiple", "deepwater-04"),
        ("ainews-china-ai-self-reliance", "多年", "ainews-0729-03"),
        ("chips-ai-race-lesson-summary", "less than what any of", "lesson-03"),
    ]
    for source_id, span, fact_id in wanted:
        covered = [m for m in audits[source_id][1].mentions if m.mention.span == span]
        assert covered and covered[0].fact_ids == (fact_id,), (span, covered)
        fact = DS.fact(fact_id)
        assert fact.qualifier.value in ("at_least", "at_most") and fact.note


def test_top_three_is_not_covered_by_the_three_year_fact(seeds: Path) -> None:
    _, audit = _audits(seeds)["chips-ai-race-lesson-summary"]
    by_span = {m.mention.span: m for m in audit.mentions}
    assert by_span["three-year"].fact_ids == ("lesson-02",)
    top = by_span["top three"]
    assert top.status is AuditStatus.OMITTED and "lesson-02" not in top.fact_ids
    assert top.reason is not None and top.reason.startswith("rank-claim")


def test_a_covered_mention_lies_in_an_occurrence_of_each_fact_quote(seeds: Path) -> None:
    for text, audit in _audits(seeds).values():
        for item in audit.mentions:
            for fact_id in item.fact_ids:
                quote, m = DS.fact(fact_id).quote, item.mention
                starts = [i for i in range(len(text)) if text.startswith(quote, i)]
                assert any(s <= m.start and m.end <= s + len(quote) for s in starts), fact_id


NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "ten": 10}


@settings(max_examples=60)
@given(st.sampled_from(sorted(NUMBER_WORDS)), st.booleans())
def test_a_fact_covers_the_mention_it_states_not_a_namesake(word: str, rank_first: bool) -> None:
    """A quote stating one number twice, once as the fact's unit and once as a rank: the
    fact covers only the mention in its own unit, wherever the other stands."""
    n = NUMBER_WORDS[word]
    pledge, rank = f"a {word}-year pledge", f"the top {word} firms"
    quote = f"{rank} made {pledge}" if rank_first else f"{pledge} beat {rank}"
    fact = DS.fact("lesson-02").model_copy(update={"quote": quote, "value": n})
    tables = dataclasses.replace(DS, facts=(fact,), omissions=())
    audit = audit_text(tables, f"Intro. {quote}. End.", "chips-ai-race-lesson-summary")
    spans = {m.mention.span: m for m in audit.mentions}
    assert spans[f"{word}-year"].fact_ids == ("lesson-02",)
    assert spans[f"top {word}"].status is AuditStatus.MISSED


def test_nothing_to_audit_is_never_complete(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "folder" / "only-a-subfolder").mkdir(parents=True)
    code, out, err = run_cli("audit", str(tmp_path / "folder"))
    assert code == 1
    assert f"{tmp_path / 'folder'}: no documents to audit (the folder holds no file)" in out
    assert "audit: not complete: no documents" in out + err
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run_cli("audit", str(tmp_path / "empty.txt"))
    assert code == 1
    assert f"{tmp_path / 'empty.txt'}: unknown document: its SHA-256 e3b0c442" in out
    assert "audit: complete" not in out + err
