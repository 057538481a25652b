"""Validate a data package as a whole and report every problem found.

Two engines apply the same rules and give the same problems: ``rows`` reads every
row into a typed record (what :func:`aifacts.load` needs), ``columnar`` checks whole
columns at once with pyarrow (a dependency) and is the one for big packages.
``auto`` picks ``columnar`` for packages over :data:`AUTO_COLUMNAR_BYTES` when
pyarrow is installed. Reports stay bounded: past ``max_per_code`` problems of one
code, the rest are only counted (``Report.omitted``).

Example:
    >>> from aifacts.validation.engine import validate
    >>> report = validate()          # the bundled release
    >>> report.valid
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from aifacts.contract.problems import Code
from aifacts.contract.schema import RESOURCES
from aifacts.errors import UsageError
from aifacts.io.package import (
    AUTO_COLUMNAR_BYTES,
    Descriptor,
    bundled_path,
    check_stats,
    choose_engine,
    locate,
    read_descriptor,
    read_regular,
    resource_path,
)
from aifacts.validation.report import MAX_PER_CODE, Collector, Progress, Report

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
            from aifacts.validation.columnar import validate_columnar

            report.row_counts = validate_columnar(descriptor, collector, progress)
        else:
            _validate_rows(descriptor, report, collector)
    report.problems, report.omitted = collector.result()
    return report


def _validate_rows(descriptor: Descriptor, report: Report, collector: Collector) -> None:
    from aifacts.io.reading import Table, read_csv
    from aifacts.validation.rules import run_checks

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
        from aifacts.validation.json_forms import check_json_forms

        collector.extend(check_json_forms(descriptor, report.tables))
    for table in report.tables.values():
        collector.extend(table.problems)
