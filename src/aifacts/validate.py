"""Validate a data package as a whole and report every problem found.

Two engines apply the same rules and give the same problems: ``rows`` reads every
row into a typed record (what :func:`aifacts.load` needs), ``columnar`` checks whole
columns at once with pyarrow (a dependency) and is the one for big packages.
``auto`` picks ``columnar`` for packages over :data:`AUTO_COLUMNAR_BYTES` when
pyarrow is installed. Reports stay bounded: past ``max_per_code`` problems of one
code, the rest are only counted (``Report.omitted``).

Example:
    >>> from aifacts.validate import validate
    >>> report = validate()          # the bundled release
    >>> report.valid
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from aifacts.errors import UsageError
from aifacts.package import (
    AUTO_COLUMNAR_BYTES,
    DESCRIPTOR,
    Descriptor,
    bundled_path,
    check_stats,
    choose_engine,
    locate,
    read_descriptor,
    read_regular,
    resource_path,
)
from aifacts.problems import Code, Problem
from aifacts.schema import RESOURCES

if TYPE_CHECKING:
    from aifacts.reading import Table

__all__ = [
    "AUTO_COLUMNAR_BYTES",
    "MAX_PER_CODE",
    "Collector",
    "Engine",
    "Progress",
    "Report",
    "validate",
]

Engine = Literal["auto", "rows", "columnar"]
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


def validate(
    path: str | Path | None = None,
    *,
    engine: Engine | str = "auto",
    max_per_code: int | None = MAX_PER_CODE,
    progress: Progress | None = None,
) -> Report:
    """Check the package at ``path`` (default: the bundled release) against every rule.

    Bad data never raises: it becomes problems in the report.

    Args:
        path: a ``datapackage.json`` or the folder holding it.
        engine: ``"rows"`` (typed records), ``"columnar"`` (pyarrow, for big packages)
            or ``"auto"`` (columnar above :data:`AUTO_COLUMNAR_BYTES` when installed).
        max_per_code: problems kept per code; ``None`` keeps every one.
        progress: called with ``(resource, bytes_done, bytes_total)`` as files are read.

    Returns:
        The :class:`Report`; ``report.valid`` is the verdict.

    Raises:
        PackageNotFoundError: ``path`` does not exist or is not a data package.
        UsageError: ``engine`` is not one of the three, or ``columnar`` without pyarrow.
    """
    if engine not in ("auto", "rows", "columnar"):
        raise UsageError(f"engine must be 'auto', 'rows' or 'columnar', not {engine!r}")
    descriptor_path = bundled_path() if path is None else locate(path)
    report = Report(descriptor_path)
    collector = Collector(max_per_code)
    descriptor, problems = read_descriptor(descriptor_path)
    collector.extend(problems)
    if descriptor is not None:
        chosen = choose_engine(engine, descriptor)
        report.engine = chosen
        if chosen == "columnar":
            from aifacts.columnar import validate_columnar

            report.row_counts = validate_columnar(descriptor, collector, progress)
        else:
            _validate_rows(descriptor, report, collector)
    report.problems, report.omitted = collector.result()
    return report


def _validate_rows(descriptor: Descriptor, report: Report, collector: Collector) -> None:
    from aifacts.checks import run_checks
    from aifacts.reading import Table, read_csv

    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        file_path = resource_path(descriptor, entry) if entry is not None else None
        if entry is None or file_path is None:
            continue  # no path, or one the descriptor's problems refuse
        file_name = entry["path"]
        try:
            data = read_regular(file_path, descriptor.folder)
        except OSError as exc:
            table = Table(res, file_name)
            table.problem(None, None, Code.FILE_MISSING, f"cannot read {file_name}: {exc.strerror}")
            report.tables[res.name] = table
            continue
        collector.extend(check_stats(res, entry, file_name, data))
        report.tables[res.name] = read_csv(res, file_name, data)
    if all(res.name in report.tables for res in RESOURCES if not res.optional):
        run_checks(report.tables)
        from aifacts.build import check_json_forms

        collector.extend(check_json_forms(descriptor, report.tables))
    for table in report.tables.values():
        collector.extend(table.problems)
