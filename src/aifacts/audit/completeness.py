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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.audit.candidates import Candidate, Layout, candidate
from aifacts.contract.records import Fact, Omission
from aifacts.text.agreement import NUMBER_KINDS, agrees
from aifacts.text.spotter import Mention, MentionKind, spot

if TYPE_CHECKING:
    from aifacts.dataset.tables import Tables

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
    """Where ``quote`` occurs in ``text``, exactly or modulo whitespace, in order, disjoint."""
    found = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    if found:
        return found
    loose = r"\s+".join(re.escape(part) for part in quote.split())
    return [m.span() for m in re.finditer(loose, text)]


@dataclass(frozen=True)
class _Quoted:
    """A fact and where its quote occurs: sorted, disjoint spans, so a bisection finds the
    one occurrence that can hold a mention (linear in the document, not in its mentions)."""

    fact: Fact
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, fact: Fact, text: str) -> _Quoted:
        spans = _occurrences(text, fact.quote)
        return cls(fact, [s for s, _ in spans], [e for _, e in spans])

    def holds(self, mention: Mention) -> bool:
        """Whether an occurrence of the quote contains ``mention``."""
        i = bisect_right(self.starts, mention.start) - 1
        return i >= 0 and mention.end <= self.ends[i]


def _in_period(fact: Fact, mention: Mention) -> bool:
    """Whether ``mention`` is a year within the fact's period."""
    start, end = fact.period_start, fact.period_end
    return (
        mention.kind is MentionKind.YEAR
        and start is not None
        and end is not None
        and start.year <= mention.value <= end.year
    )


def _uses(fact: Fact, mention: Mention) -> bool:
    """Whether ``fact`` records what ``mention`` states: its number, or a year of its period."""
    if _in_period(fact, mention):
        return True
    if mention.kind not in NUMBER_KINDS:
        return False
    values = [fact.value] + ([fact.value_high] if fact.value_high is not None else [])
    return any(agrees(v, fact.unit, mention) for v in values)


#: Units a mention states as a measure: a fact in another unit does not state it.
_MEASURES = frozenset((
    "USD", "CNY", "EUR", "HKD", "GBP", "JPY", "percent", "year", "month", "week", "day", "hour",
    "minute", "rank", "ratio", "dimensionless", "EFLOPS", "PFLOPS", "TFLOPS", "GW", "MW", "kW",
    "TW", "GWh", "TWh", "nm",
))  # fmt: skip
_RATIO_KINDS = frozenset((MentionKind.MULTIPLE, MentionKind.FRACTION, MentionKind.RANK,
                          MentionKind.COMPARATIVE))  # fmt: skip


def _fit(fact: Fact, mention: Mention) -> int:
    """How well ``mention``'s unit fits the fact's: 2 the same unit (a rank, multiple or
    fraction for a dimensionless fact), 1 no measure stated, 0 another measure ("top three"
    is a rank, not the three years of a three-year pledge)."""
    unit = fact.unit.split()[-1] if fact.unit.split() else ""
    if mention.unit is not None and mention.unit.lower() == unit.lower():
        return 2
    if unit == "dimensionless" and mention.kind in _RATIO_KINDS:
        return 2
    if mention.unit is None or mention.unit not in _MEASURES:
        return 1
    return 0


def _stated(quoted: Sequence[_Quoted], mentions: Sequence[Mention]) -> dict[int, list[str]]:
    """Which facts state each mention (by its index): in each occurrence of a fact's quote,
    the mentions that give the fact's number in the unit that fits it best, and the years
    of its period. A mention is covered by a fact that states *that* mention, not by one
    that merely quotes the same number elsewhere in the sentence."""
    starts = [m.start for m in mentions]
    stated: dict[int, list[str]] = {}
    for q in quoted:
        for s, e in zip(q.starts, q.ends, strict=True):
            near = range(bisect_left(starts, s), bisect_left(starts, e))
            inside = [i for i in near if mentions[i].end <= e]
            years = [i for i in inside if _in_period(q.fact, mentions[i])]
            values = [i for i in inside if i not in years and _uses(q.fact, mentions[i])]
            best = max((_fit(q.fact, mentions[i]) for i in values), default=0)
            for i in years + [i for i in values if _fit(q.fact, mentions[i]) == best]:
                stated.setdefault(i, []).append(q.fact.fact_id)
    return stated


def audit_text(
    dataset: Tables, text: str, source_id: str | None, omissions: Iterable[Omission] | None = None
) -> SourceAudit:
    """Audit ``text`` as the document of ``source_id`` (``None``: a source not in the package).

    Args:
        dataset: the facts (and, unless ``omissions`` is given, the omissions) to audit against.
        text: the document's text, exactly as its SHA-256 was taken (UTF-8 decoded).
        source_id: the source the document is.
        omissions: the omissions to apply; default: the dataset's for this source.
    """
    quoted = [_Quoted.of(f, text) for f in dataset.facts if f.source_id == source_id]
    if omissions is None:
        omissions = getattr(dataset, "omissions", ())
    set_aside = {(o.offset, o.span): o for o in omissions if o.source_id == source_id}
    audited = []
    layout = Layout(text)
    mentions = spot(text)
    stated = _stated(quoted, mentions)
    for i, mention in enumerate(mentions):
        users = tuple(dict.fromkeys(stated.get(i, ())))
        omission = set_aside.pop((mention.start, mention.span), None)
        if users:
            audited.append(AuditedMention(mention, AuditStatus.COVERED, users))
        elif omission is not None:
            reason = omission.reason.value + (f": {omission.note}" if omission.note else "")
            audited.append(AuditedMention(mention, AuditStatus.OMITTED, reason=reason))
        else:
            drafted = candidate(layout, mention, source_id)
            audited.append(AuditedMention(mention, AuditStatus.MISSED, candidate=drafted))
    return SourceAudit(source_id, tuple(audited), tuple(set_aside.values()))


# --- documents on disk -----------------------------------------------------------------------


def document_sha256(data: bytes) -> str:
    """The SHA-256 a source records for its document: of the exact bytes, lowercase hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DocumentAudit:
    """One document file: the source it matched (``None``: unknown) and its audit.

    ``error`` says why the document does not count as audited: it is not UTF-8 text, its
    SHA-256 matches no source, or it is named after (or declared as) a source whose
    recorded SHA-256 differs. A document of no source is still audited (every quantity a
    candidate), so that its facts can be written.
    """

    path: Path
    sha256: str
    audit: SourceAudit | None
    error: str | None = None

    @property
    def known(self) -> bool:
        return self.audit is not None and self.audit.source_id is not None

    @property
    def complete(self) -> bool:
        """Matched to its source, and nothing of it missed."""
        return self.error is None and self.audit is not None and self.audit.complete

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
    """The audit of a set of documents: ``complete`` when there is at least one, every one
    matched its source, and nothing is missed; ``problems`` says why not, otherwise."""

    documents: list[DocumentAudit] = field(default_factory=list)
    target: Path | None = None

    @property
    def missed(self) -> int:
        return sum(len(d.audit.missed) for d in self.documents if d.known and d.audit)

    @property
    def problems(self) -> list[str]:
        """Why the audit is not complete, beyond missed mentions: one line per reason."""
        if not self.documents:
            return [f"{self.target}: no documents to audit (the folder holds no file)"]
        return [f"{d.path}: {d.error}" for d in self.documents if d.error is not None]

    @property
    def complete(self) -> bool:
        return bool(self.documents) and all(d.complete for d in self.documents)

    def verdict(self) -> str:
        """One line: ``complete``, or what is wrong (documents unmatched, mentions missed)."""
        if self.complete:
            return "complete"
        if not self.documents:
            return "not complete: no documents"
        parts = []
        if failed := sum(1 for d in self.documents if d.error is not None):
            parts.append(f"{failed} of {len(self.documents)} documents not audited against "
                         "their source")  # fmt: skip
        if self.missed:
            parts.append(f"{self.missed} missed")
        stale = sum(len(d.audit.stale_omissions) for d in self.documents if d.known and d.audit)
        if stale:
            parts.append(f"{stale} stale omissions")
        return "not complete: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "missed": self.missed,
            "problems": self.problems,
            "documents": [d.to_dict() for d in self.documents],
        }


def _files(target: Path) -> Sequence[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [target]


def audit_documents(dataset: Tables, target: Path, source_id: str | None = None) -> AuditReport:
    """Audit every document file at ``target`` (a file or a folder) against ``dataset``.

    Documents are matched to sources by the SHA-256 of their bytes. A document named after
    a source (``rui-post-us-china-ai-gap.txt``), or declared as one (``source_id``), must
    have that source's SHA-256. A document that matches no source is audited as unknown
    (every quantity a candidate, source empty); the report is then not complete.

    Raises:
        UnknownIdError: ``source_id`` is not a source of the dataset.
    """
    sources = {s.source_id: s for s in dataset.sources}
    if source_id is not None and source_id not in sources:
        from aifacts.errors import UnknownIdError
        from aifacts.validation.rules.base import nearest

        raise UnknownIdError(source_id, "source", nearest(source_id, sources))
    by_hash = {s.document_sha256: s.source_id for s in sources.values() if s.document_sha256}
    report = AuditReport(target=target)
    for path in _files(target):
        error: str | None = None
        try:
            data = path.read_bytes()
        except OSError as exc:
            error = f"cannot be read ({exc.strerror or exc})"
            report.documents.append(DocumentAudit(path, "", None, error))
            continue
        digest = document_sha256(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            error = f"not UTF-8 text (byte {exc.start}): a source document is UTF-8 text"
            report.documents.append(DocumentAudit(path, digest, None, error))
            continue
        matched = by_hash.get(digest)
        expected = source_id or (path.stem if path.stem in sources else None)
        if expected is not None and matched != expected:
            recorded = sources[expected].document_sha256
            how = "declared as" if source_id else "named after"
            error = (
                f"{how} source {expected!r}, whose document_sha256 is {recorded}, but "
                f"its SHA-256 is {digest}: not the text the source's facts were read from"
                if recorded
                else f"{how} source {expected!r}, which records no document_sha256 to check "
                "it against"
            )
            report.documents.append(DocumentAudit(path, digest, None, error))
            continue
        if matched is None:
            error = (
                f"unknown document: its SHA-256 {digest} matches no source's "
                "document_sha256; add its source to sources.csv with this hash "
                "(its quantities are listed as candidates)"
            )
        audit = audit_text(dataset, text, matched)
        report.documents.append(DocumentAudit(path, digest, audit, error))
    return report
