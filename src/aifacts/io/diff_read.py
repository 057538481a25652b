"""Read a data package as its files say, without the current contract: for
:mod:`aifacts.release.diff`.

An old release may have other columns than today's contract, so rows are read as
text, keyed by the primary key its own ``datapackage.json`` declares.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aifacts.contract.problems import Code, Problem
from aifacts.errors import PackageNotFoundError, UnsafeFileError, ValidationError
from aifacts.io.csv_limit import allow_big_fields
from aifacts.io.descriptor import bounds_problems, entry_path_problems
from aifacts.io.json_limits import MAX_DEPTH, loads
from aifacts.io.package import MAX_DESCRIPTOR_BYTES, locate, read_regular

__all__ = ["RawPackage", "fields", "is_csv", "key_fields", "read_raw"]


@dataclass
class RawPackage:
    path: Path
    data: dict[str, Any]
    tables: dict[str, tuple[list[str], dict[str, dict[str, str]]]]


def read_raw(path: str | Path) -> RawPackage:
    """The package at ``path`` as its own descriptor declares it: each CSV resource's
    header and rows by key. Its files are read as :func:`aifacts.validation.engine.validate`
    reads them: only regular files inside the package folder, the descriptor parsed
    within bounds.

    Raises:
        PackageNotFoundError: ``path`` is not a readable data package, or a file it
            names is missing or not UTF-8.
        ValidationError: the descriptor holds what no package may (a number too long
            to read, a key twice, a path outside the package), or names a file that
            is refused (outside the package folder, not a regular file).
    """
    descriptor_path = locate(path)
    try:
        raw = read_regular(descriptor_path, limit=MAX_DESCRIPTOR_BYTES)
        data = loads(raw.decode("utf-8-sig"), decimal=False, max_depth=MAX_DEPTH)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else exc
        raise PackageNotFoundError(f"{descriptor_path}: cannot be read as JSON ({why})") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise PackageNotFoundError(f"{descriptor_path}: not a data package (no 'resources' list)")
    problems = bounds_problems(data) + entry_path_problems(data)
    if problems:
        raise ValidationError(problems)
    tables = {}
    for entry in data["resources"]:
        if not isinstance(entry, dict) or not is_csv(entry):
            continue
        name = str(entry.get("name"))
        tables[name] = read_rows(
            descriptor_path.parent, str(entry["path"]), key_fields(entry), name
        )
    return RawPackage(descriptor_path, data, tables)


def is_csv(entry: dict[str, Any]) -> bool:
    path = entry.get("path")
    return isinstance(path, str) and (entry.get("format") == "csv" or path.lower().endswith(".csv"))


def key_fields(entry: dict[str, Any]) -> list[str]:
    key = schema_of(entry).get("primaryKey") or []
    return [key] if isinstance(key, str) else [str(k) for k in key]


def schema_of(entry: dict[str, Any]) -> dict[str, Any]:
    schema = entry.get("schema")
    return schema if isinstance(schema, dict) else {}


def fields(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    fields = schema_of(entry).get("fields") or []
    return {str(f["name"]): f for f in fields if isinstance(f, dict) and "name" in f}


def read_rows(
    folder: Path, file: str, key: list[str], resource: str = ""
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The header and the rows by key of the CSV ``file`` of the package in ``folder``
    (resource ``resource``): a regular file inside ``folder``.

    Raises:
        PackageNotFoundError: the file is missing or not UTF-8.
        ValidationError: the file is refused (outside the folder, not a regular file).
    """
    try:
        decoded = read_regular(folder / file, folder).decode("utf-8-sig")
    except UnsafeFileError as exc:
        message = f"cannot read {file}: {exc.strerror}"
        problem = Problem(resource, file, None, None, Code.FILE_MISSING, message)
        raise ValidationError([problem]) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else exc
        raise PackageNotFoundError(
            f"{folder / file}: cannot be read as UTF-8 CSV ({why})"
        ) from None
    allow_big_fields()
    reader = csv.DictReader(io.StringIO(decoded, newline=""))
    rows: dict[str, dict[str, str]] = {}
    try:
        header = list(reader.fieldnames or [])
        for number, row in enumerate(reader, start=2):
            ident = "|".join(row.get(k) or "" for k in key) if key else str(number)
            rows[ident] = {k: v or "" for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise PackageNotFoundError(
            f"{file}: cannot be read as CSV near line {reader.line_num} ({exc})"
        ) from None
    return header, rows
