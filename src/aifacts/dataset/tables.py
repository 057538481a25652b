"""The tables of one release: validated, immutable records, and ways into them.

:class:`Tables` is what every feature above this layer reads (queries, consistency,
the audit, answers); :class:`aifacts.api.Dataset` adds those features as methods.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> ds.entity("cn").name
    'China'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from aifacts.dataset.base import Records
from aifacts.dataset.frames import to_pandas
from aifacts.dataset.links import LinkedEntity, LinkedMetric, LinkedSource, link
from aifacts.dataset.query import Selection

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd

    from aifacts.dataset.query import Filters

__all__ = ["Tables"]


@dataclass(frozen=True)
class Tables(Records):
    """A validated release with ways into it: linked records, queries, data frames.

    Every record is frozen; so are the tables. :func:`aifacts.load` builds them, as an
    :class:`aifacts.api.Dataset`.
    """

    def source(self, source_id: str) -> LinkedSource:
        """The source ``source_id``, with ``.facts``; :class:`UnknownIdError` if absent.

        The result is the :class:`Source` record (equal to it, same fields) linked to
        this dataset: see :class:`aifacts.dataset.links.LinkedSource`.
        """
        return link(LinkedSource, self.lookup("source", source_id), self)

    def entity(self, entity_id: str) -> LinkedEntity:
        """The entity ``entity_id``, with ``.facts``, ``.parent``, ``.children``.

        The result is the :class:`Entity` record linked to this dataset (see
        :class:`aifacts.dataset.links.LinkedEntity`); :class:`UnknownIdError` with
        suggestions if absent.
        """
        return link(LinkedEntity, self.lookup("entity", entity_id), self)

    def metric(self, metric_id: str) -> LinkedMetric:
        """The metric ``metric_id``, with ``.facts``; :class:`UnknownIdError` if absent.

        See :class:`aifacts.dataset.links.LinkedMetric`.
        """
        return link(LinkedMetric, self.lookup("metric", metric_id), self)

    @property
    def selection(self) -> Selection:
        """Every fact, as a :class:`~aifacts.dataset.query.Selection` (for chaining)."""
        return Selection(self.facts, self)

    def query(self, **filters: Unpack[Filters]) -> Selection:
        """The facts that satisfy every filter given (:class:`~aifacts.dataset.query.Filters`);
        see :mod:`aifacts.dataset.query`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> [f.fact_id for f in ds.query(entity="us", metric="ai-awareness")]
            ['deepwater-18']
        """
        return self.selection.query(**filters)

    def as_of(self, when: str | date, *, include_undated: bool = False) -> Selection:
        """What had been stated by ``when``; see :meth:`aifacts.dataset.query.Selection.as_of`."""
        return self.selection.as_of(when, include_undated=include_undated)

    def to_pandas(self, **options: Any) -> dict[str, pd.DataFrame] | pd.DataFrame:
        """The release as data frames; see :func:`aifacts.dataset.frames.to_pandas` (needs
        pandas)."""
        return to_pandas(self, **options)
