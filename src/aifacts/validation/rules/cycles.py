"""Links between records never loop: ``parent_id``, ``derived_from``, ``part_of``,
``supersedes`` (:data:`aifacts.contract.row_rules.SELF_LINKS`; a record naming itself is
its own rule's)."""

from __future__ import annotations

from collections.abc import Mapping

from aifacts.contract.problems import Code
from aifacts.contract.row_rules import SELF_LINKS
from aifacts.contract.schema import resource
from aifacts.validation.rules.base import ROW, Kept, Rule, Subsets, Tables

__all__ = ["RULE"]


def _find_cycle(start: str, links: Mapping[str, str]) -> list[str] | None:
    path = [start]
    current = links.get(start)
    while current is not None and current not in path:
        path.append(current)
        current = links.get(current)
    if current == start:
        return [*path, start]
    return None


def check(tables: Tables) -> None:
    """Report each row on a loop of links of two rows or more."""
    for name, fields in SELF_LINKS.items():
        table = tables[name]
        for link in fields:
            links = {r.key: getattr(r, link) for _, r in table.rows if getattr(r, link)}
            for row, record in table.rows:
                cycle = _find_cycle(record.key, links)
                if cycle and len(cycle) > 2:  # a record naming itself: its own rule
                    message = f"{link} forms a cycle: {' → '.join(cycle)}"
                    table.problem(row, link, Code.SELF_REFERENCE, message)


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """Per resource, the rows whose link leads on to another link (only those can
    be on a loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: Subsets = {}
    for name, fields in SELF_LINKS.items():
        key = resource(name).primary_key
        table = kept[name].table.select([key, *fields, ROW])
        rows = []
        for link in fields:
            linked = table.filter(pc.greater(pc.binary_length(table[link]), 0))
            while True:
                onward = linked.filter(pc.is_in(linked[link], value_set=linked[key]))
                if onward.num_rows == linked.num_rows:
                    break
                linked = onward
            if linked.num_rows:
                rows.append(linked[ROW].combine_chunks())
        if rows:
            wanted = pa.concat_arrays(rows)
            out[name] = kept[name].table.filter(pc.is_in(table[ROW], value_set=wanted))
    return out


RULE = Rule(
    name="cycles",
    codes=(Code.SELF_REFERENCE,),
    reads={name: tuple(fields) for name, fields in SELF_LINKS.items()},
    check=check,
    suspects=suspects,
)
