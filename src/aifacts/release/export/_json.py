"""The ``json`` export: one object with the package's name, version and an array per resource."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from aifacts.contract.schema import RESOURCES
from aifacts.errors import ExportError
from aifacts.release.export._common import (
    Rows,
    Tables,
    readable,
    text,
)


def render(tables: Tables, meta: dict[str, Any]) -> tuple[bytes, int]:
    """The JSON bytes; numbers are JSON numbers written from their exact decimal text."""
    from aifacts.io.writing import write_json

    parts = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in meta.items()]
    for res in RESOURCES:
        body = write_json(res, tables[res.name]).decode("utf-8").rstrip("\n")
        parts.append(f"  {json.dumps(res.name)}: " + body.replace("\n", "\n  "))
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8"), 0


def read(source: Path) -> tuple[Rows, dict[str, Any]]:
    """The rows of a JSON export, as text, and its name and version."""
    try:
        data = readable(source).read_text(encoding="utf-8")
        doc = json.loads(data, parse_float=Decimal, parse_int=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{source}: not a JSON export ({exc})") from None
    if not isinstance(doc, dict):
        raise ExportError(f"{source}: expected a JSON object with one array per resource")
    rows = {}
    for res in RESOURCES:
        items = doc.get(res.name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ExportError(f"{source}: {res.name!r} is not an array of row objects")
        rows[res.name] = [{k: text(v) for k, v in row.items()} for row in items]
    return rows, {k: doc.get(k) for k in ("name", "version")}
