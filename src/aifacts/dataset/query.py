"""Selections of facts: filter by entity, metric, source, status, country and period.

A :class:`Selection` is an immutable sequence of :class:`~aifacts.contract.records.Fact`
records (still typed: each item *is* the Fact) that remembers its dataset, so
queries chain: ``ds.query(metric="ai-compute-capacity").query(country="cn")``.

Filter semantics (every filter given must hold; a fact passes when it satisfies all):

- ``entity``, ``metric``, ``source``, ``status``, ``country``: one value or several
  (any of them matches). ``country`` matches the ``country`` column of the fact's
  entity (``country="us"`` selects facts about OpenAI, Nvidia, the United States...).
  Unknown ids raise :class:`~aifacts.errors.UnknownIdError` with the nearest ids.
- ``entity`` and ``country`` also take an entity's name, in English or Chinese, in
  any case: ``"China"``, ``"中国"``, ``"alibaba cloud"`` (:func:`resolve_entity`); a
  misspelling is answered with the nearest ids *and* names (``chian`` → China).
- ``include_children=True`` widens ``entity`` to every entity below it through
  ``parent_id``, at any depth: ``entity="alibaba"`` then includes Alibaba Cloud.
- ``period``: a year (``2025`` or ``"2025"``), a day (``"2025-07-29"`` or a
  :class:`~datetime.date`) or a pair ``(start, end)`` of those (a year as start means
  its 1 January, as end its 31 December). A fact matches when the time it is about,
  ``[period_start, period_end]``, overlaps that range; a missing end of a fact's
  period is open (a fact with only ``period_start`` is about that day onwards). Facts
  with neither ``period_start`` nor ``period_end`` never match a period filter.

As of a date (:meth:`Selection.as_of`): a fact counts as stated on its ``as_of``
date or, when that is empty, on its source's ``published`` date. A view as of ``D``
keeps the facts stated on or before ``D`` and, among corrections (``supersedes``),
only the one in force on ``D``: a fact is dropped once a correction of it has been
stated. Facts with no known date are left out unless ``include_undated=True``.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> [f.fact_id for f in ds.query(entity="alibaba", metric="revenue", include_children=True)]
    ['allinai-03']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, overload

from aifacts.contract.records import Fact, Source
from aifacts.contract.vocab import Status
from aifacts.errors import QueryError, UnknownIdError, UsageError
from aifacts.validation.rules.base import nearest

if TYPE_CHECKING:
    import pandas as pd

    from aifacts.dataset.base import Records

__all__ = [
    "FILTERS",
    "FactFilter",
    "Filters",
    "QueryError",
    "Selection",
    "Values",
    "option_text",
    "parse_day",
    "parse_period",
    "resolve_entities",
    "resolve_entity",
    "split_period",
    "split_values",
    "stated_on",
]

#: One id or several.
Values = str | Iterable[str]
#: What ``period=`` accepts: a year, a day, or a ``(start, end)`` pair of those.
PeriodSpec = int | str | date | tuple[int | str | date, int | str | date]


class Filters(TypedDict, total=False):
    """The filters a query of facts takes, as keywords: every one given must hold, and
    one left out (or ``None``) means "any"; see :mod:`aifacts.dataset.query`.

    Attributes:
        entity: entity id(s) or name(s); with ``include_children`` also every entity below.
        metric: metric id(s).
        source: source id(s).
        status: status value(s) such as ``"actual"`` or ``Status.PLEDGE``.
        country: the ``country`` of the fact's entity (``"cn"``, ``"us"``).
        period: a year, a day or a ``(start, end)`` pair the fact's period overlaps.
        include_children: follow ``parent_id`` downwards from ``entity``.
    """

    entity: Values | None
    metric: Values | None
    source: Values | None
    status: Values | None
    country: Values | None
    period: PeriodSpec | None
    include_children: bool


#: The filters of :class:`Filters` that take ids or values (several: a list, or on the
#: command line separated by commas), then ``period``; the command line's options and
#: ``aifacts export --query`` keys are these names.
FILTERS: tuple[str, ...] = tuple(n for n in Filters.__annotations__ if n != "include_children")


def option_text(value: str | None, option: str) -> str | None:
    """A command-line option's text, stripped; ``None`` when the option was not given.

    Raises:
        QueryError: the option was given an empty (or blank) value, naming ``option``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise QueryError(f"{option}: the value is empty; leave the option out to keep every fact")
    return text


def split_values(values: str | Sequence[str] | None, option: str) -> list[str] | None:
    """The ids of a command-line filter: ``["cn,us", "hk"]`` → ``["cn", "us", "hk"]``.

    ``None`` when the option was not given. An empty value, or an empty item between
    commas (``cn,``), is a usage error: it would silently match nothing, or nothing more.

    Example:
        >>> split_values(["cn, us", "hk"], "--entity")
        ['cn', 'us', 'hk']
        >>> try:
        ...     split_values("cn,", "--entity")
        ... except QueryError as exc:
        ...     print(exc)
        --entity: 'cn,' has an empty item; give ids separated by commas, such as cn,us

    Raises:
        QueryError: an empty value or item, naming ``option``.
    """
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    if not values:  # a repeatable option that was not given
        return None
    out: list[str] = []
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        if not any(parts):
            raise QueryError(
                f"{option}: the value is empty; leave the option out to keep every fact"
            )
        if not all(parts):
            raise QueryError(
                f"{option}: {value!r} has an empty item; give ids separated by commas, "
                "such as cn,us"
            )
        out.extend(parts)
    return out


def split_period(value: str | None, option: str) -> tuple[str, str] | None:
    """A command-line period: ``2025`` → ``("2025", "2025")``; ``2024..2025`` → both ends.

    Raises:
        QueryError: an empty value or an empty end, naming ``option``.
    """
    text = option_text(value, option)
    if text is None:
        return None
    low, sep, high = (part.strip() for part in text.partition(".."))
    if not low or (sep and not high):
        raise QueryError(f"{option}: {text!r} needs a year or a day on each side of '..'")
    span = (low, high or low)
    try:
        parse_period(span)
    except QueryError as exc:
        raise QueryError(f"{option}: {exc}") from None
    return span


def parse_day(value: str | date, *, end: bool = False) -> date:
    """A date from ``YYYY-MM-DD``, a year ``YYYY`` (1 Jan, or 31 Dec when ``end``) or a date.

    Example:
        >>> parse_day("2025", end=True)
        datetime.date(2025, 12, 31)
    """
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if text.isdigit() and len(text) == 4:
        year = int(text)
        return date(year, 12, 31) if end else date(year, 1, 1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"{text!r} is not a date YYYY-MM-DD or a year YYYY") from None


def parse_period(spec: PeriodSpec) -> tuple[date, date]:
    """The closed date range ``period=`` means; see the module docstring.

    Example:
        >>> parse_period(2025)
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    """
    if isinstance(spec, tuple):
        if len(spec) != 2:
            raise QueryError(f"a period range is (start, end), got {len(spec)} items")
        low, high = spec
    else:
        low = high = spec
    start = parse_day(str(low) if isinstance(low, int) else low)
    stop = parse_day(str(high) if isinstance(high, int) else high, end=True)
    if start > stop:
        raise QueryError(f"the period starts {start}, after it ends {stop}")
    return start, stop


def _as_set(values: Values) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(str(v) for v in values)


def _checked(values: Values | None, known: Iterable[str], kind: str) -> frozenset[str] | None:
    if values is None:
        return None
    wanted = _as_set(values)
    pool = set(known)
    for value in sorted(wanted):
        if value not in pool:
            raise UnknownIdError(value, kind, nearest(value, pool))
    return wanted


def _folded(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).casefold().strip()


def resolve_entity(dataset: Records, wanted: str, kind: str = "entity") -> str:
    """The id of the entity ``wanted`` names: its id, or its name or Chinese name in any case.

    An id always wins; a name must name one entity only. This is the one resolver every
    filter, command and answer uses for ``entity``/``country`` values.

    Example:
        >>> import aifacts
        >>> ds = aifacts.load()
        >>> [resolve_entity(ds, n) for n in ("cn", "China", "中国", "alibaba cloud")]
        ['cn', 'cn', 'cn', 'alibaba-cloud']
        >>> try:
        ...     resolve_entity(ds, "chian")
        ... except UnknownIdError as exc:
        ...     print(exc)
        unknown entity 'chian'; did you mean: cn (China)?

    Raises:
        UnknownIdError: no entity has that id or name (the nearest ids and names
            suggested), or the name is shared by several entities (they are listed).
    """
    ids = {e.entity_id for e in dataset.entities}
    if wanted in ids:
        return wanted
    key = _folded(wanted)
    names: dict[str, list[str]] = {}
    for entity in dataset.entities:
        for label in (entity.entity_id, entity.name, entity.name_zh):
            if label:
                found = names.setdefault(_folded(label), [])
                if entity.entity_id not in found:
                    found.append(entity.entity_id)
    matched = names.get(key, [])
    if len(matched) == 1:
        return matched[0]
    label_of = {e.entity_id: e.name for e in dataset.entities}
    if matched:
        raise UnknownIdError(
            wanted,
            f"{kind} (a name several entities share)",
            matched,
            label_of,
        )
    close = nearest(key, names, n=5)
    suggested = list(dict.fromkeys(i for label in close for i in names[label]))[:3]
    raise UnknownIdError(wanted, kind, suggested, label_of)


def resolve_entities(
    dataset: Records, values: Values | None, kind: str = "entity"
) -> frozenset[str] | None:
    """:func:`resolve_entity` for each of ``values``; ``None`` stays ``None`` (any entity)."""
    if values is None:
        return None
    return frozenset(resolve_entity(dataset, value, kind) for value in sorted(_as_set(values)))


def _descendants(dataset: Records, roots: frozenset[str]) -> frozenset[str]:
    children: dict[str, list[str]] = {}
    for entity in dataset.entities:
        if entity.parent_id is not None:
            children.setdefault(entity.parent_id, []).append(entity.entity_id)
    found = set(roots)
    stack = list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)


@dataclass(frozen=True)
class FactFilter:
    """Resolved filters: each ``None`` means "any"; see the module docstring."""

    entities: frozenset[str] | None = None
    metrics: frozenset[str] | None = None
    sources: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    period: tuple[date, date] | None = None
    entity_country: Callable[[str], str | None] | None = None

    @classmethod
    def build(cls, dataset: Records, **filters: Unpack[Filters]) -> FactFilter:
        """Check every value against ``dataset`` and resolve children and periods.

        Raises:
            UsageError: a keyword that is not one of :class:`Filters`.
        """
        unknown = sorted(set(filters) - set(Filters.__annotations__))
        if unknown:
            known = list(Filters.__annotations__)
            hint = nearest(unknown[0], known, 1)
            also = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise UsageError(f"no filter {unknown[0]!r}{also}: the filters are {', '.join(known)}")
        entities = resolve_entities(dataset, filters.get("entity"))
        if entities is not None and filters.get("include_children", False):
            entities = _descendants(dataset, entities)
        statuses = _checked(filters.get("status"), [s.value for s in Status], "status")
        countries = resolve_entities(dataset, filters.get("country"), "country")
        by_id = {e.entity_id: e.country for e in dataset.entities}
        period = filters.get("period")
        metric_ids = [m.metric_id for m in dataset.metrics]
        source_ids = [s.source_id for s in dataset.sources]
        return cls(
            entities=entities,
            metrics=_checked(filters.get("metric"), metric_ids, "metric"),
            sources=_checked(filters.get("source"), source_ids, "source"),
            statuses=statuses,
            countries=countries,
            period=None if period is None else parse_period(period),
            entity_country=by_id.get,
        )

    def matches(self, fact: Fact) -> bool:
        """Whether ``fact`` satisfies every filter."""
        if self.entities is not None and fact.entity_id not in self.entities:
            return False
        if self.metrics is not None and fact.metric_id not in self.metrics:
            return False
        if self.sources is not None and fact.source_id not in self.sources:
            return False
        if self.statuses is not None and fact.status.value not in self.statuses:
            return False
        if self.countries is not None:
            country = self.entity_country(fact.entity_id) if self.entity_country else None
            if country not in self.countries:
                return False
        return self.period is None or _overlaps(fact, self.period)


def _overlaps(fact: Fact, period: tuple[date, date]) -> bool:
    if fact.period_start is None and fact.period_end is None:
        return False
    start = fact.period_start or date.min
    stop = fact.period_end or date.max
    return start <= period[1] and period[0] <= stop


def stated_on(fact: Fact, dataset: Records) -> date | None:
    """When ``fact`` was stated: its ``as_of``, else its source's ``published``, else ``None``."""
    if fact.as_of is not None:
        return fact.as_of
    source: Source = dataset.lookup("source", fact.source_id)
    return source.published


class Selection(Sequence[Fact]):
    """An immutable, ordered selection of facts of one dataset; chain ``.query``/``.as_of``.

    Items are the :class:`~aifacts.contract.records.Fact` records themselves, in dataset order.
    """

    __slots__ = ("_dataset", "_facts")

    def __init__(self, facts: Iterable[Fact], dataset: Records) -> None:
        self._facts: tuple[Fact, ...] = tuple(facts)
        self._dataset = dataset

    @property
    def dataset(self) -> Records:
        """The dataset the facts belong to (for their sources, entities and metrics)."""
        return self._dataset

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The selected facts as a tuple."""
        return self._facts

    @property
    def ids(self) -> tuple[str, ...]:
        """The selected ``fact_id`` values, in order."""
        return tuple(f.fact_id for f in self._facts)

    @overload
    def __getitem__(self, index: int) -> Fact: ...
    @overload
    def __getitem__(self, index: slice) -> Selection: ...
    def __getitem__(self, index: int | slice) -> Fact | Selection:
        if isinstance(index, slice):
            return Selection(self._facts[index], self._dataset)
        return self._facts[index]

    def __len__(self) -> int:
        return len(self._facts)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Selection):
            return self._facts == other._facts
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._facts)

    def __repr__(self) -> str:
        shown = ", ".join(self.ids[:5]) + (", ..." if len(self) > 5 else "")
        return f"Selection({len(self)} facts: {shown})"

    def query(self, **filters: Unpack[Filters]) -> Selection:
        """The facts of this selection that satisfy every filter given.

        Args:
            **filters: any of :class:`Filters`: ``entity``, ``metric``, ``source``,
                ``status``, ``country``, ``period`` and ``include_children``.

        Returns:
            A new :class:`Selection`, in the same order.

        Raises:
            UnknownIdError: an id the dataset does not have (with suggestions).
            QueryError: a period that is not a year or a date.
            UsageError: a keyword that is no filter.

        Example:
            >>> import aifacts
            >>> pledged = aifacts.load().selection.query(country="us", status="pledge")
            >>> [f.fact_id for f in pledged][:2]
            ['deepwater-01', 'entrepreneur-01']
        """
        spec = FactFilter.build(self._dataset, **filters)
        return Selection((f for f in self._facts if spec.matches(f)), self._dataset)

    def as_of(self, when: str | date, *, include_undated: bool = False) -> Selection:
        """What had been stated by ``when``, with only the corrections in force then.

        Args:
            when: a date or ``YYYY-MM-DD`` (a year ``YYYY`` means its 31 December).
            include_undated: keep facts whose statement date is unknown.

        Returns:
            A new :class:`Selection`; see the module docstring for the rule.
        """
        day = parse_day(when, end=True)

        def known(fact: Fact) -> bool:
            stated = stated_on(fact, self._dataset)
            return include_undated if stated is None else stated <= day

        replaced = {f.supersedes for f in self._dataset.facts if f.supersedes and known(f)}
        return Selection(
            (f for f in self._facts if known(f) and f.fact_id not in replaced), self._dataset
        )

    def in_force(self) -> Selection:
        """The selection without the facts that a later fact of the dataset corrects."""
        replaced = {f.supersedes for f in self._dataset.facts if f.supersedes}
        return Selection((f for f in self._facts if f.fact_id not in replaced), self._dataset)

    def to_pandas(self, **options: Any) -> dict[str, pd.DataFrame] | pd.DataFrame:
        """These facts as data frames; see :func:`aifacts.dataset.frames.to_pandas`."""
        from aifacts.dataset.frames import to_pandas

        return to_pandas(self._dataset, facts=self._facts, **options)
