"""Spot numeric mentions in English and Chinese text.

``spot`` finds every number a text states and says what it denotes; the audit uses it to
list the numbers a source states, the validator (via ``numbers_in``) to check that a
fact's value is among the numbers its quote states::

    >>> [(m.span, m.value, m.unit) for m in spot("invest up to $100 billion in 2025")]
    [('$100 billion', Decimal('100000000000'), 'USD'), ('2025', Decimal('2025'), None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from itertools import pairwise

from aifacts.text.chinese import ARABIC, CN_DIGIT, CN_MAG, cn2an_value, cn_number, cn_qualifies
from aifacts.text.kinds import WORD_KINDS, Mention, MentionKind
from aifacts.text.words import RANK_WORDS, SMALL_WORDS, TENS_WORDS, WORD_VALUES, word_pieces

__all__ = ["Mention", "MentionKind", "numbers_in", "spot"]


_ONE = Decimal(1)
_CTX = Context(prec=60)  # wide enough that scaled values stay exact
_DIV = Context(prec=28)  # fractions: Decimal(1) / Decimal(3) at the default precision

# --- vocabulary -----------------------------------------------------------------------------
_SMALL_WORDS, _TENS_WORDS, _WORD_VALUES, _RANK_WORDS = (
    SMALL_WORDS,
    TENS_WORDS,
    WORD_VALUES,
    RANK_WORDS,
)
_ORDINALS = ("third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_DENOMINATORS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4} | {
    w + s: i + 3 for i, w in enumerate(_ORDINALS) for s in ("", "s")
}
_SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12, "t": 10**12,
}  # fmt: skip
_PREFIX_CURRENCY = {
    "US$": "USD", "$": "USD", "USD": "USD", "HK$": "HKD", "HKD": "HKD", "€": "EUR", "EUR": "EUR",
    "£": "GBP", "¥": "CNY", "\uffe5": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY",
}  # fmt: skip
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTHS = {name: i + 1 for i, full in enumerate(_MONTH_NAMES) for name in (full, full[:3])}
_MONTHS["Sept"] = 9
_FUNCTION_WORDS = frozenset((
    "A", "About", "Above", "After", "All", "Almost", "Among", "An", "And", "Another",
    "Approximately", "Are", "Around", "At", "Be", "Before", "Below", "Between", "But", "By",
    "Each", "Every", "Exceeding", "Fewer", "First", "For", "From", "Had", "Has", "Have", "He",
    "I", "In", "Into", "Is", "It", "Its", "Just", "Last", "Least", "Less", "Like", "More", "Most",
    "Nearly", "Next", "Of", "On", "Only", "Or", "Our", "Over", "Per", "Plus", "Reached",
    "Roughly", "She", "Since", "Some", "Than", "The", "Their", "These", "They", "Those", "To",
    "Top", "Total", "Under", "Until", "Up", "Was", "We", "Were", "Will", "With", "Within", "You",
))  # fmt: skip
_NOUN_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "in", "into", "is", "its", "of", "on", "or", "per", "than", "that", "the", "their",
    "these", "this", "those", "to", "was", "were", "which", "while", "who", "will", "with",
))  # fmt: skip

# --- the core grammar: one alternative per form, tried in order at each position -------------
_UNIT_W = "one|two|three|four|five|six|seven|eight|nine"
_CN = CN_DIGIT + CN_MAG
_TENS_W = "|".join(_TENS_WORDS)
_TEENS_W = "|".join(_SMALL_WORDS[10:])
_SMALL = rf"(?:(?:{_TENS_W})(?:[- ](?:{_UNIT_W}))?|{_TEENS_W}|zero|{_UNIT_W})"
_DENOM = "|".join(sorted(_DENOMINATORS, key=len, reverse=True))
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_YR = r"(?:19|20)[0-9]{2}"
_CORE_FORMS = (
    r"(?P<FOOT>\[(?P<fn>[0-9]{1,3})\])",
    rf"(?P<ISO>(?<![0-9])(?P<iy>{_YR})(?P<sep>[-/.])(?P<im>{_MON})(?P=sep)(?P<id>{_DAY})(?![0-9]))",
    rf"(?P<USD8>(?<![0-9])(?P<um>{_MON})/(?P<ud>{_DAY})/(?P<uy>{_YR})(?![0-9]))",
    rf"(?P<CNDATE>(?<![0-9])(?:(?P<cy>[0-9]{{4}}|[{CN_DIGIT}]{{4}})年)?"
    rf"(?P<cm>{_MON}|[一二三四五六七八九十]{{1,2}})月(?:(?P<cd>{_DAY}|[一二三四五六七八九十]{{1,3}})[日号])?)",
    r"(?P<TIME>(?<![0-9:])(?P<th>2[0-3]|[01]?[0-9]):(?P<tm>[0-5][0-9])(?::[0-5][0-9])?(?![0-9:])"
    r"(?:\s?(?P<ampm>[AaPp])\.?[Mm]\.?(?![A-Za-z]))?)",
    rf"(?P<MDATE>(?<![A-Za-z])(?P<mn>{_MONTH})\.?\s+(?P<md>{_DAY})(?:st|nd|rd|th)?(?![0-9A-Za-z:])"
    rf"(?:,?\s+(?P<my>{_YR})(?![0-9]))?)",
    rf"(?P<DMDATE>(?<![0-9])(?P<dd>{_DAY})(?:st|nd|rd|th)?\s+(?P<dm>{_MONTH})(?![A-Za-z])"
    rf"(?:,?\s+(?P<dy>{_YR})(?![0-9]))?)",
    r"(?P<LABEL>(?<![A-Za-z])(?:[Gg]roup|[Pp]art|[Ss]ection|[Ss]tep|[Cc]hapter|[Pp]hase|[Tt]ier"
    r"|No\.)\s*(?P<ln>[0-9]{1,3})(?![0-9A-Za-z%]|[.,][0-9]))",
    rf"(?P<CNPCT>百分之(?P<pct>[0-9]+(?:\.[0-9]+)?|[{_CN}]+(?:点[{CN_DIGIT}]+)?))",
    rf"(?P<CN>{ARABIC}[{CN_MAG}]+|[{_CN}]+(?:点[{CN_DIGIT}]+[万亿]*)?)",
    r"(?P<FRAC>(?<![0-9/])(?P<fnum>[0-9]+)/(?P<fden>[0-9]+)(?:st|nd|rd|th)?s?(?![0-9/A-Za-z]))",
    rf"(?P<NUM>{ARABIC})",
    rf"(?P<SPFRAC>(?<![A-Za-z])(?ai:(?P<sfn>{_SMALL})(?:-|\s+(?=(?:{_DENOM})\s+of(?![A-Za-z])))"
    rf"(?P<sfd>{_DENOM}))(?![A-Za-z]))",
    rf"(?P<SPELL>(?<![A-Za-z])(?ai:{_SMALL}(?:\s+hundred(?:\s+(?:and\s+)?{_SMALL})?)?)(?![A-Za-z]))",
    r"(?P<HALF>(?<![A-Za-z])[Hh]alf(?=\s+of(?![A-Za-z])))",
)
# Multipliers and ranks: numbers stated as words that are not numerals. Lower case only,
# so that names ("Double Eleven") stay out.
_MULTIPLIERS = {"double": 2, "twofold": 2, "two-fold": 2, "triple": 3, "threefold": 3,
                "three-fold": 3, "quadruple": 4, "fourfold": 4, "four-fold": 4}  # fmt: skip
_EXTRA_FORMS = (
    r"(?P<MULT>(?<![A-Za-z-])(?P<mw>double|triple|quadruple)(?:s|d|ing)?(?![A-Za-z-])"
    r"|(?<![A-Za-z-])(?P<mf>(?:two|three|four)-?fold)(?![A-Za-z]))",
    rf"(?P<RANK>(?<![A-Za-z])(?:rank(?:s|ed|ing)?|plac(?:e|es|ed|ing))\s+"
    rf"(?P<rk>{'|'.join(_RANK_WORDS)}|[0-9]{{1,3}}(?:st|nd|rd|th))(?![A-Za-z0-9]))",
)
_CORE_RE = re.compile("|".join(_EXTRA_FORMS + _CORE_FORMS))

# --- context around a core ------------------------------------------------------------------
_PREFIX_RE = re.compile(
    r"(?:U\.?S\.?\s?\$|HK\$|\$|¥|￥|€|£|(?<![A-Za-z])(?:RMB|CNY|USD|EUR|HKD)|人民币)\s?\Z"
)
_SCALE_RE = re.compile(r"\s*(?ai:(thousand|million|billion|trillion|bn|mn|tn))(?![A-Za-z])")
_LETTER_SCALE_RE = re.compile(r"(bn|tn|[kKmMbBtT])(?![A-Za-z])")  # only after a currency mark
_PERCENT_RE = re.compile(r"\s?[%\uff05]|\s*(?ai:per\s?cent)(?![A-Za-z])")
_SUFFIXES: tuple[tuple[re.Pattern[str], dict[str, str] | None], ...] = (
    (
        re.compile(r"\s*(?ai:(us\s+dollars?|dollars?|yuan|renminbi|rmb|cny|usd|euros?|eur))"
                   r"(?![A-Za-z])"),
        {"us dollar": "USD", "dollar": "USD", "usd": "USD", "yuan": "CNY", "renminbi": "CNY",
         "rmb": "CNY", "cny": "CNY", "euro": "EUR", "eur": "EUR"},
    ),
    (
        re.compile(r"\s?(美元|港元|港币|欧元|日元|人民币|元)"),
        {"美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "人民币": "CNY",
         "元": "CNY"},
    ),
    (
        re.compile(r"\s?(EFLOPS|PFLOPS|TFLOPS|GFLOPS|FLOPS|TOPS|GWh|TWh|MWh|kWh|GW|MW|kW|TW|GHz"
                   r"|GB|TB|PB|nm)(?![A-Za-z])"),
        None,
    ),
    (
        re.compile(r"[\s-]?(?ai:(exaflops|petaflops|teraflops|gigawatts?|megawatts?|kilowatts?"
                   r"|terawatts?|nanometers?|nanometres?))(?![A-Za-z])"),
        {"exaflops": "EFLOPS", "petaflops": "PFLOPS", "teraflops": "TFLOPS", "gigawatt": "GW",
         "megawatt": "MW", "kilowatt": "kW", "terawatt": "TW", "nanometer": "nm",
         "nanometre": "nm"},
    ),
    (
        re.compile(r"[\s-]?(?ai:(years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?))"
                   r"(?![A-Za-z])"),
        {"year": "year", "yr": "year", "month": "month", "week": "week", "day": "day",
         "hour": "hour", "hr": "hour", "minute": "minute"},
    ),
    (
        re.compile(r"(个月|年|周|天|小时|分钟)"),
        {"个月": "month", "年": "year", "周": "week", "天": "day", "小时": "hour",
         "分钟": "minute"},
    ),
)  # fmt: skip
_HYPHEN_NOUN_RE = re.compile(r"-([a-z]{2,})(?![A-Za-z-])")
_ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")
_CAP_BEFORE_RE = re.compile(r"(?<![A-Za-z'\u2019])([A-Z][A-Za-z]*)[ \t]+\Z")
_NEXT_WORDS_RE = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z'-]*){1,3}")
_CONNECTOR_RE = re.compile(r"\s*(?:to|-|\u2013|\u2014|~|\uff5e|至|到)\s*")
_BETWEEN_RE = re.compile(r"(?<![A-Za-z])[Bb]etween\s+\Z")
_FROM_RE = re.compile(r"(?<![A-Za-z])(?:(?P<range>(?:rang|var)[a-z]*)\s+)?from\s+\Z")


@dataclass(slots=True)
class _Piece:
    """A mention under construction."""

    start: int
    end: int
    value: Decimal
    kind: MentionKind
    unit: str | None = None
    scale: Decimal = _ONE
    high: Decimal | None = None
    plain: bool = False  # a bare Arabic integer: no mark, scale, unit, decimals or separators
    counted: bool = False  # unit is a counted noun, not a measure
    word: str = ""  # the spelled-out word, lower-cased ("one")


def _clean(d: Decimal) -> Decimal:
    """Canonical form: Decimal('6513000000.000') -> Decimal('6513000000')."""
    try:
        if d == d.to_integral_value():
            return d.quantize(_ONE, context=_CTX)
        return d.normalize(_CTX)
    except InvalidOperation:
        return d


def _num(digits: str) -> Decimal:
    """'1,000.5' -> Decimal('1000.5')."""
    return Decimal(digits.replace(",", ""))


def _date_piece(m: re.Match[str]) -> _Piece | None:
    """A DATE mention; value YYYYMMDD, YYYYMM, MMDD or HHMM."""
    g = m.lastgroup
    if g == "TIME":
        hour = int(m["th"])
        ampm = (m["ampm"] or "").lower()
        if ampm and hour <= 12:
            hour = hour % 12 + (12 if ampm == "p" else 0)
        return _Piece(m.start(), m.end(), Decimal(hour * 100 + int(m["tm"])), MentionKind.DATE)
    parts: tuple[str | None, str | None, str | None]
    if g == "ISO":
        parts = (m["iy"], m["im"], m["id"])
    elif g == "USD8":
        parts = (m["uy"], m["um"], m["ud"])
    elif g == "CNDATE":
        parts = (m["cy"], m["cm"], m["cd"])
    elif g == "MDATE":
        parts = (m["my"], str(_MONTHS[m["mn"]]), m["md"])
    else:
        parts = (m["dy"], str(_MONTHS[m["dm"]]), m["dd"])
    nums = [None if p is None else cn2an_value(p) for p in parts]
    year, month, day = (None if n is None else int(n) for n in nums)
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    value = month if day is None else month * 100 + day
    if year is not None:
        value += year * (100 if day is None else 10000)
    return _Piece(m.start(), m.end(), Decimal(value), MentionKind.DATE)


def _unit_after(text: str, end: int) -> tuple[str | None, int, bool]:
    """(unit, new end, counted) for the unit word or mark following a number, if any."""
    if pm := _PERCENT_RE.match(text, end):
        return "percent", pm.end(), False
    for pattern, names in _SUFFIXES:
        if sm := pattern.match(text, end):
            key = sm.group(1)
            if names is None:
                return key, sm.end(), False
            key = re.sub(r"\s+", " ", key.lower())
            unit = names.get(key) or names.get(key.removesuffix("s"))
            if unit:
                return unit, sm.end(), False
    if hm := _HYPHEN_NOUN_RE.match(text, end):
        return hm.group(1), hm.end(), True
    return None, end, False


def _number_piece(text: str, m: re.Match[str], floor: int) -> _Piece | None:
    """A number core plus its currency mark, scale word and unit; None when not a number."""
    g = m.lastgroup
    start, end = m.span()
    core = m.group()
    value: Decimal
    scale, unit, word = _ONE, None, ""
    if g == "NUM":
        value = _num(core)
    elif g == "CN":
        if not core[0].isdigit() and not cn_qualifies(text, start, end):
            return None
        read = cn_number(core)
        if read is None:
            return None
        value, scale = read
    elif g == "CNPCT":
        read = cn_number(m["pct"])
        if read is None:
            return None
        value, unit = read[0], "percent"
    elif g == "FRAC":
        num, den = int(m["fnum"]), int(m["fden"])
        if den == 0:
            return None
        value = _DIV.divide(Decimal(num), Decimal(den))
        kind = MentionKind.FRACTION if num < den else MentionKind.OTHER
        return _Piece(start, end, _clean(value), kind)
    elif g == "SPFRAC":
        num = sum(_WORD_VALUES.get(w, 0) for w in re.split(r"[- ]+", m["sfn"].lower()))
        value = _DIV.divide(Decimal(num), Decimal(_DENOMINATORS.get(m["sfd"].lower(), 1)))
        return _Piece(start, end, _clean(value), MentionKind.FRACTION)
    elif g == "HALF":
        return _Piece(start, end, Decimal("0.5"), MentionKind.FRACTION)
    else:  # SPELL
        word = core.lower()
        total = 0
        for w in re.split(r"[\s-]+", word):
            total = total * 100 if w == "hundred" else total + _WORD_VALUES.get(w, 0)
        value = Decimal(total)

    currency = None
    if g in ("NUM", "CN") and (pm := _PREFIX_RE.search(text, max(floor, start - 8), start)):
        currency = _PREFIX_CURRENCY.get(re.sub(r"[\s.]", "", pm.group()))
        start = pm.start()
    if g in ("NUM", "SPELL"):
        sm = _SCALE_RE.match(text, end) or (currency and _LETTER_SCALE_RE.match(text, end))
        if sm:
            scale, end = Decimal(_SCALES[sm.group(1).lower()]), sm.end()
    counted = False
    if unit is None:
        unit, after, counted = _unit_after(text, end)
        if currency is None or unit == currency:  # "人民币100元" repeats its currency
            end = after
        unit = currency or unit
    piece = _Piece(
        start,
        end,
        _clean(_CTX.multiply(value, scale) if g != "CN" else value),
        MentionKind.QUANTITY,
        unit,
        scale,
        counted=counted,
        word=word,
    )
    if unit == "year" and text[end - 1] == "年" and 1900 <= piece.value <= 2100:
        piece.kind, piece.unit = MentionKind.YEAR, None  # 2027年, 二〇二七年
    if g == "NUM" and unit is None and scale == 1 and currency is None:
        return _classify_bare(text, piece, core)
    if g == "SPELL" and unit is None and core[0].isupper() and _after_name(text, start):
        piece.kind = MentionKind.OTHER  # a name: "Double Eleven"
    return piece


def _after_name(text: str, start: int) -> bool:
    """Whether text[start] follows a capitalised name word: "Ascend 950", "Double Eleven"."""
    cap = _CAP_BEFORE_RE.search(text, max(0, start - 40), start)
    return cap is not None and cap.group(1) not in _FUNCTION_WORDS


def _classify_bare(text: str, p: _Piece, digits: str) -> _Piece | None:
    """Kind of a bare Arabic number: ordinal (skipped), code, year, model number or quantity."""
    before = text[p.start - 1] if p.start else " "
    after = text[p.end] if p.end < len(text) else " "
    p.plain = digits.isdigit()
    if _ORDINAL_RE.match(text, p.end):
        return None  # "2nd", "10th": ordinals are not spotted
    if len(digits) == 4 and digits.isdigit() and 1900 <= p.value <= 2100:
        p.kind = MentionKind.YEAR
        if after == "s" and not text[p.end + 1 : p.end + 2].isalpha():
            p.end += 1  # a decade: "1990s"
        return p
    glued = before.isascii() and (before.isalpha() or before in "_@#")
    glued = glued or (before == "-" and p.start > 1 and text[p.start - 2].isascii()
                      and text[p.start - 2].isalpha())  # fmt: skip
    glued = glued or (after.isascii() and (after.isalpha() or after in "_@"))
    if (
        glued  # codes and model names: "H100", "910C", "GPT-4", "new5.html", "123@qq.com"
        or (p.plain and len(digits) > 1 and digits[0] == "0")  # "010"
        or _after_name(text, p.start)  # "Ascend 950", "Fortune 500"
    ):
        p.kind = MentionKind.OTHER
    return p


def _counted_noun(text: str, end: int) -> str | None:
    """The plural noun a number counts, within three words: '8 million American households'."""
    m = _NEXT_WORDS_RE.match(text, end)
    for w in m.group().split() if m else ():
        if w.lower() in _NOUN_STOP:
            return None
        if w.islower() and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            if w.endswith("ies"):
                return w[:-3] + "y"
            if w.endswith(("ches", "shes", "xes", "sses")):
                return w[:-2]
            return w[:-1]
    return None


def _joinable(text: str, a: _Piece, b: _Piece) -> bool:
    """Whether a and b are the two ends of one range: '10% to 100%', 'three to five years'."""
    if a.high is not None or b.high is not None or a.kind != b.kind:
        return False
    between = text[a.end : b.start]
    between_and = re.fullmatch(r"\s+and\s+", between) and _BETWEEN_RE.search(
        text, max(0, a.start - 12), a.start
    )
    if not _CONNECTOR_RE.fullmatch(between) and not between_and:
        return False
    if a.kind is MentionKind.YEAR:
        return a.plain and b.plain
    if a.kind is not MentionKind.QUANTITY or (None not in (a.unit, b.unit) and a.unit != b.unit):
        return False
    frm = _FROM_RE.search(text, max(0, a.start - 30), a.start)
    if frm and not frm.group("range"):
        return False  # "grew from 17% to 55%" is a change, not a range
    raw_a = a.value / a.scale
    return a.scale == b.scale or (a.scale == 1 and raw_a <= b.value / b.scale)


def _join_ranges(text: str, pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for p in pieces:
        a = out[-1] if out else None
        if a is not None and _joinable(text, a, p):
            low = a.value if a.scale == p.scale else _clean(_CTX.multiply(a.value, p.scale))
            out[-1] = _Piece(a.start, p.end, low, p.kind, p.unit or a.unit, p.scale, p.value,
                             counted=p.counted, word=a.word + " " + p.word)  # fmt: skip
        else:
            out.append(p)
    return out


_OF_RE = re.compile(r"\s+of(?![A-Za-z])")
_TIME_UNITS = frozenset(("year", "month", "week", "day"))


def _with_words(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """``pieces`` and the quantities in words (:mod:`aifacts.text.words`), in order and
    disjoint: a word form that holds digit pieces replaces them ("12 times", "top three");
    one that overlaps a digit piece it does not hold gives way to it."""
    words = word_pieces(text)
    if not words:
        return pieces
    out: list[_Piece] = []
    i = 0
    for w in words:
        held: list[_Piece] = []
        while i < len(pieces) and pieces[i].end <= w.start:
            out.append(pieces[i])
            i += 1
        j = i
        while j < len(pieces) and pieces[j].start < w.end:
            held.append(pieces[j])
            j += 1
        if all(w.start <= p.start and p.end <= w.end for p in held) and (
            not out or out[-1].end <= w.start
        ):
            out.append(_Piece(w.start, w.end, _clean(w.value), w.kind, w.unit, w.scale,
                              None if w.high is None else _clean(w.high)))  # fmt: skip
            i = j
    out.extend(pieces[i:])
    return out


def spot(text: str) -> list[Mention]:
    """Every numeric mention in text, in order, non-overlapping.

    >>> [(m.span, m.value, m.unit) for m in spot("上海宣布了1.39亿美元的AI补贴计划")]
    [('1.39亿美元', Decimal('139000000'), 'USD')]
    """
    pieces: list[_Piece] = []
    last_end = 0
    for m in _CORE_RE.finditer(text):
        if m.start() < last_end:
            continue  # consumed by the previous mention's unit or scale
        if m.lastgroup == "FOOT":
            piece: _Piece | None = _Piece(*m.span(), Decimal(m["fn"]), MentionKind.FOOTNOTE)
        elif m.lastgroup == "LABEL":
            piece = _Piece(*m.span(), Decimal(m["ln"]), MentionKind.LIST_LABEL)
        elif m.lastgroup == "MULT":
            factor = _MULTIPLIERS[m["mw"] or m["mf"].replace("-", "")]
            piece = _Piece(*m.span(), Decimal(factor), MentionKind.MULTIPLE, "dimensionless")
        elif m.lastgroup == "RANK":
            rank = m["rk"]
            value = _RANK_WORDS.get(rank) or int(re.sub(r"[a-z]+\Z", "", rank))
            piece = _Piece(*m.span(), Decimal(value), MentionKind.RANK, "rank")
        elif m.lastgroup in ("ISO", "USD8", "CNDATE", "TIME", "MDATE", "DMDATE"):
            piece = _date_piece(m)
        else:
            piece = _number_piece(text, m, last_end)
        if piece is not None:
            pieces.append(piece)
            last_end = piece.end
    for a, b in pairwise(pieces):
        if a.plain and b.plain and re.fullmatch(r"[ \t]+", text[a.end : b.start]):
            a.kind = b.kind = MentionKind.OTHER  # digit groups: "2 1 Shi Ji", "010 1234 5678"
    mentions = []
    for p in _join_ranges(text, _with_words(text, pieces)):
        if p.kind in (MentionKind.QUANTITY, MentionKind.VAGUE) and p.unit is None:
            of = _OF_RE.match(text, p.end) if p.kind is MentionKind.VAGUE else None
            noun = _counted_noun(text, of.end() if of else p.end)
            p.unit, p.counted = noun, noun is not None
        if p.kind is MentionKind.QUANTITY and p.unit in _TIME_UNITS and not text[p.start].isdigit():
            p.kind = MentionKind.SPAN  # a span of time in words: "three-year", "两年"
        if p.word == "one" and (p.unit is None or p.counted) and p.scale == 1:
            continue  # "one of", "no one": a pronoun, not a number
        mentions.append(
            Mention(p.start, p.end, text[p.start : p.end], p.value, p.high, p.unit, p.kind, p.scale)
        )
    return mentions


def numbers_in(text: str) -> list[Decimal]:
    """The values (and range highs) of the mentions in text that state a number: quantities,
    quantities in words (vague amounts, multiples, ranks ...) and OTHER.

    >>> numbers_in("subsidies of 10% to 100% [3]")
    [Decimal('10'), Decimal('100')]
    """
    values: list[Decimal] = []
    for m in spot(text):
        if m.kind in (MentionKind.QUANTITY, MentionKind.OTHER) or m.kind in WORD_KINDS:
            values.append(m.value)
            if m.value_high is not None:
                values.append(m.value_high)
    return values
