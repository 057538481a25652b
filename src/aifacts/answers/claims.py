"""What every answer shares: claims counted once, and a fact's interval in another unit.

A *claim* is what facts restating one number share (``claim_id``: a headline and the
body, one amount in two currencies, a page repeating its source); a fact with no
``claim_id`` is a claim of its own. Answers count each claim once and list its
mentions: :func:`claims` groups facts so.

:func:`interval_in` is the one way an answer turns a fact into the interval it
asserts in the answer's unit: the fact's own interval
(:func:`aifacts.contract.intervals.fact_interval`), scaled exactly; across currencies
through an exchange rate, widened by the rate's own interval when the rate is implied
by rounded figures.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> [c.fact.fact_id for c in claims([ds.fact("deepwater-07"), ds.fact("rui-post-01")])]
    ['deepwater-07', 'rui-post-01']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from aifacts.contract.intervals import Interval, fact_interval
from aifacts.dataset.money import ConversionError, ExchangeRate, convert, currency_of

if TYPE_CHECKING:
    from aifacts.contract.records import Fact, Metric

__all__ = [
    "Claim",
    "check_convertible",
    "claim_of",
    "claims",
    "doubt_of",
    "interval_in",
    "rate_for",
]


def claim_of(fact: Fact) -> str:
    """The claim ``fact`` states: its ``claim_id``, or its own ``fact_id`` when it has none."""
    return fact.claim_id or fact.fact_id  # a stand-in record may lack the default


def doubt_of(fact: Fact) -> str:
    """Why a faithfully recorded number is doubted (``doubt``); empty when it is not."""
    return fact.doubt or ""


@dataclass(frozen=True)
class Claim:
    """One claim among the facts asked about: the fact that speaks for it, and all its mentions.

    Attributes:
        claim_id: the shared ``claim_id`` (the fact's own id for a lone fact).
        fact: the mention the answer reads (see :func:`claims` for which).
        mentions: every fact of the claim among those given, ``fact`` first.
    """

    claim_id: str
    fact: Fact
    mentions: tuple[Fact, ...]

    @property
    def others(self) -> tuple[str, ...]:
        """The ids of the claim's other mentions."""
        return tuple(f.fact_id for f in self.mentions if f is not self.fact)


def claims(facts: Iterable[Fact], prefer: Callable[[Fact], bool] | None = None) -> list[Claim]:
    """``facts`` grouped by claim, in the order each claim first appears.

    The fact that speaks for a claim is its first mention for which ``prefer`` holds
    (e.g. "stated in the answer's currency"), else its first mention.
    """
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(claim_of(fact), []).append(fact)
    out = []
    for claim_id, mentions in groups.items():
        chosen = next((f for f in mentions if prefer(f)), mentions[0]) if prefer else mentions[0]
        ordered = (chosen, *(f for f in mentions if f is not chosen))
        out.append(Claim(claim_id, chosen, ordered))
    return out


def rate_for(
    unit: str, to: str, rates: Sequence[ExchangeRate], when: date | None = None
) -> ExchangeRate | None:
    """The rate of ``rates`` linking the currencies of ``unit`` and ``to`` (either way):
    of several, the one dated nearest ``when`` (when the amount was stated), or the
    latest when that is unknown; of rates as near, the first.

    Example:
        >>> from aifacts.dataset.money import ExchangeRate
        >>> old = ExchangeRate("USD", "CNY", Decimal("6.75"), date(2022, 8, 5))
        >>> new = ExchangeRate("USD", "CNY", Decimal("7.19"), date(2025, 7, 29))
        >>> rate_for("billion CNY", "USD", [old, new], date(2023, 1, 1)).rate
        Decimal('6.75')
        >>> rate_for("billion CNY", "USD", [old, new]).rate
        Decimal('7.19')
    """
    pair = {currency_of(unit), currency_of(to)}
    linking = [r for r in rates if {r.base, r.quote} == pair]
    if len(linking) < 2:
        return linking[0] if linking else None
    if when is None:
        return max(linking, key=lambda r: r.date)
    return min(linking, key=lambda r: abs((r.date - when).days))


def interval_in(
    fact: Fact,
    metric: Metric,
    unit: str,
    rate: ExchangeRate | None = None,
    rate_interval: Interval | None = None,
) -> Interval:
    """The interval ``fact`` asserts, in ``unit``.

    Args:
        fact: the fact.
        metric: its metric (its kind sets the domain: shares in [0, 100 %]...).
        unit: the unit wanted.
        rate: the exchange rate, when the currency changes.
        rate_interval: the values ``rate.rate`` may take (``1 base = x quote``), for a
            rate implied by rounded figures; ``None`` takes the rate as exact.

    Raises:
        ConversionError: ``unit`` measures something else, or a currency changes
            without ``rate``.
    """
    from aifacts.contract.units import get_registry

    one = get_registry().Quantity(Decimal(1), fact.unit)
    factor = Decimal(convert(one, unit, rate).quantity.magnitude)
    scale = Interval.point(factor)
    if (
        rate is not None
        and rate_interval is not None
        and currency_of(fact.unit) != currency_of(unit)
    ):
        relative = rate_interval / Interval.point(rate.rate)
        if currency_of(fact.unit) == rate.quote:  # quote → base divides by the rate
            relative = relative.reciprocal()
        scale = scale * relative
    return fact_interval(fact, metric.kind) * scale


def check_convertible(fact: Fact, unit: str, rate: ExchangeRate | None) -> str | None:
    """Why ``fact`` cannot be put in ``unit`` with ``rate`` (``None`` when it can)."""
    try:
        convert(fact.quantity, unit, rate)
    except ConversionError as exc:
        return str(exc).split(":")[0]
    return None
