"""The data package on disk: find it, read its descriptor, check its files' stats.

``datapackage.json`` follows the Frictionless Data Package spec: ``name``,
``version`` (SemVer, the library's own), ``licenses``, ``contributors``,
``created``, and per resource ``path``, ``bytes``, ``hash`` (``sha256:...``) and
its Table Schema. The custom ``units`` property carries the unit definitions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from aifacts.errors import PackageNotFoundError
from aifacts.problems import Code, Problem
from aifacts.schema import RESOURCES, Resource

__all__ = [
    "AUTO_COLUMNAR_BYTES",
    "DESCRIPTOR",
    "Descriptor",
    "bundled_path",
    "check_stats",
    "choose_engine",
    "file_stats",
    "locate",
    "path_stats",
    "read_descriptor",
    "stats_problems",
]

DESCRIPTOR = "datapackage.json"
#: Total CSV size above which ``engine="auto"`` uses the columnar engine (about 30,000 facts).
AUTO_COLUMNAR_BYTES = 5_000_000


def bundled_path() -> Path:
    """The ``datapackage.json`` of the release this library ships.

    An installed wheel carries it inside the package (``aifacts/datapackage``); a
    source checkout has it at the top of the repository.
    """
    inside = Path(str(importlib_resources.files("aifacts"))) / "datapackage" / DESCRIPTOR
    if inside.is_file():
        return inside
    checkout = Path(__file__).resolve().parents[2] / "datapackage" / DESCRIPTOR
    if checkout.is_file():
        return checkout
    raise PackageNotFoundError(
        "the bundled data package is missing from this installation; reinstall aifacts"
    )


def locate(path: str | Path) -> Path:
    """The ``datapackage.json`` at ``path`` (the file itself, or the folder holding it).

    Raises:
        PackageNotFoundError: the path does not exist or is not a data package.
    """
    target = Path(path)
    if target.is_dir():
        target = target / DESCRIPTOR
        if not target.is_file():
            raise PackageNotFoundError(f"{path}: no {DESCRIPTOR} in this folder")
        return target
    if not target.exists():
        raise PackageNotFoundError(f"{path}: no such file or folder")
    if target.suffix.lower() != ".json":
        raise PackageNotFoundError(
            f"{path}: not a data package; give a {DESCRIPTOR} or the folder holding it"
        )
    return target


@dataclass(frozen=True)
class Descriptor:
    """A parsed descriptor: where it is and what it says."""

    path: Path
    data: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resource(self, name: str) -> dict[str, Any] | None:
        """The descriptor entry of the resource ``name``, if declared."""
        for entry in self.data.get("resources", []):
            if isinstance(entry, dict) and entry.get("name") == name:
                return entry
        return None


def choose_engine(engine: str, descriptor: Descriptor) -> str:
    """The engine that validates ``descriptor``'s package: ``"rows"`` or ``"columnar"``.

    ``"auto"`` is ``"columnar"`` when the CSV files total more than
    :data:`AUTO_COLUMNAR_BYTES` (and pyarrow, a dependency, is installed: an install
    made without dependencies falls back to ``"rows"``). Only the files' sizes are
    read; nothing is imported.

    Raises:
        ValueError: ``columnar`` is asked for but pyarrow is not installed.
    """
    import importlib.util

    installed = importlib.util.find_spec("pyarrow") is not None
    if engine == "columnar":
        if not installed:
            raise ValueError(
                "engine 'columnar' needs pyarrow, a dependency of aifacts that is not "
                "installed here: pip install 'pyarrow>=14' 'numpy>=1.24'"
            )
        return "columnar"
    if engine == "rows" or not installed:
        return "rows"
    total = 0
    for path in resource_files(descriptor):
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return "columnar" if total > AUTO_COLUMNAR_BYTES else "rows"


def resource_files(descriptor: Descriptor) -> list[Path]:
    """The CSV files of the declared resources (whether or not they exist)."""
    files = []
    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        if entry is not None and isinstance(entry.get("path"), str):
            files.append(descriptor.folder / entry["path"])
    return files


def _problem(message: str, field: str | None = None, resource: str = "package") -> Problem:
    return Problem(resource, DESCRIPTOR, None, field, Code.DESCRIPTOR_INVALID, message)


def read_descriptor(path: Path) -> tuple[Descriptor | None, list[Problem]]:
    """Parse ``datapackage.json``; problems instead of exceptions for bad content.

    Raises:
        PackageNotFoundError: the JSON is not a data package at all (no ``resources``)
            and the file is not called ``datapackage.json``.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        if path.name != DESCRIPTOR:
            raise PackageNotFoundError(f"{path}: not a data package ({exc})") from None
        return None, [_problem(f"not valid UTF-8 JSON: {exc}")]
    except OSError as exc:
        raise PackageNotFoundError(f"{path}: cannot be read ({exc.strerror})") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        if path.name != DESCRIPTOR:
            raise PackageNotFoundError(f"{path}: not a data package (no 'resources' list)")
        return None, [_problem("expected a JSON object with a 'resources' list")]
    descriptor = Descriptor(path, data)
    problems = [p for res in RESOURCES for p in _check_entry(descriptor, res)]
    return descriptor, problems


def _check_entry(descriptor: Descriptor, res: Resource) -> list[Problem]:
    entry = descriptor.resource(res.name)
    if entry is None and res.optional:
        return []
    if entry is None:
        return [
            Problem(
                res.name,
                DESCRIPTOR,
                None,
                None,
                Code.RESOURCE_MISSING,
                f"resource {res.name!r} is not declared; expected path {res.path}",
            )
        ]
    problems = []
    file_path = entry.get("path")
    if not isinstance(file_path, str) or file_path.startswith("/") or "://" in file_path:
        problems.append(
            _problem(
                f"resource {res.name!r}: 'path' must be a relative file path", "path", res.name
            )
        )
    fields = (
        entry.get("schema", {}).get("fields") if isinstance(entry.get("schema"), dict) else None
    )
    names = (
        [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else None
    )
    if names != list(res.field_names):
        problems.append(
            _problem(
                f"resource {res.name!r}: schema fields {names} differ from the contract "
                f"{list(res.field_names)}",
                "schema",
                res.name,
            )
        )
    return problems


def file_stats(data: bytes) -> tuple[int, str]:
    """``bytes`` and ``hash`` (``sha256:<hex>``) of a file, as the descriptor records them."""
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def path_stats(path: Path) -> tuple[int, str]:
    """:func:`file_stats` of the file at ``path``, read a megabyte at a time, so a big
    file need not fit in memory."""
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return size, "sha256:" + sha.hexdigest()


def check_stats(res: Resource, entry: dict[str, Any], file: str, data: bytes) -> list[Problem]:
    """Compare a file's size and hash with what its descriptor entry records."""
    return stats_problems(res, entry, file, *file_stats(data))


def stats_problems(
    res: Resource, entry: dict[str, Any], file: str, size: int, digest: str
) -> list[Problem]:
    """Problems where ``size`` and ``digest`` differ from the descriptor entry's."""
    problems = []
    if "bytes" in entry and entry["bytes"] != size:
        problems.append(
            Problem(
                res.name,
                file,
                None,
                None,
                Code.BYTES_MISMATCH,
                f"the file has {size} bytes, {DESCRIPTOR} says {entry['bytes']}; "
                "run `aifacts build` after editing",
            )
        )
    if "hash" in entry and entry["hash"] != digest:
        problems.append(
            Problem(
                res.name,
                file,
                None,
                None,
                Code.HASH_MISMATCH,
                f"the file's hash is {digest}, {DESCRIPTOR} says {entry['hash']}; "
                "run `aifacts build` after editing",
            )
        )
    return problems
