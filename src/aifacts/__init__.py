"""aifacts: the numbers behind the US–China AI competition, each tied to its source.

Example:
    >>> import aifacts
    >>> ds = aifacts.load()
    >>> fact = ds.facts[0]
    >>> fact.quantity.units == aifacts.ureg.parse_units(fact.unit)
    True

Nothing heavy happens at import: the unit registry is built on first use of
:data:`ureg`, and the data is read by :func:`load`.
"""

import typing as _typing

from aifacts._version import __version__
from aifacts.dataset import Dataset, load
from aifacts.errors import AifactsError, PackageNotFoundError, UnknownIdError, ValidationError
from aifacts.problems import Code, Problem
from aifacts.records import Entity, Fact, Metric, Source
from aifacts.validate import Report, validate
from aifacts.vocab import EntityKind, MetricKind, Qualifier, SourceKind, Status

if _typing.TYPE_CHECKING:
    import pint

    ureg: pint.UnitRegistry[_typing.Any]

__all__ = [
    "AifactsError",
    "Code",
    "Dataset",
    "Entity",
    "EntityKind",
    "Fact",
    "Metric",
    "MetricKind",
    "PackageNotFoundError",
    "Problem",
    "Qualifier",
    "Report",
    "Source",
    "SourceKind",
    "Status",
    "UnknownIdError",
    "ValidationError",
    "__version__",
    "load",
    "ureg",
    "validate",
]


def __getattr__(name: str) -> _typing.Any:
    if name == "ureg":
        from aifacts.units import get_registry

        return get_registry()
    raise AttributeError(f"module 'aifacts' has no attribute {name!r}")
