"""What ``datapackage.json`` may say: every property the readers rely on, checked like data.

A descriptor comes with the package and is as untrusted as its CSV files. Each
property the readers act on is checked against what they implement, and anything
else is refused with a problem that names the property
(``datapackage.json:resources[3].dialect.delimiter: ...``) and what is allowed:

- ``resources``: objects, each named once, by a name this package knows (a resource
  of the contract or its ``-json`` form; any other name is refused, not ignored);
- ``path``: :func:`aifacts.io.package.path_problem` (a relative path inside the package
  folder; no absolute path, ``..``, URL, NUL, backslash or drive);
- ``encoding``: UTF-8 only; ``dialect``: only the CSV the readers read (``,``
  between cells, ``"`` around them, doubled to escape, a header row); ``format``,
  ``mediatype``, ``scheme``: those of the resource's form (CSV or JSON, a file); no
  ``compression``;
- ``bytes``: a whole number of bytes; ``hash``: ``sha256:`` and 64 hexadecimal digits;
- ``units``: the object ``aifacts build`` writes (``syntax``, ``note``, ``definitions``,
  a list of text lines);
- anywhere: no number longer than :data:`~aifacts.io.json_limits.MAX_NUMBER` characters,
  no object with a key twice.

Frictionless (``frictionless validate``) refuses an unknown dialect and a repeated
name too; it accepts other encodings, which these readers do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aifacts.contract.problems import Code, Problem, clip
from aifacts.contract.schema import RESOURCES
from aifacts.io.files import ALLOWED_PATH, path_problem
from aifacts.io.json_limits import LongNumber, Repeated, clip_number

__all__ = [
    "DESCRIPTOR",
    "JSON_NAMES",
    "JSON_SUFFIX",
    "Descriptor",
    "bounds_problems",
    "bytes_ok",
    "descriptor_problems",
    "entry_path_problems",
    "hash_ok",
    "json_path",
]

#: The name of a resource's JSON form in ``datapackage.json``: ``facts`` → ``facts-json``.
JSON_SUFFIX = "-json"


def json_path(name: str) -> str:
    """The file of the JSON form of resource ``name``, relative to ``datapackage.json``."""
    return f"{name}.json"


DESCRIPTOR = "datapackage.json"
#: The names of the JSON forms: ``facts`` → ``facts-json`` (as :mod:`aifacts.release.build`
#: names them).
JSON_NAMES = {res.name + "-json": res.name for res in RESOURCES}
_CSV_NAMES = [res.name for res in RESOURCES]
_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
#: The CSV dialect the readers implement: each property's allowed values.
_DIALECT: dict[str, tuple[Any, ...]] = {
    "delimiter": (",",),
    "quoteChar": ('"',),
    "doubleQuote": (True,),
    "header": (True,),
    "headerRow": (1,),
    "skipInitialSpace": (False,),
    "lineTerminator": ("\n", "\r\n"),
    "caseSensitiveHeader": (True, False),
}
_FORMS = {  # format, mediatype
    "csv": ("csv", "text/csv"),
    "json": ("json", "application/json"),
}
_UNIT_KEYS = ("syntax", "note", "definitions")
_UNIT_LINE = 500  # characters of one unit definition


def bytes_ok(value: object) -> bool:
    """Whether ``value`` is a ``bytes`` this package may record: a whole number ≥ 0."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def hash_ok(value: object) -> bool:
    """Whether ``value`` is a ``hash`` this package may record: ``sha256:<64 hex>``."""
    return isinstance(value, str) and _HASH.match(value) is not None


def _show(value: object) -> str:
    return clip(value) if isinstance(value, str) else clip(str(value))


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


def _problem(where: str, message: str, resource: str = "package") -> Problem:
    return Problem(resource, DESCRIPTOR, None, where, Code.DESCRIPTOR_INVALID, message)


def descriptor_problems(descriptor: Descriptor) -> list[Problem]:
    """Every problem of the descriptor's own properties (see the module's docstring)."""
    data = descriptor.data
    problems = bounds_problems(data)
    if "units" in data:
        problems += _units(data["units"])
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["resources"]):
        where = f"resources[{index}]"
        if not isinstance(entry, dict):
            problems.append(_problem(where, "expected an object describing one resource"))
            continue
        name = entry.get("name")
        if not isinstance(name, str) or (name not in _CSV_NAMES and name not in JSON_NAMES):
            known = ", ".join([*_CSV_NAMES, *JSON_NAMES])
            problems.append(
                _problem(
                    f"{where}.name",
                    f"{_show(name)} is not a resource of this package (it is refused, not "
                    f"ignored); expected one of: {known}",
                )
            )
            name = None
        elif name in seen:
            problems.append(
                _problem(
                    f"{where}.name",
                    f"{name!r} names resources[{seen[name]}] too; each resource has its own name",
                    name,
                )
            )
        else:
            seen[name] = index
        problems += [
            _problem(f"{where}.{prop}", message, name or "package")
            for prop, message in _entry(entry, "json" if name in JSON_NAMES else "csv")
        ]
    return problems


def bounds_problems(data: Any) -> list[Problem]:
    """Numbers too long to read and objects with a key twice, anywhere in the parsed
    descriptor ``data`` (:func:`aifacts.io.json_limits.loads` marks them)."""
    return [_problem(where, message) for where, message in _bounds(data, "")]


def _bounds(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Numbers too long to read and objects with a key twice, anywhere in ``value``."""
    if isinstance(value, LongNumber):
        yield where or "(top)", clip_number(value)
    elif isinstance(value, dict):
        if isinstance(value, Repeated):
            for key in value.repeated:
                yield f"{where}.{key}" if where else key, "the key appears twice in one object"
        for key, item in value.items():
            yield from _bounds(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bounds(item, f"{where}[{index}]")


def entry_path_problems(data: dict[str, Any]) -> list[Problem]:
    """The ``path`` of each resource of the parsed descriptor ``data`` that is not one
    a package may give (:func:`aifacts.io.package.path_problem`), whatever its name."""
    problems = []
    for index, entry in enumerate(data.get("resources", [])):
        message = _path(entry) if isinstance(entry, dict) else None
        if message is not None:
            problems.append(_problem(f"resources[{index}].path", message))
    return problems


def _path(entry: dict[str, Any]) -> str | None:

    why = path_problem(entry.get("path"))
    return None if why is None else f"{why}; expected {ALLOWED_PATH}"


def _entry(entry: dict[str, Any], form: str) -> Iterator[tuple[str, str]]:
    """(property, message) for each property of a resource entry the readers cannot honour."""
    path = _path(entry)
    if path is not None:
        yield "path", path
    encoding = entry.get("encoding")
    if encoding is not None and (
        not isinstance(encoding, str) or encoding.lower().replace("_", "-") not in ("utf-8", "utf8")
    ):
        yield "encoding", f"{_show(encoding)} is not read; the package's files are UTF-8 ('utf-8')"
    fmt, mediatype = _FORMS[form]
    for prop, allowed in (("format", fmt), ("mediatype", mediatype), ("scheme", "file")):
        if prop in entry and entry[prop] != allowed:
            yield prop, f"{_show(entry[prop])} is not read; expected {allowed!r}"
    if "compression" in entry:
        yield "compression", f"{_show(entry['compression'])} is not read; files are not compressed"
    if "dialect" in entry:
        yield from _dialect(entry["dialect"], form)
    size = entry.get("bytes")
    if "bytes" in entry and not isinstance(size, LongNumber) and not bytes_ok(size):
        yield "bytes", f"{_show(size)} is not a size; expected a whole number ≥ 0"
    if "hash" in entry and not hash_ok(entry["hash"]):
        yield "hash", f"{_show(entry['hash'])}: expected 'sha256:' and 64 hexadecimal digits"


def _dialect(dialect: Any, form: str) -> Iterator[tuple[str, str]]:
    if form != "csv":
        yield "dialect", "a JSON form has no CSV dialect"
        return
    if not isinstance(dialect, dict):
        yield "dialect", f"{_show(dialect)}: expected an object"
        return
    for key, value in dialect.items():
        allowed = _DIALECT.get(key)
        if allowed is None:
            yield (
                f"dialect.{key}",
                (
                    f"{_show(key)} is not read; a dialect may set only "
                    f"{', '.join(_DIALECT)}, to the CSV the readers read"
                ),
            )
        elif not any(value == a and type(value) is type(a) for a in allowed):
            choices = " or ".join(repr(a) for a in allowed)
            yield (
                f"dialect.{key}",
                (f"{_show(value)} is not read; the package's CSV files use {choices}"),
            )


def _units(units: Any) -> list[Problem]:
    """The ``units`` property: the object ``aifacts build`` writes."""
    shape = "an object with 'syntax', 'note' and 'definitions' (a list of text lines)"
    if not isinstance(units, dict):
        return [_problem("units", f"{_show(units)}: expected {shape}")]
    problems = []
    for key in units:
        if key not in _UNIT_KEYS:
            problems.append(_problem(f"units.{key}", f"unexpected property; expected {shape}"))
    for key in ("syntax", "note"):
        if key in units and not isinstance(units[key], str):
            problems.append(_problem(f"units.{key}", f"{_show(units[key])}: expected text"))
    lines = units.get("definitions")
    if not isinstance(lines, list):
        return [*problems, _problem("units.definitions", f"{_show(lines)}: expected {shape}")]
    for index, line in enumerate(lines):
        if not isinstance(line, str) or not line.strip() or len(line) > _UNIT_LINE or "\n" in line:
            problems.append(
                _problem(
                    f"units.definitions[{index}]",
                    f"{_show(line)}: expected one line of text (a Pint definition) of at "
                    f"most {_UNIT_LINE} characters",
                )
            )
    return problems
