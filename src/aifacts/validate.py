"""Validate a data package as a whole and report every problem found.

Example:
    >>> from aifacts.validate import validate
    >>> report = validate()          # the bundled release
    >>> report.valid
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aifacts.checks import run_checks
from aifacts.package import DESCRIPTOR, bundled_path, check_stats, locate, read_descriptor
from aifacts.problems import Code, Problem
from aifacts.reading import Table, read_csv
from aifacts.schema import RESOURCES

__all__ = ["Report", "validate"]


@dataclass
class Report:
    """The verdict on a package: ``valid``, every problem, and counts per resource.

    ``tables`` holds the records that passed their own checks, by resource name.
    """

    path: Path
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def stats(self) -> dict[str, Any]:
        """Rows read per resource and problems per code."""
        by_code: dict[str, int] = {}
        for p in self.problems:
            by_code[p.code.value] = by_code.get(p.code.value, 0) + 1
        return {
            "rows": {name: len(t.rows) for name, t in self.tables.items()},
            "problems": len(self.problems),
            "by_code": dict(sorted(by_code.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``valid``, ``path``, ``stats``, ``problems``."""
        return {
            "valid": self.valid,
            "path": str(self.path),
            "stats": self.stats,
            "problems": [p.to_dict() for p in self.problems],
        }


def validate(path: str | Path | None = None) -> Report:
    """Check the package at ``path`` (default: the bundled release) against every rule.

    Bad data never raises: it becomes problems in the report.

    Raises:
        PackageNotFoundError: ``path`` does not exist or is not a data package.
    """
    descriptor_path = bundled_path() if path is None else locate(path)
    report = Report(descriptor_path)
    descriptor, problems = read_descriptor(descriptor_path)
    report.problems.extend(problems)
    if descriptor is None:
        return report
    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        if entry is None or not isinstance(entry.get("path"), str):
            continue
        file_name = entry["path"]
        file_path = descriptor.folder / file_name
        try:
            data = file_path.read_bytes()
        except OSError as exc:
            table = Table(res, file_name)
            table.problem(None, None, Code.FILE_MISSING, f"cannot read {file_name}: {exc.strerror}")
            report.tables[res.name] = table
            continue
        report.problems.extend(check_stats(res, entry, file_name, data))
        report.tables[res.name] = read_csv(res, file_name, data)
    if len(report.tables) == len(RESOURCES):
        run_checks(report.tables)
    for table in report.tables.values():
        report.problems.extend(table.problems)
    report.problems.sort(key=_order)
    return report


def _order(p: Problem) -> tuple[int, str, int, str]:
    position = {res.name: i for i, res in enumerate(RESOURCES)}
    rank = position.get(p.resource, -1) if p.file != DESCRIPTOR else -2
    return (rank, p.file, p.row or 0, p.field or "")
