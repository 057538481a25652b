"""The rules across records: one module per rule, one registry.

Each module defines one :class:`~aifacts.validation.rules.base.Rule`: its codes, the
columns it reads, its ``check`` over records (the one definition of the rule) and,
optionally, a whole-column pre-filter ``suspects``. :data:`REGISTRY` lists them in the
order they run; the row engine (:func:`run_checks`) and the columnar engine
(:mod:`aifacts.validation.columnar.rules`) both run exactly this list. A new rule is
a module here and one line in :data:`REGISTRY`.
"""

from __future__ import annotations

from aifacts.validation.rules import (
    bounds,
    canonical_values,
    claims,
    country_kind,
    cycles,
    foreign_keys,
    primary_keys,
    quote_values,
    source_basis,
    units,
)
from aifacts.validation.rules.base import Rule, Tables

__all__ = ["REGISTRY", "Rule", "reads", "run_checks"]

#: Every rule across records, in the order they run (primary keys first: they drop rows).
REGISTRY: tuple[Rule, ...] = (
    primary_keys.RULE,
    foreign_keys.RULE,
    country_kind.RULE,
    cycles.RULE,
    units.RULE,
    bounds.RULE,
    quote_values.RULE,
    source_basis.RULE,
    canonical_values.RULE,
    claims.RULE,
)


def reads(name: str) -> tuple[str, ...]:
    """The columns of resource ``name`` that some rule reads, in registry order."""
    return tuple(dict.fromkeys(c for rule in REGISTRY for c in rule.reads.get(name, ())))


def run_checks(tables: Tables) -> None:
    """The row engine: every rule on every record, appending problems to the tables."""
    for rule in REGISTRY:
        rule.check(tables)
