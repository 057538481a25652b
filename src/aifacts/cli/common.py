"""What every command of the command line shares: output formats, exit codes, failing.

Exit codes: 0 when the data is valid (or the command succeeded), 1 when the data
breaks a rule or an operation fails, 2 for a usage error. :func:`exit_code` maps
each error class of :mod:`aifacts.errors` to one of them, in one table, so a command
that meets an error it did not expect still exits with the right code and one line,
never a traceback.

Example:
    >>> from aifacts.errors import ExportError, QueryError
    >>> exit_code(QueryError("bad date")), exit_code(ExportError("no openpyxl"))
    (2, 1)
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from aifacts.errors import (
    AifactsError,
    PackageNotFoundError,
    QueryError,
    UnknownIdError,
    UsageError,
    ValidationError,
)

if TYPE_CHECKING:
    from aifacts.api import Dataset

__all__ = ["EXIT_CODES", "Engine", "OutputFormat", "exit_code", "fail", "load_or_exit"]


class OutputFormat(StrEnum):
    """How a report is printed: ``text`` for a person, ``json`` for a program."""

    TEXT = "text"
    JSON = "json"


class Engine(StrEnum):
    """Which engine validates: see :func:`aifacts.validation.engine.validate`."""

    AUTO = "auto"
    ROWS = "rows"
    COLUMNAR = "columnar"


#: The exit code of each error class: the first class in this order that the error is
#: an instance of decides (subclasses before their bases). Anything else is 1.
EXIT_CODES: tuple[tuple[type[AifactsError], int], ...] = (
    (UsageError, 2),  # an argument the command does not take
    (QueryError, 2),  # a filter value of the wrong form
    (PackageNotFoundError, 2),  # a path that holds no data package
    (UnknownIdError, 1),  # an id the data does not have (with suggestions)
    (ValidationError, 1),  # the data breaks a rule
)


def exit_code(error: AifactsError) -> int:
    """The exit code for ``error``: 2 for a usage error, else 1 (see :data:`EXIT_CODES`)."""
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` to stderr and exit with ``code``."""
    typer.echo(f"aifacts: {message}", err=True)
    raise typer.Exit(code)


def load_or_exit(package: Path | None) -> Dataset:
    """Load the package (default: the bundled release) or exit: 2 when it is missing or
    not a data package, 1 when it is invalid."""
    from aifacts.api import load

    try:
        return load(package)
    except PackageNotFoundError as exc:
        fail(str(exc), 2)
    except ValidationError as exc:
        fail(f"the package is not valid; run `aifacts validate`:\n{exc}", 1)
