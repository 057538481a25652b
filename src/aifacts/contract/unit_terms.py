"""What the registry's plain unit strings measure, known without importing Pint.

Importing Pint and building the registry costs about 0.3 s, and validation asks
only three things of most unit strings: which dimensions they measure (the unit rule),
for a plain number such as ``percent`` its factor (the bounds of shares), and how one
converts to another (a fact's canonical value: ``billion CNY`` is 10⁹ ``CNY``). For
the strings made of the registry's own names, a table answers all three:

- a *term*: a unit's name, symbol or alias, alone or after an SI prefix, as Pint
  accepts it (``W``, ``GW``, ``gigawatt``, ``EFLOPS``, ``robot``, ``percent``);
- a scale word and a term: ``billion USD``, ``thousand robot``.

The table (:mod:`aifacts.contract._unit_terms_data`) is generated from the project's own
unit definitions by ``python -m aifacts.release.unit_table`` and the test suite checks it
against Pint, every entry. It stays a generated table, not a computation at start,
because computing it needs Pint, whose import this module exists to avoid. Any
other string (``USD/year``, ``robots``) is Pint's to parse, as
before.

Example:
    >>> sorted(dimensions("billion USD"))
    [('[currency]', 1)]
    >>> factor("percent")
    Decimal('0.01')
    >>> ratio("MW", "GW"), ratio("month", "year"), currency("million yuan")
    (Decimal('0.001'), None, 'CNY')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact
from typing import Any

__all__ = [
    "SCALE_WORDS",
    "base_size",
    "currency",
    "defined_names",
    "dimensions",
    "factor",
    "generate",
    "one_currency",
    "ratio",
]

#: The plain numbers that may come before a term (``billion USD``).
SCALE_WORDS = ("thousand", "million", "billion", "trillion")
Dimensions = frozenset[tuple[str, Any]]
#: Names no prefix goes before in the table: Pint loops forever on ``mg`` or ``mW``
#: once it has read a doubly prefixed mass such as ``kkg``, so mass stays Pint's.
_UNPREFIXED = frozenset({"kilogram", "kg", "gram", "g"})
#: A currency's own dimension, as the registry names it (``[currency_CNY]``).
_CURRENCY = re.compile(r"^\[currency_([A-Z]{3})\]$")


@dataclass(frozen=True)
class _Term:
    """What the table says of one unit string: its dimensions, its size in the
    registry's root units as ``root / per`` (the product of the sizes of the terms it
    multiplies, over that of the terms it divides by: both exact), and its currency
    when it is an amount of exactly one currency."""

    dimensions: Dimensions
    root: Decimal
    currency: str | None
    per: Decimal = Decimal(1)


@functools.cache
def _tables() -> dict[str, _Term]:
    from aifacts.contract._unit_terms_data import DIMENSIONS, TERMS

    kinds = [frozenset(pairs) for pairs in DIMENSIONS]
    return {
        term: _Term(kinds[index], Decimal(root), money or None)
        for term, (index, root, money) in TERMS.items()
    }


@functools.lru_cache(maxsize=4096)
def _lookup(text: str) -> _Term | None:
    """What ``text`` spells: one term, or terms multiplied (``billion USD``, ``million
    GPU hour``) and then divided by one term at a time (``USD / GPU / hour``), a single
    space apart, as Pint reads them. Anything else (``USD/year``, ``USD / GPU hour``,
    two amounts of money) is left to Pint."""
    terms = _tables()
    words = text.split(" ")
    at = words.index("/") if "/" in words else len(words)
    parts = [terms.get(word) for word in words[:at]]
    signs = [1] * len(parts)
    for slash, word in zip(words[at::2], words[at + 1 :: 2], strict=False):
        parts.append(terms.get(word) if slash == "/" else None)
        signs.append(-1)
    if not at or len(words[at:]) % 2 or None in parts:
        return None
    known = [part for part in parts if part is not None]
    money = [part.currency for part in known if part.currency is not None]
    if len(money) > 1:
        return None  # two currencies: Pint says which remains
    folded: dict[str, Any] = {}
    root = per = Decimal(1)
    for part, sign in zip(known, signs, strict=True):
        for name, exponent in part.dimensions:
            folded[name] = folded.get(name, 0) + sign * exponent
        # products of a few short decimals: exact at 200 digits
        if sign > 0:
            root, per = _WIDE.multiply(root, part.root), _WIDE.multiply(per, part.per)
        else:
            root, per = _WIDE.multiply(root, part.per), _WIDE.multiply(per, part.root)
    dims = frozenset((name, exponent) for name, exponent in folded.items() if exponent)
    one = money[0] if money and dims == frozenset({("[currency]", 1)}) else None
    return _Term(dims, root, one, per)


def dimensions(text: str) -> Dimensions | None:
    """The dimensions ``text`` measures, as :func:`aifacts.contract.units.canonical_dimensions`
    gives them; ``None`` when the table does not know the string (ask Pint)."""
    term = _lookup(text)
    return None if term is None else term.dimensions


def factor(text: str) -> Decimal | None:
    """The factor of a plain-number term (``percent``: 0.01): what a quantity in it is
    in ``dimensionless``, per unit. ``None`` when the table does not know the string or
    it is not a plain number."""
    term = _lookup(text)
    return None if term is None or term.dimensions else _quotient(term.root, term.per)


def base_size(text: str) -> Decimal | None:
    """What one ``text`` is in the registry's base units (``billion USD``: 10⁹ USD;
    ``GW``: 10⁹ W); ``None`` when the table does not know the string, or the size has
    no exact 28-digit decimal (``USD / GPU / hour``). (The registry's base units are
    its root units: the test suite compares the two.)

    Example:
        >>> base_size("billion USD"), base_size("percent"), base_size("USD / GPU / hour")
        (Decimal('1E+9'), Decimal('0.01'), None)
    """
    term = _lookup(text)
    return None if term is None else _quotient(term.root, term.per)


def currency(text: str) -> str | None:
    """The currency code of an amount of one currency (``billion CNY``: ``CNY``);
    ``None`` for any other unit, or a string the table does not know."""
    term = _lookup(text)
    return None if term is None else term.currency


def ratio(unit: str, target: str) -> Decimal | None:
    """What one ``unit`` is in ``target`` (``MW`` in ``GW``: 0.001), when the table knows
    both and the quotient of their sizes is an exact decimal of at most 28 digits (then
    Pint's 28-digit arithmetic gives the very same number). ``None`` otherwise: they
    measure different things, or are two currencies, or the quotient does not end
    (``month`` in ``year``); ask Pint."""
    known, wanted = _lookup(unit), _lookup(target)
    if known is None or wanted is None or known.dimensions != wanted.dimensions:
        return None
    if known.currency != wanted.currency:
        return None  # two currencies: no fixed rate
    top, bottom = _WIDE.multiply(known.root, wanted.per), _WIDE.multiply(known.per, wanted.root)
    return _quotient(top, bottom)


def _quotient(top: Decimal, bottom: Decimal) -> Decimal | None:
    """``top / bottom`` when exact in Pint's 28 digits, else ``None``."""
    try:
        return _EXACT.divide(top, bottom)
    except Inexact:
        return None


#: Pint's decimal precision, refusing to round.
_EXACT = Context(prec=28, traps=[Inexact])
#: Room for a product of a few terms' sizes, exactly.
_WIDE = Context(prec=200, traps=[Inexact])


def defined_names(definitions: Iterable[str]) -> tuple[set[str], set[str]]:
    """The unit names and the prefixes (``""`` included) that ``definitions`` give:
    each name, symbol and alias, read as Pint's definition syntax writes them
    (``name = definition = symbol = alias…``; a prefix ends with ``-``; ``_`` is
    no symbol).

    Example:
        >>> names, prefixes = defined_names(["kilo- = 1e3 = k-", "watt = joule / second = W"])
        >>> sorted(names), sorted(prefixes)
        (['W', 'watt'], ['', 'k', 'kilo'])
    """
    names: set[str] = set()
    prefixes = {""}
    for line in definitions:
        head, *parts = (part.strip() for part in line.split("="))
        spelled = [head, *(p for p in parts[1:] if p != "_")]
        if head.endswith("-"):
            prefixes.update(p.removesuffix("-") for p in spelled)
        else:
            names.update(spelled)
    return names, prefixes


def one_currency(dimensionality: Mapping[str, Any]) -> str | None:
    """The code of the one currency a unit's dimensionality is an amount of
    (``{"[currency_CNY]": 1}``: ``CNY``); ``None`` for anything else."""
    if len(dimensionality) != 1:
        return None
    ((name, exponent),) = dimensionality.items()
    found = _CURRENCY.fullmatch(name)
    return found.group(1) if found is not None and exponent == 1 else None


def generate() -> str:
    """The source of :mod:`aifacts.contract._unit_terms_data`: every term the project's own
    unit definitions (:data:`aifacts.contract.units.UNIT_DEFINITIONS`) spell, with what Pint
    says each measures."""
    from aifacts.contract.units import UNIT_DEFINITIONS, build_registry, canonical_dimensions

    registry = build_registry()  # a new one: the shared one adds the units it parsed
    names, prefixes = defined_names(UNIT_DEFINITIONS)
    kinds: dict[Dimensions, int] = {}
    terms: dict[str, tuple[int, str, str]] = {}
    prefixable = names - _UNPREFIXED
    candidates = names | {prefix + name for prefix in prefixes for name in prefixable}
    for term in sorted(candidates | {"dimensionless"}):
        try:
            parsed = registry.parse_units(term)
            dims = canonical_dimensions(parsed)
        except Exception:  # Pint raises several unrelated types: not a term
            continue
        if not dims and term not in names | {"dimensionless"}:
            continue  # a prefixed plain number (``kpercent``): left to Pint
        root = registry.Quantity(Decimal(1), parsed).to_root_units().magnitude
        money = one_currency(parsed.dimensionality) or ""
        terms[term] = (kinds.setdefault(dims, len(kinds)), str(root), money)
    lines = [
        '"""Generated by ``python -m aifacts.release.unit_table`` from the unit registry: '
        "do not edit.",
        "",
        "TERMS: each term's dimensions (an index into DIMENSIONS), its size in root units",
        'and its currency code ("" when it is not an amount of one currency).',
        '"""',
        "",
        "DIMENSIONS = (",
        *(f"    {_pairs(dims)!r}," for dims in kinds),
        ")",
        "TERMS = {",
        *(f"    {term!r}: {entry!r}," for term, entry in terms.items()),
        "}",
        "",
    ]
    return "\n".join(lines)


def _pairs(dims: Dimensions) -> tuple[tuple[str, int], ...]:
    """The dimensions as sorted pairs with whole exponents (every unit's are)."""
    pairs = tuple(sorted((name, int(exponent)) for name, exponent in dims))
    if frozenset(pairs) != dims:
        raise ValueError(f"a dimension with a fractional exponent: {sorted(dims)}")
    return pairs
