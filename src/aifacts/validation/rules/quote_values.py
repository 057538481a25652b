"""A fact's ``value`` (and ``value_high``) is among the numbers its own quote states.

``US$139 million`` agrees with 139 ``million USD`` and with 139000000 ``USD``
(:mod:`aifacts.text.agreement`); a unit that does not parse is the units rule's.
"""

from __future__ import annotations

from collections.abc import Mapping

from aifacts.contract.problems import Code
from aifacts.contract.records import Fact
from aifacts.validation.rules.base import Kept, Rule, Subsets, Tables, unit_dimensions

__all__ = ["RULE"]


def check(tables: Tables) -> None:
    """Report each value its quote does not state."""
    from aifacts.text.agreement import quote_disagreement

    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        if unit_dimensions(fact.unit) is None:
            continue
        for name in ("value", "value_high"):
            number = getattr(fact, name)
            if number is None:
                continue
            why = quote_disagreement(fact.quote, [number], fact.unit)
            if why is not None:
                facts.problem(row, name, Code.QUOTE_VALUE, why)


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The facts whose quote does not surely state their numbers: those whose quote is
    kept. The columnar engine runs the sure pass (:func:`aifacts.validation.rules.
    quote_tokens.blank_sure`) on every batch as it reads it, and keeps a quote only
    where it is not sure; running it again here would give the same answer."""
    import pyarrow.compute as pc

    facts = kept["facts"].table
    doubtful = facts.filter(pc.is_valid(facts["quote"]))
    return {"facts": doubtful} if doubtful.num_rows else {}


RULE = Rule(
    name="quote_values",
    codes=(Code.QUOTE_VALUE,),
    reads={"facts": ("quote", "value", "value_high", "unit")},
    check=check,
    suspects=suspects,
    each=("facts",),
)
