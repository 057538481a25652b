"""The table of plain unit strings says what Pint says, entry by entry.

Validation looks unit strings up in :mod:`aifacts.contract.unit_terms` instead of parsing them
with Pint; a wrong entry would let a unit of the wrong dimension through, or report
a share out of bounds that is not. So the table must be exactly what the registry
gives: regenerated here and compared, and every string it answers for (each term,
and each term after a scale word) is parsed by Pint and compared.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aifacts.contract import _unit_terms_data, unit_terms
from aifacts.contract.units import canonical_dimensions, get_registry, parse_unit
from aifacts.validation.rules import bounds

DATA = Path(unit_terms.__file__).with_name("_unit_terms_data.py")


def test_the_table_is_what_the_registry_generates() -> None:
    assert DATA.read_text(encoding="utf-8") == unit_terms.generate(), (
        "the unit registry changed: run `python -m aifacts.release.unit_table` "
        "to regenerate the table"
    )


def test_every_term_measures_what_pint_says() -> None:
    assert len(_unit_terms_data.TERMS) > 500  # names, symbols, aliases, with prefixes
    for term in _unit_terms_data.TERMS:
        assert unit_terms.dimensions(term) == canonical_dimensions(parse_unit(term)), term


@pytest.mark.parametrize("scale", unit_terms.SCALE_WORDS)
def test_every_term_after_a_scale_word_measures_what_pint_says(scale: str) -> None:
    for term in _unit_terms_data.TERMS:
        text = f"{scale} {term}"
        assert unit_terms.dimensions(text) == canonical_dimensions(parse_unit(text)), text


@pytest.mark.parametrize(
    "text",
    ["robots", "USD/year", "USD / year", " GW", "GW ", "billion  USD", "GW billion", "gw", ""],
)
def test_other_strings_are_left_to_pint(text: str) -> None:
    assert unit_terms.dimensions(text) is None
    assert unit_terms.factor(text) is None


def test_common_units_are_known() -> None:
    money = frozenset({("[currency]", 1)})
    assert unit_terms.dimensions("billion USD") == money
    assert unit_terms.dimensions("million yuan") == money
    assert unit_terms.dimensions("GW") == unit_terms.dimensions("watt")
    assert unit_terms.dimensions("percent") == frozenset()
    assert unit_terms.factor("%") == Decimal("0.01")
    assert unit_terms.factor("GW") is None  # not a plain number


def _pint_fraction(number: Decimal, unit: str) -> Decimal:
    quantity = get_registry().Quantity(number, parse_unit(unit)).to("dimensionless")
    return Decimal(quantity.magnitude)


@given(
    number=st.decimals(allow_nan=False, allow_infinity=False, places=None),
    unit=st.sampled_from(sorted(_unit_terms_data.FACTORS)),
)
def test_a_plain_number_term_converts_as_pint_converts(number: Decimal, unit: str) -> None:
    assert bounds.as_fraction(number, unit) == _pint_fraction(number, unit)


@given(unit=st.sampled_from(sorted(_unit_terms_data.TERMS)))
def test_a_term_with_dimensions_is_no_fraction(unit: str) -> None:
    fraction = bounds.as_fraction(Decimal(1), unit)
    if unit_terms.dimensions(unit):
        assert fraction is None
    else:
        assert fraction == _pint_fraction(Decimal(1), unit)


def test_the_terms_are_the_names_our_own_definitions_spell() -> None:
    """Each name our definitions spell is a name Pint reads as that definition, and every
    term of the table is such a name, alone or after one of our prefixes."""
    from aifacts.contract.units import UNIT_DEFINITIONS, build_registry

    names, prefixes = unit_terms.defined_names(UNIT_DEFINITIONS)
    registry = build_registry()
    heads = {line.partition("=")[0].strip() for line in UNIT_DEFINITIONS}
    assert {"USD", "dollar", "FLOPS", "W", "watt", "%"} <= names and {"", "E", "exa"} <= prefixes
    for name in names:
        assert registry.get_name(name) in heads, name
    for term in _unit_terms_data.TERMS:
        assert any(term == p + n for p in prefixes for n in names if term.endswith(n)), term
