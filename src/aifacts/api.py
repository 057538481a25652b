"""The dataset: the tables of one release, with every feature of the library as a method.

:class:`Dataset` is :class:`~aifacts.dataset.tables.Tables` plus what needs the layers
above the tables (answers, consistency, the audit); lower layers take ``Tables``, so
none of them imports this module back.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> ds.entity("cn").name
    'China'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aifacts.dataset.tables import Tables
from aifacts.errors import ValidationError
from aifacts.validation.engine import validate

if TYPE_CHECKING:
    from aifacts.answers.compare import Comparison
    from aifacts.answers.total import Totals
    from aifacts.audit.completeness import SourceAudit
    from aifacts.audit.draft import Draft
    from aifacts.consistency import ConsistencyReport
    from aifacts.dataset.money import ExchangeRate
    from aifacts.dataset.query import Values

__all__ = ["Dataset", "load"]


@dataclass(frozen=True)
class Dataset(Tables):
    """A validated release, with comparisons, consistency checks and the audit.

    Every record is frozen; so is the dataset. Build one with :func:`load`.
    """

    def compare(
        self,
        metric: str,
        entities: Values,
        *,
        unit: str | None = None,
        rates: tuple[ExchangeRate, ...] | str = (),
        **filters: Any,
    ) -> Comparison:
        """Line up what the sources say about ``metric`` for ``entities``, in one unit.

        See :func:`aifacts.answers.compare.compare`.
        """
        from aifacts.answers.compare import compare

        return compare(self, metric, entities, unit=unit, rates=rates, **filters)

    def total(
        self,
        metric: str,
        entities: Values,
        *,
        unit: str | None = None,
        rates: tuple[ExchangeRate, ...] | str = (),
        **filters: Any,
    ) -> Totals:
        """Add the facts of ``metric`` for ``entities``, each claim once, or say what blocks it.

        See :func:`aifacts.answers.total.total`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> print(ds.total("compute-subsidy-budget", "hangzhou"))
            Total Computing power subsidy budget (compute-subsidy-budget)
            hangzhou (Hangzhou): 250 million CNY, interval [249.5, 250.5]
              + ainews-0729-14: [249.5, 250.5] million CNY (plan, no period; hangzhou)
        """
        from aifacts.answers.total import total

        return total(self, metric, entities, unit=unit, rates=rates, **filters)

    def audit(self, text: str, source_id: str | None) -> SourceAudit:
        """Every numeric mention of ``text`` (the document of ``source_id``) and what became of
        it: covered by a fact, omitted with a reason, or missed. See
        :mod:`aifacts.audit.completeness`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> result = ds.audit("a budget of 250 million yuan", "ainews-china-ai-self-reliance")
            >>> [(m.mention.span, m.status.value) for m in result.mentions]
            [('250 million yuan', 'missed')]
        """
        from aifacts.audit.completeness import audit_text

        if source_id is not None:
            self.source(source_id)  # an unknown id raises, with suggestions
        return audit_text(self, text, source_id)

    def draft(
        self, text: str, source_id: str, *, data: bytes | None = None, **source: str
    ) -> Draft:
        """Draft the rows of a new source from its document ``text``, for a person to review:
        the source row with its ``document_sha256``, a candidate fact for every quantity and a
        candidate omission for every other mention. See :mod:`aifacts.audit.draft`.

        Example:
            >>> import aifacts
            >>> ds = aifacts.load()
            >>> d = ds.draft("Hangzhou will spend 250 million yuan.", "new-source")
            >>> [(f["entity_id"], f["value"], f["unit"], f["status"]) for f in d.facts]
            [('hangzhou', '250', 'million CNY', 'plan')]
        """
        from aifacts.audit.draft import draft_document

        return draft_document(self, text, source_id, data=data, **source)

    def check(self, rules: tuple[str, ...] | None = None) -> ConsistencyReport:
        """How the facts relate: parts and wholes, implied rates, comparisons, conflicts.

        See :func:`aifacts.consistency.check`; ``rules`` picks some of its rules.
        """
        from aifacts.consistency import check

        return check(self, rules)

    def exchange_rates(self) -> tuple[ExchangeRate, ...]:
        """The dated exchange rates the sources imply (one amount in two currencies).

        Pass them to :func:`aifacts.dataset.money.convert`; each names its source, date and facts.
        See :func:`aifacts.consistency.rates.exchange_rates`.
        """
        from aifacts.consistency.rates import exchange_rates

        return tuple(exchange_rates(self))


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
    from aifacts.io.package import read_descriptor

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
