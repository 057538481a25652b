"""Regenerate the derived parts of a data package after its CSVs were edited.

``build`` rewrites ``datapackage.json`` from the contract (:mod:`aifacts.schema`),
the unit definitions (:mod:`aifacts.units`) and each file's ``bytes`` and ``hash``.
Run twice, it writes the same bytes: it is idempotent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aifacts._version import __released__, __version__
from aifacts.package import DESCRIPTOR, file_stats
from aifacts.schema import RESOURCES, table_schema
from aifacts.units import descriptor_units

__all__ = ["build", "descriptor"]

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 International",
    }
]


def descriptor(folder: Path) -> dict[str, Any]:
    """The descriptor of the package in ``folder``, with stats read from its files."""
    resources = []
    for res in RESOURCES:
        entry: dict[str, Any] = {
            "name": res.name,
            "title": res.title,
            "description": res.description,
            "path": res.path,
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
        }
        data_file = folder / res.path
        if data_file.is_file():
            size, digest = file_stats(data_file.read_bytes())
            entry["bytes"] = size
            entry["hash"] = digest
        entry["schema"] = table_schema(res)
        resources.append(entry)
    return {
        "name": "aifacts",
        "title": "aifacts: the numbers behind the US–China AI competition",
        "description": (
            "Compute, investment, subsidies, market shares, utilisation, valuations and more, "
            "each number tied to the verbatim words of the source that states it."
        ),
        "version": __version__,
        "created": f"{__released__}T00:00:00Z",
        "licenses": LICENSES,
        "contributors": [{"title": "aifacts contributors", "role": "author"}],
        "keywords": ["artificial intelligence", "China", "United States", "compute", "investment"],
        "units": descriptor_units(),
        "resources": resources,
    }


def build(folder: Path) -> Path:
    """Write ``datapackage.json`` for the package in ``folder``; return its path."""
    text = json.dumps(descriptor(folder), ensure_ascii=False, indent=2) + "\n"
    target = folder / DESCRIPTOR
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target
