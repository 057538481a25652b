"""Quantities written in words: vague amounts, scale words, multiples, fractions, ranks,
comparatives and spans of time, in English and Chinese.

:func:`word_pieces` finds them; :func:`aifacts.text.spotter.spot` merges them with the
numbers written in digits. Each has its own :class:`~aifacts.text.kinds.MentionKind`.

**The vague-amount rule** (the one reading applied everywhere): a vague amount is the
bound every reading of its words guarantees, never a guess at the middle:

- "several", "multiple", "a few", "a handful", "数", "几", "多" (``N`` of something) mean
  *more than one*: at least 2 (times the scale word that follows: "several million" is at
  least 2 000 000, "数百万" too, "多年" at least 2 years);
- "dozens" is at least 24, "tens" at least 20, "hundreds" at least 200, "thousands" at least
  2 000, "millions" at least 2 000 000 ... ("hundreds of millions": at least 200 000 000);
- "十几" is 11 to 19, "几十" at least 20;
- a scale word with no number ("a trillion-dollar race", "万亿美元") is one of that scale,
  an order of magnitude.

The mention's ``value`` is the lower bound and ``value_high`` the upper bound when the rule
gives one, so a fact recording it has qualifier ``at_least`` (or ``range``) and a note
saying the amount is vague.

Example:
    >>> [(p.text, p.value, p.kind.value) for p in word_pieces("demand exceeding several million units")]
    [('several million', Decimal('2000000'), 'vague')]
"""  # noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from aifacts.text.kinds import MentionKind

__all__ = ["RANK_WORDS", "WORD_VALUES", "WordPiece", "word_pieces"]

SMALL_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
#: English number words and their values: "three" -> 3, "twenty" -> 20.
WORD_VALUES = {w: i for i, w in enumerate(SMALL_WORDS)} | {
    w: 20 + 10 * i for i, w in enumerate(TENS_WORDS)
}
#: Ordinal words and the rank they state: "second" -> 2.
RANK_WORDS = {w: i + 1 for i, w in enumerate(
    ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
     "tenth"))}  # fmt: skip

_SCALE_VALUES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
                 "trillion": 10**12}  # fmt: skip
_CN_SCALE_VALUES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}  # fmt: skip
#: The lower bound of each vague word, before its scale: the vague-amount rule.
VAGUE_FLOORS = {"several": 2, "multiple": 2, "a few": 2, "a handful of": 2, "a handful": 2,
                "a couple of": 2, "dozens": 24, "tens": 20, "hundreds": 200, "thousands": 2000,
                "millions": 2 * 10**6, "billions": 2 * 10**9, "trillions": 2 * 10**12,
                "数": 2, "几": 2, "多": 2}  # fmt: skip
_TIME_UNITS = {"year": "year", "years": "year", "month": "month", "months": "month",
               "week": "week", "weeks": "week", "年": "year", "个月": "month"}  # fmt: skip
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "yuan": "CNY", "euro": "EUR",
                   "euros": "EUR", "美元": "USD", "元": "CNY", "人民币": "CNY", "港元": "HKD",
                   "欧元": "EUR"}  # fmt: skip

_NUMW = "|".join(sorted(WORD_VALUES, key=len, reverse=True))
_ORD = "|".join(RANK_WORDS)
_SCALE = "hundred|thousand|million|billion|trillion"
_CN_N = "一二两三四五六七八九十"
_CN_CLASS = "年个家种项座所位名款"
_B = r"(?<![A-Za-z0-9'\u2019-])"  # a word starts here
_E = r"(?![A-Za-z0-9])"  # a word ends here
_FORMS = (
    # comparatives first: "more than double" is one mention, not a multiple
    rf"(?P<CMP>{_B}(?P<cdir>more|less|fewer|greater|higher|lower|smaller|larger|bigger)\s+than"
    rf"\s+(?:(?P<cmul>double|twice|triple|half)|what\s+any(?:\s+of)?|what|that\s+of|those\s+of"
    rf"|any(?:\s+of)?|all(?:\s+of)?|the\s+combined|the\s+total){_E})",
    rf"(?P<VAGUE>{_B}(?P<vw>several|multiple|a\s+few|a\s+handful(?:\s+of)?|a\s+couple\s+of"
    rf"|(?:dozens|tens|hundreds|thousands|millions|billions|trillions)(?=\s+of{_E}))"
    rf"(?:\s+(?P<vs>{_SCALE}))?(?:\s+of\s+(?P<vs2>thousands|millions|billions))?{_E})",
    rf"(?P<CNVAGUE>(?<![0-9{_CN_N}百千万亿])(?P<cvw>[数几])(?P<cvs>百万|千万|十亿|百亿|千亿|万亿"
    rf"|十|百|千|万|亿)(?P<cvc>美元|元|人民币|港元)?|(?<![0-9{_CN_N}百千万亿更很许最较大诸居众])(?P<cvm>[数几多])(?=[{_CN_CLASS}]|个月)"
    rf"(?P<cvu>年|个月)?|(?<![0-9{_CN_N}百千万亿])十几(?P<cts>万|亿)?"
    rf"|(?<![0-9{_CN_N}百千万亿])几十(?P<cfs>万|亿)?)",
    rf"(?P<SCALEW>{_B}(?:an?\s+)?(?P<sw>thousand|million|billion|trillion)[-\s]"
    rf"(?P<scu>dollars?|yuan|euros?){_E}"
    rf"|(?<![0-9{_CN_N}百千万亿数几多.])(?P<csw>十亿|百亿|千亿|万亿|亿|万)(?P<cscu>美元|元|人民币|港元))",
    rf"(?P<ANUM>{_B}(?:a|one)\s+dozen{_E}|{_B}half\s+a\s+(?P<hs>dozen|{_SCALE}){_E}"
    rf"|{_B}a\s+(?P<as>{_SCALE}){_E})",
    rf"(?P<TIMES>{_B}(?P<tn>[0-9]+(?:\.[0-9]+)?|{_NUMW})\s+times{_E}|{_B}(?P<tw>twice|thrice){_E}"
    rf"|(?P<cfan>翻(?:一|两)?番)|(?P<cbei>[0-9]+(?:\.[0-9]+)?|[{_CN_N}]+)倍)",
    rf"(?P<CNFRAC>(?P<cden>[{_CN_N}]+)分之(?P<cnum>[{_CN_N}]+)|一半)",
    rf"(?P<AFRAC>{_B}(?:a|one)\s+(?P<afd>third|quarter|fifth|tenth)(?=\s+of{_E}))",
    rf"(?P<TOP>{_B}[Tt]op\s+(?P<topn>[0-9]{{1,3}}|{_NUMW}){_E})",
    rf"(?P<ORDRANK>{_B}(?P<ow>{_ORD})[-\s](?:largest|biggest|highest|lowest|smallest|tier|place"
    rf"|position){_E})",
    rf"(?P<SUPER>(?<=the\s)(?:largest|biggest){_E}|(?<=[’']s\s)(?:largest|biggest|leading){_E})",
    rf"(?P<LEAD>{_B}(?:leads?|leading|led|dominates?|dominating)\s+in{_E}|{_B}leads?\s+the\s+"
    rf"world{_E}|{_B}lead\s+the\s+world{_E}|{_B}leadership{_E}|领先|(?P<cord>第(?P<cordn>[{_CN_N}]+)"
    rf"(?![方次批期届个天年月章节条款部]|[{_CN_N}])))",
    rf"(?P<NEXT>{_B}(?:the\s+)?(?:next|past|last|coming|previous)\s+(?:(?P<nn>[0-9]{{1,3}}|{_NUMW})"
    rf"\s+)?(?P<nu>decades?|century|years|months){_E}|{_B}(?:a|one)\s+decade{_E}"
    rf"|{_B}half\s+a\s+(?P<hu>century|decade){_E})",
    rf"(?P<VSPAN>{_B}(?:for\s+)?(?P<vsu>years|decades)\s+to\s+come{_E}|{_B}for\s+(?P<vsf>years"
    rf"|decades){_E}(?!\s+to\s+come)|{_B}(?P<vsd>decades)(?=\s+of{_E}))",
)
_RE = re.compile("|".join(_FORMS), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WordPiece:
    """A quantity in words found in a text: ``text[start:end]`` is ``text``."""

    start: int
    end: int
    text: str
    value: Decimal
    high: Decimal | None
    unit: str | None
    kind: MentionKind
    scale: Decimal = Decimal(1)


def _word_value(word: str) -> Decimal:
    word = word.lower()
    return Decimal(WORD_VALUES[word]) if word in WORD_VALUES else Decimal(word)


def _cn_small(run: str) -> Decimal | None:
    """'三' -> 3, '十二' -> 12, '二十' -> 20; None beyond what a rank or multiple needs."""
    if run in _CN_DIGITS:
        return Decimal(_CN_DIGITS[run])
    if len(run) == 2 and run[0] == "十" and run[1] in _CN_DIGITS:
        return Decimal(10 + _CN_DIGITS[run[1]])
    if len(run) == 2 and run[1] == "十" and run[0] in _CN_DIGITS:
        return Decimal(10 * _CN_DIGITS[run[0]])
    if len(run) == 3 and run[1] == "十" and run[0] in _CN_DIGITS and run[2] in _CN_DIGITS:
        return Decimal(10 * _CN_DIGITS[run[0]] + _CN_DIGITS[run[2]])
    return None


def _cn_scale(chars: str | None) -> Decimal:
    scale = Decimal(1)
    for ch in chars or "":
        scale *= _CN_SCALE_VALUES[ch]
    return scale


def _piece(m: re.Match[str]) -> WordPiece | None:
    g = m.lastgroup
    one = Decimal(1)
    start, end = m.span()
    span = m.group()
    kind: MentionKind
    unit: str | None = None
    high: Decimal | None = None
    scale = one
    if g == "CMP":
        factor = {"double": "2", "twice": "2", "triple": "3", "half": "0.5"}
        value = Decimal(factor[m["cmul"].lower()]) if m["cmul"] else one
        kind, unit = MentionKind.COMPARATIVE, "dimensionless" if m["cmul"] else "ratio"
    elif g == "VAGUE":
        word = re.sub(r"\s+", " ", m["vw"].lower())
        scale = Decimal(_SCALE_VALUES[m["vs"].lower()]) if m["vs"] else one
        if m["vs2"]:
            scale *= Decimal(_SCALE_VALUES[m["vs2"].lower().removesuffix("s")])
        value, kind = Decimal(VAGUE_FLOORS[word]) * scale, MentionKind.VAGUE
    elif g == "CNVAGUE":
        kind = MentionKind.VAGUE
        if span.startswith("十几"):
            scale = _cn_scale(m["cts"])
            value, high = 11 * scale, 19 * scale
        elif span.startswith("几十"):
            scale = _cn_scale(m["cfs"])
            value = 20 * scale
        else:
            scale = _cn_scale(m["cvs"])
            value = VAGUE_FLOORS[m["cvw"] or m["cvm"]] * scale
            unit = _TIME_UNITS.get(m["cvu"] or "") or _CURRENCY_WORDS.get(m["cvc"] or "")
    elif g == "SCALEW":
        if m["sw"]:
            scale, unit = Decimal(_SCALE_VALUES[m["sw"].lower()]), m["scu"].lower()
        else:
            scale, unit = _cn_scale(m["csw"]), m["cscu"]
        value, kind = scale, MentionKind.SCALE
        unit = _CURRENCY_WORDS.get(unit, unit)
    elif g == "ANUM":
        low = span.lower()
        if "dozen" in low:
            value = Decimal(6 if low.startswith("half") else 12)
        else:
            scale = Decimal(_SCALE_VALUES[(m["hs"] or m["as"]).lower()])
            value = scale / 2 if low.startswith("half") else scale
        kind = MentionKind.QUANTITY
    elif g == "TIMES":
        kind, unit = MentionKind.MULTIPLE, "dimensionless"
        if m["tn"]:
            value = _word_value(m["tn"])
        elif m["tw"]:
            value = Decimal(2 if m["tw"].lower() == "twice" else 3)
        elif m["cfan"]:
            value = Decimal(4 if "两" in m["cfan"] else 2)  # 翻两番: doubled twice
        else:
            raw = m["cbei"]
            read = Decimal(raw) if raw[0].isdigit() else _cn_small(raw)
            if read is None:
                return None
            value = read
    elif g == "CNFRAC":
        kind = MentionKind.FRACTION
        if span == "一半":
            value = Decimal("0.5")
        else:
            den, num = _cn_small(m["cden"]), _cn_small(m["cnum"])
            if den is None or num is None or den == 0:
                return None
            value = num / den
    elif g == "AFRAC":
        parts = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}[m["afd"].lower()]
        value, kind = Decimal(1) / Decimal(parts), MentionKind.FRACTION
    elif g == "TOP":
        value, kind, unit = _word_value(m["topn"]), MentionKind.RANK, "rank"
    elif g == "ORDRANK":
        value, kind, unit = Decimal(RANK_WORDS[m["ow"].lower()]), MentionKind.RANK, "rank"
    elif g in ("SUPER", "LEAD"):
        kind, unit = MentionKind.RANK, "rank"
        if m["cord"]:
            read = _cn_small(m["cordn"])
            if read is None:
                return None
            value = read
        else:
            value = one
    elif g == "NEXT":
        kind = MentionKind.SPAN
        if m["hu"]:
            value, unit = Decimal(50 if m["hu"].lower() == "century" else 5), "year"
        elif m["nu"] is None:
            value, unit = Decimal(10), "year"  # a decade
        else:
            noun = m["nu"].lower()
            if noun.startswith("decade"):
                value = Decimal(10) * (_word_value(m["nn"]) if m["nn"] else one)
                unit = "year"
            elif noun == "century":
                value, unit = Decimal(100), "year"
            elif m["nn"] is None:
                return None  # "the past years": no span stated
            else:
                value, unit = _word_value(m["nn"]), _TIME_UNITS[noun]
    else:  # VSPAN: years or decades with no number: the vague-amount rule
        noun = (m["vsu"] or m["vsf"] or m["vsd"]).lower()
        value = Decimal(2) if noun == "years" else Decimal(20)
        kind, unit = MentionKind.VAGUE, "year"
    return WordPiece(start, end, span, value, high, unit, kind, scale)


def word_pieces(text: str) -> list[WordPiece]:
    """Every quantity written in words in ``text``, in order, non-overlapping.

    >>> [(p.text, p.kind.value) for p in word_pieces("the top three US hyperscalers")]
    [('top three', 'rank')]
    """
    pieces = []
    for m in _RE.finditer(text):
        piece = _piece(m)
        if piece is not None:
            pieces.append(piece)
    return pieces
