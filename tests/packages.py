"""Helpers for tests that edit a copy of a data package."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

from aifacts.io.package import file_stats

REPO = Path(__file__).resolve().parents[1]
SEEDS_ENV = "AIFACTS_SEEDS"

Rows = list[list[str]]


def seeds_dir() -> Path | None:
    """The source documents: $AIFACTS_SEEDS, else ../shared/seeds beside the repo."""
    env = os.environ.get(SEEDS_ENV)
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "seeds")
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    return None


def read_rows(folder: Path, resource: str) -> Rows:
    """All rows of a resource's CSV, header first, as lists of cell text."""
    text = (folder / f"{resource}.csv").read_text(encoding="utf-8")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def write_rows(folder: Path, resource: str, rows: Rows, *, refresh: bool = True) -> None:
    """Write rows back as canonical CSV; refresh bytes and hash unless told not to."""
    buffer = io.StringIO(newline="")
    plain = csv.writer(buffer, lineterminator="\n")
    # The csv writer quotes a cell holding its own line terminator ("\n") but not a lone
    # CR, which would then split the row: such a row is written with every cell quoted.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else plain).writerow(row)
    write_bytes(folder, resource, buffer.getvalue().encode("utf-8"), refresh=refresh)


def write_bytes(folder: Path, resource: str, data: bytes, *, refresh: bool = True) -> None:
    """Replace a resource's file with ``data``; refresh its stats in the descriptor."""
    (folder / f"{resource}.csv").write_bytes(data)
    if refresh:
        refresh_stats(folder, resource)


def refresh_stats(folder: Path, resource: str) -> None:
    """Set ``bytes`` and ``hash`` of one resource to its file's, as `aifacts build` would."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    size, digest = file_stats((folder / f"{resource}.csv").read_bytes())
    for entry in descriptor["resources"]:
        if entry["name"] == resource:
            entry["bytes"], entry["hash"] = size, digest
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_json_form(folder: Path, name: str, data: bytes, *, refresh: bool = True) -> None:
    """Replace a resource's JSON form with ``data``; refresh its ``bytes`` and ``hash``."""
    (folder / f"{name}.json").write_bytes(data)
    if refresh:
        path = folder / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        for entry in descriptor["resources"]:
            if entry["name"] == f"{name}-json":
                entry["bytes"], entry["hash"] = file_stats(data)
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")


def edit_cell(folder: Path, resource: str, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first cell is ``key``; return that row's number."""
    rows = read_rows(folder, resource)
    col = rows[0].index(column)
    for index, row in enumerate(rows):
        if index and row[0] == key:
            row[col] = value
            write_rows(folder, resource, rows)
            return index + 1
    raise KeyError(key)


def edit_rows(folder: Path, resource: str, change: Callable[[Rows], None]) -> None:
    """Apply ``change`` to the rows (header first) and write them back."""
    rows = read_rows(folder, resource)
    change(rows)
    write_rows(folder, resource, rows)
