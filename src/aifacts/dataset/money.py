"""Currency conversion, only through a dated exchange rate that says where it comes from.

Currencies are separate dimensions of the unit registry: Pint alone will never turn
yuan into dollars. :func:`convert` does, given an :class:`ExchangeRate` that carries
its date and either the ``source_id`` that states it or ``None`` for a rate the user
gives. The :class:`Converted` result keeps the rate it used, so a converted number
always says which rate, of which date, from where.

Example:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> import aifacts
    >>> rate = ExchangeRate("CNY", "USD", Decimal("0.14"), date(2025, 7, 29), note="my assumption")
    >>> result = convert(aifacts.ureg.Quantity(Decimal(72), "billion CNY"), "billion USD", rate)
    >>> print(result.describe())  # doctest: +NORMALIZE_WHITESPACE
    72 billion CNY → 10.08 billion USD
    at 1 CNY = 0.14 USD on 2025-07-29 (user-given: my assumption)
    >>> result.rate.origin
    'user-given'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from aifacts.contract.display import format_number
from aifacts.contract.units import CURRENCIES, get_registry
from aifacts.errors import ConversionError

if TYPE_CHECKING:
    import pint

__all__ = ["ConversionError", "Converted", "ExchangeRate", "convert", "currency_of", "unit_text"]

_CURRENCY_DIM = re.compile(r"^\[currency_([A-Z]{3})\]$")


def _exact(value: Any, what: str) -> Decimal:
    if isinstance(value, (bool, float)):
        raise ConversionError(f"{what} must be exact (a Decimal, int or text), not a float")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ConversionError(f"{what} {value!r} is not a number") from None
    if not number.is_finite() or number <= 0:
        raise ConversionError(f"{what} must be a positive finite number, got {value}")
    return number


@dataclass(frozen=True)
class ExchangeRate:
    """One unit of ``base`` is worth ``rate`` units of ``quote`` on ``date``.

    Attributes:
        base: ISO 4217 code of the currency priced (``"USD"``).
        quote: ISO 4217 code it is priced in (``"CNY"``).
        rate: exact positive number: ``1 base = rate quote``.
        date: the day the rate holds for.
        source_id: the source that states the rate (or the facts it is implied by);
            ``None`` for a rate the user gives.
        note: free text: where a user-given rate comes from, how it was derived.
        fact_ids: the facts a rate is implied by (e.g. one amount stated in two
            currencies); empty for a rate stated directly or given by the user.
    """

    base: str
    quote: str
    rate: Decimal
    date: date
    source_id: str | None = None
    note: str | None = None
    fact_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("base", "quote"):
            code = getattr(self, name)
            if code not in CURRENCIES:
                raise ConversionError(
                    f"{name} {code!r} is not a currency of the registry ({', '.join(CURRENCIES)})"
                )
        if self.base == self.quote:
            raise ConversionError(
                f"an exchange rate links two currencies, not {self.base} to itself"
            )
        object.__setattr__(self, "rate", _exact(self.rate, "rate"))
        if isinstance(self.date, str):
            try:
                object.__setattr__(self, "date", date.fromisoformat(self.date))
            except ValueError:
                raise ConversionError(f"date {self.date!r} is not YYYY-MM-DD") from None
        if not isinstance(self.date, date):
            raise ConversionError("an exchange rate needs the date it holds for")
        object.__setattr__(self, "fact_ids", tuple(self.fact_ids))

    @property
    def origin(self) -> str:
        """``'sourced'`` when a source states it, ``'user-given'`` otherwise."""
        return "sourced" if self.source_id is not None else "user-given"

    def inverse(self) -> ExchangeRate:
        """The same rate seen from the other side: ``1 quote = 1/rate base``."""
        return ExchangeRate(
            self.quote,
            self.base,
            Decimal(1) / self.rate,
            self.date,
            self.source_id,
            self.note,
            self.fact_ids,
        )

    def describe(self) -> str:
        """``'1 USD = 7.2 CNY on 2025-07-29 (user-given: my assumption)'``."""
        where = f"source {self.source_id}" if self.source_id else "user-given"
        if self.fact_ids:
            where += f", implied by {', '.join(self.fact_ids)}"
        if self.note:
            where += f": {self.note}"
        return (
            f"1 {self.base} = {format_number(self.rate)} {self.quote} "
            f"on {self.date.isoformat()} ({where})"
        )


@dataclass(frozen=True)
class Converted:
    """A converted quantity and how it was obtained.

    Attributes:
        quantity: the result, in the unit asked for.
        original: the quantity before conversion.
        rate: the exchange rate used, oriented from the original currency to the
            target one; ``None`` when no currency changed.
    """

    quantity: pint.Quantity[Any]
    original: pint.Quantity[Any]
    rate: ExchangeRate | None = None

    def describe(self) -> str:
        """The conversion in words, naming the rate, its date and origin."""
        text = (
            f"{format_number(self.original.magnitude)} {unit_text(self.original.units)} → "
            f"{format_number(self.quantity.magnitude)} {unit_text(self.quantity.units)}"
        )
        return f"{text} at {self.rate.describe()}" if self.rate else text


_SCALES = ("thousand", "million", "billion", "trillion")


def unit_text(unit: Any) -> str:
    """A unit as people write it: scale words first, ``'billion USD'`` not ``'USD * billion'``.

    Example:
        >>> unit_text(get_registry().parse_units("million household"))
        'million household'
    """
    parts = str(unit).split(" * ")
    scales = [p for p in parts if p in _SCALES]
    rest = " * ".join(p for p in parts if p not in _SCALES)
    return " ".join([*scales, rest]) if rest else " ".join(scales)


def currency_of(unit: Any) -> str | None:
    """The one currency a unit is an amount of (``'billion CNY'`` → ``'CNY'``), else ``None``.

    Example:
        >>> currency_of("million USD"), currency_of("GW")
        ('USD', None)
    """
    registry = get_registry()
    parsed = registry.parse_units(unit) if isinstance(unit, str) else unit
    found = [
        (match.group(1), exponent)
        for dim, exponent in parsed.dimensionality.items()
        if (match := _CURRENCY_DIM.fullmatch(dim))
    ]
    if len(found) == 1 and found[0][1] == 1:
        return found[0][0]
    return None


def convert(quantity: pint.Quantity[Any], to: str, rate: ExchangeRate | None = None) -> Converted:
    """``quantity`` in unit ``to``, crossing currencies only through ``rate``.

    Args:
        quantity: an amount of money (``380 billion CNY``), or any quantity when no
            currency changes.
        to: the target unit, e.g. ``"USD"`` or ``"billion USD"``.
        rate: the exchange rate linking the two currencies, in either direction.

    Returns:
        A :class:`Converted` that records the rate used (oriented from → to).

    Raises:
        ConversionError: the currencies differ and no rate is given, or the rate
            links other currencies.
    """
    registry = get_registry()
    source = currency_of(quantity.units)
    target = currency_of(to)
    if source is None or target is None or source == target:
        try:
            return Converted(quantity.to(to), quantity)
        except Exception as exc:  # pint's DimensionalityError and parse errors
            raise ConversionError(f"cannot convert {quantity:~} to {to!r}: {exc}") from None
    if rate is None:
        raise ConversionError(
            f"converting {source} to {target} needs an exchange rate: pass "
            f"ExchangeRate({source!r}, {target!r}, rate, date, source_id=...) with the "
            "source that states it, or source_id=None and a note for a rate you choose"
        )
    if (rate.base, rate.quote) == (source, target):
        used = rate
    elif (rate.base, rate.quote) == (target, source):
        used = rate.inverse()
    else:
        raise ConversionError(
            f"the rate links {rate.base} and {rate.quote}, not {source} and {target}"
        )
    factor = registry.Quantity(used.rate, f"{target} / {source}")
    try:
        result = (quantity * factor).to(to)
    except Exception as exc:
        raise ConversionError(f"cannot convert {quantity:~} to {to!r}: {exc}") from None
    return Converted(result, quantity, used)
