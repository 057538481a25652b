"""`aifacts audit`: every numeric mention of the source documents is covered by a fact,
omitted with a reason, or reported as missed, with a candidate fact ready to write."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.audit import AuditStatus, audit_text
from aifacts.records import Omission
from tests.packages import read_rows, write_rows

DS = aifacts.load()
Run = Callable[..., tuple[int, str, str]]


def _documents(seeds: Path) -> dict[str, str]:
    by_hash = {s.document_sha256: s.source_id for s in DS.sources if s.document_sha256}
    return {
        by_hash[hashlib.sha256(p.read_bytes()).hexdigest()]: p.read_text(encoding="utf-8")
        for p in sorted(seeds.glob("*.txt"))
    }


def test_nothing_is_missed_in_the_five_documents(seeds: Path, run_cli: Run) -> None:
    code, out, _ = run_cli("audit", str(seeds))
    assert code == 0, out
    report = json.loads(run_cli("audit", str(seeds), "--format", "json")[1])
    assert report["complete"] is True and report["missed"] == 0
    assert len(report["documents"]) == 5
    assert all(d["source_id"] for d in report["documents"])


def test_every_omission_slices_its_document_to_its_span(seeds: Path) -> None:
    texts = _documents(seeds)
    assert DS.omissions
    for omission in DS.omissions:
        text = texts[omission.source_id]
        assert text[omission.offset : omission.offset + len(omission.span)] == omission.span


def test_footnotes_and_labels_are_omitted_quantities_covered(seeds: Path) -> None:
    texts = _documents(seeds)
    result = DS.audit(texts["deep-water-ai-race-summary"], "deep-water-ai-race-summary")
    by_span = {m.mention.span: m for m in result.mentions}
    assert by_span["380 billion yuan"].status is AuditStatus.COVERED
    assert by_span["380 billion yuan"].fact_ids == ("deepwater-08",)
    assert by_span["Group 2"].status is AuditStatus.OMITTED
    assert by_span["Group 2"].reason is not None and "list-label" in by_span["Group 2"].reason
    assert result.count(AuditStatus.MISSED) == 0


def test_a_removed_fact_shows_as_missed_with_a_candidate(
    seeds: Path, package_copy: Path, tmp_path: Path, run_cli: Run
) -> None:
    rows = read_rows(package_copy, "facts")
    rows = [r for r in rows if r[0] != "ainews-0729-14"]  # Hangzhou's 250 million yuan
    write_rows(package_copy, "facts", rows)
    assert run_cli("build", str(package_copy))[0] == 0
    document = tmp_path / "docs" / "ainews.txt"
    document.parent.mkdir()
    shutil.copy(seeds / "003_9c0a797d7a6c616f.txt", document)
    candidates = tmp_path / "candidates.csv"
    code, out, _ = run_cli(
        "audit", str(document.parent), "--package", str(package_copy),
        "--candidates", str(candidates),
    )  # fmt: skip
    assert code == 1
    assert "missed" in out and "'250 million yuan'" in out
    (row,) = list(csv.DictReader(candidates.open(encoding="utf-8")))
    assert row["source_id"] == "ainews-china-ai-self-reliance"
    assert (row["value"], row["unit"], row["qualifier"]) == ("250", "million CNY", "exact")
    assert "250 million yuan in computing power subsidies" in row["quote"]
    assert row["locator"].startswith("para ")


def test_a_document_of_no_source_is_listed_as_unknown(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / "new.txt").write_text("Acme pledged over $3 billion in 2026.", encoding="utf-8")
    code, out, _ = run_cli("audit", str(tmp_path / "new.txt"), "--format", "json")
    (doc,) = json.loads(out)["documents"]
    assert doc["source_id"] is None
    mentions = doc["audit"]["mentions"]
    assert [m["span"] for m in mentions] == ["$3 billion", "2026"]
    assert mentions[0]["candidate"]["qualifier"] == "at_least"
    assert code == 0  # unknown documents are listed, not counted as missed


def test_a_stale_omission_is_reported() -> None:
    stale = Omission(
        omission_id="x-o01", source_id="rui-post-us-china-ai-gap", offset=3, span="[9]",
        reason="footnote-mark",
    )  # fmt: skip
    result = audit_text(DS, "no marks here", "rui-post-us-china-ai-gap", omissions=[stale])
    assert result.stale_omissions == (stale,)
    assert not result.complete


def test_usage_errors(run_cli: Run, tmp_path: Path) -> None:
    code, _, err = run_cli("audit", str(tmp_path / "absent"))
    assert code == 2 and "no such file" in err
    with pytest.raises(aifacts.UnknownIdError):
        DS.audit("text", "no-such-source")


@settings(max_examples=60)
@given(
    st.text(max_size=200) | st.sampled_from(["over 80% in 2025 [3]", "一共10亿元，约1.39亿美元"])
)
def test_every_mention_gets_exactly_one_status(text: str) -> None:
    result = audit_text(DS, text, "ainews-china-ai-self-reliance")
    for item in result.mentions:
        m = item.mention
        assert text[m.start : m.end] == m.span
        assert (item.status is AuditStatus.COVERED) == bool(item.fact_ids)
        if item.status is AuditStatus.MISSED and item.candidate is not None:
            assert m.span in item.candidate.quote or item.candidate.quote in text


def test_the_docs_show_the_audit_as_it_is(seeds: Path, run_cli: Run) -> None:
    """docs/audit.md quotes the report of one source; it must be the real one."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text("utf-8")
    shown = page.rsplit("```text\n", 1)[1].split("```", 1)[0]
    code, out, _ = run_cli("audit", str(seeds / "004_f748779ddf7f96d6.txt"), "--all")
    assert code == 0
    assert out.replace(str(seeds) + "/", "") == shown
