"""The dataset as pandas data frames (pandas is an optional extra: ``aifacts[pandas]``).

Two shapes:

- ``to_pandas(ds)``: a dict of frames, one per resource (``sources``, ``entities``,
  ``metrics``, ``facts``), with exactly the contract's columns.
- ``to_pandas(ds, tidy=True)``: one frame of facts joined with the labels a reader
  needs: ``entity_name``, ``entity_kind``, ``entity_country``, ``metric_label``,
  ``metric_unit``, ``source_title``, ``source_publisher``, ``source_published``.

Values stay exact: ``value`` and ``value_high`` hold :class:`~decimal.Decimal`
objects (``df.value.astype(float)`` when you want floats), and ``unit`` says what
they count. Dates are ``datetime64`` columns; vocabularies are plain strings.
``quantities=True`` adds a ``quantity`` column of Pint quantities of
:data:`aifacts.ureg` (exact), so ``df.quantity.map(lambda q: q.to("PFLOPS"))`` works.
pint-pandas' ``PintArray`` is not used: it stores floats and cannot convert with the
exact Decimal registry.

Example:
    >>> import aifacts
    >>> frame = aifacts.load().to_pandas(tidy=True)  # doctest: +SKIP
    >>> frame.loc[frame.fact_id == "deepwater-07", ["entity_name", "value", "unit"]]
    ... # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, overload

from aifacts.contract.records import Fact, Record
from aifacts.contract.schema import RESOURCES, Resource

if TYPE_CHECKING:
    import pandas as pd

    from aifacts.dataset.base import Records

__all__ = ["TIDY_LABELS", "resource_frame", "to_pandas"]

#: The label columns of the tidy frame: (column, resource, field of that resource).
TIDY_LABELS: tuple[tuple[str, str, str, str], ...] = (
    ("entity_name", "entities", "entity_id", "name"),
    ("entity_kind", "entities", "entity_id", "kind"),
    ("entity_country", "entities", "entity_id", "country"),
    ("metric_label", "metrics", "metric_id", "label"),
    ("metric_unit", "metrics", "metric_id", "unit"),
    ("source_title", "sources", "source_id", "title"),
    ("source_publisher", "sources", "source_id", "publisher"),
    ("source_published", "sources", "source_id", "published"),
)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        from aifacts.errors import AifactsError

        raise AifactsError("data frames need pandas: pip install 'aifacts[pandas]'") from None
    return pandas


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def resource_frame(resource: Resource, records: Iterable[Record]) -> pd.DataFrame:
    """One frame of ``records`` with the contract's columns, in schema order."""
    pd = _pandas()
    rows = [[_cell(getattr(r, name)) for name in resource.field_names] for r in records]
    frame = pd.DataFrame(rows, columns=list(resource.field_names), dtype=object)
    for spec in resource.fields:
        column = frame[spec.name]
        if spec.type == "date":
            frame[spec.name] = pd.to_datetime(column)
        elif spec.type == "string":
            frame[spec.name] = column.astype("string")
        elif spec.type == "integer":
            frame[spec.name] = column.astype("Int64")
        elif spec.type == "boolean":
            frame[spec.name] = column.astype("boolean")
    return frame


@overload
def to_pandas(
    data: Records,
    *,
    facts: Sequence[Fact] | None = None,
    tidy: Literal[False] = False,
    quantities: bool = False,
) -> dict[str, pd.DataFrame]: ...
@overload
def to_pandas(
    data: Records,
    *,
    facts: Sequence[Fact] | None = None,
    tidy: Literal[True],
    quantities: bool = False,
) -> pd.DataFrame: ...
def to_pandas(
    data: Records,
    *,
    facts: Sequence[Fact] | None = None,
    tidy: bool = False,
    quantities: bool = False,
) -> dict[str, pd.DataFrame] | pd.DataFrame:
    """Data frames of a dataset or a selection of its facts.

    Args:
        data: the records of a release (a :class:`~aifacts.api.Dataset`).
        facts: only these of its facts (``Selection.to_pandas`` passes its own); every
            source, entity and metric of the release is kept.
        tidy: one facts frame joined with entity, metric and source labels.
        quantities: add a ``quantity`` column of exact Pint quantities to the facts.

    Returns:
        A frame per resource (``{"sources": ..., "facts": ..., "omissions": ...}``), or
        the tidy facts frame.

    Raises:
        AifactsError: pandas is not installed.
    """
    dataset = data
    facts = dataset.facts if facts is None else tuple(facts)
    records: dict[str, tuple[Any, ...]] = {
        "sources": dataset.sources,
        "entities": dataset.entities,
        "metrics": dataset.metrics,
        "facts": facts,
        "omissions": dataset.omissions,
    }
    frames = {res.name: resource_frame(res, records[res.name]) for res in RESOURCES}
    fact_frame = frames["facts"]
    if quantities:
        fact_frame["quantity"] = _pandas().Series([f.quantity for f in facts], dtype=object)
    if not tidy:
        return frames
    for column, name, key, label in TIDY_LABELS:
        lookup = {getattr(r, key): _cell(getattr(r, label)) for r in records[name]}
        values = fact_frame[key].map(lookup)
        fact_frame[column] = values
    fact_frame["source_published"] = _pandas().to_datetime(fact_frame["source_published"])
    for column, *_ in TIDY_LABELS[:-1]:
        fact_frame[column] = fact_frame[column].astype("string")
    return fact_frame
