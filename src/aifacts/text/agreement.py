"""Do a number and a mention agree? The one rule behind the quote-value check and the audit.

A fact's ``value`` in its ``unit`` agrees with a spotted mention when the mention states
the same number either as written ("6.513" of "$6.513 billion", "1.39" of "1.39亿")
or with its scale applied ("US$139 million" = 139000000 agrees with 139 ``million USD``
and with 139000000 ``USD``).

Example:
    >>> from decimal import Decimal
    >>> from aifacts.text.spotter import spot
    >>> agrees(Decimal(139), "million USD", spot("US$139 million")[0])
    True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal

from aifacts.contract.problems import clip
from aifacts.text.kinds import WORD_KINDS
from aifacts.text.spotter import Mention, MentionKind, spot

__all__ = ["NUMBER_KINDS", "agrees", "exact", "numbers_stated", "quote_disagreement"]

#: The kinds of mention that can state a fact's number (not footnotes, labels or dates).
NUMBER_KINDS = frozenset({MentionKind.QUANTITY, MentionKind.OTHER, MentionKind.YEAR}) | WORD_KINDS


@functools.lru_cache(maxsize=1024)
def _multiplier(unit: str) -> Decimal | None:
    """How many base units one ``unit`` is: 1e9 for ``billion USD``, 0.01 for ``percent``;
    ``None`` when that has no exact decimal (``USD / GPU / hour``: 1/3600 of a base
    unit), as no number a quote states is a value times it."""
    from aifacts.contract import unit_terms

    if unit_terms.dimensions(unit) is not None:  # the table answers, without Pint
        return unit_terms.base_size(unit)
    from aifacts.contract.units import get_registry

    magnitude = get_registry().Quantity(Decimal(1), unit).to_base_units().magnitude
    return Decimal(magnitude)


def exact(*numbers: Decimal) -> Context:
    """A context in which multiplying ``numbers`` is exact, and dividing the first by a
    power of ten: as many digits as they hold together (the default context keeps 28,
    and validation accepts numbers of any length).

    Example:
        >>> exact(Decimal("12345678901234567890123456789"), Decimal("1E9")).prec
        32
    """
    digits = sum(len(n.as_tuple().digits) for n in numbers)
    return Context(prec=max(28, digits + 2), Emax=MAX_EMAX, Emin=MIN_EMIN)


def _forms(mention: Mention) -> set[Decimal]:
    out: set[Decimal] = set()
    for number in (mention.value, mention.value_high):
        if number is not None:
            out |= {number, exact(number, mention.scale).divide(number, mention.scale)}
    return out


def agrees(value: Decimal, unit: str, mention: Mention) -> bool:
    """Whether ``mention`` states ``value`` (in ``unit``), as written or scaled."""
    try:
        multiplier = _multiplier(unit)
        scaled = (
            value if multiplier is None else exact(value, multiplier).multiply(value, multiplier)
        )
    except Exception:  # an unknown unit is its own problem; compare the bare number
        scaled = value
    return bool({value, scaled} & _forms(mention))


@functools.lru_cache(maxsize=4096)
def numbers_stated(quote: str) -> tuple[Mention, ...]:
    """The mentions of a quote that can state a number."""
    return tuple(m for m in spot(quote) if m.kind in NUMBER_KINDS)


def quote_disagreement(quote: str, values: Iterable[Decimal], unit: str) -> str | None:
    """``None`` when the quote states every value; else what it states instead.

    Example:
        >>> quote_disagreement("US$139 million", [Decimal(193)], "million USD")
        'quote states US$139 million; value is 193 million USD'
    """
    mentions = numbers_stated(quote)
    for value in values:
        if not any(agrees(value, unit, m) for m in mentions):
            stated = clip(", ".join(m.span for m in mentions), quoted=False) or "no number"
            return f"quote states {stated}; value is {_plain(value)} {unit}"
    return None


def _plain(number: Decimal) -> str:
    whole = number == number.to_integral_value(context=exact(number))
    return format(number.normalize(exact(number)), "f") if whole else str(number)
