"""Candidate facts: what a document already tells of a quantity no fact states yet.

For a missed mention, :func:`candidate` cuts the quote from the sentence around it
(bounded, and never starting with a character a spreadsheet would run), finds its
locator (the footnote marks after it, or its paragraph), its qualifier from the
hedging words before it and its unit from the mention. The audit offers these for
missed quantities; ``aifacts draft`` writes them for a person to review.

Example:
    >>> from aifacts.text.spotter import spot
    >>> text = "Spending reached nearly 600 million yuan in 2025."
    >>> [found] = [m for m in spot(text) if m.span.startswith("600")]
    >>> c = candidate(Layout(text), found, "src")
    >>> (str(c.value), c.unit, c.qualifier, c.locator)
    ('600', 'million CNY', 'approximately', 'para 1')
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate, pairwise
from typing import Any

from aifacts.contract.row_rules import FORMULA_START
from aifacts.text.kinds import WORD_KINDS
from aifacts.text.spotter import Mention, MentionKind

__all__ = ["Candidate", "Layout", "candidate"]


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
    #: Why the quote is not the whole sentence, when characters were left off its start.
    note: str = ""

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
            "note": self.note,
        }


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(\[-])|[。！？；;\n]|\s+-\s+")
_FOOTNOTES = re.compile(r"\s*((?:\[[0-9]{1,3}\])+)")
_TRAILING_MARKS = re.compile(r"\s*(?:\[[0-9]{1,3}\])+\Z")
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


#: How far a candidate's quote reaches either side of its mention when no sentence end is
#: nearer: a document without sentence ends gives quotes of bounded length, not itself.
_QUOTE_REACH = 400


class Layout:
    """Where a document's sentences and paragraphs break, found in one pass over it."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = [m.span() for m in _SENTENCE_END.finditer(text)]
        self.break_starts = [s for s, _ in breaks]
        self.break_ends = [e for _, e in breaks]
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.filled_before = list(accumulate(
            (bool(text[a:b].strip()) for a, b in pairwise(self.line_starts)), initial=0
        ))  # fmt: skip

    def sentence(self, mention: Mention) -> tuple[int, int, str]:
        """The sentence around ``mention``, trimmed, at most ``_QUOTE_REACH`` either side,
        and the characters a cell may not begin with (``=+-@``) left off its start."""
        text = self.text
        i = bisect_right(self.break_ends, mention.start) - 1
        start = self.break_ends[i] if i >= 0 else 0
        j = bisect_left(self.break_starts, mention.end)
        end = self.break_starts[j] if j < len(self.break_starts) else len(text)
        if start < mention.start - _QUOTE_REACH:  # cut at a space, not inside a word
            start = mention.start - _QUOTE_REACH
            space = text.find(" ", start, mention.start)
            start = space + 1 if space >= 0 else start
        if end > mention.end + _QUOTE_REACH:
            end = mention.end + _QUOTE_REACH
            space = text.rfind(" ", mention.end, end)
            end = space if space > mention.end else end
        skipped = start
        while start < end and (text[start].isspace() or text[start] in FORMULA_START):
            start += 1
        while end > start and text[end - 1] in " \t.,;:":
            end -= 1
        return start, end, "".join(text[skipped:start].split())

    def paragraph(self, offset: int) -> int:
        """The paragraph number of ``offset``: non-blank lines counted from 1."""
        return self.filled_before[bisect_right(self.line_starts, offset) - 1] + 1


#: The unit a candidate records for a number stated in words without a measure.
_WORD_UNITS = dict.fromkeys(
    (MentionKind.RANK, MentionKind.MULTIPLE, MentionKind.FRACTION, MentionKind.COMPARATIVE),
    "dimensionless",
)
_BELOW = re.compile(r"(?i)(?:less|fewer|lower|smaller)\b")


def _qualifier(text: str, mention: Mention) -> str:
    """The qualifier the words around ``mention`` give it (the vague-amount rule for vague
    amounts, the direction of a comparative)."""
    if mention.value_high is not None:
        return "range"
    if mention.kind is MentionKind.VAGUE:
        return "at_least"
    if mention.kind is MentionKind.COMPARATIVE:
        return "at_most" if _BELOW.match(mention.span) else "at_least"
    if mention.kind is MentionKind.SCALE:
        return "approximately"
    before = text[max(0, mention.start - 30) : mention.start]
    for pattern, hedge in _HEDGES:
        if pattern.search(before):
            return hedge
    return "exact"


def candidate(layout: Layout, mention: Mention, source_id: str | None) -> Candidate | None:
    """The fact to write for a missed quantity ``mention`` of the document ``layout``
    holds: its value, unit and qualifier as the words give them, its quote the sentence
    around it, its locator the footnote marks after it or its paragraph; ``None`` for a
    mention that states no quantity (a year, a label)."""
    if mention.kind is not MentionKind.QUANTITY and mention.kind not in WORD_KINDS:
        return None
    text = layout.text
    start, end, left_off = layout.sentence(mention)
    trailing = _TRAILING_MARKS.search(text, mention.end, end)
    if trailing and trailing.end() == end:  # "... in 2026 [4].": the marks locate the quote
        end = trailing.start()
    marks = _FOOTNOTES.match(text, end)
    locator = marks.group(1) if marks else f"para {layout.paragraph(mention.start)}"
    qualifier = _qualifier(text, mention)
    scale_word = _SCALE_WORDS.get(mention.scale)
    divisor = mention.scale if scale_word else Decimal(1)
    measure = _WORD_UNITS.get(mention.kind) or mention.unit
    if measure == "ratio":
        measure = "dimensionless"
    unit = " ".join(w for w in (scale_word, measure) if w)
    high = None if mention.value_high is None else mention.value_high / divisor
    note = ""
    if left_off:
        note = (
            f"the sentence starts with {left_off!r}, which a cell may not begin with "
            "(a spreadsheet would run it); the quote starts after it"
        )
    return Candidate(
        source_id, mention.value / divisor, high, unit, qualifier, text[start:end], locator, note
    )
