"""What changed between two releases, and which SemVer level the change needs.

Two data packages are compared as their files say, without loading them through
the current contract (an old release may have other columns): rows by primary
key, field by field; columns by each resource's Table Schema in
``datapackage.json``. Each change gets the level the Data Package Version recipe
(https://datapackage.org/recipes/data-package-version/) asks for, with the
project's own rules (DESIGN §1):

- MAJOR: a resource, column or row removed; a column renamed (removed + added),
  re-ordered, or its type, format or constraints made stricter; a primary key
  changed; a changed meaning (a metric's ``unit`` or ``kind``, a fact's
  ``entity_id`` or ``metric_id``); a unit definition removed or changed.
- MINOR: a resource, column, row (a new fact) or unit definition added; a
  constraint loosened.
- PATCH: a correction: a new fact whose ``supersedes`` names a fact of the old
  release; an edited value of an existing row; descriptive metadata.

A fact whose claim (value, unit, qualifier, status, period, source...) changes in
place is a *silent rewrite*: facts are corrected by a new fact that ``supersedes``
the old one, never rewritten. Silent rewrites are listed apart.

Example:
    >>> from aifacts.release.diff import diff_packages
    >>> from aifacts.io.package import bundled_path
    >>> d = diff_packages(bundled_path(), bundled_path())
    >>> d.level.name, d.changes
    ('NONE', [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from pathlib import Path
from typing import Any

from aifacts.contract.problems import clip
from aifacts.contract.schema import MAX_INTEGER
from aifacts.io.diff_read import RawPackage, fields, key_fields, read_raw

__all__ = ["Change", "Level", "PackageDiff", "diff_packages", "required_bump"]

#: Fact fields that make the claim: changing one in place is a silent rewrite.
CLAIM_FIELDS = frozenset(
    {
        "entity_id",
        "metric_id",
        "value",
        "unit",
        "qualifier",
        "value_high",
        "status",
        "period_start",
        "period_end",
        "as_of",
        "source_id",
    }
)
#: Fields whose change alters what an existing row means (MAJOR), by resource.
MEANING_FIELDS: dict[str, frozenset[str]] = {
    "facts": frozenset({"entity_id", "metric_id"}),
    "metrics": frozenset({"unit", "kind"}),
}
_IGNORED_PACKAGE_KEYS = frozenset({"version", "created", "resources", "units"})
# (each part at most 18 digits: a longer one is no version, never an int() of thousands)
_SEMVER = re.compile(r"([0-9]{1,18})\.([0-9]{1,18})\.([0-9]{1,18})(?:[-+].*)?")


class Level(IntEnum):
    """The SemVer level a change needs; ``NONE`` when nothing changed."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


@dataclass(frozen=True)
class Change:
    """One difference: what, where, old and new, and the level it needs.

    ``kind`` is one of ``resource-added``, ``resource-removed``, ``column-added``,
    ``column-removed``, ``column-changed``, ``columns-reordered``,
    ``primary-key-changed``, ``row-added``, ``row-removed``, ``row-changed``,
    ``unit-added``, ``unit-removed``, ``metadata-changed``.
    """

    kind: str
    level: Level
    resource: str | None
    key: str | None
    field: str | None = None
    old: Any = None
    new: Any = None
    reason: str = ""
    silent_rewrite: bool = False
    supersedes: str | None = None

    def line(self) -> str:
        """The change as one line of text."""
        where = ".".join(p for p in (self.resource, self.key, self.field) if p)
        sign = {"added": "+", "removed": "-"}.get(self.kind.rsplit("-", 1)[-1], "~")
        text = f"{sign} {self.kind} {where}"
        if self.kind.endswith("changed") or self.kind == "columns-reordered":
            text += f": {_quoted(self.old)} → {_quoted(self.new)}"
        text += f"  [{self.level.name}: {self.reason}]"
        if self.silent_rewrite:
            text += " SILENT REWRITE"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; ``level`` as its name."""
        return {
            "kind": self.kind,
            "level": self.level.name,
            "resource": self.resource,
            "key": self.key,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "silent_rewrite": self.silent_rewrite,
            "supersedes": self.supersedes,
        }


def _quoted(value: Any) -> str:
    """A value as a change line quotes it: a long cell is cut
    (:func:`aifacts.contract.problems.clip`)."""
    return clip(value) if isinstance(value, str) else repr(value)


def _parse_semver(text: Any) -> tuple[int, int, int] | None:
    match = _SEMVER.fullmatch(text) if isinstance(text, str) else None
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def required_bump(old: str, new: str) -> Level | None:
    """The level of the step from version ``old`` to ``new``; ``None`` if either is not SemVer.

    Example:
        >>> required_bump("0.1.0", "0.2.0").name, required_bump("1.2.3", "1.2.3").name
        ('MINOR', 'NONE')
    """
    a, b = _parse_semver(old), _parse_semver(new)
    if a is None or b is None:
        return None
    if b <= a:
        return Level.NONE
    if b[0] > a[0]:
        return Level.MAJOR
    return Level.MINOR if b[1] > a[1] else Level.PATCH


@dataclass
class PackageDiff:
    """Every change from ``old`` to ``new``, the level they need, and the versions."""

    old_path: Path
    new_path: Path
    old_version: str | None
    new_version: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def level(self) -> Level:
        """The highest level any change needs (``NONE`` when identical)."""
        return max((c.level for c in self.changes), default=Level.NONE)

    @property
    def silent_rewrites(self) -> list[Change]:
        """Facts whose claim changed in place instead of being superseded."""
        return [c for c in self.changes if c.silent_rewrite]

    @property
    def version_bump(self) -> Level | None:
        """The level of the step between the two descriptors' versions."""
        if self.old_version is None or self.new_version is None:
            return None
        return required_bump(self.old_version, self.new_version)

    @property
    def version_ok(self) -> bool | None:
        """Whether the new version number steps up at least as far as the change needs."""
        bump = self.version_bump
        if bump is None:
            return None
        return bump >= self.level if self.level > Level.NONE else True

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts of added, removed and changed rows per resource."""
        out: dict[str, dict[str, int]] = {}
        changed: dict[str, set[str | None]] = {}
        for c in self.changes:
            if not c.kind.startswith("row-") or c.resource is None:
                continue
            counts = out.setdefault(c.resource, {"added": 0, "removed": 0, "changed": 0})
            if c.kind == "row-changed":
                changed.setdefault(c.resource, set()).add(c.key)
                counts["changed"] = len(changed[c.resource])
            else:
                counts[c.kind[4:]] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data."""
        bump = self.version_bump
        return {
            "old": {"path": str(self.old_path), "version": self.old_version},
            "new": {"path": str(self.new_path), "version": self.new_version},
            "level": self.level.name,
            "version_bump": bump.name if bump is not None else None,
            "version_ok": self.version_ok,
            "summary": self.summary(),
            "silent_rewrites": [c.key for c in self.silent_rewrites],
            "changes": [c.to_dict() for c in self.changes],
        }

    def lines(self) -> list[str]:
        """The diff as text, one change a line, then the verdict."""
        out = [f"{self.old_path} ({self.old_version}) → {self.new_path} ({self.new_version})"]
        for name, counts in self.summary().items():
            out.append(
                f"{name}: {counts['added']} added, {counts['removed']} removed, "
                f"{counts['changed']} changed"
            )
        out += [c.line() for c in self.changes]
        if self.silent_rewrites:
            keys = sorted({str(c.key) for c in self.silent_rewrites})
            out.append(
                f"silent rewrites: {', '.join(keys)}: correct a fact with a new fact whose "
                "supersedes names it, never by editing it"
            )
        out.append(f"level: {self.level.name}")
        bump = self.version_bump
        if bump is not None and self.level > Level.NONE:
            verdict = (
                "enough" if self.version_ok else f"too small: this change needs {self.level.name}"
            )
            out.append(
                f"version: {self.old_version} → {self.new_version} is {bump.name}, {verdict}"
            )
        return out


def _same(kind: str, a: str, b: str) -> bool:
    if a == b:
        return True
    if kind in ("number", "integer") and a and b:
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False


def _constraint_change(name: str, old: Any, new: Any) -> tuple[Level, str]:
    if name == "required":
        return (Level.MAJOR, "now required") if new else (Level.MINOR, "no longer required")
    if name == "enum" and isinstance(old, list) and isinstance(new, list):
        if set(old) <= set(new):
            return Level.MINOR, "enum values added (less restrictive)"
        return Level.MAJOR, "enum values removed (more restrictive)"
    if old is None and name == "maximum" and new == MAX_INTEGER:
        # 2^53 - 1 is the largest integer every JSON reader holds exactly: stating it
        # refuses no value the package's JSON forms could ever carry faithfully.
        return Level.PATCH, "the JSON-safe integer limit stated (no value it could hold is refused)"
    if old is None:
        return Level.MAJOR, f"constraint {name} added (more restrictive)"
    if new is None:
        return Level.MINOR, f"constraint {name} removed (less restrictive)"
    return Level.MAJOR, f"constraint {name} changed"


def _diff_columns(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    a, b = fields(old), fields(new)
    for col in [c for c in a if c not in b]:
        changes.append(
            Change(
                "column-removed",
                Level.MAJOR,
                name,
                col,
                reason="a removed or renamed column breaks readers",
            )
        )
    last_old = len(a)
    for position, col in enumerate(b):
        if col in a:
            continue
        where = "after the old columns" if position >= last_old else "among the old columns"
        changes.append(
            Change(
                "column-added",
                Level.MINOR,
                name,
                col,
                reason=f"a new column {where}: a MINOR change of the data contract",
            )
        )
    common_old = [c for c in a if c in b]
    common_new = [c for c in b if c in a]
    if common_old != common_new:
        changes.append(
            Change(
                "columns-reordered",
                Level.MAJOR,
                name,
                None,
                None,
                common_old,
                common_new,
                "columns re-ordered",
            )
        )
    for col in common_old:
        fa, fb = a[col], b[col]
        for prop in ("type", "format"):
            if fa.get(prop, "default" if prop == "format" else None) != fb.get(
                prop, "default" if prop == "format" else None
            ):
                changes.append(
                    Change(
                        "column-changed",
                        Level.MAJOR,
                        name,
                        col,
                        prop,
                        fa.get(prop),
                        fb.get(prop),
                        f"the column's {prop} changed",
                    )
                )
        ca, cb = fa.get("constraints") or {}, fb.get("constraints") or {}
        for prop in sorted(ca.keys() | cb.keys()):
            if ca.get(prop) != cb.get(prop):
                level, why = _constraint_change(prop, ca.get(prop), cb.get(prop))
                changes.append(
                    Change(
                        "column-changed",
                        level,
                        name,
                        col,
                        f"constraints.{prop}",
                        ca.get(prop),
                        cb.get(prop),
                        why,
                    )
                )
        for prop in sorted((fa.keys() | fb.keys()) - {"name", "type", "format", "constraints"}):
            if fa.get(prop) != fb.get(prop):
                changes.append(
                    Change(
                        "column-changed",
                        Level.PATCH,
                        name,
                        col,
                        prop,
                        fa.get(prop),
                        fb.get(prop),
                        "descriptive metadata",
                    )
                )
    if key_fields(old) != key_fields(new):
        changes.append(
            Change(
                "primary-key-changed",
                Level.MAJOR,
                name,
                None,
                None,
                key_fields(old),
                key_fields(new),
                "the primary key changed",
            )
        )
    return changes


def _diff_rows(name: str, old: RawPackage, new: RawPackage, kinds: dict[str, str]) -> list[Change]:
    (_, a), (_, b) = old.tables[name], new.tables[name]
    changes = []
    for key in sorted(a.keys() - b.keys()):
        changes.append(
            Change(
                "row-removed",
                Level.MAJOR,
                name,
                key,
                reason="a removed row breaks every reference to it",
            )
        )
    for key in sorted(b.keys() - a.keys()):
        target = b[key].get("supersedes") or None
        if name == "facts" and target and target in a:
            changes.append(
                Change(
                    "row-added",
                    Level.PATCH,
                    name,
                    key,
                    reason=f"a correction of {target}",
                    supersedes=target,
                )
            )
        else:
            changes.append(Change("row-added", Level.MINOR, name, key, reason="new data"))
    meaning = MEANING_FIELDS.get(name, frozenset())
    for key in sorted(a.keys() & b.keys()):
        ra, rb = a[key], b[key]
        for col in [c for c in rb if c in ra]:
            if _same(kinds.get(col, "string"), ra[col], rb[col]):
                continue
            silent = name == "facts" and col in CLAIM_FIELDS
            level = Level.MAJOR if col in meaning else Level.PATCH
            reason = "changes what the row means" if col in meaning else "a correction in place"
            changes.append(
                Change(
                    "row-changed",
                    level,
                    name,
                    key,
                    col,
                    ra[col],
                    rb[col],
                    reason,
                    silent_rewrite=silent,
                )
            )
    return changes


def _diff_metadata(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for prop in sorted((old.keys() | new.keys()) - _IGNORED_PACKAGE_KEYS):
        if old.get(prop) != new.get(prop):
            level = Level.MAJOR if prop == "name" else Level.PATCH
            why = "the package's name changed" if prop == "name" else "descriptive metadata"
            changes.append(
                Change(
                    "metadata-changed", level, None, None, prop, old.get(prop), new.get(prop), why
                )
            )
    units_a = _unit_lines(old)
    units_b = _unit_lines(new)
    for line in sorted(units_a - units_b):
        changes.append(
            Change(
                "unit-removed",
                Level.MAJOR,
                "units",
                line,
                reason="a unit definition removed or changed",
            )
        )
    for line in sorted(units_b - units_a):
        changes.append(
            Change("unit-added", Level.MINOR, "units", line, reason="a unit definition added")
        )
    return changes


def _unit_lines(data: dict[str, Any]) -> set[str]:
    units = data.get("units")
    lines = units.get("definitions") if isinstance(units, dict) else None
    return {str(x) for x in lines} if isinstance(lines, list) else set()


def _entries(pkg: RawPackage) -> dict[str, dict[str, Any]]:
    return {str(e.get("name")): e for e in pkg.data["resources"] if isinstance(e, dict)}


def diff_packages(old: str | Path, new: str | Path) -> PackageDiff:
    """Compare the data package at ``old`` with the one at ``new``.

    Args:
        old: the earlier release: a ``datapackage.json`` or the folder holding it.
        new: the later release.

    Returns:
        A :class:`PackageDiff` listing every change with the SemVer level it needs.

    Raises:
        PackageNotFoundError: a path is not a readable data package.
        ValidationError: a package holds what none may: a number too long to read, a
            key twice in one object, a path outside its folder, a file that is not a
            regular file (see :func:`aifacts.io.diff_read.read_raw`).
    """
    a, b = read_raw(old), read_raw(new)
    result = PackageDiff(a.path, b.path, _version(a.data), _version(b.data))
    result.changes += _diff_metadata(a.data, b.data)
    ea, eb = _entries(a), _entries(b)
    for name in sorted(ea.keys() - eb.keys()):
        result.changes.append(
            Change(
                "resource-removed",
                Level.MAJOR,
                name,
                None,
                reason="a removed or renamed resource breaks readers",
            )
        )
    for name in sorted(eb.keys() - ea.keys()):
        result.changes.append(
            Change("resource-added", Level.MINOR, name, None, reason="a new resource")
        )
    for name in [n for n in ea if n in eb]:
        if name in a.tables and name in b.tables:
            result.changes += _diff_columns(name, ea[name], eb[name])
            kinds = {k: str(f.get("type", "string")) for k, f in fields(eb[name]).items()}
            result.changes += _diff_rows(name, a, b, kinds)
    return result


def _version(data: dict[str, Any]) -> str | None:
    value = data.get("version")
    return str(value) if value is not None else None
