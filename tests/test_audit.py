"""`aifacts audit`: every numeric mention of the source documents is covered by a fact,
omitted with a reason, or reported as missed, with a candidate fact ready to write."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts
from aifacts.audit.completeness import AuditStatus, audit_text
from aifacts.contract.records import Omission
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
    code, out, err = run_cli("audit", str(tmp_path / "new.txt"), "--format", "json")
    report = json.loads(out)
    (doc,) = report["documents"]
    assert doc["source_id"] is None
    mentions = doc["audit"]["mentions"]
    assert [m["span"] for m in mentions] == ["$3 billion", "2026"]
    assert mentions[0]["candidate"]["qualifier"] == "at_least"
    # Listed, with candidates, but never an audit that is complete.
    assert code == 1 and report["complete"] is False
    assert doc["error"].startswith("unknown document: its SHA-256")
    assert "audit: not complete" in err


_README = Path(__file__).resolve().parents[1] / "README.md"
_EXPECTED_UNKNOWN = "matches no source's document_sha256"


def _audit_text(run_cli: Run, *args: str) -> tuple[int, str]:
    code, out, err = run_cli("audit", *args)
    return code, out + err


def test_a_document_the_package_does_not_know_fails(run_cli: Run) -> None:
    code, out = _audit_text(run_cli, str(_README))
    sha = hashlib.sha256(_README.read_bytes()).hexdigest()
    assert code == 1
    assert f"{_README}: unknown document: its SHA-256 {sha} {_EXPECTED_UNKNOWN}" in out
    assert "audit: complete" not in out and "audit: not complete" in out


def test_an_empty_folder_fails(tmp_path: Path, run_cli: Run) -> None:
    (tmp_path / ".hidden").write_text("not a document", encoding="utf-8")
    code, out = _audit_text(run_cli, str(tmp_path))
    assert code == 1
    assert f"{tmp_path}: no documents to audit" in out
    assert "audit: not complete: no documents" in out


def test_a_file_that_is_not_text_fails(tmp_path: Path, run_cli: Run) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    code, out = _audit_text(run_cli, str(binary))
    assert code == 1
    assert f"{binary}: not UTF-8 text (byte 9)" in out
    assert "audit: not complete: 1 of 1 documents not audited" in out


def test_a_document_named_after_a_source_must_have_its_hash(tmp_path: Path, run_cli: Run) -> None:
    recorded = next(s for s in DS.sources if s.source_id == "rui-post-us-china-ai-gap")
    document = tmp_path / "rui-post-us-china-ai-gap.txt"
    document.write_text("An edited copy: 90% of it, $80 billion in 2025.", encoding="utf-8")
    code, out = _audit_text(run_cli, str(document))
    assert code == 1
    assert (
        f"{document}: named after source 'rui-post-us-china-ai-gap', whose document_sha256 is "
        f"{recorded.document_sha256}, but its SHA-256 is "
        f"{hashlib.sha256(document.read_bytes()).hexdigest()}"
    ) in out
    assert "audit: complete" not in out


def test_a_document_declared_as_a_source_must_have_its_hash(tmp_path: Path, run_cli: Run) -> None:
    document = tmp_path / "article.txt"
    document.write_text("Shanghai unveiled one billion yuan.", encoding="utf-8")
    code, out = _audit_text(run_cli, str(document), "--source", "ainews-china-ai-self-reliance")
    assert code == 1
    assert f"{document}: declared as source 'ainews-china-ai-self-reliance'" in out
    assert "not the text the source's facts were read from" in out
    code, out = _audit_text(run_cli, str(document), "--source", "shenzhen-aiia-gap-widening-report")
    assert code == 1 and "records no document_sha256 to check it against" in out
    code, out = _audit_text(run_cli, str(document), "--source", "ainews-china-ai-self-relianc")
    assert code == 2
    assert "--source: unknown source 'ainews-china-ai-self-relianc'; did you mean" in out


def test_one_unknown_document_among_known_ones_fails(
    seeds: Path, tmp_path: Path, run_cli: Run
) -> None:
    folder = tmp_path / "documents"
    shutil.copytree(seeds, folder)
    (folder / "README.md").write_bytes(_README.read_bytes())
    code, out = _audit_text(run_cli, str(folder))
    assert code == 1
    assert f"{folder / 'README.md'}: unknown document" in out
    assert "audit: not complete: 1 of 6 documents not audited against their source" in out
    code, out = _audit_text(run_cli, str(seeds / "004_f748779ddf7f96d6.txt"), "--source",
                            "rui-post-us-china-ai-gap")  # fmt: skip
    assert code == 0 and "audit: complete" in out


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


# --- the audit is linear in the document's length: work counted, not timed ------------------


class _Work:
    """Counts the audit's work: Python lines run in aifacts' modules, and the characters the
    regular expressions of the audit and the spotter are given to scan."""

    def __init__(self) -> None:
        self.lines = 0
        self.chars = 0

    def scanned(self, string: str, pos: int, endpos: int | None, found: object) -> None:
        stop = len(string) if endpos is None else min(endpos, len(string))
        self.chars += max(stop - pos, 0) if found is None else max(found.end() - pos, 1)  # type: ignore[attr-defined]


class _CountingPattern:
    """A compiled pattern that reports what each search scans to ``_Work``."""

    def __init__(self, pattern: re.Pattern[str], work: _Work) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str) -> object:
        return getattr(self._pattern, name)

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> object:
        found = self._pattern.search(string, pos, len(string) if endpos is None else endpos)
        self._work.scanned(string, pos, endpos, found)
        return found

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> object:
        found = self._pattern.match(string, pos, len(string) if endpos is None else endpos)
        self._work.scanned(string, pos, pos if found is None else endpos, found)
        return found

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> object:
        found = self._pattern.fullmatch(string, pos, len(string) if endpos is None else endpos)
        self._work.scanned(string, pos, endpos, None)
        return found

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> object:
        self._work.scanned(string, pos, endpos, None)
        return self._pattern.finditer(string, pos, len(string) if endpos is None else endpos)


class _CountingRe:
    """The ``re`` module as the audit and the spotter see it, every pattern counted."""

    def __init__(self, work: _Work) -> None:
        self._work = work

    def __getattr__(self, name: str) -> object:
        return getattr(re, name)

    def compile(self, pattern: str, flags: int = 0) -> _CountingPattern:
        return _CountingPattern(re.compile(pattern, flags), self._work)

    def search(self, pattern: str, string: str, flags: int = 0) -> object:
        return self.compile(pattern, flags).search(string)

    def match(self, pattern: str, string: str, flags: int = 0) -> object:
        return self.compile(pattern, flags).match(string)

    def fullmatch(self, pattern: str, string: str, flags: int = 0) -> object:
        return self.compile(pattern, flags).fullmatch(string)

    def finditer(self, pattern: str, string: str, flags: int = 0) -> object:
        return self.compile(pattern, flags).finditer(string)

    def split(self, pattern: str, string: str, maxsplit: int = 0, flags: int = 0) -> object:
        self._work.scanned(string, 0, None, None)
        return re.split(pattern, string, maxsplit=maxsplit, flags=flags)

    def sub(self, pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> object:
        self._work.scanned(string, 0, None, None)
        return re.sub(pattern, repl, string, count=count, flags=flags)


def _counted(value: object, work: _Work) -> object:
    if isinstance(value, re.Pattern):
        return _CountingPattern(value, work)
    if isinstance(value, tuple):
        return tuple(_counted(v, work) for v in value)
    return value


def _audit_work(text: str, source_id: str | None, monkeypatch: pytest.MonkeyPatch) -> _Work:
    import aifacts.audit.completeness
    import aifacts.text.spotter

    work = _Work()
    for module in (aifacts.audit.completeness, aifacts.text.spotter):
        for name, value in vars(module).items():
            if _counted(value, work) is not value or name == "re":
                replacement = _CountingRe(work) if name == "re" else _counted(value, work)
                monkeypatch.setattr(module, name, replacement)
    ours = (str(Path(aifacts.audit.completeness.__file__).parent),)

    def trace(frame: FrameType, event: str, arg: object) -> object:
        if not frame.f_code.co_filename.startswith(ours):
            return None
        if event == "line":
            work.lines += 1
        return trace

    sys.settrace(trace)
    try:
        result = audit_text(DS, text, source_id)
    finally:
        sys.settrace(None)
        monkeypatch.undo()
    assert result.mentions  # the document was read
    return work


_QUOTED = next(f for f in DS.facts if f.fact_id == "rui-post-02")  # "$80 billion ... 2025"


@pytest.mark.parametrize(
    ("unit", "source_id"),
    [
        ("$1 billion ", None),  # one line, no sentence end: the worst case for the quotes
        ("In 2025 Shanghai set aside $1 billion.\n", None),  # sentences and paragraphs
        (_QUOTED.quote + " ", _QUOTED.source_id),  # a fact's quote, covered again and again
    ],
    ids=["one-line", "paragraphs", "repeated-quote"],
)
def test_the_audit_work_grows_linearly_with_the_document(
    unit: str, source_id: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _audit_work(unit * 200, source_id, monkeypatch)
    large = _audit_work(unit * 400, source_id, monkeypatch)
    # Twice the text is about twice the work; a step quadratic in the mentions gives 4x.
    assert large.lines / small.lines < 2.3, (small.lines, large.lines)
    assert large.chars / small.chars < 2.3, (small.chars, large.chars)


def test_a_200_kb_document_audits(tmp_path: Path, run_cli: Run) -> None:
    document = tmp_path / "long.txt"
    document.write_text("$1 billion " * 20_000, encoding="utf-8")  # 220 KB, 20,000 mentions
    candidates = tmp_path / "todo.csv"
    code, out, _ = run_cli("audit", str(document), "--candidates", str(candidates))
    assert code == 1  # a document of no source is never complete
    assert "20000 numeric mentions" in out
    rows = list(csv.DictReader(candidates.open(encoding="utf-8")))
    assert len(rows) == 20_000
    # Each candidate quotes the text around its mention, not the whole document.
    assert all("$1 billion" in r["quote"] and len(r["quote"]) <= 2 * 400 + 10 for r in rows)


def test_a_quote_cut_from_a_long_sentence_keeps_its_mention_and_whole_words() -> None:
    words = "word " * 200  # 1,000 characters with no sentence end
    for text in (f"{words}spent $5 billion on {words}", "算" * 1000 + "投资50亿元" + "算" * 1000):
        (item,) = [m for m in audit_text(DS, text, None).mentions if m.candidate is not None]
        quote = item.candidate.quote  # type: ignore[union-attr]
        assert item.mention.span in quote and quote in text
        assert 400 <= len(quote) <= 2 * 400 + len(item.mention.span)
        assert not quote.startswith("ord") and not quote.endswith("wor")  # whole words
