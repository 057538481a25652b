"""The one unit registry of aifacts, built from definitions kept as data.

The definitions below are in Pint's definition syntax (``name = definition = alias``;
``[dim]`` declares a new base dimension; ``prefix- = factor``). They are written
into ``datapackage.json`` under ``units`` so that readers without this library see
exactly what every unit string means.

Currencies are separate base dimensions: no fixed rate links yuan to dollars.
Counted things (households, robots, ...) are base dimensions too, so a count of
robots can never be mistaken for a count of households.

Example:
    >>> from aifacts.contract.units import get_registry
    >>> ureg = get_registry()
    >>> ureg.Quantity(90, "EFLOPS").to("PFLOPS").magnitude == 90_000
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aifacts.errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = [
    "COUNTED_THINGS",
    "CURRENCIES",
    "UNIT_DEFINITIONS",
    "UnitError",
    "build_registry",
    "canonical_dimensions",
    "descriptor_units",
    "dimension_name",
    "get_registry",
    "parse_unit",
]

#: SI prefixes used with W, Wh and FLOPS (GW, TWh, EFLOPS, ZFLOPS ...).
_PREFIXES: tuple[str, ...] = (
    "milli- = 1e-3 = m-",
    "kilo- = 1e3 = k-",
    "mega- = 1e6 = M-",
    "giga- = 1e9 = G-",
    "tera- = 1e12 = T-",
    "peta- = 1e15 = P-",
    "exa- = 1e18 = E-",
    "zetta- = 1e21 = Z-",
    "yotta- = 1e24 = Y-",
)

#: Currencies: ISO 4217 code first, then the words sources use.
CURRENCIES: Mapping[str, tuple[str, ...]] = {
    "USD": ("US_dollar", "dollar"),
    "CNY": ("yuan", "RMB", "renminbi"),
    "EUR": ("euro",),
    "HKD": ("HK_dollar",),
}

#: Counted things, each its own dimension (singular; Pint accepts the plural too).
COUNTED_THINGS: tuple[str, ...] = (
    "chip",
    "GPU",
    "robot",
    "household",
    "customer",
    "enterprise",
    "startup",
    "site",
    "company",
    "data_centre",
    "region",
    "page",
    "model",
    "researcher",
    "institution",
    "patent",
    "user",
    "worker",
    "person",
)

_BASE: tuple[str, ...] = (
    "meter = [length] = m = metre",
    "kilogram = [mass] = kg",
    "second = [time] = s = sec",
    "gram = 1e-3 * kilogram = g",
    "minute = 60 * second = min",
    "hour = 60 * minute = h = hr",
    "day = 24 * hour = d",
    "week = 7 * day",
    "year = 365.25 * day = a = yr",
    "month = year / 12",
    "quarter = year / 4",
    "joule = kilogram * meter ** 2 / second ** 2 = J",
    "watt = joule / second = W",
    "watt_hour = watt * hour = Wh",
    "percent = 0.01 = %",
    "thousand = 1e3",
    "million = 1e6",
    "billion = 1e9",
    "trillion = 1e12",
    "FLOP = [computation] = flop",
    "FLOPS = FLOP / second = flops",
)


def _currency_lines() -> tuple[str, ...]:
    return tuple(
        " = ".join((code, f"[currency_{code}]", *aliases)) for code, aliases in CURRENCIES.items()
    )


def _count_lines() -> tuple[str, ...]:
    lines = []
    for thing in COUNTED_THINGS:
        alias = " = data_center" if thing == "data_centre" else ""
        lines.append(f"{thing} = [{thing.lower()}]{alias}")
    return tuple(lines)


#: Every definition of the registry, in order: the data the registry is built from.
#: After a change, run ``python -m aifacts.release.unit_table`` to regenerate the table of
#: plain unit strings validation looks up (the test suite says when it is stale).
UNIT_DEFINITIONS: tuple[str, ...] = _PREFIXES + _BASE + _currency_lines() + _count_lines()

_CURRENCY_DIM = re.compile(r"^\[currency_[A-Z]{3}\]$")


@functools.cache
def get_registry() -> pint.UnitRegistry[Any]:
    """The aifacts unit registry, built once on first use from :data:`UNIT_DEFINITIONS`.

    Magnitudes are exact: the registry computes with :class:`decimal.Decimal`, so
    ``6.513 billion USD`` converts to exactly ``6513000000 USD``.
    """
    return build_registry()


def build_registry() -> pint.UnitRegistry[Any]:
    """A new registry built from :data:`UNIT_DEFINITIONS`, apart from the shared one
    (a registry remembers the prefixed units it has parsed)."""
    import pint

    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
        None, non_int_type=Decimal, cache_folder=None
    )
    for definition in UNIT_DEFINITIONS:
        registry.define(definition)
    return registry


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string, raising :class:`UnitError` with the reason when it is not one.

    Example:
        >>> parse_unit("billion CNY").dimensionality
        <UnitsContainer({'[currency_CNY]': 1})>
    """
    parsed = _parsed(text)
    if isinstance(parsed, str):
        raise UnitError(parsed)
    return parsed


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> pint.Unit | str:
    """:func:`parse_unit`'s answer: the unit, or why ``text`` is none. Both are kept:
    a package may state one unknown unit on many rows, and several rules ask."""
    registry = get_registry()
    if not text.strip():
        return "empty unit"
    try:
        parsed = registry.parse_units(text)
        parsed.dimensionality  # noqa: B018 - Pint may loop here, once, on a string like ``kilog``
    except RecursionError:
        # kilo- and the gram (defined from the kilogram) make Pint define the kilogram
        # again from the gram: every mass unit then loops. Start a new registry.
        get_registry.cache_clear()
        _parsed.cache_clear()
        why = "Pint cannot resolve it without looping; write kg or kilogram"
        return f"{text!r} is not a unit of the aifacts registry ({why})"
    except Exception as exc:  # pint raises several unrelated types for bad input
        return f"{text!r} is not a unit of the aifacts registry ({exc})"
    return parsed


def canonical_dimensions(unit: pint.Unit) -> frozenset[tuple[str, Any]]:
    """The unit's dimensionality with every currency folded into one ``[currency]``.

    Two units are compatible for a metric when these agree: ``billion CNY`` and
    ``USD`` both measure an amount of money, though no fixed rate converts them.
    """
    folded: dict[str, Any] = {}
    for dim, exponent in unit.dimensionality.items():
        key = "[currency]" if _CURRENCY_DIM.fullmatch(dim) else dim
        folded[key] = folded.get(key, 0) + exponent
    return frozenset((k, v) for k, v in folded.items() if v != 0)


_DIMENSION_NAMES: dict[frozenset[tuple[str, Any]], str] = {
    frozenset(): "a plain number (ratio or percentage)",
    frozenset({("[currency]", 1)}): "an amount of money",
    frozenset({("[computation]", 1), ("[time]", -1)}): "a compute rate (FLOPS)",
    frozenset({("[mass]", 1), ("[length]", 2), ("[time]", -3)}): "a power (W)",
    frozenset({("[mass]", 1), ("[length]", 2), ("[time]", -2)}): "an energy (Wh)",
    frozenset({("[time]", 1)}): "a duration",
}


def dimension_name(unit: pint.Unit) -> str:
    """A reader's name for what the unit measures: ``'a power (W)'``, ``'a count of robot'``."""
    dims = canonical_dimensions(unit)
    if dims in _DIMENSION_NAMES:
        return _DIMENSION_NAMES[dims]
    if len(dims) == 1:
        ((dim, exponent),) = dims
        if exponent == 1 and dim.strip("[]") in {t.lower() for t in COUNTED_THINGS}:
            return f"a count of {dim.strip('[]')}"
    return f"a quantity of dimension {dict(unit.dimensionality)}"


def descriptor_units() -> dict[str, Any]:
    """The registry as it is written into ``datapackage.json`` under ``units``."""
    return {
        "syntax": "Pint definitions (https://pint.readthedocs.io/en/stable/advanced/defining.html)",
        "note": (
            "Every `unit` cell parses with a Pint registry built from exactly these lines; "
            "a space multiplies ('billion CNY' is 1e9 CNY). Currencies are separate "
            "dimensions: no fixed rate links them."
        ),
        "definitions": list(UNIT_DEFINITIONS),
    }
