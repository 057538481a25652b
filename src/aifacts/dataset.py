"""The dataset: validated, immutable records of one release, and ways into them.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> ds.entity("cn").name
    'China'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aifacts.checks import nearest
from aifacts.errors import UnknownIdError, ValidationError
from aifacts.records import Entity, Fact, Metric, Record, Source
from aifacts.validate import validate

__all__ = ["Dataset", "load"]

R = TypeVar("R", bound=Record)


def _index(records: tuple[R, ...]) -> dict[str, R]:
    return {r.key: r for r in records}


@dataclass(frozen=True)
class Dataset:
    """A validated release: ``sources``, ``entities``, ``metrics`` and ``facts``.

    Every record is frozen; so is the dataset. Build one with :func:`load`.
    """

    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    metrics: tuple[Metric, ...]
    facts: tuple[Fact, ...]
    descriptor: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    path: Path | None = field(default=None, compare=False)
    _by_id: dict[str, dict[str, Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_by_id",
            {
                "source": _index(self.sources),
                "entity": _index(self.entities),
                "metric": _index(self.metrics),
                "fact": _index(self.facts),
            },
        )

    @property
    def version(self) -> str | None:
        """The release's SemVer version, from its descriptor."""
        value = self.descriptor.get("version")
        return str(value) if value is not None else None

    def _get(self, kind: str, key: str) -> Any:
        table = self._by_id[kind]
        if key not in table:
            raise UnknownIdError(key, kind, nearest(key, table))
        return table[key]

    def source(self, source_id: str) -> Source:
        """The source ``source_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Source = self._get("source", source_id)
        return result

    def entity(self, entity_id: str) -> Entity:
        """The entity ``entity_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Entity = self._get("entity", entity_id)
        return result

    def metric(self, metric_id: str) -> Metric:
        """The metric ``metric_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Metric = self._get("metric", metric_id)
        return result

    def fact(self, fact_id: str) -> Fact:
        """The fact ``fact_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Fact = self._get("fact", fact_id)
        return result

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)


def load(path: str | Path | None = None) -> Dataset:
    """Load and validate a data package: the bundled release, or the one at ``path``.

    Args:
        path: a ``datapackage.json`` or the folder holding it; ``None`` for the
            release this library ships.

    Returns:
        The validated :class:`Dataset`.

    Raises:
        ValidationError: the package breaks a rule; ``.problems`` lists every one.
        PackageNotFoundError: ``path`` does not exist or is not a data package.
    """
    report = validate(path)
    if not report.valid:
        raise ValidationError(report.problems)
    records: dict[str, tuple[Any, ...]] = {
        name: tuple(record for _, record in table.rows) for name, table in report.tables.items()
    }
    import json

    descriptor = json.loads(report.path.read_text(encoding="utf-8-sig"))
    return Dataset(
        sources=records["sources"],
        entities=records["entities"],
        metrics=records["metrics"],
        facts=records["facts"],
        descriptor=descriptor,
        path=report.path,
    )
