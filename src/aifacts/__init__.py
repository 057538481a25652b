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
from aifacts.contract.problems import Code, Problem
from aifacts.contract.vocab import EntityKind, MetricKind, Qualifier, SourceKind, Status
from aifacts.errors import (
    AifactsError,
    ConversionError,
    ExportError,
    PackageNotFoundError,
    QueryError,
    UnitError,
    UnknownIdError,
    UnsafeFileError,
    UsageError,
    ValidationError,
    WriteError,
)
from aifacts.validation.engine import validate
from aifacts.validation.report import Report

if _typing.TYPE_CHECKING:
    import pint

    from aifacts.api import Dataset, load
    from aifacts.contract.records import Entity, Fact, Metric, Source

    ureg: pint.UnitRegistry[_typing.Any]

#: Names imported on first use (pydantic models, the dataset): the command line
#: starts without them.
_LAZY = {
    "Dataset": "aifacts.api",
    "load": "aifacts.api",
    "Entity": "aifacts.contract.records",
    "Fact": "aifacts.contract.records",
    "Metric": "aifacts.contract.records",
    "Source": "aifacts.contract.records",
}

__all__ = [
    "AifactsError",
    "Code",
    "ConversionError",
    "Dataset",
    "Entity",
    "EntityKind",
    "ExportError",
    "Fact",
    "Metric",
    "MetricKind",
    "PackageNotFoundError",
    "Problem",
    "Qualifier",
    "QueryError",
    "Report",
    "Source",
    "SourceKind",
    "Status",
    "UnitError",
    "UnknownIdError",
    "UnsafeFileError",
    "UsageError",
    "ValidationError",
    "WriteError",
    "__version__",
    "load",
    "ureg",
    "validate",
]


def __getattr__(name: str) -> _typing.Any:
    if name == "ureg":
        from aifacts.contract.units import get_registry

        return get_registry()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aifacts' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
