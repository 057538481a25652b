"""Account for every number a source document states.

For a document and the source it is (matched by ``document_sha256``), every numeric
mention the spotter finds is one of:

- **covered**: a fact of that source quotes it: the mention lies inside an occurrence
  of the fact's quote in the document, and the fact uses it (the mention states the
  fact's value, or is a year within the fact's period);
- **omitted**: the package's ``omissions`` resource sets it aside on purpose, with a
  reason (a footnote mark, a heading label, a name, a publication date ...);
- **missed**: neither. Missed quantities come with a candidate fact, its quote already
  cut from the sentence around the mention.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> text = "Shanghai has unveiled 600 million yuan"
    >>> result = audit_text(ds, text, "ainews-china-ai-self-reliance")
    >>> [(m.mention.span, m.status.value) for m in result.mentions]
    [('600 million yuan', 'missed')]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.agreement import NUMBER_KINDS, agrees
from aifacts.records import Fact, Omission
from aifacts.spotter import Mention, MentionKind, spot

if TYPE_CHECKING:
    from aifacts.dataset import Dataset

__all__ = [
    "AuditStatus",
    "AuditedMention",
    "Candidate",
    "DocumentAudit",
    "SourceAudit",
    "audit_documents",
    "audit_text",
    "document_sha256",
]


class AuditStatus(StrEnum):
    """What became of a numeric mention."""

    COVERED = "covered"
    OMITTED = "omitted"
    MISSED = "missed"


@dataclass(frozen=True)
class Candidate:
    """A fact still to write for a missed quantity: what the document already tells."""

    source_id: str | None
    value: Decimal
    value_high: Decimal | None
    unit: str
    qualifier: str
    quote: str
    locator: str

    def to_dict(self) -> dict[str, Any]:
        """The candidate as the columns of ``facts.csv`` it fills (others left empty)."""
        return {
            "source_id": self.source_id or "",
            "value": format(self.value, "f"),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "value_high": "" if self.value_high is None else format(self.value_high, "f"),
            "quote": self.quote,
            "locator": self.locator,
        }


@dataclass(frozen=True)
class AuditedMention:
    """One mention and what became of it."""

    mention: Mention
    status: AuditStatus
    fact_ids: tuple[str, ...] = ()
    reason: str | None = None
    candidate: Candidate | None = None

    def to_dict(self) -> dict[str, Any]:
        m = self.mention
        return {
            "span": m.span,
            "start": m.start,
            "end": m.end,
            "value": format(m.value, "f"),
            "value_high": None if m.value_high is None else format(m.value_high, "f"),
            "unit": m.unit,
            "kind": m.kind.value,
            "status": self.status.value,
            "fact_ids": list(self.fact_ids),
            "reason": self.reason,
            "candidate": None if self.candidate is None else self.candidate.to_dict(),
        }


@dataclass(frozen=True)
class SourceAudit:
    """Every mention of one document, and omissions that match no mention (stale)."""

    source_id: str | None
    mentions: tuple[AuditedMention, ...]
    stale_omissions: tuple[Omission, ...] = ()

    def count(self, status: AuditStatus) -> int:
        return sum(1 for m in self.mentions if m.status is status)

    @property
    def missed(self) -> tuple[AuditedMention, ...]:
        return tuple(m for m in self.mentions if m.status is AuditStatus.MISSED)

    @property
    def complete(self) -> bool:
        """Nothing missed and no stale omission."""
        return not self.missed and not self.stale_omissions

    def candidates(self) -> list[Candidate]:
        """Candidate facts for the missed quantities, in document order."""
        return [m.candidate for m in self.missed if m.candidate is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "counts": {s.value: self.count(s) for s in AuditStatus},
            "mentions": [m.to_dict() for m in self.mentions],
            "stale_omissions": [o.model_dump(mode="json") for o in self.stale_omissions],
        }


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text``, exactly or modulo whitespace."""
    found = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    if found:
        return found
    loose = r"\s+".join(re.escape(part) for part in quote.split())
    return [m.span() for m in re.finditer(loose, text)]


def _uses(fact: Fact, mention: Mention) -> bool:
    """Whether ``fact`` records what ``mention`` states: its number, or a year of its period."""
    start, end = fact.period_start, fact.period_end
    in_period = start is not None and end is not None and start.year <= mention.value <= end.year
    if mention.kind is MentionKind.YEAR and in_period:
        return True
    if mention.kind not in NUMBER_KINDS:
        return False
    values = [fact.value] + ([fact.value_high] if fact.value_high is not None else [])
    return any(agrees(v, fact.unit, mention) for v in values)


def audit_text(
    dataset: Dataset, text: str, source_id: str | None, omissions: Iterable[Omission] | None = None
) -> SourceAudit:
    """Audit ``text`` as the document of ``source_id`` (``None``: a source not in the package).

    Args:
        dataset: the facts (and, unless ``omissions`` is given, the omissions) to audit against.
        text: the document's text, exactly as its SHA-256 was taken (UTF-8 decoded).
        source_id: the source the document is.
        omissions: the omissions to apply; default: the dataset's for this source.
    """
    facts = [f for f in dataset.facts if f.source_id == source_id]
    quoted = [(f, span) for f in facts for span in _occurrences(text, f.quote)]
    if omissions is None:
        omissions = getattr(dataset, "omissions", ())
    set_aside = {(o.offset, o.span): o for o in omissions if o.source_id == source_id}
    audited = []
    for mention in spot(text):
        users = tuple(
            f.fact_id
            for f, (start, end) in quoted
            if start <= mention.start and mention.end <= end and _uses(f, mention)
        )
        omission = set_aside.pop((mention.start, mention.span), None)
        if users:
            users = tuple(dict.fromkeys(users))
            audited.append(AuditedMention(mention, AuditStatus.COVERED, users))
        elif omission is not None:
            reason = omission.reason.value + (f": {omission.note}" if omission.note else "")
            audited.append(AuditedMention(mention, AuditStatus.OMITTED, reason=reason))
        else:
            candidate = _candidate(text, mention, source_id)
            audited.append(AuditedMention(mention, AuditStatus.MISSED, candidate=candidate))
    return SourceAudit(source_id, tuple(audited), tuple(set_aside.values()))


# --- candidate facts -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(\[-])|[。！？；;\n]|\s+-\s+")
_FOOTNOTES = re.compile(r"\s*((?:\[[0-9]{1,3}\])+)")
_FORMULA_START = "=+-@\t\r"
_HEDGES = (
    (re.compile(r"(?i)(?:up to|under|less than|below|at most|no more than|as low as)\s*\Z"),
     "at_most"),
    (re.compile(r"(?i)(?:over|more than|exceed(?:ing|s)?|above|at least|upwards of)\s*\Z"),
     "at_least"),
    (re.compile(r"(?i)(?:nearly|approximately|about|around|roughly|almost|some|~)\s*\Z"),
     "approximately"),
)  # fmt: skip
_SCALE_WORDS = {
    Decimal(10) ** 3: "thousand",
    Decimal(10) ** 6: "million",
    Decimal(10) ** 9: "billion",
    Decimal(10) ** 12: "trillion",
}


def _sentence(text: str, mention: Mention) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, mention.start):
        start = m.end()
    end_match = _SENTENCE_END.search(text, mention.end)
    end = end_match.start() if end_match else len(text)
    while start < end and (text[start].isspace() or text[start] in _FORMULA_START):
        start += 1
    while end > start and text[end - 1] in " \t.,;:":
        end -= 1
    return start, end


def _paragraph(text: str, offset: int) -> int:
    """The paragraph number of ``offset``: non-blank lines counted from 1."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip()) + 1


def _candidate(text: str, mention: Mention, source_id: str | None) -> Candidate | None:
    if mention.kind is not MentionKind.QUANTITY:
        return None
    start, end = _sentence(text, mention)
    marks = _FOOTNOTES.match(text, end)
    locator = marks.group(1) if marks else f"para {_paragraph(text, mention.start)}"
    qualifier = "range" if mention.value_high is not None else "exact"
    before = text[max(0, mention.start - 30) : mention.start]
    for pattern, hedge in _HEDGES:
        if qualifier == "exact" and pattern.search(before):
            qualifier = hedge
    scale_word = _SCALE_WORDS.get(mention.scale)
    divisor = mention.scale if scale_word else Decimal(1)
    unit = " ".join(w for w in (scale_word, mention.unit) if w)
    high = None if mention.value_high is None else mention.value_high / divisor
    return Candidate(
        source_id, mention.value / divisor, high, unit, qualifier, text[start:end], locator
    )


# --- documents on disk -----------------------------------------------------------------------


def document_sha256(data: bytes) -> str:
    """The SHA-256 a source records for its document: of the exact bytes, lowercase hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DocumentAudit:
    """One document file: the source it matched (``None``: unknown) and its audit."""

    path: Path
    sha256: str
    audit: SourceAudit | None
    error: str | None = None

    @property
    def known(self) -> bool:
        return self.audit is not None and self.audit.source_id is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "source_id": self.audit.source_id if self.audit else None,
            "error": self.error,
            "audit": self.audit.to_dict() if self.audit else None,
        }


@dataclass
class AuditReport:
    """The audit of a set of documents; ``complete`` when nothing is missed."""

    documents: list[DocumentAudit] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(len(d.audit.missed) for d in self.documents if d.known and d.audit)

    @property
    def complete(self) -> bool:
        return all(d.audit.complete for d in self.documents if d.known and d.audit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "missed": self.missed,
            "documents": [d.to_dict() for d in self.documents],
        }


def _files(target: Path) -> Sequence[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [target]


def audit_documents(dataset: Dataset, target: Path) -> AuditReport:
    """Audit every document file at ``target`` (a file or a folder) against ``dataset``.

    Documents are matched to sources by the SHA-256 of their bytes; a document that
    matches no source is audited as unknown (every quantity a candidate, source empty).
    """
    by_hash = {s.document_sha256: s.source_id for s in dataset.sources if s.document_sha256}
    report = AuditReport()
    for path in _files(target):
        data = path.read_bytes()
        digest = document_sha256(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            report.documents.append(
                DocumentAudit(path, digest, None, f"not UTF-8 text (byte {exc.start})")
            )
            continue
        source_id = by_hash.get(digest)
        report.documents.append(DocumentAudit(path, digest, audit_text(dataset, text, source_id)))
    return report
