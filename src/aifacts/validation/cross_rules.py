"""Rules across records: keys, references, units and bounds.

Each rule is a function ``(tables) -> None`` that appends problems to the table of
the row at fault. They run after every file has been read, on the records that
passed their own checks, so one broken row never hides another.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from aifacts.contract import unit_terms
from aifacts.contract.problems import Code
from aifacts.contract.records import Entity, Fact, Metric, Record
from aifacts.contract.schema import ForeignKey
from aifacts.contract.units import UnitError, canonical_dimensions, dimension_name, parse_unit
from aifacts.contract.vocab import EntityKind, MetricKind
from aifacts.io.reading import Table
from aifacts.validation.canonical_values import check_canonical_values
from aifacts.validation.claims import check_claims
from aifacts.validation.source_basis import check_source_basis

__all__ = ["RULES", "nearest", "run_checks"]

Tables = Mapping[str, Table]


def nearest(wanted: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The valid ids closest to ``wanted``, for "did you mean" hints."""
    return difflib.get_close_matches(wanted, list(choices), n=n, cutoff=0.6)


def _keys(table: Table) -> dict[str, int]:
    """Every key present in the table, including those of rows that failed their checks."""
    keys = dict(table.failed_keys)
    keys.update((record.key, row) for row, record in table.rows)
    return keys


def check_primary_keys(tables: Tables) -> None:
    """Every primary key is unique within its resource; the later duplicate is dropped."""
    for table in tables.values():
        seen: dict[str, int] = {}
        kept: list[tuple[int, Record]] = []
        for row, record in table.rows:
            if record.key in seen:
                table.problem(
                    row,
                    table.resource.primary_key,
                    Code.DUPLICATE_KEY,
                    f"{record.key!r} is already the key of row {seen[record.key]}",
                )
                continue
            seen[record.key] = row
            kept.append((row, record))
        table.rows[:] = kept


def check_foreign_keys(tables: Tables) -> None:
    """Every reference names an existing row of the referenced resource."""
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            valid = _keys(target)
            for row, record in table.rows:
                _check_reference(table, row, record, fk, valid, target.file)


def _check_reference(
    table: Table,
    row: int,
    record: Record,
    fk: ForeignKey,
    valid: Mapping[str, int],
    target_file: str,
) -> None:
    value = getattr(record, fk.field)
    if value is None or value in valid:
        return
    hint = nearest(value, valid)
    suggestion = f"; did you mean {', '.join(hint)}?" if hint else ""
    table.problem(
        row,
        fk.field,
        Code.FOREIGN_KEY,
        f"no row of {target_file} has {fk.key} {value!r}{suggestion}",
    )


def check_country_kind(tables: Tables) -> None:
    """An entity's ``country`` names an entity of kind ``country``."""
    table = tables["entities"]
    kinds = {r.key: r.kind for _, r in table.rows if isinstance(r, Entity)}
    for row, record in table.rows:
        assert isinstance(record, Entity)
        if record.country in kinds and kinds[record.country] != EntityKind.COUNTRY:
            table.problem(
                row,
                "country",
                Code.REFERENCE_KIND,
                f"{record.country!r} is a {kinds[record.country].value}, not a country",
            )


def _find_cycle(start: str, links: Mapping[str, str]) -> list[str] | None:
    path = [start]
    current = links.get(start)
    while current is not None and current not in path:
        path.append(current)
        current = links.get(current)
    if current == start:
        return [*path, start]
    return None


def check_cycles(tables: Tables) -> None:
    """``parent_id``, ``derived_from``, ``part_of`` and ``supersedes`` never loop."""
    for resource, name in (
        ("entities", "parent_id"),
        ("sources", "derived_from"),
        ("facts", "part_of"),
        ("facts", "supersedes"),
    ):
        table = tables[resource]
        links = {r.key: getattr(r, name) for _, r in table.rows if getattr(r, name) is not None}
        for row, record in table.rows:
            cycle = _find_cycle(record.key, links)
            if cycle and len(cycle) > 2:  # a record naming itself is caught by its own rules
                table.problem(
                    row, name, Code.SELF_REFERENCE, f"{name} forms a cycle: {' → '.join(cycle)}"
                )


def check_units(tables: Tables) -> None:
    """Units parse, and each fact's unit measures what its metric's unit measures."""
    metrics_table = tables["metrics"]
    metric_dims = {}
    for row, metric in metrics_table.rows:
        assert isinstance(metric, Metric)
        try:
            unit = parse_unit(metric.unit)
        except UnitError as exc:
            metrics_table.problem(row, "unit", Code.UNIT_UNKNOWN, str(exc))
            continue
        metric_dims[metric.key] = (canonical_dimensions(unit), dimension_name(unit))
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        try:
            unit = parse_unit(fact.unit)
        except UnitError as exc:
            facts.problem(row, "unit", Code.UNIT_UNKNOWN, str(exc))
            continue
        expected = metric_dims.get(fact.metric_id)
        if expected is not None and canonical_dimensions(unit) != expected[0]:
            facts.problem(
                row,
                "unit",
                Code.UNIT_DIMENSION,
                f"{fact.unit!r} is {dimension_name(unit)}, metric {fact.metric_id!r} "
                f"needs {expected[1]}",
            )


def check_bounds(tables: Tables) -> None:
    """Shares lie within 0–100 %; counts are not negative."""
    kinds = {m.key: m.kind for _, m in tables["metrics"].rows if isinstance(m, Metric)}
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        kind = kinds.get(fact.metric_id)
        if kind not in (MetricKind.SHARE, MetricKind.COUNT):
            continue
        for name in ("value", "value_high"):
            number = getattr(fact, name)
            if number is None:
                continue
            if kind is MetricKind.COUNT and number < 0:
                facts.problem(
                    row,
                    name,
                    Code.COUNT_NEGATIVE,
                    f"{number} {fact.unit} is negative; a count is 0 or more",
                )
            elif kind is MetricKind.SHARE:
                fraction = _as_fraction(number, fact.unit)
                if fraction is not None and not Decimal(0) <= fraction <= Decimal(1):
                    facts.problem(
                        row,
                        name,
                        Code.SHARE_BOUNDS,
                        f"{number} {fact.unit} is outside 0–100 % for a share",
                    )


def _as_fraction(number: Decimal, unit: str) -> Decimal | None:
    """``number`` of ``unit`` as a plain number; ``None`` when ``unit`` is not a plain
    number or does not parse. The registry's plain terms are looked up, not parsed."""
    known = unit_terms.factor(unit)
    if known is not None:
        return number * known
    if unit_terms.dimensions(unit):
        return None  # a unit problem, reported by check_units
    try:
        parsed = parse_unit(unit)
    except UnitError:
        return None
    if canonical_dimensions(parsed):
        return None  # a unit problem, reported by check_units
    from aifacts.contract.units import get_registry

    magnitude = get_registry().Quantity(number, parsed).to("dimensionless").magnitude
    return Decimal(magnitude)


def check_quote_values(tables: Tables) -> None:
    """A fact's ``value`` (and ``value_high``) is among the numbers its own quote states.

    ``US$139 million`` agrees with 139 ``million USD`` and with 139000000 ``USD``
    (:mod:`aifacts.text.agreement`); a unit that does not parse is left to :func:`check_units`.
    """
    from aifacts.text.agreement import quote_disagreement

    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        try:
            parse_unit(fact.unit)
        except UnitError:
            continue
        for name in ("value", "value_high"):
            number = getattr(fact, name)
            if number is None:
                continue
            why = quote_disagreement(fact.quote, [number], fact.unit)
            if why is not None:
                facts.problem(row, name, Code.QUOTE_VALUE, why)


#: Every rule across records, in the order they run.
RULES: tuple[Callable[[Tables], None], ...] = (
    check_primary_keys,
    check_foreign_keys,
    check_country_kind,
    check_cycles,
    check_units,
    check_bounds,
    check_quote_values,
    check_source_basis,
    check_canonical_values,
    check_claims,
)


def run_checks(tables: Tables) -> None:
    """Run every rule across records, appending problems to the tables."""
    for rule in RULES:
        rule(tables)
