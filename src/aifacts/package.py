"""The data package on disk: find it, read its descriptor, check its files' stats.

``datapackage.json`` follows the Frictionless Data Package spec: ``name``,
``version`` (SemVer, the library's own), ``licenses``, ``contributors``,
``created``, and per resource ``path``, ``bytes``, ``hash`` (``sha256:...``) and
its Table Schema. The custom ``units`` property carries the unit definitions.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, cast

from aifacts.errors import PackageNotFoundError, UnsafeFileError, UsageError
from aifacts.problems import Code, Problem, clip
from aifacts.schema import RESOURCES, Resource

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

DESCRIPTOR = "datapackage.json"
#: Total CSV size above which ``engine="auto"`` uses the columnar engine (about 30,000 facts).
AUTO_COLUMNAR_BYTES = 5_000_000
#: Bytes of ``datapackage.json`` read at most: the release's is about 60 kB.
MAX_DESCRIPTOR_BYTES = 16 << 20
#: What a resource's ``path`` may be (the Data Package spec's rule, URLs aside).
ALLOWED_PATH = (
    "a relative path inside the package folder, folders separated by '/', "
    "such as facts.csv or data/facts.csv"
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # a scheme: https:, file:, data:...


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


@dataclass(frozen=True)
class Descriptor:
    """A parsed descriptor: where it is and what it says."""

    path: Path
    data: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resource(self, name: str) -> dict[str, Any] | None:
        """The descriptor entry of the resource ``name``, if declared (the first, should
        two share the name: :func:`read_descriptor` refuses that)."""
        for entry in self.data.get("resources", []):
            if isinstance(entry, dict) and entry.get("name") == name:
                return entry
        return None

    def where(self, entry: dict[str, Any]) -> str:
        """Where ``entry`` stands in the descriptor: ``resources[3]``."""
        for index, other in enumerate(self.data.get("resources", [])):
            if other is entry:
                return f"resources[{index}]"
        return "resources"


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


def path_problem(value: object) -> str | None:
    """Why ``value`` is not a ``path`` this package may give a resource, or ``None``.

    Only a relative path inside the package folder is read, as the Data Package spec
    requires (no absolute path, no ``..``); a URL is refused too (nothing is fetched
    from the network), and so are a NUL byte, a backslash and a drive letter.

    Example:
        >>> path_problem("data/facts.csv") is None
        True
        >>> path_problem("../outside/facts.csv")
        "'../outside/facts.csv' climbs out of the package folder with '..'"
    """
    if not isinstance(value, str):
        kind = "a list of files" if isinstance(value, list) else type(value).__name__
        return f"expected one file path (a string), not {kind}"
    if value == "":
        return "the path is empty"
    quoted = clip(value)
    if "\x00" in value:
        return f"{quoted} holds a NUL byte"
    if "\\" in value:
        return f"{quoted} holds a backslash; folders are separated by '/'"
    if re.match(r"^[A-Za-z]:", value):
        return f"{quoted} names a drive"
    if _URL.match(value) or value.startswith("//"):
        return f"{quoted} is a URL; files are read from the package folder, never fetched"
    if value.startswith("/"):
        return f"{quoted} is an absolute path"
    if ".." in value.split("/"):
        return f"{quoted} climbs out of the package folder with '..'"
    if value.endswith("/"):
        return f"{quoted} names a folder, not a file"
    return None


def resource_path(descriptor: Descriptor, entry: dict[str, Any]) -> Path | None:
    """The file the resource ``entry`` names, or ``None`` when its ``path`` is not one
    this package may name (:func:`path_problem`; :func:`read_descriptor` says why).

    The file itself is not checked yet: open it with :func:`checked_file`.
    """
    value = entry.get("path")
    if path_problem(value) is not None:
        return None
    return descriptor.folder / str(value)


def checked_file(path: Path, folder: Path) -> Path:
    """The real path of the file at ``path`` once it is known to be a regular file
    inside ``folder`` (symbolic links followed); every reader of a package's files
    opens this path, or :func:`open_regular` of it.

    Raises:
        UnsafeFileError: the file lies outside ``folder`` or is not a regular file.
        OSError: it cannot be opened (it does not exist, say).
    """
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(folder)):
        raise UnsafeFileError(
            "a symbolic link to a file outside the package folder; only files inside it are read",
            str(path),
        )
    with open_regular(real):
        return real


def open_regular(path: Path, buffering: int = -1) -> io.BufferedReader:
    """Open ``path`` for reading if it is a regular file, never following a symbolic
    link at its end, never waiting: a FIFO or a device (``/dev/zero``) is refused
    before a byte is read.

    Raises:
        UnsafeFileError: the file is not a regular file.
        OSError: it cannot be opened (a symbolic link: ``ELOOP``).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafeFileError(
                f"not a regular file ({file_kind(mode)}); only files are read", str(path)
            )
        os.set_blocking(fd, True)
        # (unbuffered, ``buffering=0``, it is an io.FileIO: it reads and reads into alike)
        handle = cast(io.BufferedReader, os.fdopen(fd, "rb", buffering=buffering))
    except BaseException:
        os.close(fd)
        raise
    return handle


def file_kind(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, as messages name it.

    Example:
        >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFREG)
        ('a FIFO', 'a regular file')
    """
    kinds = [
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_regular(path: Path, folder: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (inside ``folder`` when given: see
    :func:`checked_file`), refused when it holds more than ``limit`` bytes.

    Raises:
        UnsafeFileError: the file is refused.
        OSError: it cannot be read.
    """
    real = checked_file(path, folder) if folder is not None else Path(os.path.realpath(path))
    with open_regular(real) as handle:
        if limit is not None:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise UnsafeFileError(f"{size} bytes; at most {limit} are read", str(path))
            data = handle.read(limit + 1)
            if len(data) > limit:  # it grew meanwhile
                raise UnsafeFileError(
                    f"more than {limit} bytes; at most {limit} are read", str(path)
                )
            return data
        return handle.read()


def _problem(message: str, field: str | None = None, resource: str = "package") -> Problem:
    return Problem(resource, DESCRIPTOR, None, field, Code.DESCRIPTOR_INVALID, message)


def read_descriptor(path: Path) -> tuple[Descriptor | None, list[Problem]]:
    """Parse ``datapackage.json`` and check it; problems instead of exceptions for bad
    content.

    The file is read only if it is a regular file of at most
    :data:`MAX_DESCRIPTOR_BYTES`, and parsed within bounds
    (:func:`aifacts.json_limits.loads`: nesting, number length, repeated keys); every
    property the readers use is then checked (:mod:`aifacts.descriptor_rules`).

    Raises:
        PackageNotFoundError: the JSON is not a data package at all (no ``resources``)
            and the file is not called ``datapackage.json``, or it cannot be read.
    """
    from aifacts.descriptor_rules import descriptor_problems
    from aifacts.json_limits import MAX_DEPTH, loads

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


def file_stats(data: bytes) -> tuple[int, str]:
    """``bytes`` and ``hash`` (``sha256:<hex>``) of a file, as the descriptor records them."""
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def path_stats(path: Path, folder: Path | None = None) -> tuple[int, str]:
    """:func:`file_stats` of the file at ``path`` (inside ``folder`` when given: see
    :func:`checked_file`), read a megabyte at a time, so a big file need not fit in
    memory."""
    sha = hashlib.sha256()
    size = 0
    real = checked_file(path, folder) if folder is not None else Path(os.path.realpath(path))
    with open_regular(real) as handle:
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
    from aifacts.descriptor_rules import bytes_ok, hash_ok

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
