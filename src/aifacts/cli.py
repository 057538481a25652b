"""The ``aifacts`` command line.

Exit codes follow the report: 0 when the data is valid (or the command succeeded),
1 when the data breaks a rule or an id is unknown, 2 for a usage error (a missing
path, a folder that holds no data package, a bad option). Problems go to stdout,
one per line (``facts.csv:12:unit: ...``); errors go to stderr; no traceback for
bad data.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from aifacts._version import __version__
from aifacts.errors import PackageNotFoundError

__all__ = ["app", "main"]

app = typer.Typer(
    name="aifacts",
    help="Load, validate, query and cite the aifacts dataset of US–China AI numbers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` to stderr and exit with ``code``."""
    typer.echo(f"aifacts: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aifacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Load, validate, query and cite the aifacts dataset of US–China AI numbers."""


PathArg = Annotated[
    Path | None,
    typer.Argument(
        help="A datapackage.json or the folder holding it; default: the bundled release.",
        show_default=False,
    ),
]


@app.command()
def validate(
    path: PathArg = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="text: one line per problem; json: the report.")
    ] = ReportFormat.TEXT,
) -> None:
    """Check a data package against every rule; print one line per problem.

    Exits 0 when valid, 1 when not, 2 for a usage error.
    """
    from aifacts.validate import validate as run

    try:
        report = run(path)
    except PackageNotFoundError as exc:
        fail(str(exc), 2)
    if output_format is ReportFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            typer.echo(problem.line())
        rows = report.stats["rows"]
        summary = ", ".join(f"{n} {name}" for name, n in rows.items())
        if report.valid:
            typer.echo(f"valid: {report.path} ({summary})", err=not sys.stdout.isatty())
        else:
            count = len(report.problems)
            typer.echo(
                f"invalid: {count} problem{'s' if count != 1 else ''} in {report.path}", err=True
            )
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def build(
    path: Annotated[Path, typer.Argument(help="The folder of the package to rebuild.")] = Path(
        "datapackage"
    ),
) -> None:
    """Rewrite datapackage.json (schemas, units, bytes and hash) after editing the CSVs."""
    from aifacts.build import build as run

    if not path.is_dir():
        fail(f"{path}: not a folder", 2)
    target = run(path)
    typer.echo(f"wrote {target}")


def main() -> None:
    """Entry point of the ``aifacts`` console script."""
    app()


# The other command families live in aifacts.commands; this module is imported only
# by the console script and the tests, never by ``import aifacts``.
from aifacts.commands import register_all  # noqa: E402

register_all(app)
