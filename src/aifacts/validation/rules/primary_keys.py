"""Every primary key is unique within its resource; the later duplicate is dropped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aifacts.contract.problems import Code
from aifacts.contract.records import Record
from aifacts.contract.schema import RESOURCES, resource
from aifacts.validation.rules.base import ROW, Kept, Rule, Subsets, Tables

__all__ = ["RULE"]


def check(tables: Tables) -> None:
    """Report each row whose key an earlier row has, and drop it."""
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


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The rows whose key occurs more than once (none when all keys differ)."""
    import pyarrow.compute as pc

    out: Subsets = {}
    for name, res in kept.items():
        table, key = res.table, resource(name).primary_key
        if _all_unique(table[key], table.num_rows):
            continue
        dupes = _repeated(table[key])
        out[name] = table.filter(pc.is_in(table[key], value_set=dupes)).sort_by(ROW)
    return out


def _all_unique(keys: Any, rows: int) -> bool:
    """Whether no key repeats: at once when the keys are in strictly increasing order
    (as generated or exported ones often are), else by hashing them all."""
    import pyarrow.compute as pc

    if rows > 1 and pc.all(pc.greater(keys[1:], keys[:-1])).as_py():
        return True
    return bool(len(pc.unique(keys)) == rows)


def _repeated(keys: Any) -> Any:
    """The keys that occur more than once: counted per distinct key from the
    dictionary indices (a few bytes a row, where grouping a million keys takes
    hundreds of megabytes)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(keys.combine_chunks())
    codes = encoded.indices.drop_null().to_numpy(zero_copy_only=False)
    counts = np.bincount(codes, minlength=len(encoded.dictionary))
    return encoded.dictionary.take(pa.array(np.flatnonzero(counts > 1)))


RULE = Rule(
    name="primary_keys",
    codes=(Code.DUPLICATE_KEY,),
    reads={res.name: () for res in RESOURCES},
    check=check,
    suspects=suspects,
)
