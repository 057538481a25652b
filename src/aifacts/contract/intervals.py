"""Intervals: the range of true values a fact really asserts, with exact bounds.

A fact's ``value`` is not a point. ``approximately 90`` is not ``exactly 90``,
``over 400`` is ``[400, ∞)``, and "6.513 billion" is tighter than "80 billion".
:func:`fact_interval` turns a fact into the closed interval it asserts, by one rule
(documented for users in ``docs/checks/intervals.md``):

* **exact** — the number as written, rounded at its last written digit:
  ``[v − h, v + h]`` with ``h`` = half a unit of that digit (:func:`resolution`).
  Every written digit counts, trailing zeros of whole numbers included
  ("600 million" → ±0.5 million, "6.513" → ±0.0005). A number written with one
  significant digit ("1 billion", "8 GW") is read as if it had two (1.0 ± 0.05): an
  unhedged round figure is what the source states, not a rounding by up to 50 %.
* **approximately** — ``v ± max(10 % of |v|, h)``
  (:data:`APPROXIMATE_TOLERANCE`).
* **at_least** — ``[v, ∞)``; **at_most** — ``[0, v]`` (``(−∞, v]`` for a signed
  metric); **range** — ``[v, value_high]``. A bound is a threshold the source
  chose, so it is taken as written, without rounding.
* Last, the interval is cut to the metric's domain: a share lies in
  ``[0, 100 %]``; stocks, flows, counts, ratios, durations and prices are never
  negative; growth may be.

Bounds are :class:`~decimal.Decimal`; an unbounded end is ``Decimal('Infinity')``
(or ``-Infinity``), never a stand-in number. Arithmetic rounds outward (low ends
down, high ends up), so a computed interval always contains the true result.

Example:
    >>> from decimal import Decimal
    >>> Interval(Decimal("599.5"), Decimal("600.5")) + Interval.point(Decimal(400))
    Interval(low=Decimal('999.5'), high=Decimal('1000.5'))
    >>> str(Interval.at_least(Decimal(400)))
    '[400, ∞)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from aifacts.contract import unit_terms
from aifacts.contract.vocab import MetricKind, Qualifier
from aifacts.errors import UsageError

if TYPE_CHECKING:
    from aifacts.contract.records import Fact

__all__ = [
    "APPROXIMATE_TOLERANCE",
    "INFINITY",
    "MIN_SIGNIFICANT_DIGITS",
    "NON_NEGATIVE_KINDS",
    "Interval",
    "convert_interval",
    "fact_interval",
    "format_number",
    "interval_sum",
    "resolution",
    "stated_number",
    "unit_factor",
]

#: The relative tolerance of ``approximately`` ("about", "nearly", "approximately").
APPROXIMATE_TOLERANCE = Decimal("0.10")
#: A number written with fewer significant digits is read as if it had this many.
MIN_SIGNIFICANT_DIGITS = 2
#: Metric kinds whose values are never negative (``at_most`` starts at 0).
NON_NEGATIVE_KINDS = frozenset(
    {
        MetricKind.STOCK,
        MetricKind.FLOW,
        MetricKind.SHARE,
        MetricKind.RATIO,
        MetricKind.COUNT,
        MetricKind.DURATION,
        MetricKind.PRICE,
    }
)
#: The explicit unbounded end.
INFINITY = Decimal("Infinity")
_PRECISION = 34  # digits kept by interval arithmetic; rounding is always outward


def _rounded(rounding: str, op: Callable[[], Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.rounding = rounding
        return +op()


def _times(a: Decimal, b: Decimal, rounding: str) -> Decimal:
    """``a × b`` with 0 × ∞ = 0, the convention that keeps interval products sound."""
    if a.is_zero() or b.is_zero():
        return Decimal(0)
    return _rounded(rounding, lambda: a * b)


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval ``[low, high]`` of exact decimals; ends may be infinite.

    Attributes:
        low: the least value asserted (``-Infinity`` when unbounded below).
        high: the greatest value asserted (``Infinity`` when unbounded above).
    """

    low: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        if self.low.is_nan() or self.high.is_nan():
            raise UsageError("an interval bound cannot be NaN")
        if self.low > self.high:
            raise UsageError(f"empty interval: low {self.low} exceeds high {self.high}")
        if self.low == INFINITY or self.high == -INFINITY:
            raise UsageError("an interval cannot start at +∞ or end at −∞")

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        """The one-value interval ``[value, value]``."""
        return cls(value, value)

    @classmethod
    def at_least(cls, value: Decimal) -> Interval:
        """``[value, ∞)``."""
        return cls(value, INFINITY)

    @classmethod
    def at_most(cls, value: Decimal) -> Interval:
        """``(−∞, value]``."""
        return cls(-INFINITY, value)

    @classmethod
    def everything(cls) -> Interval:
        """``(−∞, ∞)``: nothing asserted."""
        return cls(-INFINITY, INFINITY)

    @property
    def is_bounded(self) -> bool:
        """Both ends are finite."""
        return self.low.is_finite() and self.high.is_finite()

    @property
    def midpoint(self) -> Decimal | None:
        """The centre of a bounded interval; ``None`` when an end is infinite."""
        if not self.is_bounded:
            return None
        return _rounded(ROUND_FLOOR, lambda: (self.low + self.high) / 2)

    def contains(self, value: Decimal) -> bool:
        """``low <= value <= high``."""
        return self.low <= value <= self.high

    def overlaps(self, other: Interval) -> bool:
        """The two intervals share at least one value."""
        return self.low <= other.high and other.low <= self.high

    def intersection(self, other: Interval) -> Interval | None:
        """The values both intervals hold; ``None`` when they are disjoint."""
        if not self.overlaps(other):
            return None
        return Interval(max(self.low, other.low), min(self.high, other.high))

    def hull(self, other: Interval) -> Interval:
        """The least interval holding both."""
        return Interval(min(self.low, other.low), max(self.high, other.high))

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            _rounded(ROUND_FLOOR, lambda: self.low + other.low),
            _rounded(ROUND_CEILING, lambda: self.high + other.high),
        )

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:
        ends = [(a, b) for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(
            min(_times(a, b, ROUND_FLOOR) for a, b in ends),
            max(_times(a, b, ROUND_CEILING) for a, b in ends),
        )

    def scale(self, factor: Decimal) -> Interval:
        """Every value multiplied by the exact ``factor`` (a unit conversion)."""
        return self * Interval.point(factor)

    def reciprocal(self) -> Interval:
        """``{1/x}`` for x in the interval; unbounded where the interval touches 0.

        An interval with 0 strictly inside has no interval reciprocal and gives
        ``(−∞, ∞)``; so does ``[0, 0]``.
        """
        low, high = self.low, self.high

        def inv(x: Decimal, rounding: str) -> Decimal:
            if x.is_infinite():
                return Decimal(0)
            return _rounded(rounding, lambda: 1 / x)

        if low > 0 or high < 0:
            return Interval(inv(high, ROUND_FLOOR), inv(low, ROUND_CEILING))
        if low.is_zero() and high > 0:
            return Interval(inv(high, ROUND_FLOOR), INFINITY)
        if high.is_zero() and low < 0:
            return Interval(-INFINITY, inv(low, ROUND_CEILING))
        return Interval.everything()

    def __truediv__(self, other: Interval) -> Interval:
        return self * other.reciprocal()

    def __str__(self) -> str:
        left = "(" if self.low.is_infinite() else "["
        right = ")" if self.high.is_infinite() else "]"
        return f"{left}{format_number(self.low)}, {format_number(self.high)}{right}"

    def describe(self, unit: str = "") -> str:
        """A reader's text: ``'[999.5, 1000.5] million CNY'``, ``'at least 400 billion USD'``."""
        suffix = f" {unit}" if unit else ""
        if self.low == self.high:
            return f"{format_number(self.low)}{suffix}"
        if self.high.is_infinite() and self.low.is_finite():
            return f"at least {format_number(self.low)}{suffix}"
        if self.low.is_infinite() and self.high.is_finite():
            return f"at most {format_number(self.high)}{suffix}"
        return f"{self}{suffix}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"low": "999.5", "high": "Infinity"}`` — exact decimal text."""
        return {"low": _text(self.low), "high": _text(self.high)}


def _text(value: Decimal) -> str:
    if value.is_infinite():
        return "Infinity" if value > 0 else "-Infinity"
    return format(value.normalize(), "f") if value else "0"


def format_number(value: Decimal, digits: int = 6) -> str:
    """Short text for a bound: at most ``digits`` significant digits, ``∞`` for infinity."""
    if value.is_infinite():
        return "∞" if value > 0 else "−∞"
    if value.is_zero():
        return "0"
    with localcontext() as ctx:
        ctx.prec = digits
        rounded = +value
    text = format(rounded.normalize(), "f")
    return text


def resolution(value: Decimal) -> Decimal:
    """Half a unit of the last written digit of ``value``: its rounding uncertainty.

    Read with at least :data:`MIN_SIGNIFICANT_DIGITS` significant digits.

    Example:
        >>> resolution(Decimal("6.513")), resolution(Decimal("80")), resolution(Decimal("1"))
        (Decimal('0.0005'), Decimal('0.5'), Decimal('0.05'))
    """
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise UsageError(f"{value} has no last digit")
    significant = len(digits)
    exponent -= max(0, MIN_SIGNIFICANT_DIGITS - significant)
    return Decimal((0, (5,), exponent - 1))


def stated_number(value: Decimal, *, approximately: bool = False) -> Interval:
    """The values a number written as ``value`` stands for: it to half its last digit
    (:func:`resolution`), or, ``approximately``, within :data:`APPROXIMATE_TOLERANCE`
    (never narrower than its rounding).

    Example:
        >>> str(stated_number(Decimal("44.46")))
        '[44.455, 44.465]'
        >>> str(stated_number(Decimal("80"), approximately=True))
        '[72, 88]'
    """
    spread = resolution(value)
    if approximately:
        spread = max(_rounded(ROUND_CEILING, lambda: abs(value) * APPROXIMATE_TOLERANCE), spread)
    return Interval.point(value) + Interval(-spread, spread)


def _domain(kind: MetricKind | None, unit: str) -> Interval:
    if kind is MetricKind.SHARE:
        return Interval(Decimal(0), unit_factor("dimensionless", unit))
    if kind in NON_NEGATIVE_KINDS:
        return Interval.at_least(Decimal(0))
    return Interval.everything()


def fact_interval(fact: Fact, kind: MetricKind | None = None) -> Interval:
    """The interval ``fact`` asserts, in the fact's own unit.

    Args:
        fact: the fact.
        kind: its metric's kind, which sets the domain (``None``: unbounded, signed).

    Returns:
        The closed interval of values the fact is true for.

    Example:
        >>> from aifacts.contract.records import Fact
        >>> f = Fact(fact_id="x", entity_id="cn", metric_id="m", value=Decimal("80"),
        ...          unit="billion USD", qualifier="exact", status="plan",
        ...          source_id="s", locator="[1]", quote="$80 billion")
        >>> str(fact_interval(f, MetricKind.FLOW))
        '[79.5, 80.5]'
    """
    value = fact.value
    domain = _domain(kind, fact.unit)
    if fact.qualifier in (Qualifier.EXACT, Qualifier.APPROXIMATELY):
        asserted = stated_number(value, approximately=fact.qualifier is Qualifier.APPROXIMATELY)
    elif fact.qualifier is Qualifier.AT_LEAST:
        asserted = Interval.at_least(value)
    elif fact.qualifier is Qualifier.AT_MOST:
        asserted = Interval.at_most(value)
    else:
        high = fact.value_high if fact.value_high is not None else value
        asserted = Interval(min(value, high), max(value, high))
    return asserted.intersection(domain) or asserted


def unit_factor(from_unit: str, to_unit: str) -> Decimal:
    """The exact factor turning a number in ``from_unit`` into ``to_unit``.

    Raises:
        pint.DimensionalityError: the units measure different things (USD and CNY too).
    """
    known = unit_terms.ratio(from_unit, to_unit)  # the table answers as Pint would
    if known is not None:
        return known
    from aifacts.contract.units import get_registry

    magnitude = get_registry().Quantity(Decimal(1), from_unit).to(to_unit).magnitude
    return magnitude if isinstance(magnitude, Decimal) else Decimal(str(magnitude))


def convert_interval(interval: Interval, from_unit: str, to_unit: str) -> Interval:
    """``interval`` re-expressed in ``to_unit`` (exact; infinite ends stay infinite)."""
    if from_unit == to_unit:
        return interval
    return interval.scale(unit_factor(from_unit, to_unit))


def interval_sum(intervals: Iterable[Interval]) -> Interval:
    """The sum of intervals (``[0, 0]`` for none)."""
    total = Interval.point(Decimal(0))
    for item in intervals:
        total = total + item
    return total
