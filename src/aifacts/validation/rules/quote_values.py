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

#: Facts whose quotes are sorted at a time (their tokens only in memory).
_CHUNK = 1 << 16


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
    """The facts whose quote does not surely state their numbers
    (:func:`aifacts.validation.rules.quote_tokens.sure`); a quote found a sure pass as
    it was read is kept empty (null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from aifacts.validation.rules.quote_tokens import sure

    facts = kept["facts"].table
    facts = facts.filter(pc.is_valid(facts["quote"]))
    if not facts.num_rows:
        return {}
    parts = (facts.slice(at, _CHUNK) for at in range(0, facts.num_rows, _CHUNK))
    doubtful = pa.concat_tables(
        [p.filter(pc.invert(sure(p["quote"], p["value"], p["value_high"]))) for p in parts]
    )
    return {"facts": doubtful} if doubtful.num_rows else {}


RULE = Rule(
    name="quote_values",
    codes=(Code.QUOTE_VALUE,),
    reads={"facts": ("quote", "value", "value_high", "unit")},
    check=check,
    suspects=suspects,
    each=("facts",),
)
