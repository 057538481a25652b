"""Rule ``rates``: one amount stated in two currencies implies an exchange rate.

Which facts state one amount in two currencies is derived by rule, not read from
a column: two active facts form a pair when they share ``source_id``,
``entity_id``, ``metric_id``, ``period_start``, ``period_end``, ``status``,
``locator`` and ``quote`` (the same sentence of the same source) and their units
are amounts of two different currencies. "one billion yuan (US$139 million)"
gives the pair (1 billion CNY, 139 million USD).

The implied rate is ``quote amount / base amount`` (``1 base = rate quote``), with
the interval the stated numbers allow, each read to half its last digit (an
approximate one within its tolerance): the sentence converts one number into the
other, whatever its qualifier says of the amount. "crossed 300 billion yuan ($44.46
billion)" converts 300 into 44.46: 1 USD = 6.7476 CNY, between 6.7356 and 6.7596,
though each fact asserts only a lower bound. Two ranges convert low into low and high
into high (the rate both allow); a range against a single number falls back to the
rates the two facts' intervals allow. Its date is the facts' ``as_of``, else the
source's ``published``. The base is USD when the pair has it, then EUR, then
the alphabetically first code. Implied rates of the same currency pair that do
not overlap are a finding: inconsistent when both are dated and their dates agree,
info when the dates differ (rates move) or one is unknown (they may differ).

Example:
    >>> import aifacts
    >>> [r.describe() for r in implied_rates(aifacts.load())][0][:28]
    '1 USD = 7.19424 CNY [6.81004'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from itertools import combinations
from typing import TYPE_CHECKING, Any

from aifacts.consistency.context import Context
from aifacts.consistency.findings import Finding, Verdict
from aifacts.contract.intervals import Interval, convert_interval, format_number, stated_number
from aifacts.contract.vocab import Qualifier
from aifacts.dataset.money import ExchangeRate, currency_of

if TYPE_CHECKING:
    from aifacts.contract.records import Fact
    from aifacts.dataset.tables import Tables

__all__ = ["ImpliedRate", "exchange_rates", "implied_rates", "rates_in", "run", "same_amount_pairs"]

RULE = "rates"
_PREFERRED_BASES = ("USD", "EUR")


@dataclass(frozen=True)
class ImpliedRate:
    """The exchange rate a source implies by stating one amount in two currencies.

    Attributes:
        base: the currency priced (``"USD"``).
        quote: the currency it is priced in (``"CNY"``).
        rate: the stated amounts' ratio: ``1 base = rate quote``.
        interval: the rates the two facts' intervals allow.
        date: the facts' ``as_of``, else the source's publication date; ``None`` if neither.
        source_id: the source stating both amounts.
        fact_ids: the fact in ``base``, then the fact in ``quote``.
    """

    base: str
    quote: str
    rate: Decimal
    interval: Interval
    date: date | None
    source_id: str
    fact_ids: tuple[str, str]

    def inverse(self) -> ImpliedRate:
        """The same rate seen from the other currency: ``1 quote = 1/rate base``."""
        with localcontext() as ctx:
            ctx.prec = 28
            rate = 1 / self.rate
        return ImpliedRate(
            self.quote,
            self.base,
            rate,
            self.interval.reciprocal(),
            self.date,
            self.source_id,
            (self.fact_ids[1], self.fact_ids[0]),
        )

    def exchange_rate(self) -> ExchangeRate | None:
        """As an :class:`aifacts.dataset.money.ExchangeRate` for conversions; ``None`` if
        undated."""
        if self.date is None:
            return None
        return ExchangeRate(
            self.base,
            self.quote,
            self.rate,
            self.date,
            source_id=self.source_id,
            note=f"implied by stating one amount in {self.base} and {self.quote} "
            f"(between {format_number(self.interval.low)} and "
            f"{format_number(self.interval.high)} given the rounding of both)",
            fact_ids=self.fact_ids,
        )

    def describe(self) -> str:
        """``'1 USD = 7.19424 CNY [6.81004, 7.58123] on 2025-07-29 (source ...)'``."""
        when = self.date.isoformat() if self.date else "an unstated date"
        return (
            f"1 {self.base} = {format_number(self.rate)} {self.quote} {self.interval} "
            f"on {when} (source {self.source_id}, facts {', '.join(self.fact_ids)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: rate and interval as exact decimal text."""
        return {
            "base": self.base,
            "quote": self.quote,
            "rate": str(self.rate),
            "interval": self.interval.to_dict(),
            "date": self.date.isoformat() if self.date else None,
            "source_id": self.source_id,
            "fact_ids": list(self.fact_ids),
        }


def _statement(fact: Fact) -> tuple[Any, ...]:
    return (
        fact.source_id,
        fact.entity_id,
        fact.metric_id,
        fact.period_start,
        fact.period_end,
        fact.status,
        fact.locator,
        fact.quote,
    )


def same_amount_pairs(context: Context) -> list[tuple[Fact, Fact]]:
    """Pairs of facts that state one amount in two currencies (the rule above)."""
    groups: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for fact in context.facts:
        if currency_of(fact.unit) is not None:
            groups[_statement(fact)].append(fact)
    pairs = []
    for group in groups.values():
        for a, b in combinations(group, 2):
            if currency_of(a.unit) != currency_of(b.unit):
                pairs.append((a, b))
    return pairs


def _base_first(a: Fact, b: Fact) -> tuple[Fact, Fact]:
    ca, cb = currency_of(a.unit) or "", currency_of(b.unit) or ""
    rank = {code: i for i, code in enumerate(_PREFERRED_BASES)}
    key_a = (rank.get(ca, len(rank)), ca)
    key_b = (rank.get(cb, len(rank)), cb)
    return (a, b) if key_a <= key_b else (b, a)


def _rate_of(context: Context, a: Fact, b: Fact) -> ImpliedRate:
    base_fact, quote_fact = _base_first(a, b)
    base = currency_of(base_fact.unit) or ""
    quote = currency_of(quote_fact.unit) or ""
    base_amount = base_fact.quantity.to(base).magnitude
    quote_amount = quote_fact.quantity.to(quote).magnitude
    with localcontext() as ctx:
        ctx.prec = 28
        rate = Decimal(quote_amount) / Decimal(base_amount)
    interval = _converted(base_fact, base, quote_fact, quote)
    if interval is None:  # a range against one number: what the two facts assert
        interval = context.interval(quote_fact, quote) / context.interval(base_fact, base)
    source = context.sources.get(base_fact.source_id)
    when = base_fact.as_of or quote_fact.as_of or (source.published if source else None)
    return ImpliedRate(
        base,
        quote,
        rate,
        interval,
        when,
        base_fact.source_id,
        (base_fact.fact_id, quote_fact.fact_id),
    )


def _converted(base_fact: Fact, base: str, quote_fact: Fact, quote: str) -> Interval | None:
    """The rates under which each number stated in ``base`` becomes the one stated in
    ``quote`` (value into value, high into high); ``None`` when the facts state
    different counts of numbers, or numbers no one rate converts."""
    bases, quotes = _numbers(base_fact, base), _numbers(quote_fact, quote)
    if len(bases) != len(quotes):
        return None
    joint: Interval | None = quotes[0] / bases[0]
    for low, high in zip(bases[1:], quotes[1:], strict=True):
        joint = joint.intersection(high / low) if joint is not None else None
    return joint


def _numbers(fact: Fact, unit: str) -> list[Interval]:
    """The numbers ``fact`` states (its value, and its high if any), each as the values
    it stands for, in ``unit``."""
    approximately = fact.qualifier is Qualifier.APPROXIMATELY
    stated = [fact.value] if fact.value_high is None else [fact.value, fact.value_high]
    return [
        convert_interval(stated_number(n, approximately=approximately), fact.unit, unit)
        for n in stated
    ]


def rates_in(context: Context) -> list[ImpliedRate]:
    """Every implied rate of the context, sorted by currency pair and facts."""
    rates = [_rate_of(context, a, b) for a, b in same_amount_pairs(context)]
    return sorted(rates, key=lambda r: (r.base, r.quote, r.fact_ids))


def implied_rates(dataset: Tables) -> list[ImpliedRate]:
    """Every exchange rate the dataset's sources imply (superseded facts left out).

    Example:
        >>> import aifacts
        >>> [(r.base, r.quote, r.source_id) for r in implied_rates(aifacts.load())][0]
        ('USD', 'CNY', 'ainews-china-ai-self-reliance')
    """
    return rates_in(Context.from_dataset(dataset))


def exchange_rates(dataset: Tables) -> list[ExchangeRate]:
    """The dated implied rates as :class:`aifacts.dataset.money.ExchangeRate`, ready for
    ``convert``."""
    out = []
    for implied in implied_rates(dataset):
        rate = implied.exchange_rate()
        if rate is not None:
            out.append(rate)
    return out


def _finding_for(context: Context, rate: ImpliedRate) -> Finding:
    base_fact = next(f for f in context.facts if f.fact_id == rate.fact_ids[0])
    quote_fact = next(f for f in context.facts if f.fact_id == rate.fact_ids[1])
    when = rate.date.isoformat() if rate.date else "no date (not usable for conversion)"
    message = (
        f"{quote_fact.value} {quote_fact.unit} = {base_fact.value} {base_fact.unit} in one "
        f"statement implies 1 {rate.base} = {format_number(rate.rate)} {rate.quote} "
        f"(between {format_number(rate.interval.low)} and {format_number(rate.interval.high)}), "
        f"as of {when}"
    )
    return Finding(
        RULE,
        Verdict.INFO,
        message,
        rate.fact_ids,
        (rate.source_id,),
        {"rate": rate.to_dict(), "inverse": rate.inverse().to_dict()},
    )


def _compare(a: ImpliedRate, b: ImpliedRate) -> Finding:
    ids = (*a.fact_ids, *b.fact_ids)
    sources = tuple(dict.fromkeys((a.source_id, b.source_id)))
    details = {"rates": [a.to_dict(), b.to_dict()]}
    pair = f"1 {a.base} in {a.quote}"
    if a.interval.overlaps(b.interval):
        message = (
            f"implied rates agree: {pair} is {a.interval} ({a.source_id}) and "
            f"{b.interval} ({b.source_id})"
        )
        return Finding(RULE, Verdict.CONSISTENT, message, ids, sources, details)
    undated = a.date is None or b.date is None
    same_day = not undated and a.date == b.date
    verdict = Verdict.INCONSISTENT if same_day else Verdict.INFO
    message = (
        f"implied rates disagree: {pair} is {a.interval} ({a.source_id}, {a.date or 'undated'}) "
        f"but {b.interval} ({b.source_id}, {b.date or 'undated'})"
    )
    if undated:
        message += "; a date is unknown, so both may be right (rates move)"
    elif not same_day:
        message += "; the dates differ, so both may be right"
    return Finding(RULE, verdict, message, ids, sources, details)


def run(context: Context) -> list[Finding]:
    """Report each implied rate, and whether rates of the same currency pair agree."""
    rates = rates_in(context)
    findings = [_finding_for(context, rate) for rate in rates]
    by_pair: dict[tuple[str, str], list[ImpliedRate]] = defaultdict(list)
    for rate in rates:
        by_pair[(rate.base, rate.quote)].append(rate)
    for group in by_pair.values():
        findings.extend(_compare(a, b) for a, b in combinations(group, 2))
    return findings
