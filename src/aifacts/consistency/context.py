"""What every consistency rule reads: the active facts and their intervals.

A fact is *active* unless another fact supersedes it. Active facts are sorted by
``fact_id``, so a rule's findings never depend on the order of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aifacts.contract.intervals import Interval, convert_interval, fact_interval
from aifacts.contract.vocab import EntityKind, MetricKind, Status

if TYPE_CHECKING:
    from aifacts.contract.records import Entity, Fact, Metric, Source
    from aifacts.dataset.tables import Tables

__all__ = ["OBSERVED", "Context", "period_text", "source_ids"]

#: Statuses that say what *is* (so an estimate can contradict an actual figure).
OBSERVED = frozenset({Status.ACTUAL, Status.ESTIMATE})


def period_text(fact: Fact) -> str:
    """``'2025-01-01/2025-12-31'``, or ``'not stated'``."""
    if fact.period_start is None and fact.period_end is None:
        return "not stated"
    return f"{fact.period_start or '…'}/{fact.period_end or '…'}"


@dataclass(frozen=True)
class Context:
    """The facts a rule checks, with their metrics, entities and sources."""

    facts: tuple[Fact, ...]
    metrics: dict[str, Metric]
    entities: dict[str, Entity]
    sources: dict[str, Source]
    superseded: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Tables) -> Context:
        """The active facts of ``dataset`` (superseded ones left out), sorted by id."""
        return cls.build(dataset.facts, dataset.metrics, dataset.entities, dataset.sources)

    @classmethod
    def build(
        cls,
        facts: Iterable[Fact],
        metrics: Iterable[Metric],
        entities: Iterable[Entity] = (),
        sources: Iterable[Source] = (),
    ) -> Context:
        """A context from records (any order)."""
        all_facts = sorted(facts, key=lambda f: f.fact_id)
        superseded = {f.supersedes: f.fact_id for f in all_facts if f.supersedes}
        return cls(
            facts=tuple(f for f in all_facts if f.fact_id not in superseded),
            metrics={m.metric_id: m for m in metrics},
            entities={e.entity_id: e for e in entities},
            sources={s.source_id: s for s in sources},
            superseded=dict(sorted(superseded.items())),
        )

    def kind(self, fact: Fact) -> MetricKind | None:
        """The kind of the fact's metric (``None`` if the metric is unknown)."""
        metric = self.metrics.get(fact.metric_id)
        return metric.kind if metric else None

    def interval(self, fact: Fact, unit: str | None = None) -> Interval:
        """What ``fact`` asserts, in ``unit`` (default: its own).

        Raises:
            pint.DimensionalityError: ``unit`` measures something else.
        """
        own = fact_interval(fact, self.kind(fact))
        return own if unit is None else convert_interval(own, fact.unit, unit)

    def ratio(self, fact: Fact) -> Interval:
        """What a ratio or share fact asserts, as a plain number (65 percent → 0.65)."""
        return self.interval(fact, "dimensionless")

    def comparable(self, a: Fact, b: Fact) -> bool:
        """Same period, and both about what is (actual/estimate) or of the same status."""
        if (a.period_start, a.period_end) != (b.period_start, b.period_end):
            return False
        return a.status == b.status or (a.status in OBSERVED and b.status in OBSERVED)

    def is_country(self, entity_id: str) -> bool:
        """The entity is a country (countries never overlap one another)."""
        entity = self.entities.get(entity_id)
        return entity is not None and entity.kind is EntityKind.COUNTRY

    def name(self, entity_id: str) -> str:
        """The entity's name, or its id when unknown."""
        entity = self.entities.get(entity_id)
        return entity.name if entity else entity_id

    def metric_unit(self, metric_id: str, fallback: str) -> str:
        """The metric's canonical unit, or ``fallback`` when the metric is unknown."""
        metric = self.metrics.get(metric_id)
        return metric.unit if metric else fallback


def source_ids(facts: Iterable[Fact]) -> tuple[str, ...]:
    """The sources of ``facts``, each once, in first-seen order."""
    return tuple(dict.fromkeys(f.source_id for f in facts))
