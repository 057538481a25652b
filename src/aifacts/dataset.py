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
from typing import TYPE_CHECKING, Any, TypeVar

from aifacts.checks import nearest
from aifacts.errors import UnknownIdError, ValidationError
from aifacts.records import Entity, Fact, Metric, Omission, Record, Source
from aifacts.validate import validate

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd

    from aifacts.audit import SourceAudit
    from aifacts.compare import Comparison
    from aifacts.consistency import Report as ConsistencyReport
    from aifacts.links import LinkedEntity, LinkedMetric, LinkedSource
    from aifacts.money import ExchangeRate
    from aifacts.query import PeriodSpec, Selection, Values

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
    #: Numbers the sources state that are deliberately not facts (see :mod:`aifacts.audit`).
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

    def _get(self, kind: str, key: str) -> Any:
        table = self._by_id[kind]
        if key not in table:
            raise UnknownIdError(key, kind, nearest(key, table))
        return table[key]

    def source(self, source_id: str) -> LinkedSource:
        """The source ``source_id``, with ``.facts``; :class:`UnknownIdError` if absent.

        The result is the :class:`Source` record (equal to it, same fields) linked to
        this dataset: see :class:`aifacts.links.LinkedSource`.
        """
        from aifacts.links import LinkedSource, link

        return link(LinkedSource, self._get("source", source_id), self)

    def entity(self, entity_id: str) -> LinkedEntity:
        """The entity ``entity_id``, with ``.facts``, ``.parent``, ``.children``.

        The result is the :class:`Entity` record linked to this dataset (see
        :class:`aifacts.links.LinkedEntity`); :class:`UnknownIdError` with
        suggestions if absent.
        """
        from aifacts.links import LinkedEntity, link

        return link(LinkedEntity, self._get("entity", entity_id), self)

    def metric(self, metric_id: str) -> LinkedMetric:
        """The metric ``metric_id``, with ``.facts``; :class:`UnknownIdError` if absent.

        See :class:`aifacts.links.LinkedMetric`.
        """
        from aifacts.links import LinkedMetric, link

        return link(LinkedMetric, self._get("metric", metric_id), self)

    def fact(self, fact_id: str) -> Fact:
        """The fact ``fact_id``; :class:`UnknownIdError` with suggestions if absent."""
        result: Fact = self._get("fact", fact_id)
        return result

    @property
    def selection(self) -> Selection:
        """Every fact, as a :class:`~aifacts.query.Selection` (for chaining)."""
        from aifacts.query import Selection

        return Selection(self.facts, self)

    def query(
        self,
        *,
        entity: Values | None = None,
        metric: Values | None = None,
        source: Values | None = None,
        status: Values | None = None,
        period: PeriodSpec | None = None,
        country: Values | None = None,
        include_children: bool = False,
    ) -> Selection:
        """The facts that satisfy every filter given; see :mod:`aifacts.query`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> [f.fact_id for f in ds.query(entity="us", metric="ai-awareness")]
            ['deepwater-18']
        """
        return self.selection.query(
            entity=entity,
            metric=metric,
            source=source,
            status=status,
            period=period,
            country=country,
            include_children=include_children,
        )

    def as_of(self, when: str | date, *, include_undated: bool = False) -> Selection:
        """What had been stated by ``when``; see :meth:`aifacts.query.Selection.as_of`."""
        return self.selection.as_of(when, include_undated=include_undated)

    def to_pandas(self, **options: Any) -> dict[str, pd.DataFrame] | pd.DataFrame:
        """The release as data frames; see :func:`aifacts.frames.to_pandas` (needs pandas)."""
        from aifacts.frames import to_pandas

        return to_pandas(self, **options)

    def compare(
        self,
        metric: str,
        entities: Values,
        *,
        unit: str | None = None,
        rates: tuple[ExchangeRate, ...] = (),
        **filters: Any,
    ) -> Comparison:
        """Line up what the sources say about ``metric`` for ``entities``, in one unit.

        See :func:`aifacts.compare.compare`.
        """
        from aifacts.compare import compare

        return compare(self, metric, entities, unit=unit, rates=rates, **filters)

    def audit(self, text: str, source_id: str | None) -> SourceAudit:
        """Every numeric mention of ``text`` (the document of ``source_id``) and what became of
        it: covered by a fact, omitted with a reason, or missed. See :mod:`aifacts.audit`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> result = ds.audit("a budget of 250 million yuan", "ainews-china-ai-self-reliance")
            >>> [(m.mention.span, m.status.value) for m in result.mentions]
            [('250 million yuan', 'missed')]
        """
        from aifacts.audit import audit_text

        if source_id is not None:
            self.source(source_id)  # an unknown id raises, with suggestions
        return audit_text(self, text, source_id)

    def check(self, rules: tuple[str, ...] | None = None) -> ConsistencyReport:
        """How the facts relate: parts and wholes, implied rates, comparisons, conflicts.

        See :func:`aifacts.consistency.check`; ``rules`` picks some of its rules.
        """
        from aifacts.consistency import check

        return check(self, rules)

    def exchange_rates(self) -> tuple[ExchangeRate, ...]:
        """The dated exchange rates the sources imply (one amount in two currencies).

        Pass them to :func:`aifacts.money.convert`; each names its source, date and facts.
        See :func:`aifacts.consistency.rates.exchange_rates`.
        """
        from aifacts.consistency.rates import exchange_rates

        return tuple(exchange_rates(self))

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
    report = validate(path, engine="rows")
    if not report.valid:
        raise ValidationError(report.problems, omitted=sum(report.omitted.values()))
    records: dict[str, tuple[Any, ...]] = {
        name: tuple(record for _, record in table.rows) for name, table in report.tables.items()
    }
    from aifacts.package import read_descriptor

    parsed, problems = read_descriptor(report.path)  # as validated: regular, bounded
    if parsed is None or problems:  # it changed since it was validated
        raise ValidationError(problems)
    descriptor = parsed.data
    return Dataset(
        sources=records["sources"],
        entities=records["entities"],
        metrics=records["metrics"],
        facts=records["facts"],
        omissions=records.get("omissions", ()),
        descriptor=descriptor,
        path=report.path,
    )
