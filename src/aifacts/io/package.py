"""The data package on disk: find it, read its descriptor, check its files' stats.

``datapackage.json`` follows the Frictionless Data Package spec: ``name``,
``version`` (SemVer, the library's own), ``licenses``, ``contributors``,
``created``, and per resource ``path``, ``bytes``, ``hash`` (``sha256:...``) and
its Table Schema. The custom ``units`` property carries the unit definitions.
"""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from aifacts.contract.problems import Code, Problem, clip
from aifacts.contract.schema import RESOURCES, Resource
from aifacts.errors import PackageNotFoundError, UsageError
from aifacts.io.descriptor import DESCRIPTOR, Descriptor, bytes_ok, descriptor_problems, hash_ok
from aifacts.io.files import (
    ALLOWED_PATH,
    checked_file,
    file_kind,
    file_stats,
    open_regular,
    path_problem,
    path_stats,
    read_regular,
)

__all__ = [
    "ALLOWED_PATH",
    "AUTO_COLUMNAR_BYTES",
    "DESCRIPTOR",
    "MAX_DESCRIPTOR_BYTES",
    "Descriptor",
    "bundled_path",
    "check_stats",
    "checked_file",
    "choose_engine",
    "file_kind",
    "file_stats",
    "locate",
    "open_regular",
    "path_problem",
    "path_stats",
    "read_descriptor",
    "read_regular",
    "resource_files",
    "resource_path",
    "stats_problems",
]

#: Total CSV size above which ``engine="auto"`` uses the columnar engine (about 30,000 facts).
AUTO_COLUMNAR_BYTES = 5_000_000
#: Bytes of ``datapackage.json`` read at most: the release's is about 60 kB.
MAX_DESCRIPTOR_BYTES = 16 << 20


#: What a resource's ``path`` may be (the Data Package spec's rule, URLs aside).
def bundled_path() -> Path:
    """The ``datapackage.json`` of the release this library ships.

    An installed wheel carries it inside the package (``aifacts/datapackage``); a
    source checkout has it at the top of the repository.
    """
    library = Path(str(importlib_resources.files("aifacts")))
    inside = library / "datapackage" / DESCRIPTOR
    if inside.is_file():
        return inside
    checkout = library.resolve().parents[1] / "datapackage" / DESCRIPTOR
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
        if target.exists() and not target.is_file():
            raise PackageNotFoundError(f"{path}: its {DESCRIPTOR} is not a regular file")
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
            raise UsageError(
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
    """The checked files of the declared resources (:func:`checked_file`): those that
    exist, are regular files and lie inside the package folder."""
    files = []
    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        path = resource_path(descriptor, entry) if entry is not None else None
        if path is None:
            continue
        try:
            files.append(checked_file(path, descriptor.folder))
        except OSError:
            continue
    return files


def resource_path(descriptor: Descriptor, entry: dict[str, Any]) -> Path | None:
    """The file the resource ``entry`` names, or ``None`` when its ``path`` is not one
    this package may name (:func:`path_problem`; :func:`read_descriptor` says why).

    The file itself is not checked yet: open it with :func:`checked_file`.
    """
    value = entry.get("path")
    if path_problem(value) is not None:
        return None
    return descriptor.folder / str(value)


def _problem(message: str, field: str | None = None, resource: str = "package") -> Problem:
    return Problem(resource, DESCRIPTOR, None, field, Code.DESCRIPTOR_INVALID, message)


def read_descriptor(path: Path) -> tuple[Descriptor | None, list[Problem]]:
    """Parse ``datapackage.json`` and check it; problems instead of exceptions for bad
    content.

    The file is read only if it is a regular file of at most
    :data:`MAX_DESCRIPTOR_BYTES`, and parsed within bounds
    (:func:`aifacts.io.json_limits.loads`: nesting, number length, repeated keys); every
    property the readers use is then checked (:mod:`aifacts.io.descriptor`).

    Raises:
        PackageNotFoundError: the JSON is not a data package at all (no ``resources``)
            and the file is not called ``datapackage.json``, or it cannot be read.
    """
    from aifacts.io.json_limits import MAX_DEPTH, loads

    try:
        text = read_regular(path, limit=MAX_DESCRIPTOR_BYTES).decode("utf-8-sig")
        data = loads(text, decimal=False, max_depth=MAX_DEPTH)
    except ValueError as exc:  # not UTF-8, not JSON, nested too deep
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
    problems = descriptor_problems(descriptor)
    problems += [p for res in RESOURCES for p in _check_entry(descriptor, res)]
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
    fields = (
        entry.get("schema", {}).get("fields") if isinstance(entry.get("schema"), dict) else None
    )
    names = (
        [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else None
    )
    if names != list(res.field_names):
        problems.append(
            _problem(
                f"resource {res.name!r}: schema fields {clip(str(names))} differ from the "
                f"contract {list(res.field_names)}",
                f"{descriptor.where(entry)}.schema",
                res.name,
            )
        )
    return problems


def check_stats(res: Resource, entry: dict[str, Any], file: str, data: bytes) -> list[Problem]:
    """Compare a file's size and hash with what its descriptor entry records."""
    return stats_problems(res, entry, file, *file_stats(data))


def stats_problems(
    res: Resource, entry: dict[str, Any], file: str, size: int, digest: str
) -> list[Problem]:
    """Problems where ``size`` and ``digest`` differ from the descriptor entry's."""

    problems = []
    if bytes_ok(entry.get("bytes")) and entry["bytes"] != size:
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
    if hash_ok(entry.get("hash")) and entry["hash"] != digest:
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
