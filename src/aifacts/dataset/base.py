"""The records of one release, indexed by id: the base every query and view reads.

Example:
    >>> import aifacts
    >>> aifacts.load().lookup("entity", "cn").name
    'China'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aifacts.contract.records import Entity, Fact, Metric, Omission, Record, Source
from aifacts.errors import UnknownIdError
from aifacts.validation.rules.base import nearest

__all__ = ["Records"]

R = TypeVar("R", bound=Record)


def _index(records: tuple[R, ...]) -> dict[str, R]:
    return {r.key: r for r in records}


@dataclass(frozen=True)
class Records:
    """The records of one release: ``sources``, ``entities``, ``metrics``, ``facts``
    and ``omissions``, indexed by id. Frozen, as every record is.

    The base of :class:`aifacts.dataset.tables.Tables`; queries, links and frames
    take it, so none of them imports the navigating class back.
    """

    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    metrics: tuple[Metric, ...]
    facts: tuple[Fact, ...]
    #: Numbers the sources state that are deliberately not facts (see
    #: :mod:`aifacts.audit.completeness`).
    omissions: tuple[Omission, ...] = ()
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

    def lookup(self, kind: str, key: str) -> Any:
        """The plain record ``key`` of ``kind`` (``source``, ``entity``, ``metric``,
        ``fact``); :class:`UnknownIdError` with suggestions if absent."""
        table = self._by_id[kind]
        if key not in table:
            raise UnknownIdError(key, kind, nearest(key, table))
        return table[key]

    def fact(self, fact_id: str) -> Fact:
        """The fact ``fact_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Fact = self.lookup("fact", fact_id)
        return result

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)
