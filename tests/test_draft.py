"""`aifacts draft` and `Dataset.draft`: a new source's rows drafted from its document recover
the bundled facts' values and units, and merged into the package they validate and audit
complete; the files are written whole, and never over others without --force."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import aifacts
from aifacts.audit.draft import Draft
from tests.packages import read_rows, write_rows

DS = aifacts.load()
Run = Callable[..., tuple[int, str, str]]
DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "audit.md"


def _drafts(seeds: Path) -> dict[str, tuple[Path, Draft]]:
    """Each document drafted against a package that holds none of the bundled facts."""
    empty = dataclasses.replace(DS, facts=(), omissions=())
    by_hash = {s.document_sha256: s.source_id for s in DS.sources if s.document_sha256}
    out = {}
    for path in sorted(seeds.glob("*.txt")):
        data = path.read_bytes()
        source_id = by_hash[hashlib.sha256(data).hexdigest()]
        out[source_id] = path, empty.draft(data.decode("utf-8"), source_id, data=data)
    return out


def _scores(draft: Draft, source_id: str) -> tuple[int, int, int, int]:
    """(bundled facts recovered, bundled facts, drafted facts that are bundled, drafted)."""
    bundled = [(f.value, f.unit) for f in DS.facts if f.source_id == source_id]
    drafted = [(Decimal(f["value"]), f["unit"]) for f in draft.facts]
    recovered = sum(1 for b in bundled if b in drafted)
    precise = sum(1 for d in drafted if d in bundled)
    return recovered, len(bundled), precise, len(drafted)


def test_drafts_recover_nine_in_ten_bundled_facts(seeds: Path) -> None:
    for source_id, (_, draft) in _drafts(seeds).items():
        recovered, bundled, _, _ = _scores(draft, source_id)
        assert recovered >= 0.9 * bundled, (source_id, recovered, bundled)


def test_the_docs_report_recall_and_precision_as_they_are(seeds: Path) -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    for source_id, (_, draft) in _drafts(seeds).items():
        recovered, bundled, precise, drafted = _scores(draft, source_id)
        row = f"| `{source_id}` | {recovered} of {bundled} | {precise} of {drafted} |"
        assert row in page, row


def _merge(package: Path, draft: Draft) -> None:
    """Replace the source's rows of ``package`` with the draft's, as a reviewer would."""
    source_id = draft.source["source_id"]
    files = draft.files()
    for resource in ("sources", "facts", "omissions"):
        rows = read_rows(package, resource)
        at = rows[0].index("source_id")
        new = list(csv.reader(io.StringIO(files[f"{resource}.csv"].decode("utf-8"))))
        assert new[0] == rows[0]  # the package's own columns, in its order
        kept = [r for r in rows if r[at] != source_id]
        if resource == "facts":  # links into the replaced rows are re-pointed by a reviewer
            gone = {r[0] for r in rows[1:] if r[at] == source_id}
            for name in ("supersedes", "part_of"):
                column = rows[0].index(name)
                for row in kept[1:]:
                    if row[column] in gone:
                        row[column] = ""
        write_rows(package, resource, kept + new[1:])


def test_a_merged_draft_validates_and_audits_complete(
    seeds: Path, package_copy: Path, run_cli: Run
) -> None:
    for _, (path, draft) in _drafts(seeds).items():
        _merge(package_copy, draft)
        assert run_cli("build", str(package_copy))[0] == 0
        code, out, err = run_cli("validate", str(package_copy))
        assert code == 0, out + err
        code, out, err = run_cli("audit", str(path), "--package", str(package_copy))
        assert code == 0 and "audit: complete" in out + err, out + err
        assert ", 0 missed" in out


def test_a_draft_row_holds_what_the_sentence_tells() -> None:
    draft = DS.draft(
        "Shanghai plans to offer up to 500 million yuan in 2026 [4].\n杭州计划发放数百万元补贴。",
        "new-source",
        published="2026-01-05",
    )
    first, second = draft.facts
    assert (first["entity_id"], first["value"], first["unit"]) == ("shanghai", "500", "million CNY")
    assert (first["qualifier"], first["status"], first["locator"]) == ("at_most", "plan", "[4]")
    assert (first["period_start"], first["period_end"]) == ("2026-01-01", "2026-12-31")
    assert first["as_of"] == "2026-01-05"
    assert first["quote"] == "Shanghai plans to offer up to 500 million yuan in 2026"
    # A vague amount in Chinese: the entity from its Chinese name, the bound by the rule.
    assert (second["entity_id"], second["value"], second["unit"], second["qualifier"]) == (
        "hangzhou", "2", "million CNY", "at_least",
    )  # fmt: skip
    assert "vague-amount rule" in second["note"]
    assert [(o["span"], o["reason"]) for o in draft.omissions] == [("[4]", "footnote-mark")]
    text = "Shanghai plans to offer up to 500 million yuan in 2026 [4]."
    assert draft.source["document_sha256"] != hashlib.sha256(text.encode()).hexdigest()


def test_the_cli_writes_three_files_and_never_over_others(tmp_path: Path, run_cli: Run) -> None:
    document = tmp_path / "article.txt"
    document.write_text("Hangzhou will spend 250 million yuan in 2026 [1].", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run_cli("draft", str(document), "--source-id", "hz-article", "-o",
                             str(out_dir), "--publisher", "Acme News")  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [str(out_dir / n) for n in ("sources.csv", "facts.csv",
                                                           "omissions.csv")]  # fmt: skip
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "facts.csv",
        "omissions.csv",
        "sources.csv",
    ]
    (source,) = csv.DictReader(io.StringIO((out_dir / "sources.csv").read_text("utf-8")))
    assert source["publisher"] == "Acme News"
    assert source["document_sha256"] == hashlib.sha256(document.read_bytes()).hexdigest()
    (fact,) = csv.DictReader(io.StringIO((out_dir / "facts.csv").read_text("utf-8")))
    assert (fact["fact_id"], fact["value"], fact["unit"]) == ("hz-article-01", "250", "million CNY")
    assert "drafted 1 candidate facts and 1 candidate omissions of hz-article" in err
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    document.write_text("Beijing will spend 9 billion yuan.", encoding="utf-8")
    code, _, err = run_cli("draft", str(document), "--source-id", "hz-article", "-o", str(out_dir))
    assert code == 2
    assert f"{out_dir}: already holds sources.csv, facts.csv, omissions.csv; pass --force" in err
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before  # nothing lost
    code, _, _ = run_cli(
        "draft", str(document), "--source-id", "hz-article", "-o", str(out_dir), "--force"
    )
    assert code == 0
    assert "9" in (out_dir / "facts.csv").read_text("utf-8")
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(before)  # no temporary file left


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["absent.txt", "--source-id", "x"], 2, "absent.txt: no such file"),
        (["doc.txt", "--source-id", "rui-post-us-china-ai-gap"], 2,
         "--source-id: 'rui-post-us-china-ai-gap' is already a source of the package"),
        (["doc.txt", "--source-id", "x", "--published", "May 2025"], 2,
         "--published: 'May 2025' is not a date; expected YYYY-MM-DD"),
        (["scan.pdf", "--source-id", "x"], 1, "scan.pdf: not UTF-8 text (byte 9)"),
        (["doc.txt", "--source-id", "x", "-o", "missing/deeper/file.csv/x"], 1,
         "cannot create the folder"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_error(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int,
    message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text("Over 80% in 2025.", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    (tmp_path / "missing").write_text("a file, not a folder", encoding="utf-8")
    got, out, err = run_cli("draft", *args)
    assert got == code, out + err
    assert message in err
    assert "Traceback" not in out + err
    assert not re.search(r"draft-x", " ".join(p.name for p in tmp_path.iterdir()))
