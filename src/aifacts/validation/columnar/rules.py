"""The columnar engine's run of the rule registry (:data:`aifacts.validation.rules.REGISTRY`).

Each rule's ``suspects`` finds, whole-column, the few rows that may break it; those
rows alone become stand-in records and go through the rule's own ``check``, so each
problem is the very one the row engine reports. The suspects of every rule are
computed ahead in threads (Arrow lets go of the GIL), again when an earlier rule
dropped rows. Rows a rule judges one at a time (``Rule.each``) are checked once per
distinct set of the cells it reads, in chunks, so memory stays bounded.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract.problems import Problem
from aifacts.contract.schema import RESOURCES, resource
from aifacts.io.reading import Table
from aifacts.validation import rules as registry
from aifacts.validation.columnar.hints import Keys
from aifacts.validation.columnar.read import Kept
from aifacts.validation.rules.base import (
    ROW,
    Hinted,
    Rule,
    Subsets,
    nearest,
    stand_in_chunks,
    stand_ins,
)
from aifacts.validation.rules.foreign_keys import present

if TYPE_CHECKING:
    from aifacts.validation.report import Collector

__all__ = ["run_rules"]

Resources = MutableMapping[str, Kept]


class _Sorted(Sequence[str]):
    """A sorted string array, as a sequence :mod:`bisect` can search."""

    def __init__(self, keys: pa.Array) -> None:
        self.keys = keys.take(pc.sort_indices(keys))

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, at: Any) -> Any:
        return self.keys[at].as_py()


class ColumnKeys(Hinted):
    """The keys of a kept resource (and of its failed rows), for the rules' lookups:
    sorted once on the first lookup, and hints found by :class:`Keys`' bounds."""

    def __init__(self, res: Kept) -> None:
        self._res = res
        self._sorted: _Sorted | None = None
        self._hints: Keys | None = None

    def _array(self) -> pa.Array:
        return present(self._res, resource(self._res.name).primary_key).combine_chunks()

    def __contains__(self, key: object) -> bool:
        if self._sorted is None:
            self._sorted = _Sorted(pc.unique(self._array()))
        at = bisect.bisect_left(self._sorted, key)
        return at < len(self._sorted) and self._sorted[at] == key

    def __getitem__(self, key: str) -> int:
        raise KeyError(key)  # only membership and hints are asked of it

    def __iter__(self) -> Iterator[str]:
        return iter(self._array().to_pylist())

    def __len__(self) -> int:
        return len(self._array())

    def hints(self, wanted: str) -> list[str]:
        if self._hints is None:
            self._hints = Keys(self._array())
        return nearest(wanted, self._hints.candidates(wanted))


def _every_row(kept: Mapping[str, Kept], rule: Rule) -> Subsets:
    return {name: kept[name].table for name in rule.reads if name in kept}


def _one_of_each(rule: Rule, name: str, rows: pa.Table) -> tuple[pa.Table, Any, Any]:
    """One row per distinct set of the cells ``rule`` reads of ``name``; each row's
    group (its representative's position), as a numpy array."""
    columns = rule.reads[name]
    if not columns or not rows.num_rows:
        return rows, np.arange(rows.num_rows), rows[ROW].to_numpy()
    # as strings (the kept quotes are dictionary-encoded); \x01 is never a kept cell
    cells = [pc.fill_null(rows[c].cast(pa.string()), "\x01") for c in columns]
    key = pc.binary_join_element_wise(*cells, "\x00") if len(cells) > 1 else cells[0]
    distinct = pc.unique(key)
    first = pc.index_in(distinct, value_set=key)
    group = pc.index_in(key, value_set=distinct).to_numpy(zero_copy_only=False)
    picked = rows.take(first)
    return picked, group, rows[ROW].to_numpy()


def _spread(found: list[Problem], picked: pa.Table, group: Any, rows: Any) -> Iterator[Problem]:
    """The problems of the representatives, at every row of their group."""
    position = {row: at for at, row in enumerate(picked[ROW].to_pylist())}
    for problem in found:
        at = position.get(problem.row) if problem.row is not None else None
        if at is None:
            yield problem
            continue
        for row in rows[group == at].tolist():
            yield dataclasses.replace(problem, row=row)


def _run(rule: Rule, kept: Resources, subsets: Subsets, out: Collector) -> None:
    """Run ``rule.check`` on stand-in records of ``subsets``; drop the rows it drops."""
    tables = {n: Table(resource(n), k.file, index=ColumnKeys(k)) for n, k in kept.items()}
    chunked = [n for n in rule.each if n in subsets]
    for name, rows in subsets.items():
        if name not in chunked:
            tables[name].rows = stand_ins(name, rows)
    before = {n: {r for r, _ in tables[n].rows} for n in subsets if n not in chunked}
    if not chunked:
        rule.check(tables)
        for table in tables.values():
            out.extend(table.problems)
    for turn, name in enumerate(chunked):
        picked, group, rows = _one_of_each(rule, name, subsets[name])
        chunks = stand_in_chunks(name, picked) if picked.num_rows else iter([[]])
        for part, chunk in enumerate(chunks):
            tables[name].rows = chunk
            rule.check(tables)
            for other, table in tables.items():
                if other == name:
                    out.extend(list(_spread(table.problems, picked, group, rows)))
                elif not turn and not part:  # the context's problems, once
                    out.extend(table.problems)
                table.problems.clear()
        tables[name].rows = []
    for name, rows_before in before.items():
        dropped = rows_before - {r for r, _ in tables[name].rows}
        if dropped:
            res = kept[name]
            wanted = pa.array(sorted(dropped), pa.int64())
            res.table = res.table.filter(pc.invert(pc.is_in(res.table[ROW], value_set=wanted)))
            res.changed = True


def run_rules(kept: Resources, out: Collector) -> None:
    """Run every rule of the registry, in its order, on the kept columns."""
    assert {res.name for res in RESOURCES if not res.optional} <= set(kept)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ahead: dict[str, Future[Subsets]] = {
            rule.name: pool.submit(rule.suspects, kept)
            for rule in registry.REGISTRY
            if rule.suspects is not None
        }
        for rule in registry.REGISTRY:
            if rule.suspects is None:
                subsets = _every_row(kept, rule)
            elif any(k.changed for k in kept.values()):
                subsets = rule.suspects(kept)  # rows were dropped since it was computed
            else:
                subsets = ahead[rule.name].result()
            _run(rule, kept, subsets, out)
