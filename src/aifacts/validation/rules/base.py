"""What a rule across records is, and what its check and pre-filter are given.

A :class:`Rule` is stated once: its ``check`` runs over typed records and is the one
definition of the rule. The row engine runs it on every record; the columnar engine
first runs its ``suspects`` (a whole-column pre-filter, in pyarrow) and then the same
``check`` on stand-in records of those rows only, so both engines report the very
same problems by construction.
"""

from __future__ import annotations

import difflib
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from aifacts.contract import unit_terms
from aifacts.contract.problems import Code
from aifacts.contract.records import Record
from aifacts.contract.schema import resource
from aifacts.io.reading import RECORD_TYPES, Table, parse_cell

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "ROW",
    "Hinted",
    "Kept",
    "Rule",
    "Subsets",
    "Tables",
    "as_mask",
    "encoded",
    "hints",
    "key_index",
    "nearest",
    "positions",
    "repeated",
    "stand_in_chunks",
    "stand_ins",
    "text_column",
    "unit_dimensions",
]

#: The column of a kept table that holds each row's number in its file.
ROW = "__row"

#: The tables of every resource, by name: all records (row engine) or stand-ins.
Tables = Mapping[str, Table]
#: Per resource, the kept rows (an Arrow table with :data:`ROW`) a check is to read.
Subsets = dict[str, "pa.Table"]


class Kept(Protocol):
    """One resource as a pre-filter reads it: the kept columns of the rows that
    passed their own checks (with :data:`ROW`), and the keys of those that failed."""

    table: pa.Table
    failed_keys: dict[str, int]


@dataclass(frozen=True)
class Rule:
    """One rule across records.

    Attributes:
        name: the rule's name, as docs and tests call it.
        codes: every problem code its check may report.
        reads: per resource, the columns its check reads (the key and row aside).
        check: the one definition of the rule: ``check(tables)`` appends a problem
            to the table of each row at fault (and may drop rows, as duplicate keys
            are dropped).
        suspects: a whole-column pre-filter ``suspects(kept) -> subsets``: per
            resource, the kept rows the check must read (those that may break the
            rule, and those it needs to judge them); a resource left out is read
            with no rows. ``None``: every row.
        each: the resources whose rows the check judges one at a time from the
            columns it reads of them: rows alike in those columns get alike
            problems, so the columnar engine checks one of each kind.
    """

    name: str
    codes: tuple[Code, ...]
    reads: Mapping[str, tuple[str, ...]]
    check: Callable[[Tables], None]
    suspects: Callable[[Mapping[str, Kept]], Subsets] | None = None
    each: tuple[str, ...] = field(default=())


def nearest(wanted: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The valid ids closest to ``wanted``, for "did you mean" hints."""
    return difflib.get_close_matches(wanted, list(choices), n=n, cutoff=0.6)


class Hinted(Mapping[str, int]):
    """Keys (to their row) that find their own hints, where iterating them all for
    :func:`nearest` would be too slow (a million keys)."""

    @abstractmethod
    def hints(self, wanted: str) -> list[str]:
        """What :func:`nearest` gives for ``wanted`` among these keys."""


def key_index(table: Table) -> Mapping[str, int]:
    """Every key of ``table`` to its row, the keys of rows that failed their checks
    included (they are still valid targets); a stand-in table's own index."""
    if table.index is not None:
        return table.index
    keys = dict(table.failed_keys)
    keys.update((record.key, row) for row, record in table.rows)
    return keys


def hints(wanted: str, keys: Mapping[str, int]) -> list[str]:
    """The keys of ``keys`` closest to ``wanted``."""
    if isinstance(keys, Hinted):
        return keys.hints(wanted)
    return nearest(wanted, keys)


def unit_dimensions(text: str) -> Any:
    """What ``text`` measures (as :func:`aifacts.contract.units.canonical_dimensions`),
    or ``None`` when it is not a unit. The plain terms are looked up, not parsed."""
    dims = unit_terms.dimensions(text)
    if dims is not None:
        return dims
    from aifacts.contract.units import UnitError, canonical_dimensions, parse_unit

    try:
        return canonical_dimensions(parse_unit(text))
    except UnitError:
        return None


def stand_ins(name: str, table: pa.Table) -> list[tuple[int, Record]]:
    """Stand-in records of every row of ``table`` (kept columns of resource ``name``,
    with :data:`ROW`), for a rule's ``check``: what :func:`stand_in_chunks` gives."""
    return [r for chunk in stand_in_chunks(name, table) for r in chunk]


def stand_in_chunks(
    name: str, table: pa.Table, size: int = 20_000
) -> Iterator[list[tuple[int, Record]]]:
    """Stand-in records (``model_construct``: the cells passed their checks already)
    of the rows of ``table``, ``size`` at a time, with their row numbers."""
    model = RECORD_TYPES[name]
    names = [n for n in table.column_names if n != ROW]
    for start in range(0, table.num_rows, size):
        part = table.slice(start, size)
        columns = [part[n].to_pylist() for n in names]
        rows = part[ROW].to_pylist()
        yield [
            (
                row,
                model.model_construct(
                    **{n: _value(name, n, c[i]) for n, c in zip(names, columns, strict=True)}
                ),
            )
            for i, row in enumerate(rows)
        ]


def _value(name: str, column: str, text: str | None) -> Any:
    if text is None or text == "":
        return None
    spec = resource(name).get(column)
    if spec.enum is not None:
        return spec.enum(text)
    return parse_cell(spec, text)[0]


# Small Arrow-to-numpy helpers the pre-filters share.


def text_column(col: Any) -> Any:
    """A column as strings, an empty cell as ``''`` (never null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(col.cast(pa.string()), "")


def encoded(col: Any) -> tuple[Any, Any]:
    """A column's distinct values, and each cell's position among them (numpy): one
    dictionary encoding, whose chunks share one dictionary."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = (
        pc.dictionary_encode(col).chunks
        if isinstance(col, pa.ChunkedArray)
        else [pc.dictionary_encode(col)]
    )
    if not chunks:
        return pa.array([], pa.string()), np.zeros(0, np.int64)
    at = [np.asarray(c.indices.to_numpy(zero_copy_only=False), np.int64) for c in chunks]
    return chunks[-1].dictionary, np.concatenate(at)


def positions(found: Any) -> Any:
    """``index_in`` positions as a numpy array, ``-1`` where not found."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)


#: The first rows of a batch that :func:`repeated` looks at to judge it.
_SAMPLE = 1024


def repeated(*columns: Any) -> tuple[Any, Any] | None:
    """One row of each distinct set of cells of ``columns`` (arrays of one batch, of
    equal length), when the batch's rows mostly restate them: their positions (an
    Arrow array) and each row's set (numpy, a position into the former). ``None``
    when the first rows of ``columns[0]`` mostly differ: a check of every row then
    costs less than finding the repeats.

    A check that reads only these cells, run on the rows at those positions, gives
    each row its set's verdict: ``verdicts[group]``. The release restates a quote in
    many facts (a claim in two languages, a source quoted by several facts); on the
    release replicated to a million facts, testing its quotes and notes and the
    quote-value rule's sure pass this way cost 0.8 CPU s less (see
    benchmarks/README.md).

    Example:
        >>> import pyarrow as pa
        >>> first, group = repeated(pa.array(["a", "b", "a", "a"] * 300))
        >>> first.to_pylist(), group[:4].tolist()
        ([0, 1], [0, 1, 0, 0])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    head = columns[0].slice(0, _SAMPLE)
    if len(head) < _SAMPLE or 2 * pc.count_distinct(head).as_py() > len(head):
        return None

    # codes in order of first appearance: of the first column, then of each set of
    # cells so far with the next cell
    distinct, key = encoded(columns[0])
    for col in columns[1:]:
        values, at = encoded(col)
        distinct, key = encoded(pa.array(key * len(values) + at))
    count = len(distinct)
    firsts = pc.index_in(pa.array(np.arange(count, dtype=np.int64)), value_set=pa.array(key))
    return firsts, key


def as_mask(mask: Any) -> Any:
    """A boolean Arrow column as a numpy mask (a null as false)."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
