"""Records that know their dataset: follow links from an entity, source or metric.

``ds.entity("alibaba")`` returns a :class:`LinkedEntity`: it *is* an
:class:`~aifacts.contract.records.Entity` (same fields, ``isinstance`` holds, equal to the
plain record) and adds navigation: ``.facts``, ``.children``, ``.parent``. The same
holds for :class:`LinkedSource` and :class:`LinkedMetric`.

Example:
    >>> import aifacts
    >>> alibaba = aifacts.load().entity("alibaba")
    >>> [child.entity_id for child in alibaba.children]
    ['alibaba-cloud']
    >>> len(alibaba.all_facts) > len(alibaba.facts)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import PrivateAttr

from aifacts.contract.records import Entity, Fact, Metric, Record, Source
from aifacts.dataset.query import Selection

if TYPE_CHECKING:
    from aifacts.dataset.base import Records

__all__ = ["LinkedEntity", "LinkedMetric", "LinkedSource", "fact_links", "link"]

L = TypeVar("L", bound="_Linked")


class _Linked(Record):
    """What every linked view shares: the dataset, and equality with the plain record."""

    _dataset: Any = PrivateAttr(default=None)

    @property
    def dataset(self) -> Records:
        """The dataset this record belongs to."""
        dataset: Records = self._dataset
        return dataset

    def _selection(self, field: str, values: set[str]) -> Selection:
        facts = (f for f in self.dataset.facts if getattr(f, field) in values)
        return Selection(facts, self.dataset)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return bool(self.key_field == other.key_field and dict(self) == dict(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.key_field, *dict(self).values()))


class LinkedEntity(_Linked, Entity):
    """An :class:`~aifacts.contract.records.Entity` with its facts, parent and children."""

    @property
    def facts(self) -> Selection:
        """Facts about this entity itself (``entity_id``)."""
        return self._selection("entity_id", {self.entity_id})

    @property
    def all_facts(self) -> Selection:
        """Facts about this entity or any entity below it through ``parent_id``."""
        return Selection(self.dataset.facts, self.dataset).query(
            entity=self.entity_id, include_children=True
        )

    @property
    def related_facts(self) -> Selection:
        """Facts that name this entity as the other party (``related_entity_id``)."""
        return self._selection("related_entity_id", {self.entity_id})

    @property
    def parent(self) -> LinkedEntity | None:
        """The entity this one belongs to (``parent_id``), or ``None``."""
        return None if self.parent_id is None else _entity(self.dataset, self.parent_id)

    @property
    def children(self) -> tuple[LinkedEntity, ...]:
        """The entities whose ``parent_id`` is this one, in dataset order."""
        return tuple(
            _entity(self.dataset, e.entity_id)
            for e in self.dataset.entities
            if e.parent_id == self.entity_id
        )


class LinkedSource(_Linked, Source):
    """A :class:`~aifacts.contract.records.Source` with its facts and the sources it relates to."""

    @property
    def facts(self) -> Selection:
        """Facts read from this source."""
        return self._selection("source_id", {self.source_id})

    @property
    def origin(self) -> LinkedSource | None:
        """The source this one quotes (``derived_from``), or ``None``."""
        return None if self.derived_from is None else _source(self.dataset, self.derived_from)

    @property
    def derivatives(self) -> tuple[LinkedSource, ...]:
        """The sources whose ``derived_from`` is this one."""
        return tuple(
            _source(self.dataset, s.source_id)
            for s in self.dataset.sources
            if s.derived_from == self.source_id
        )


class LinkedMetric(_Linked, Metric):
    """A :class:`~aifacts.contract.records.Metric` with its facts."""

    @property
    def facts(self) -> Selection:
        """Facts that measure this metric."""
        return self._selection("metric_id", {self.metric_id})


def link(view: type[L], record: Record, dataset: Records) -> L:
    """``record`` as the linked ``view`` class, bound to ``dataset`` (no re-validation)."""
    linked = cast(L, view.model_construct(**dict(record)))
    linked._dataset = dataset
    return linked


def _entity(dataset: Records, entity_id: str) -> LinkedEntity:
    return link(LinkedEntity, dataset.lookup("entity", entity_id), dataset)


def _source(dataset: Records, source_id: str) -> LinkedSource:
    return link(LinkedSource, dataset.lookup("source", source_id), dataset)


def _cells(record: Record) -> dict[str, str | None]:
    from aifacts.io.writing import cell_text

    return {name: (None if v is None else cell_text(v)) for name, v in dict(record).items()}


def fact_links(dataset: Records, fact_id: str) -> dict[str, Any]:
    """One fact and everything linked to it, as plain JSON-ready data.

    Returns:
        ``fact`` (its cells), ``value`` (as a reader sees it), ``entity``,
        ``related_entity``, ``metric``, ``source`` (and ``source_origin`` if it quotes
        another), ``part_of``, ``parts``, ``supersedes`` and ``superseded_by``
        (each linked fact as ``{"fact_id", "value", "entity_id"}``).

    Raises:
        UnknownIdError: no fact ``fact_id`` (with the nearest ids).
    """
    from aifacts.contract.display import format_value

    fact = dataset.fact(fact_id)

    def brief(other: Fact) -> dict[str, str]:
        text = format_value(other.value, other.unit, other.qualifier, other.value_high)
        return {"fact_id": other.fact_id, "value": text, "entity_id": other.entity_id}

    source = _source(dataset, fact.source_id)
    return {
        "fact": _cells(fact),
        "value": format_value(fact.value, fact.unit, fact.qualifier, fact.value_high),
        "entity": _cells(dataset.lookup("entity", fact.entity_id)),
        "related_entity": (
            _cells(dataset.lookup("entity", fact.related_entity_id))
            if fact.related_entity_id
            else None
        ),
        "metric": _cells(dataset.lookup("metric", fact.metric_id)),
        "source": _cells(source),
        "source_origin": _cells(source.origin) if source.origin else None,
        "part_of": brief(dataset.fact(fact.part_of)) if fact.part_of else None,
        "parts": [brief(f) for f in dataset.facts if f.part_of == fact.fact_id],
        "supersedes": brief(dataset.fact(fact.supersedes)) if fact.supersedes else None,
        "superseded_by": [brief(f) for f in dataset.facts if f.supersedes == fact.fact_id],
    }
