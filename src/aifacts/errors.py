"""Every error aifacts raises, under one root.

The hierarchy::

    AifactsError
    ├── ValidationError (also ValueError)   invalid data; carries every Problem found
    ├── PackageNotFoundError (also FileNotFoundError)
    │                                        the path is missing or holds no data package
    ├── UnsafeFileError (also OSError)       a file the package names is refused unread:
    │                                        outside the package folder, or not a regular
    │                                        file (a FIFO, a device, a folder)
    ├── UnknownIdError (also KeyError)       an id that the dataset does not have
    └── WriteError (also OSError)            a file cannot be written: a missing folder,
                                             a target that is not a regular file, a
                                             read-only folder, a full disk

Concrete errors also subclass the matching built-in, so callers may catch either
``aifacts.ValidationError`` or plain ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aifacts.problems import Problem

__all__ = [
    "AifactsError",
    "PackageNotFoundError",
    "UnknownIdError",
    "UnsafeFileError",
    "ValidationError",
    "WriteError",
]


class AifactsError(Exception):
    """The root of every error this library raises on purpose."""


class ValidationError(AifactsError, ValueError):
    """The data breaks one or more rules; ``problems`` lists every one found.

    Example:
        >>> from aifacts.problems import Code, Problem
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

    def __init__(self, wanted: str, kind: str, nearest: Sequence[str] = ()) -> None:
        self.wanted = wanted
        self.kind = kind
        self.nearest = tuple(nearest)
        super().__init__(wanted)

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.nearest)}?" if self.nearest else ""
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
