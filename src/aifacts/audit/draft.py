"""Draft the rows of a new source from its document, for a person to review.

:func:`draft_document` reads a document the way the audit does and writes what a
contributor would otherwise type by hand, in the package's own columns:

- the **source** row, with the document's ``document_sha256``;
- a candidate **fact** for every quantity the spotter finds (digits or words): the sentence
  as its quote, a locator (the footnote marks after it, or ``para N``), value, unit and
  qualifier (from the hedge words around it: "over" -> ``at_least``), a ``status`` guessed
  from the verbs (plans, pledges, forecasts ...), the period from the years the quote states,
  and an entity and a metric suggested from the package's own names, in English and Chinese;
- a candidate **omission** for every footnote mark, heading label, date, name or year that
  dates no drafted fact, and for every quantity no metric of the package fits (its reason
  from its kind; its note says to write a fact instead when one is wanted).

Every drafted fact quotes its own mention and every other mention is omitted, so the audit
of the merged package accounts for every number of the document.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> d = draft_document(ds, "Shanghai will offer up to 500 million yuan in 2026.", "new-src")
    >>> [(f["entity_id"], f["value"], f["unit"], f["qualifier"]) for f in d.facts]
    [('shanghai', '500', 'million CNY', 'at_most')]
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aifacts.audit.candidates import Layout, candidate
from aifacts.audit.completeness import document_sha256
from aifacts.contract.schema import resource
from aifacts.text.kinds import WORD_KINDS, Mention, MentionKind
from aifacts.text.spotter import spot

if TYPE_CHECKING:
    from aifacts.contract.records import Entity, Metric
    from aifacts.dataset.tables import Tables

__all__ = ["Draft", "draft_document"]

FACT_FIELDS = resource("facts").field_names
SOURCE_FIELDS = resource("sources").field_names
OMISSION_FIELDS = resource("omissions").field_names

_REVIEW = "draft: review the entity, metric and status"
#: Verbs and words that say what kind of number follows, strongest first.
_STATUS_CUES = (
    ("forecast", r"forecast|expect|project(?:ed|ion)|predict|could|预计|预测|有望"),
    ("pledge", r"pledg|commit|invest up to|承诺"),
    ("target", r"target|goal|aim|目标|力争"),
    ("plan", r"plan|set to|will|intend|计划|拟|将"),
    ("estimate", r"estimat|估计|估算"),
)
_STATUS_RE = [(status, re.compile(rf"(?i){cue}")) for status, cue in _STATUS_CUES]
_OMIT_REASONS = {
    MentionKind.FOOTNOTE: "footnote-mark",
    MentionKind.LIST_LABEL: "list-label",
    MentionKind.OTHER: "identifier",
    MentionKind.RANK: "rank-claim",
    MentionKind.SPAN: "time-frame",
    MentionKind.VAGUE: "vague-amount",
    MentionKind.SCALE: "vague-amount",
}
_WORD_RE = re.compile(r"[a-z]{3,}|[\u4e00-\u9fff]{2}")
_STOP = frozenset(("the", "and", "for", "with", "that", "this", "from", "its", "their", "into"))


@dataclass
class Draft:
    """The drafted rows: one source, candidate facts and candidate omissions (column -> text)."""

    source: dict[str, str]
    facts: list[dict[str, str]] = field(default_factory=list)
    omissions: list[dict[str, str]] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        """The CSV bytes of each file, named as the package names its resources."""
        return {
            "sources.csv": _csv(SOURCE_FIELDS, [self.source]),
            "facts.csv": _csv(FACT_FIELDS, self.facts),
            "omissions.csv": _csv(OMISSION_FIELDS, self.omissions),
        }

    def write(self, folder: Path, *, force: bool = False) -> list[Path]:
        """Write the files into ``folder`` (created if missing), each atomically.

        Raises:
            WriteError: a file exists and ``force`` is false, or it cannot be written.
        """
        from aifacts.errors import WriteError
        from aifacts.io.atomic import write_atomic

        files = self.files()
        targets = [folder / name for name in files]
        if not force and (taken := [t for t in targets if t.exists()]):
            names = ", ".join(t.name for t in taken)
            raise WriteError(folder, f"already holds {names}; pass --force to replace them")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(folder, f"cannot create the folder ({exc.strerror or exc})") from None
        for target, data in zip(targets, files.values(), strict=True):
            write_atomic(target, data)
        return targets


def _csv(fields: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([row.get(name, "") for name in fields] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _names(entity: Entity) -> list[str]:
    """The ways a document may name an entity: its names, its id, a country's code."""
    names = [entity.name, entity.name_zh or "", entity.entity_id.replace("-", " ")]
    if entity.kind.value == "country" and len(entity.entity_id) == 2:
        code = entity.entity_id.upper()
        names += [code, ".".join(code) + "."]
    return [n for n in names if len(n) >= 2]


def _entity_finder(entities: tuple[Entity, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    by_name: dict[str, str] = {}
    for e in entities:
        for name in _names(e):
            by_name.setdefault(name.lower(), e.entity_id)
    alternatives = sorted(by_name, key=len, reverse=True)
    pattern = "|".join(
        re.escape(n) if not n.isascii() else rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])"
        for n in alternatives
    )
    return re.compile(f"(?i){pattern or '(?!)'}"), by_name


def _status(sentence: str) -> str:
    for status, cue in _STATUS_RE:
        if cue.search(sentence):
            return status
    return "actual"


def _words(text: str) -> set[str]:
    return {w for w in _WORD_RE.findall(text.lower()) if w not in _STOP}


def _dimensions(unit: str) -> frozenset[tuple[str, object]] | None:
    from aifacts.contract.units import UnitError, canonical_dimensions, parse_unit

    try:
        return canonical_dimensions(parse_unit(unit))
    except UnitError:
        return None


def _measure(unit: str) -> frozenset[tuple[str, object]] | None:
    """What ``unit`` measures; ``None`` for a bare scale ("million") or a noun no unit
    names ("dragon"): then any count or ratio may fit."""
    words = unit.split()
    if not words or words[-1] in _SCALES:
        return None
    return _dimensions(unit)


_SCALES = ("thousand", "million", "billion", "trillion")


def _metric(
    metrics: tuple[Metric, ...], unit: str, kind: MentionKind, sentence: str
) -> Metric | None:
    """The metric whose words the sentence shares most, among those ``unit`` fits; a rank, a
    scale word or a comparative needs shared words, not only a fitting unit."""
    dims = _measure(unit)
    words = _words(sentence)
    noun = unit.split()[-1].replace("center", "centre") if unit.split() else ""
    best: tuple[int, Metric] | None = None
    for metric in metrics:
        if dims is not None and _dimensions(metric.unit) != dims:
            continue
        if dims is None and metric.kind.value not in ("count", "ratio", "rank"):
            continue
        score = 2 * len(words & _words(f"{metric.metric_id.replace('-', ' ')} {metric.label}"))
        if noun.lower() == metric.unit.lower() or (
            kind is MentionKind.RANK and metric.kind.value == "rank"
        ):
            score += 3 if dims is None else 1
        elif dims is None and metric.kind.value == "count" and noun not in _SCALES:
            score += 1  # a counted noun: a count rather than a rank
        enough = 2 if dims is None or kind in _WORDY else 0
        if score >= enough and (best is None or score > best[0]):
            best = (score, metric)
    return None if best is None else best[1]


#: Numbers in words that a fitting unit alone does not make a fact of a metric.
_WORDY = frozenset((MentionKind.RANK, MentionKind.SCALE, MentionKind.COMPARATIVE))


def _fact_unit(candidate_unit: str, metric: Metric) -> str:
    """The candidate's unit, or the metric's (with the scale word) when the noun is no unit."""
    if _measure(candidate_unit) is not None:
        return candidate_unit
    scale = candidate_unit.split()[0] if candidate_unit.split() else ""
    return f"{scale} {metric.unit}" if scale in _SCALES else metric.unit


def draft_document(
    tables: Tables,
    text: str,
    source_id: str,
    *,
    data: bytes | None = None,
    **source: str,
) -> Draft:
    """Draft the source row, candidate facts and candidate omissions of a document.

    Args:
        tables: the package whose entities and metrics are suggested.
        text: the document's text.
        source_id: the id of the new source.
        data: the document's exact bytes (default: ``text`` encoded as UTF-8), for its SHA-256.
        **source: further columns of the source row (``publisher``, ``published``, ``title``,
            ``language``, ``url``, ``kind``).
    """
    raw = text.encode("utf-8") if data is None else data
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    row = {
        "source_id": source_id,
        "title": lines[0] if lines else "",
        "language": "zh"
        if re.search(r"[\u4e00-\u9fff]", text[:2000]) and not re.search(r"[A-Za-z]{4}", text[:200])
        else "en",
        "kind": "news",
        "document_sha256": document_sha256(raw),
        "document_held": "true",  # the document drafted from is at hand: the audit reads it
        "note": "Drafted from the document; review every column.",
    } | {k: v for k, v in source.items() if v}
    row.setdefault("published_basis", "stated" if row.get("published") else "none")
    out = Draft(row)
    finder, by_name = _entity_finder(tables.entities)
    found = [(m.start(), by_name[m.group().lower()]) for m in finder.finditer(text)]
    layout = Layout(text)
    mentions = spot(text)
    covered: set[int] = set()
    for i, mention in enumerate(mentions):
        if mention.kind is not MentionKind.QUANTITY and mention.kind not in WORD_KINDS:
            continue
        drafted = candidate(layout, mention, source_id)
        if drafted is None:
            continue
        q_start = text.find(drafted.quote, max(0, mention.end - len(drafted.quote)))
        sentence_words = drafted.quote
        metric = _metric(tables.metrics, drafted.unit, mention.kind, sentence_words)
        before = [e for at, e in found if at < mention.start and at >= q_start]
        after = [e for at, e in found if mention.end <= at < q_start + len(drafted.quote)]
        earlier = [e for at, e in found if at < mention.start]
        choices = before[:1] or after[:1] or earlier[-1:]
        entity = choices[0] if choices else None
        if metric is None or entity is None:
            continue  # left for the omissions below, with a note to write a fact instead
        q_end = q_start + len(drafted.quote)
        in_quote = [
            j
            for j, m in enumerate(mentions)
            if m.kind is MentionKind.YEAR and q_start <= m.start and m.end <= q_end
        ]
        year = min(in_quote, key=lambda j: abs(mentions[j].start - mention.start), default=None)
        period = "" if year is None else str(int(mentions[year].value))
        if year is not None:
            covered.add(year)
        note = "; ".join(n for n in (drafted.note, _vague_note(mention), _REVIEW) if n)
        fact_id = f"{source_id}-{len(out.facts) + 1:02d}"
        out.facts.append({
            "fact_id": fact_id,
            "claim_id": fact_id,  # its own claim until a person groups restatements
            "entity_id": entity,
            "metric_id": metric.metric_id,
            "value": format(drafted.value, "f"),
            "unit": _fact_unit(drafted.unit, metric),
            "qualifier": drafted.qualifier,
            "value_high": "" if drafted.value_high is None else format(drafted.value_high, "f"),
            "status": _status(drafted.quote),
            "period_start": f"{period}-01-01" if period else "",
            "period_end": f"{period}-12-31" if period else "",
            "as_of": row.get("published", ""),
            "source_id": source_id,
            "locator": drafted.locator,
            "quote": drafted.quote,
            "note": note,
        })  # fmt: skip
        covered.add(i)
    first, last = _edges(text)
    for i, mention in enumerate(mentions):
        if i in covered:
            continue
        reason, note = _omission(mention, first, last)
        out.omissions.append({
            "omission_id": f"{source_id}-o{len(out.omissions) + 1:02d}",
            "source_id": source_id,
            "offset": str(mention.start),
            "span": mention.span,
            "reason": reason,
            "note": note,
        })  # fmt: skip
    return out


def _vague_note(mention: Mention) -> str:
    if mention.kind is not MentionKind.VAGUE:
        return ""
    bound = format(mention.value, "f")
    return f"vague amount: {mention.span!r} read by the vague-amount rule as at least {bound}"


def _edges(text: str) -> tuple[int, int]:
    """Where the first non-blank line ends and the last three begin: a date there dates the
    document, not an event."""
    starts = [m.start() for m in re.finditer(r"(?m)^\s*\S", text)]
    first_end = text.find("\n", starts[0]) if starts else 0
    tail = starts[-3] if len(starts) >= 3 else 0
    return (first_end if first_end >= 0 else len(text)), tail


def _omission(mention: Mention, first: int, last: int) -> tuple[str, str]:
    kind = mention.kind
    if kind in (MentionKind.DATE, MentionKind.YEAR):
        if mention.end <= first or mention.start >= last:
            return "publication-date", "draft: a date at the document's head or foot"
        return "event-date", "draft: a date that dates no drafted fact"
    reason = _OMIT_REASONS.get(kind, "no-quantity")
    if kind in (MentionKind.FOOTNOTE, MentionKind.LIST_LABEL, MentionKind.OTHER):
        return reason, ""
    return reason, (
        "draft: no entity or metric of the package fits this quantity; write a fact (and its "
        "metric) for it, or keep the omission and say why"
    )
