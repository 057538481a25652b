"""Every reference names an existing row of the referenced resource (or the key of a
row that failed its own checks: one bad cell does not cascade into broken references)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aifacts.contract.problems import Code
from aifacts.contract.schema import RESOURCES, ForeignKey, resource
from aifacts.validation.rules.base import ROW, Kept, Rule, Subsets, Tables, hints, key_index

__all__ = ["RULE", "present"]


def check(tables: Tables) -> None:
    """Report each reference that names no row of its target."""
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            valid = key_index(target)
            for row, record in table.rows:
                value = getattr(record, fk.field)
                if value is None or value in valid:
                    continue
                hint = hints(value, valid)
                suggestion = f"; did you mean {', '.join(hint)}?" if hint else ""
                table.problem(
                    row,
                    fk.field,
                    Code.FOREIGN_KEY,
                    f"no row of {target.file} has {fk.key} {value!r}{suggestion}",
                )


def present(target: Kept, key: str) -> Any:
    """The keys a reference to ``target`` may name: its kept keys and failed rows'
    keys (in chunks, as read: joining a million keys is a copy)."""
    import pyarrow as pa

    failed = pa.array(list(target.failed_keys), pa.string())
    return pa.chunked_array([*target.table[key].chunks, failed], pa.string())


def _broken(kept: Mapping[str, Kept], name: str, fk: ForeignKey) -> Any:
    """The row numbers of ``name`` whose ``fk`` names no row of its target."""
    import pyarrow.compute as pc

    table = kept[name].table.select([fk.field, ROW])
    if resource(name).get(fk.field).required is False:
        table = table.filter(pc.greater(pc.binary_length(table[fk.field]), 0))
    if not table.num_rows:
        return table[ROW]
    keys = present(kept[fk.resource], fk.key)
    if table.num_rows < len(keys):
        # Hash the fewer distinct names and probe the keys with them, not the reverse
        # (``part_of`` names a few of a million facts); else probe the keys directly.
        named = pc.unique(table[fk.field])
        known = pc.unique(keys.filter(pc.is_in(keys, value_set=named)))
    else:
        known = keys.combine_chunks()
    return table.filter(pc.invert(pc.is_in(table[fk.field], value_set=known)))[ROW]


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The rows with a reference that names no row of its target."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: Subsets = {}
    for name, res in kept.items():
        broken = [
            _broken(kept, name, fk).combine_chunks()
            for fk in resource(name).foreign_keys
            if fk.resource in kept
        ]
        rows = [b for b in broken if len(b)]
        if rows:
            wanted = pa.concat_arrays(rows) if len(rows) > 1 else rows[0]
            out[name] = res.table.filter(pc.is_in(res.table[ROW], value_set=wanted))
    return out


RULE = Rule(
    name="foreign_keys",
    codes=(Code.FOREIGN_KEY,),
    reads={res.name: tuple(fk.field for fk in res.foreign_keys) for res in RESOURCES},
    check=check,
    suspects=suspects,
    each=tuple(res.name for res in RESOURCES if res.foreign_keys),
)
