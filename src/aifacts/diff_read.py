"""Read a data package as its files say, without the current contract: for :mod:`aifacts.diff`.

An old release may have other columns than today's contract, so rows are read as
text, keyed by the primary key its own ``datapackage.json`` declares.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aifacts.csv_limit import allow_big_fields
from aifacts.errors import PackageNotFoundError
from aifacts.package import locate

__all__ = ["RawPackage", "fields", "is_csv", "key_fields", "read_raw"]


@dataclass
class RawPackage:
    path: Path
    data: dict[str, Any]
    tables: dict[str, tuple[list[str], dict[str, dict[str, str]]]]


def read_raw(path: str | Path) -> RawPackage:
    descriptor_path = locate(path)
    try:
        data = json.loads(descriptor_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageNotFoundError(f"{descriptor_path}: cannot be read as JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise PackageNotFoundError(f"{descriptor_path}: not a data package (no 'resources' list)")
    tables = {}
    for entry in data["resources"]:
        if not isinstance(entry, dict) or not is_csv(entry):
            continue
        name = str(entry.get("name"))
        tables[name] = read_rows(descriptor_path.parent / str(entry["path"]), key_fields(entry))
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


def read_rows(file: Path, key: list[str]) -> tuple[list[str], dict[str, dict[str, str]]]:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageNotFoundError(f"{file}: cannot be read as UTF-8 CSV ({exc})") from None
    allow_big_fields()
    reader = csv.DictReader(io.StringIO(text, newline=""))
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
