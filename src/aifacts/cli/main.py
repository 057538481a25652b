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
from pathlib import Path
from typing import Annotated

import typer

from aifacts._version import __version__
from aifacts.cli.common import Engine, OutputFormat, exit_code, fail
from aifacts.errors import AifactsError, PackageNotFoundError, UsageError

__all__ = ["app", "main"]

app = typer.Typer(
    name="aifacts",
    help="Load, validate, query and cite the aifacts dataset of US–China AI numbers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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
        OutputFormat, typer.Option("--format", help="text: one line per problem; json: the report.")
    ] = OutputFormat.TEXT,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="rows: typed records; columnar: pyarrow, for big packages; "
            "auto: columnar above about 30,000 facts (5 MB of CSV).",
        ),
    ] = Engine.AUTO,
    max_problems: Annotated[
        int,
        typer.Option(
            "--max-problems",
            min=0,
            help="Problems shown per kind; the rest are counted ('... and N more').",
        ),
    ] = 100,
) -> None:
    """Check a data package against every rule; print one line per problem.

    Exits 0 when valid, 1 when not, 2 for a usage error. A long validation shows
    its progress on stderr when stderr is a terminal.
    """
    from aifacts.validation.columnar import start_early

    start_early(path, engine.value)  # hash and scan big files while the engine imports
    from aifacts.validation.columnar.progress import progress_bar
    from aifacts.validation.engine import validate as run

    try:
        with progress_bar() as progress:
            report = run(path, engine=engine.value, max_per_code=max_problems, progress=progress)
    except PackageNotFoundError as exc:
        fail(str(exc), 2)
    except UsageError as exc:
        fail(str(exc), 2)
    if output_format is OutputFormat.JSON:
        from aifacts.contract.characters import json_safe

        typer.echo(json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)))
    else:
        for line in report.lines():
            typer.echo(line)
        rows = report.stats["rows"]
        summary = ", ".join(f"{n} {name}" for name, n in rows.items())
        if report.valid:
            typer.echo(f"valid: {report.path} ({summary})", err=not sys.stdout.isatty())
        else:
            count = report.stats["problems"]
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
    """Regenerate what derives from the CSVs: each resource's JSON form and datapackage.json.

    Writes facts.json (etc.) next to each CSV, and datapackage.json with the schemas,
    units, version, bytes and hash. Idempotent: an unchanged package is left
    byte-identical. Exits 1 when a CSV cannot be read cleanly (its JSON form is then
    left as it was; run `aifacts validate` to see every problem).
    """
    from aifacts.release.build import build_report

    if not path.is_dir():
        fail(f"{path}: not a folder", 2)
    try:
        result = build_report(path)
    except OSError as exc:  # a file that cannot be read or written: say which
        fail(f"cannot write or read {exc.filename or path}: {exc.strerror or exc}", 1)
    for written in result.written:
        typer.echo(f"wrote {written}")
    if not result.written:
        typer.echo(f"up to date: {path}")
    for skipped in result.skipped:
        typer.echo(f"aifacts: JSON form not rewritten: {skipped}", err=True)
    raise typer.Exit(1 if result.skipped else 0)


def main() -> None:
    """Entry point of the ``aifacts`` console script.

    An error a command did not expect (any :class:`~aifacts.errors.AifactsError`) is
    one line on stderr and its exit code, never a traceback.
    """
    _start_early(sys.argv[1:])
    try:
        app()
    except AifactsError as exc:  # one a command did not expect: one line, never a traceback
        typer.echo(f"aifacts: {exc}", err=True)
        raise SystemExit(exit_code(exc)) from None


def _start_early(args: list[str]) -> None:
    """For ``aifacts validate``, start hashing and scanning the package's big files
    before the command line is even built (typer takes a tenth of a second), so the
    second core does it meanwhile; :func:`validate` starts it otherwise."""
    target = early_target(args)
    if target is None:
        return
    from aifacts.validation.columnar import start_early

    start_early(*target)


def early_target(args: list[str]) -> tuple[str | None, str] | None:
    """The package path and engine of ``validate`` arguments, read without typer;
    ``None`` for another command or arguments this quick look does not follow.

    Example:
        >>> early_target(["validate", "big/", "--engine", "columnar"])
        ('big/', 'columnar')
    """
    if args[:1] != ["validate"]:
        return None
    path: str | None = None
    engine = "auto"
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--format", "--max-problems"):
            next(rest, None)
        elif arg == "--engine":
            engine = next(rest, engine)
        elif arg.startswith("--engine="):
            engine = arg.partition("=")[2]
        elif arg.startswith("-") and "=" not in arg:
            return None  # --help, or an option not known here
        elif not arg.startswith("-") and path is None:
            path = arg
        elif not arg.startswith("-"):
            return None
    return path, engine


# The other command families live in aifacts.cli.commands; this module is imported only
# by the console script and the tests, never by ``import aifacts``.
from aifacts.cli.commands import register_all  # noqa: E402

register_all(app)
