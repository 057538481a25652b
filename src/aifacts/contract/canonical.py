"""A fact's value in its metric's canonical unit, exactly: ``value_canonical`` and kin.

The canonical unit is the metric's ``unit`` with no scale word; money stays in the
fact's own currency (``100 billion USD`` → ``100000000000 USD``; ``1 billion CNY`` →
``1000000000 CNY``, never dollars: that would need a dated rate). The arithmetic is
exact: the conversion factor comes from the unit registry in :class:`~decimal.Decimal`
and the product is computed with enough digits to hold every digit of both.

Example:
    >>> from decimal import Decimal
    >>> canonical_values(Decimal("6.513"), None, "billion CNY", "USD")
    (Decimal('6513000000'), None, 'CNY')
    >>> canonical_values(Decimal("90"), None, "EFLOPS", "EFLOPS")
    (Decimal('90'), None, 'EFLOPS')
"""

from __future__ import annotations

import functools
from decimal import Context, Decimal, Inexact
from fractions import Fraction

from aifacts.contract import unit_terms
from aifacts.errors import UnitError

__all__ = [
    "canonical_number",
    "canonical_unit",
    "canonical_values",
    "conversion_factor",
    "exact_decimal",
]


@functools.lru_cache(maxsize=4096)
def canonical_unit(unit: str, metric_unit: str) -> str | None:
    """The unit a fact in ``unit`` of a metric measured in ``metric_unit`` is written in
    canonically; ``None`` when ``unit`` cannot be (it is not a unit, or it measures
    something else).

    Example:
        >>> canonical_unit("billion CNY", "USD"), canonical_unit("%", "percent")
        ('CNY', 'percent')
    """
    measures, metric_measures = unit_terms.dimensions(unit), unit_terms.dimensions(metric_unit)
    if measures is not None and metric_measures is not None:  # the table answers, no Pint
        if measures != metric_measures:
            return None
        return unit_terms.currency(unit) or metric_unit

    from aifacts.contract.units import canonical_dimensions, parse_unit

    try:
        parsed, wanted = parse_unit(unit), parse_unit(metric_unit)
    except UnitError:
        return None
    if canonical_dimensions(parsed) != canonical_dimensions(wanted):
        return None
    return unit_terms.one_currency(parsed.dimensionality) or metric_unit


@functools.lru_cache(maxsize=4096)
def conversion_factor(unit: str, target: str) -> Fraction:
    """The exact ratio one ``unit`` is of ``target``: ``billion USD`` → ``USD`` is 10⁹,
    ``month`` → ``year`` is 1/12.

    The registry computes in 28-digit decimals, so 1/12 comes back rounded; the ratio is
    the simplest fraction within a hair of it (the definitions are short decimals and
    their quotients, never irrational).
    """
    from aifacts.contract.intervals import unit_factor

    factor = unit_factor(unit, target)
    exact = Fraction(factor)
    simple = exact.limit_denominator(10**12)
    if abs(simple - exact) <= abs(exact) / 10**20:
        return simple
    return exact


def canonical_number(number: Decimal) -> Decimal:
    """``number`` without trailing zeros or an exponent: ``1.00E+11`` → ``100000000000``."""
    if number == 0:
        return Decimal(0)
    reduced = number.normalize(context=_WIDE)
    exponent = reduced.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        reduced = reduced.quantize(Decimal(1), context=_WIDE)
    return reduced


#: Wide enough for every product of a cell's digits and a factor (the reader caps a
#: number's length well below this).
_WIDE = Context(prec=2000, Emax=999999, Emin=-999999, traps=[Inexact])


def exact_decimal(number: Fraction) -> Decimal | None:
    """``number`` as a decimal, or ``None`` when it has none (1/3: the digits never end).

    Example:
        >>> exact_decimal(Fraction(3, 8)), exact_decimal(Fraction(5, 12))
        (Decimal('0.375'), None)
    """
    denominator = number.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None
    return canonical_number(_WIDE.divide(Decimal(number.numerator), Decimal(number.denominator)))


def canonical_values(
    value: Decimal, value_high: Decimal | None, unit: str, metric_unit: str
) -> tuple[Decimal | None, Decimal | None, str | None]:
    """``(value_canonical, value_high_canonical, unit_canonical)`` of a fact.

    All three are ``None`` when the unit does not measure what the metric does, or when
    a value has no exact decimal in the canonical unit (5 months in years: 0.41666…).
    """
    target = canonical_unit(unit, metric_unit)
    if target is None:
        return None, None, None
    factor = conversion_factor(unit, target)
    low = exact_decimal(Fraction(value) * factor)
    high = None if value_high is None else exact_decimal(Fraction(value_high) * factor)
    if low is None or (value_high is not None and high is None):
        return None, None, None
    return low, high, target
