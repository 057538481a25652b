"""Every error aifacts raises, under one root.

The hierarchy::

    AifactsError
    ├── ValidationError (also ValueError)   invalid data; carries every Problem found
    ├── UsageError (also ValueError)        an argument a function does not take: an
    │                                        unknown engine, rule or format
    ├── QueryError (also ValueError)        a filter value of the wrong form (a bad
    │                                        date or period, an empty id)
    ├── UnitError (also ValueError)         a unit string the registry cannot parse
    ├── ConversionError (also ValueError)   a conversion that cannot be made honestly
    │                                        (no dated rate, not money)
    ├── ExportError (also ValueError)       an export or import that cannot be done
    │                                        exactly (a missing extra, a file of
    │                                        another form, a value no format holds)
    ├── PackageNotFoundError (also FileNotFoundError)
    │                                        the path is missing or holds no data package
    ├── UnsafeFileError (also OSError)       a file the package names is refused unread:
    │                                        outside the package folder, or not a regular
    │                                        file (a FIFO, a device, a folder)
    ├── WriteError (also OSError)            a file cannot be written: a missing folder,
    │                                        a target that is not a regular file, a
    │                                        read-only folder, a full disk
    └── UnknownIdError (also KeyError)       an id that the dataset does not have

Concrete errors also subclass the matching built-in, so callers may catch either
``aifacts.ValidationError`` or plain ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: errors import nothing of the library at run time
    from aifacts.contract.problems import Problem

__all__ = [
    "AifactsError",
    "ConversionError",
    "ExportError",
    "PackageNotFoundError",
    "QueryError",
    "UnitError",
    "UnknownIdError",
    "UnsafeFileError",
    "UsageError",
    "ValidationError",
    "WriteError",
]


class AifactsError(Exception):
    """The root of every error this library raises on purpose."""


class ValidationError(AifactsError, ValueError):
    """The data breaks one or more rules; ``problems`` lists every one found.

    Example:
        >>> from aifacts.contract.problems import Code, Problem
        >>> err = ValidationError([Problem("facts", "facts.csv", 2, "unit", Code.UNIT_UNKNOWN,
        ...                                "'GWh/x' is not a unit")])
        >>> print(err)
        1 problem found:
        facts.csv:2:unit: 'GWh/x' is not a unit
    """

    def __init__(self, problems: Iterable[Problem], *, omitted: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.omitted = omitted
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems) + self.omitted
        lines = [f"{count} problem{'s' if count != 1 else ''} found:"]
        lines += [p.line() for p in self.problems]
        if self.omitted:
            lines.append(f"... and {self.omitted} more")
        return "\n".join(lines)


class UsageError(AifactsError, ValueError):
    """An argument a function does not take: an unknown engine, rule or format.

    The command line answers it with exit code 2, as it answers a bad option.
    """


class QueryError(AifactsError, ValueError):
    """A filter value that is not of the expected form (a bad date or period, an empty id)."""


class UnitError(AifactsError, ValueError):
    """A unit string that the registry cannot parse."""


class ConversionError(AifactsError, ValueError):
    """A conversion that cannot be made honestly: no rate, a wrong rate, not money."""


class ExportError(AifactsError, ValueError):
    """An export or import that cannot be done: a missing extra, a file of another
    form, a value no file of the format can hold exactly."""


class PackageNotFoundError(AifactsError, FileNotFoundError):
    """The path does not exist or does not hold a ``datapackage.json``."""


class UnsafeFileError(AifactsError, OSError):
    """A file refused before a byte of it is read: ``strerror`` says why.

    Raised with ``errno.EPERM``, the message and the file name, as :class:`OSError` is,
    so code that reports ``exc.strerror`` of any unreadable file reports it too.

    Example:
        >>> err = UnsafeFileError("not a regular file (a FIFO)", "facts.csv")
        >>> err.strerror, err.filename
        ('not a regular file (a FIFO)', 'facts.csv')
    """

    def __init__(self, why: str, filename: str) -> None:
        import errno

        super().__init__(errno.EPERM, why, filename)


class UnknownIdError(AifactsError, KeyError):
    """An id the dataset does not have; ``nearest`` suggests valid ones.

    Example:
        >>> str(UnknownIdError("alibba", "entity", ["alibaba", "alibaba-cloud"]))
        "unknown entity 'alibba'; did you mean: alibaba, alibaba-cloud?"
    """

    def __init__(
        self,
        wanted: str,
        kind: str,
        nearest: Sequence[str] = (),
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.wanted = wanted
        self.kind = kind
        self.nearest = tuple(nearest)
        #: A name to show beside each suggested id (``cn (China)``).
        self.names = dict(names or {})
        super().__init__(wanted)

    def __str__(self) -> str:
        shown = [f"{i} ({self.names[i]})" if self.names.get(i) else i for i in self.nearest]
        hint = f"; did you mean: {', '.join(shown)}?" if shown else ""
        return f"unknown {self.kind} {self.wanted!r}{hint}"


class WriteError(AifactsError, OSError):
    """A file cannot be written; the target named in ``filename`` was left as it was.

    Example:
        >>> str(WriteError("out/a.json", "the folder out does not exist; create it first"))
        'out/a.json: the folder out does not exist; create it first'
    """

    def __init__(self, target: object, reason: str) -> None:
        super().__init__(f"{target}: {reason}")
        self.filename = str(target)
        self.strerror = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"
