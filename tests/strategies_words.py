"""Hypothesis strategies for quantities written in words: each draws a rendering (English or
Chinese) with the kind, value and upper bound the spotter must give it."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from aifacts.text.kinds import MentionKind

__all__ = ["WORD_FILLER", "rendered_words", "wordy_text"]

Rendered = tuple[str, MentionKind, Decimal, Decimal | None]

_EN_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "twelve": 12, "twenty": 20}  # fmt: skip
_CN_NUMBERS = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_CN_SCALES = {"百": 100, "千": 1000, "万": 10**4, "百万": 10**6, "亿": 10**8, "百亿": 10**10}
_DENOMS = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}

#: Words that hold no quantity, to put around a rendering.
WORD_FILLER = ["the", "market", "grew", "and", "says", "firms", "预计", "市场", "规模", "的"]


@st.composite
def rendered_words(draw: st.DrawFn) -> Rendered:
    """A quantity in words: (text, kind, value, value_high)."""
    form = draw(st.sampled_from([
        "vague", "vague_of", "cn_vague", "cn_teens", "scale", "cn_scale", "fraction", "cn_fraction",
        "times", "twice", "cn_times", "top", "ordinal_rank", "cn_rank", "lead", "comparative",
        "next", "three_year",
    ]))  # fmt: skip
    V, S, F, M = MentionKind.VAGUE, MentionKind.SCALE, MentionKind.FRACTION, MentionKind.MULTIPLE
    R, C, P = MentionKind.RANK, MentionKind.COMPARATIVE, MentionKind.SPAN
    en = draw(st.sampled_from(sorted(_EN_NUMBERS)))
    cn = draw(st.sampled_from(sorted(_CN_NUMBERS)))
    if form == "vague":
        word, floor = draw(st.sampled_from([("several", 2), ("multiple", 2), ("a few", 2)]))
        scale = draw(st.sampled_from([None, *sorted(_SCALES)]))
        factor = _SCALES[scale] if scale else 1
        text = f"{word} {scale}" if scale else word
        return text, V, Decimal(floor * factor), None
    if form == "vague_of":
        word, floor = draw(
            st.sampled_from([("dozens", 24), ("hundreds", 200), ("thousands", 2000)])
        )
        return word, V, Decimal(floor), None
    if form == "cn_vague":
        word = draw(st.sampled_from(["数", "几"]))
        scale = draw(st.sampled_from(sorted(_CN_SCALES)))
        return word + scale, V, Decimal(2 * _CN_SCALES[scale]), None
    if form == "cn_teens":
        return "十几", V, Decimal(11), Decimal(19)
    if form == "scale":
        word = draw(st.sampled_from(sorted(_SCALES)))
        currency = draw(st.sampled_from(["dollar", "yuan"]))
        return f"a {word}-{currency}", S, Decimal(_SCALES[word]), None
    if form == "cn_scale":
        word = draw(st.sampled_from(["亿", "百亿", "万亿"]))
        value = {"亿": 10**8, "百亿": 10**10, "万亿": 10**12}[word]
        return word + draw(st.sampled_from(["美元", "元"])), S, Decimal(value), None
    if form == "fraction":
        den = draw(st.sampled_from(sorted(_DENOMS)))
        num = draw(st.sampled_from(["one", "two"]))
        value = Decimal(_EN_NUMBERS.get(num, 1)) / Decimal(_DENOMS[den])
        plural = "s" if num != "one" else ""
        return f"{num}-{den}{plural}", F, value, None
    if form == "cn_fraction":
        den = draw(st.sampled_from(["三", "四", "五", "十"]))
        return f"{den}分之一", F, Decimal(1) / Decimal(_CN_NUMBERS[den]), None
    if form == "times":
        n = draw(st.one_of(st.integers(2, 500).map(str), st.just(en)))
        value = Decimal(n) if n.isdigit() else Decimal(_EN_NUMBERS[n])
        return f"{n} times", M, value, None
    if form == "twice":
        word, value = draw(st.sampled_from([("twice", 2), ("thrice", 3)]))
        return word, M, Decimal(value), None
    if form == "cn_times":
        return draw(st.sampled_from([(f"{cn}倍", M, Decimal(_CN_NUMBERS[cn]), None),
                                     ("翻一番", M, Decimal(2), None)]))  # fmt: skip
    if form == "top":
        n = draw(st.one_of(st.integers(1, 100).map(str), st.just(en)))
        value = Decimal(n) if n.isdigit() else Decimal(_EN_NUMBERS[n])
        return f"top {n}", R, value, None
    if form == "ordinal_rank":
        word = draw(st.sampled_from(sorted(_ORDINALS)))
        noun = draw(st.sampled_from(["-largest", "-tier", " place", " biggest"]))
        return word + noun, R, Decimal(_ORDINALS[word]), None
    if form == "cn_rank":
        return f"第{cn}", R, Decimal(_CN_NUMBERS[cn]), None
    if form == "lead":
        return draw(st.sampled_from(["leads in", "leading in", "leadership"])), R, Decimal(1), None
    if form == "comparative":
        word, value = draw(st.sampled_from([("double", "2"), ("twice", "2"), ("half", "0.5")]))
        way = draw(st.sampled_from(["more", "less"]))
        return f"{way} than {word}", C, Decimal(value), None
    if form == "next":
        return f"the next {en} years", P, Decimal(_EN_NUMBERS[en]), None
    return f"{en}-year", P, Decimal(_EN_NUMBERS[en]), None


def wordy_text() -> st.SearchStrategy[str]:
    """Text mixing renderings, digits and filler: for disjoint, in-order spans."""
    piece = st.one_of(
        rendered_words().map(lambda r: r[0]),
        st.sampled_from(WORD_FILLER),
        st.integers(0, 10**6).map(str),
        st.sampled_from(["of", "than", "times", "top", "the", "next", "-", "年", "分之", "第"]),
    )
    return st.lists(piece, max_size=12).map(" ".join)
