"""Links between records never loop: ``parent_id``, ``derived_from``, ``part_of``,
``supersedes`` (:data:`aifacts.contract.row_rules.SELF_LINKS`; a record naming itself is
its own rule's)."""

from __future__ import annotations

from collections.abc import Mapping

from aifacts.contract.problems import Code
from aifacts.contract.row_rules import SELF_LINKS
from aifacts.contract.schema import resource
from aifacts.validation.rules.base import Kept, Rule, Subsets, Tables, as_mask, positions

__all__ = ["RULE", "loops"]


#: Records of a loop named in full in its message; a longer loop is cut.
_SHOWN = 10


def loops(links: Mapping[str, str]) -> dict[str, tuple[list[str], int]]:
    """Each key on a loop of ``links`` (key → the key it names): its loop, in link
    order, and where in it the key stands (one list a loop, shared by its keys). Each
    record is walked once: O(n), however long the chains.

    Example:
        >>> loops({"a": "b", "b": "c", "c": "a", "d": "a", "e": "e"})["b"]
        (['a', 'b', 'c'], 1)
    """
    found: dict[str, tuple[list[str], int]] = {}
    done: set[str] = set()
    for start in links:
        if start in done:
            continue
        path: list[str] = []
        at: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in done and current not in at:
            at[current] = len(path)
            path.append(current)
            current = links.get(current)
        if current is not None and current in at:  # this walk closed a loop
            loop = path[at[current] :]
            for i, key in enumerate(loop):
                found[key] = (loop, i)
        done.update(path)
    return found


def _shown(loop: list[str], start: int) -> str:
    """``b → c → a → b``: the loop from its record ``start``, a long loop cut short."""
    n = len(loop)
    if n <= _SHOWN:
        return " → ".join(loop[(start + k) % n] for k in range(n + 1))
    head = " → ".join(loop[(start + k) % n] for k in range(_SHOWN - 1))
    last = loop[(start - 1) % n]
    return f"{head} → … ({n - _SHOWN} more records) → {last} → {loop[start]}"


def check(tables: Tables) -> None:
    """Report each row on a loop of links of two rows or more."""
    for name, fields in SELF_LINKS.items():
        table = tables[name]
        for link in fields:
            links = {r.key: getattr(r, link) for _, r in table.rows if getattr(r, link)}
            found = loops(links)
            for row, record in table.rows:
                loop, start = found.get(record.key, ([], 0))
                if len(loop) > 1:  # a record naming itself: its own rule
                    message = f"{link} forms a cycle: {_shown(loop, start)}"
                    table.problem(row, link, Code.SELF_REFERENCE, message)


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """Per resource, the rows on a loop of links: those a row reaches again by
    following its link as many times as there are rows (by doubling: each round
    follows twice as many links, so a chain of any length takes a few rounds)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out: Subsets = {}
    for name, fields in SELF_LINKS.items():
        key = resource(name).primary_key
        table = kept[name].table
        on_loop = np.zeros(table.num_rows, dtype=bool)
        for link in fields:
            # only rows with a link can be on a loop: number those alone
            linked = np.flatnonzero(as_mask(pc.greater(pc.binary_length(table[link]), 0)))
            if not len(linked):
                continue
            rows = table.select([key, link]).take(pa.array(linked))
            step = positions(pc.index_in(rows[link], value_set=rows[key]))  # -1: none
            far, span = step, 1
            while span < len(linked):  # far: where following 2^k links leads
                far = np.where(far >= 0, far[np.maximum(far, 0)], -1)
                span *= 2
            on_loop[linked[far[far >= 0]]] = True  # reached after n links: on a loop
        if on_loop.any():
            out[name] = table.filter(pa.array(on_loop))
    return out


RULE = Rule(
    name="cycles",
    codes=(Code.SELF_REFERENCE,),
    reads={name: tuple(fields) for name, fields in SELF_LINKS.items()},
    check=check,
    suspects=suspects,
)
