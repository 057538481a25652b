"""Chinese numerals: their characters, how a run of them reads, and when a run is a number.

``cn_number`` reads a run such as ``1.39亿`` (Arabic digits and Chinese magnitudes,
exact) or ``六千万`` (through cn2an, imported only for such a run) into its value and
the scale its magnitudes give; ``cn_qualifies`` tells a numeral from a word that
holds one (统一, 百度, 第三). The spotter (:mod:`aifacts.text.spotter`) uses both.

Example:
    >>> cn_number("1.39亿"), cn_number("六千万")
    ((Decimal('139000000.00'), Decimal('100000000')), (Decimal('60000000'), Decimal('10000')))
    >>> cn_qualifies("统一", 0, 2), cn_qualifies("三家公司", 0, 1)
    (False, True)
"""

from __future__ import annotations

import re
from decimal import Context, Decimal

__all__ = [
    "ARABIC",
    "CN_DIGIT",
    "CN_MAG",
    "CN_SCALES",
    "cn2an_value",
    "cn_number",
    "cn_qualifies",
]

#: An Arabic numeral, thousands separators allowed: also the head of ``1.39亿``.
ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
#: The Chinese digits, and the magnitudes.
CN_DIGIT = "零〇一二两三四五六七八九"
CN_MAG = "十百千万亿"
#: What each magnitude multiplies by.
CN_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
#: Wide enough that scaled values stay exact.
_EXACT = Context(prec=60)
_QUALIFIER_RE = re.compile(
    rf"\s?(?:[%\uff05元年天周]|美元|港元|港币|欧元|日元|人民币|个月|小时|分钟"
    rf"|(?P<cls>[个家位名座台项款条只种次倍所])|[到至~\uff5e-][0-9{CN_DIGIT}{CN_MAG}])"
)


def cn2an_value(s: str) -> Decimal | None:
    """Chinese (or mixed) numeral to Decimal via cn2an; None when it cannot be read."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", s):
        return Decimal(s)
    import cn2an  # type: ignore[import-untyped]  # lazy: only texts with Chinese numerals

    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except Exception:
        return None


def cn_number(run: str) -> tuple[Decimal, Decimal] | None:
    """(value, scale) of a Chinese run: '1.39亿' -> (139000000, 1e8); '六千万' -> (6e7, 1e4)."""
    arabic = re.match(ARABIC, run)
    if arabic:  # Arabic digits with Chinese magnitudes: exact Decimal arithmetic
        scale = Decimal(1)
        for ch in run[arabic.end() :]:
            scale *= CN_SCALES[ch]
        return _EXACT.multiply(Decimal(arabic.group().replace(",", "")), scale), scale
    head = run.rstrip("万亿")
    if head and head != run and "万" not in head and "亿" not in head:
        scale = Decimal(1)
        for ch in run[len(head) :]:
            scale *= CN_SCALES[ch]
        value = cn2an_value(head)
        return None if value is None else (_EXACT.multiply(value, scale), scale)
    value = cn2an_value(run)
    return None if value is None else (value, Decimal(1))


def cn_qualifies(text: str, start: int, end: int) -> bool:
    """Whether a pure Chinese-numeral run is a number, not part of a word (统一, 百度, 第三)."""
    run = text[start:end]
    if (start and text[start - 1] == "第") or run[0] in "百千万亿":
        return False
    if len(run) > 1 and any(c in run for c in "十百千万亿〇零点"):
        return True
    after = _QUALIFIER_RE.match(text, end)
    return after is not None and not (after.group("cls") and run == "一")
