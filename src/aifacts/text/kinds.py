"""What a spotted mention is: :class:`MentionKind` and :class:`Mention`, shared by the
digit grammar (:mod:`aifacts.text.spotter`) and the word grammar (:mod:`aifacts.text.words`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["WORD_KINDS", "Mention", "MentionKind"]


class MentionKind(StrEnum):
    """What a numeric mention is."""

    QUANTITY = "quantity"
    YEAR = "year"
    DATE = "date"
    FOOTNOTE = "footnote"
    LIST_LABEL = "list_label"
    OTHER = "other"
    #: "several million", "multiple", "dozens of", "多年": a bound read by the vague-amount rule.
    VAGUE = "vague"
    #: A scale word with no number: "a trillion-dollar race", "万亿美元".
    SCALE = "scale"
    #: "one-tenth", "three-quarters", "half of", "1/10th", "三分之一".
    FRACTION = "fraction"
    #: "double", "twice", "12 times", "翻一番", "三倍".
    MULTIPLE = "multiple"
    #: An ordinal rank or a leadership claim: "ranking second", "largest", "leads in", "top three".
    RANK = "rank"
    #: A comparative that bounds a number: "more than double", "less than what any of".
    COMPARATIVE = "comparative"
    #: A span of time in words: "the next decade", "three-year", "两年".
    SPAN = "span"


#: The kinds the word grammar adds; each states a number (or a bound) a fact can record.
WORD_KINDS = frozenset({
    MentionKind.VAGUE, MentionKind.SCALE, MentionKind.FRACTION, MentionKind.MULTIPLE,
    MentionKind.RANK, MentionKind.COMPARATIVE, MentionKind.SPAN,
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """One numeric mention; ``text[start:end] == span`` and ``value / scale`` is as written.

    Example: "US$139 million" -> value=139000000, unit="USD", scale=1000000.
    Dates are encoded as YYYYMMDD / MMDD ("July 23" -> 723), times as HHMM ("18:38" -> 1838).
    A vague amount's ``value`` is the lower bound its rule gives ("several million" ->
    2000000), and ``value_high`` the upper bound when there is one ("十几" -> 11 to 19).
    """

    start: int
    end: int
    span: str
    value: Decimal
    value_high: Decimal | None
    unit: str | None
    kind: MentionKind
    scale: Decimal
