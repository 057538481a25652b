"""What the registry's plain unit strings measure, known without importing Pint.

Importing Pint and building the registry costs about 0.1 s, and validation asks
only two things of most unit strings: which dimensions they measure (the unit rule)
and, for a plain number such as ``percent``, its factor (the bounds of shares). For
the strings made of the registry's own names, a table answers both:

- a *term*: a unit's name, symbol or alias, alone or after an SI prefix, as Pint
  accepts it (``W``, ``GW``, ``gigawatt``, ``EFLOPS``, ``robot``, ``percent``);
- a scale word and a term: ``billion USD``, ``thousand robot``.

The table (:mod:`aifacts.contract._unit_terms_data`) is generated from the project's own
unit definitions by ``python -m aifacts.release.unit_table`` and the test suite checks it
against Pint, every entry. It stays a generated table, not a computation at start,
because computing it needs Pint, whose import this module exists to avoid. Any
other string (``USD/year``, ``robots``, ``dimensionless``) is Pint's to parse, as
before.

Example:
    >>> sorted(dimensions("billion USD"))
    [('[currency]', 1)]
    >>> factor("percent")
    Decimal('0.01')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

__all__ = ["SCALE_WORDS", "defined_names", "dimensions", "factor", "generate"]

#: The plain numbers that may come before a term (``billion USD``).
SCALE_WORDS = ("thousand", "million", "billion", "trillion")
Dimensions = frozenset[tuple[str, Any]]
#: Names no prefix goes before in the table: Pint loops forever on ``mg`` or ``mW``
#: once it has read a doubly prefixed mass such as ``kkg``, so mass stays Pint's.
_UNPREFIXED = frozenset({"kilogram", "kg", "gram", "g"})


@functools.cache
def _tables() -> tuple[dict[str, Dimensions], dict[str, Decimal]]:
    from aifacts.contract._unit_terms_data import DIMENSIONS, FACTORS, TERMS

    kinds = [frozenset(pairs) for pairs in DIMENSIONS]
    return (
        {term: kinds[index] for term, index in TERMS.items()},
        {term: Decimal(text) for term, text in FACTORS.items()},
    )


def dimensions(text: str) -> Dimensions | None:
    """The dimensions ``text`` measures, as :func:`aifacts.contract.units.canonical_dimensions`
    gives them; ``None`` when the table does not know the string (ask Pint)."""
    terms, _ = _tables()
    scale, _, rest = text.partition(" ")
    if rest:
        return terms.get(rest) if scale in SCALE_WORDS else None
    return terms.get(text)


def factor(text: str) -> Decimal | None:
    """The factor of a plain-number term (``percent``: 0.01): what a quantity in it is
    in ``dimensionless``, per unit. ``None`` when the table does not know the string."""
    return _tables()[1].get(text)


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


def generate() -> str:
    """The source of :mod:`aifacts.contract._unit_terms_data`: every term the project's own
    unit definitions (:data:`aifacts.contract.units.UNIT_DEFINITIONS`) spell, with what Pint
    says each measures."""
    from aifacts.contract.units import UNIT_DEFINITIONS, build_registry, canonical_dimensions

    registry = build_registry()  # a new one: the shared one adds the units it parsed
    names, prefixes = defined_names(UNIT_DEFINITIONS)
    kinds: dict[Dimensions, int] = {}
    terms: dict[str, int] = {}
    factors: dict[str, str] = {}
    prefixable = names - _UNPREFIXED
    candidates = names | {prefix + name for prefix in prefixes for name in prefixable}
    for term in sorted(candidates):
        try:
            parsed = registry.parse_units(term)
            dims = canonical_dimensions(parsed)
        except Exception:  # Pint raises several unrelated types: not a term
            continue
        if not dims and term not in names:
            continue  # a prefixed plain number (``kpercent``): left to Pint
        terms[term] = kinds.setdefault(dims, len(kinds))
        if not dims:
            one = registry.Quantity(Decimal(1), parsed).to("dimensionless")
            factors[term] = str(one.magnitude)
    lines = [
        '"""Generated by ``python -m aifacts.release.unit_table`` from the unit registry: '
        'do not edit."""',
        "",
        "DIMENSIONS = (",
        *(f"    {_pairs(dims)!r}," for dims in kinds),
        ")",
        "TERMS = {",
        *(f"    {term!r}: {index}," for term, index in terms.items()),
        "}",
        "FACTORS = {",
        *(f"    {term!r}: {text!r}," for term, text in factors.items()),
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
