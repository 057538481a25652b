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
    [
        "robots",
        "USD/year",
        "USD / GPU hour",  # a product after a division: Pint's
        "USD / CNY",  # two currencies: Pint's
        "USD /",
        "/ USD",
        " GW",
        "GW ",
        "billion  USD",
        "gw",
        "",
    ],
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


PLAIN_NUMBERS = sorted(t for t in _unit_terms_data.TERMS if not unit_terms.dimensions(t))


@given(
    number=st.decimals(allow_nan=False, allow_infinity=False, places=None),
    unit=st.sampled_from(PLAIN_NUMBERS),
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
    for term in set(_unit_terms_data.TERMS) - {"dimensionless"}:  # the registry's own
        assert any(term == p + n for p in prefixes for n in names if term.endswith(n)), term


def _pint_ratio(unit: str, target: str) -> Decimal:
    magnitude = get_registry().Quantity(Decimal(1), parse_unit(unit)).to(target).magnitude
    assert isinstance(magnitude, Decimal)
    return magnitude


def _pint_currency(unit: str) -> str | None:
    return unit_terms.one_currency(parse_unit(unit).dimensionality)


#: Per kind of dimensions, the terms of that kind (the targets a term converts to).
KINDS: dict[frozenset[object], list[str]] = {}
for _term in sorted(_unit_terms_data.TERMS):
    KINDS.setdefault(unit_terms.dimensions(_term) or frozenset(), []).append(_term)


def test_every_term_converts_to_its_kinds_first_term_as_pint_converts() -> None:
    """The ratio, the very number (``1E+9``, ``0.001``; a quotient may end in fewer
    zeros than Pint's chain of products: ``month`` in ``day`` is 30.4375 either way),
    and the currency; a ratio with no exact decimal (``month`` in ``year``) is left to
    Pint."""
    for term in _unit_terms_data.TERMS:
        assert unit_terms.currency(term) == _pint_currency(term), term
        for target in [*KINDS[unit_terms.dimensions(term) or frozenset()][:1], term]:
            if unit_terms.currency(term) != unit_terms.currency(target):
                assert unit_terms.ratio(term, target) is None  # two currencies: no rate
                continue
            got = unit_terms.ratio(term, target)
            assert got is None or got == _pint_ratio(term, target), term
            assert got is not None or _pint_ratio(term, target).as_tuple().digits[27:], term


@given(
    kind=st.sampled_from(sorted(KINDS.values(), key=len)),
    data=st.data(),
    scales=st.tuples(*[st.sampled_from(["", *unit_terms.SCALE_WORDS])] * 2),
)
def test_two_terms_of_one_kind_convert_as_pint_converts(
    kind: list[str], data: st.DataObject, scales: tuple[str, str]
) -> None:
    unit, target = (f"{scale} {data.draw(st.sampled_from(kind))}".strip() for scale in scales)
    got = unit_terms.ratio(unit, target)
    if _pint_currency(unit) != _pint_currency(target):
        assert got is None
        return
    assert got is None or got == _pint_ratio(unit, target)  # 30.4375 days a month, both
    assert got is not None or _pint_ratio(unit, target).as_tuple().digits[27:]


def test_a_month_is_thirty_and_a_quarter_days_and_a_sixteenth() -> None:
    """365.25 days a year (our definition), twelve months: exactly 30.4375 days."""
    assert unit_terms.ratio("month", "d") == Decimal("30.4375")
    assert unit_terms.ratio("Emonth", "Ed") == Decimal("30.4375")


@given(
    products=st.lists(st.sampled_from(sorted(_unit_terms_data.TERMS)), min_size=1, max_size=3),
    divisors=st.lists(st.sampled_from(sorted(_unit_terms_data.TERMS)), max_size=2),
)
def test_products_and_quotients_of_terms_read_as_pint_reads_them(
    products: list[str], divisors: list[str]
) -> None:
    """``million GPU hour``, ``USD / GPU / hour``: the dimensions, the currency and the
    ratio to the plain product, as Pint gives them (or left to Pint)."""
    text = " / ".join([" ".join(products), *divisors])
    dims = unit_terms.dimensions(text)
    if dims is None:  # left to Pint: only two currencies are
        money = [t for t in products + divisors if unit_terms.currency(t)]
        assert len(money) > 1, text
        return
    assert dims == canonical_dimensions(parse_unit(text)), text
    assert unit_terms.currency(text) == _pint_currency(text), text
    got = unit_terms.ratio(text, products[0] + "".join(f" / {d}" for d in divisors))
    if got is not None:
        plain = products[0] + "".join(f" / {d}" for d in divisors)
        assert str(got) == str(_pint_ratio(text, plain)), text


def test_terms_of_different_kinds_have_no_ratio() -> None:
    assert unit_terms.ratio("GW", "EFLOPS") is None
    assert unit_terms.ratio("billion USD", "CNY") is None  # no fixed rate
    assert unit_terms.ratio("USD/year", "USD") is None  # not in the table: Pint's
    assert unit_terms.ratio("month", "year") is None  # 1/12 has no exact decimal: Pint's
    assert unit_terms.dimensions("GPU hour") == unit_terms.dimensions("GPU") | {("[time]", 1)}
    assert unit_terms.ratio("million GPU hour", "GPU hour") == Decimal("1E+6")


@given(
    products=st.lists(st.sampled_from(sorted(_unit_terms_data.TERMS)), min_size=1, max_size=2),
    divisor=st.sampled_from(["", *sorted(_unit_terms_data.TERMS)]),
)
def test_base_sizes_are_pints(products: list[str], divisor: str) -> None:
    """What a quote's number is compared in: one unit in the registry's base units
    (the kilogram, not Pint's root gram), as Pint's ``to_base_units`` gives it."""
    text = " ".join(products) + (f" / {divisor}" if divisor else "")
    size = unit_terms.base_size(text)
    pint_size = get_registry().Quantity(Decimal(1), parse_unit(text)).to_base_units().magnitude
    rounded = len(pint_size.as_tuple().digits) >= 28  # Pint's own 28-digit rounding
    if size is None:  # unknown to the table, or no exact decimal
        assert unit_terms.dimensions(text) is None or rounded, text
    elif rounded:  # ``Mmonth Mmonth``: Pint gives 6915848039999999999999999.999
        assert abs(size - pint_size) <= abs(size) * Decimal("1E-26"), text
    else:
        assert size == pint_size, text


def test_base_sizes_of_common_units() -> None:
    assert unit_terms.base_size("billion USD") == Decimal("1E+9")
    assert unit_terms.base_size("kg") == 1 and unit_terms.base_size("g") == Decimal("0.001")
    assert unit_terms.base_size("USD/year") is None
    assert unit_terms.base_size("USD / GPU / hour") is None  # 1/3600: no exact decimal
