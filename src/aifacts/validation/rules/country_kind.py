"""An entity's ``country`` names an entity of kind ``country``."""

from __future__ import annotations

from collections.abc import Mapping

from aifacts.contract.problems import Code
from aifacts.contract.records import Entity
from aifacts.contract.vocab import EntityKind
from aifacts.validation.rules.base import ROW, Kept, Rule, Subsets, Tables

__all__ = ["RULE"]


def check(tables: Tables) -> None:
    """Report each entity whose ``country`` is an entity of another kind."""
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


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The entities whose country is of another kind, and the entities they name."""
    import pyarrow.compute as pc

    table = kept["entities"].table
    where = pc.index_in(table["country"], value_set=table["entity_id"])
    country = EntityKind.COUNTRY.value
    wrong = pc.fill_null(pc.not_equal(pc.take(table["kind"], where), country), False)
    found = table.filter(wrong)
    if not found.num_rows:
        return {}
    named = pc.is_in(table["entity_id"], value_set=found["country"])
    return {"entities": table.filter(pc.or_(wrong, named)).sort_by(ROW)}


RULE = Rule(
    name="country_kind",
    codes=(Code.REFERENCE_KIND,),
    reads={"entities": ("kind", "country")},
    check=check,
    suspects=suspects,
)
