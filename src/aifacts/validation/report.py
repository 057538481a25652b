"""What a validation found: problems kept in report order, bounded per code.

:class:`Collector` gathers problems as the engines find them; :class:`Report` is
the verdict :func:`aifacts.validate` returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.contract.problems import Code, Problem
from aifacts.contract.schema import RESOURCES
from aifacts.io.descriptor import DESCRIPTOR

if TYPE_CHECKING:
    from aifacts.io.reading import Table

__all__ = ["MAX_PER_CODE", "Collector", "Progress", "Report", "order_key"]

#: ``progress(resource, bytes_done, bytes_total)``, called as a long validation advances.
Progress = Callable[[str, int, int], None]
#: Problems of one code kept in a report; the rest are counted in ``Report.omitted``.
MAX_PER_CODE = 100

_POSITION = {res.name: i for i, res in enumerate(RESOURCES)}


def order_key(p: Problem) -> tuple[int, str, int, str, str, str]:
    """The order problems are reported in: by resource, file, row, field, code, message."""
    rank = _POSITION.get(p.resource, -1) if p.file != DESCRIPTOR else -2
    return (rank, p.file, p.row or 0, p.field or "", p.code.value, p.message)


class Collector:
    """Keeps the first ``limit`` problems of each code (in report order) and counts the rest.

    Memory stays bounded by ``limit`` per code however many problems are added.
    """

    def __init__(self, limit: int | None = MAX_PER_CODE) -> None:
        self.limit = limit
        self._kept: dict[Code, list[Problem]] = {}
        self._counts: dict[Code, int] = {}
        self._bound: dict[Code, tuple[int, str, int, str, str, str]] = {}
        self._at_fault: set[str] = set()  # resources with a problem in their own files

    def wants(self, code: Code, resource: str, file: str, row: int | None) -> bool:
        """Whether a problem at this place could still be kept (else only :meth:`count` it)."""
        if self.limit == 0:
            return False
        bound = self._bound.get(code)
        if bound is None:
            return True
        rank = _POSITION.get(resource, -1) if file != DESCRIPTOR else -2
        return (rank, file, row or 0) <= bound[:3]

    def count(self, code: Code, n: int = 1, resource: str | None = None) -> None:
        """Count ``n`` problems of ``code`` (of ``resource``'s files) that are not kept."""
        self._counts[code] = self._counts.get(code, 0) + n
        if resource is not None and n:
            self._at_fault.add(resource)

    def clean(self, names: list[str]) -> list[str]:
        """Those of ``names`` whose files (the descriptor aside) had no problem so far."""
        return [name for name in names if name not in self._at_fault]

    def add(self, problem: Problem) -> None:
        """Add one problem; it is kept only while among the first ``limit`` of its code."""
        code = problem.code
        self._counts[code] = self._counts.get(code, 0) + 1
        if problem.file != DESCRIPTOR:
            self._at_fault.add(problem.resource)
        if self.limit == 0:
            return
        kept = self._kept.setdefault(code, [])
        kept.append(problem)
        if self.limit is not None and len(kept) > 2 * self.limit + 64:
            self._trim(code)

    def extend(self, problems: list[Problem]) -> None:
        """Add every problem of ``problems``."""
        for p in problems:
            self.add(p)

    def merge(self, other: Collector) -> None:
        """Add what ``other`` kept and counted."""
        for code, n in other._counts.items():
            kept = other._kept.get(code, [])
            for p in kept:
                self.add(p)
            self.count(code, n - len(kept))
        self._at_fault |= other._at_fault

    def _trim(self, code: Code) -> None:
        kept = self._kept[code]
        kept.sort(key=order_key)
        if self.limit is not None and len(kept) > self.limit:
            del kept[self.limit :]
            self._bound[code] = order_key(kept[-1])

    def result(self) -> tuple[list[Problem], dict[str, int]]:
        """The kept problems in report order, and the count omitted per code."""
        problems: list[Problem] = []
        omitted: dict[str, int] = {}
        for code in list(self._kept):
            self._trim(code)
            problems.extend(self._kept[code])
        for code, n in self._counts.items():
            rest = n - len(self._kept.get(code, ()))
            if rest:
                omitted[code.value] = rest
        problems.sort(key=order_key)
        return problems, dict(sorted(omitted.items()))


@dataclass
class Report:
    """The verdict on a package: ``valid``, the problems, and counts per resource.

    ``tables`` holds the records that passed their own checks, by resource name (the
    ``rows`` engine only). ``omitted`` counts, per code, the problems past the limit
    that were not kept; ``engine`` says which engine ran.
    """

    path: Path
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    omitted: dict[str, int] = field(default_factory=dict)
    row_counts: dict[str, int] | None = None
    engine: str = "rows"

    @property
    def valid(self) -> bool:
        return not self.problems and not self.omitted

    @property
    def stats(self) -> dict[str, Any]:
        """Rows read per resource, problems found and problems per code (omitted included)."""
        by_code: dict[str, int] = dict(self.omitted)
        for p in self.problems:
            by_code[p.code.value] = by_code.get(p.code.value, 0) + 1
        rows = self.row_counts
        if rows is None:
            rows = {name: len(t.rows) for name, t in self.tables.items()}
        return {
            "rows": rows,
            "problems": len(self.problems) + sum(self.omitted.values()),
            "by_code": dict(sorted(by_code.items())),
        }

    def lines(self) -> list[str]:
        """One line per problem, then ``... and N more <code> problems`` per omitted code."""
        out = [p.line() for p in self.problems]
        out += [f"... and {n} more {code} problems" for code, n in self.omitted.items()]
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``valid``, ``path``, ``stats``, ``problems``,
        ``omitted``."""
        return {
            "valid": self.valid,
            "path": str(self.path),
            "stats": self.stats,
            "problems": [p.to_dict() for p in self.problems],
            "omitted": dict(self.omitted),
        }
