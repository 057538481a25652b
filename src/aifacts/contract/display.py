"""How numbers and facts read to a person: exact decimals, units and honest qualifiers.

A fact's qualifier is part of its value: ``≥ 80 %`` is not ``80 %``. Every place that
shows a value to a reader (terminal tables, comparisons) formats it here, and every
printer passes text from the data through :func:`terminal_safe` (validation refuses
control and invisible characters, but a printer may be shown an invalid package).

Example:
    >>> from decimal import Decimal
    >>> format_number(Decimal("9.0E+4"))
    '90000'
    >>> format_value(Decimal("80"), "percent", "at_least")
    '≥ 80 %'
    >>> format_value(Decimal("10"), "percent", "range", Decimal("100"))
    '10–100 %'
"""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal

from aifacts.contract.vocab import Qualifier

__all__ = [
    "QUALIFIER_SIGNS",
    "format_number",
    "format_period",
    "format_unit",
    "format_value",
]

#: The sign put before a value for each qualifier (a range is written ``low–high``).
QUALIFIER_SIGNS: dict[Qualifier, str] = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATELY: "≈ ",
    Qualifier.AT_LEAST: "≥ ",
    Qualifier.AT_MOST: "≤ ",
    Qualifier.RANGE: "",
}

_UNIT_SHORT = {"percent": "%", "dimensionless": ""}


def format_number(number: Decimal | int) -> str:
    """Plain decimal text without exponent or trailing zeros: ``9.0E+4`` → ``90000``.

    Example:
        >>> format_number(Decimal("6.5130")), format_number(Decimal("0.10"))
        ('6.513', '0.1')
    """
    value = Decimal(number)
    if value.is_zero():
        return "0"
    digits = len(value.as_tuple().digits)
    return format(value.normalize(Context(prec=max(digits, 28))), "f")


def format_unit(unit: str) -> str:
    """A unit as a reader expects it: ``percent`` → ``%``, ``dimensionless`` → nothing."""
    return _UNIT_SHORT.get(unit.strip(), unit.strip())


def format_value(
    value: Decimal,
    unit: str,
    qualifier: Qualifier | str = Qualifier.EXACT,
    value_high: Decimal | None = None,
) -> str:
    """``value`` in ``unit`` with the qualifier's sign: ``≈ 30 %``, ``≤ 100 billion USD``.

    Args:
        value: the (low) value.
        unit: the unit string, as stored or after conversion.
        qualifier: how the stated number bounds the true one.
        value_high: the high end of a range.

    Returns:
        Text such as ``'10–100 %'`` or ``'≥ 2 million robot'``.
    """
    qual = Qualifier(qualifier)
    number = format_number(value)
    if qual is Qualifier.RANGE and value_high is not None:
        number = f"{number}–{format_number(value_high)}"
    shown_unit = format_unit(unit)
    text = f"{QUALIFIER_SIGNS[qual]}{number}"
    return f"{text} {shown_unit}" if shown_unit else text


def format_period(start: date | None, end: date | None) -> str:
    """The time a fact is about, briefly: ``2025``, ``2026–2027``, ``2025-07-01–2025-09-30``.

    Example:
        >>> format_period(date(2026, 1, 1), date(2027, 12, 31)), format_period(None, None)
        ('2026–2027', '')
    """
    if start is None and end is None:
        return ""
    whole_years = (
        start is not None
        and end is not None
        and (start.month, start.day) == (1, 1)
        and (end.month, end.day) == (12, 31)
    )
    if whole_years and start is not None and end is not None:
        if start.year == end.year:
            return str(start.year)
        return f"{start.year}–{end.year}"
    low = start.isoformat() if start else "…"
    high = end.isoformat() if end else "…"
    return f"{low}–{high}"
