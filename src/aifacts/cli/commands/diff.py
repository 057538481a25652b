"""``aifacts diff OLD NEW``: what changed between two releases, and the SemVer level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aifacts.cli.common import OutputFormat

__all__ = ["register"]


def diff(
    old: Annotated[
        Path, typer.Argument(help="The earlier release: datapackage.json or its folder.")
    ],
    new: Annotated[Path, typer.Argument(help="The later release: datapackage.json or its folder.")],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="text: one change a line; json: the diff as data."),
    ] = OutputFormat.TEXT,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 if a fact was rewritten in place or the new version number steps "
            "up less than the change needs.",
        ),
    ] = False,
) -> None:
    """List facts, entities, metrics, sources and columns added, removed and changed.

    Rows are matched by primary key and compared field by field; columns by the
    Table Schema in each datapackage.json. Says which SemVer level the change needs
    (MAJOR: removed or renamed column, removed row, changed meaning; MINOR: added
    facts or columns; PATCH: corrections) and flags facts rewritten in place
    instead of superseded. Exits 0, or 1 with --check when the release breaks a rule.
    """
    from aifacts.cli.common import fail
    from aifacts.contract.characters import json_safe, terminal_safe
    from aifacts.errors import PackageNotFoundError, ValidationError
    from aifacts.release.diff import diff_packages

    try:
        result = diff_packages(old, new)
    except PackageNotFoundError as exc:
        fail(str(exc), 2)
    except ValidationError as exc:
        fail(f"the package cannot be read safely:\n{exc}", 1)
    if output_format is OutputFormat.JSON:
        typer.echo(json_safe(json.dumps(result.to_dict(), ensure_ascii=False, indent=2)))
    else:
        for line in result.lines():
            typer.echo(terminal_safe(line))
    if check and (result.silent_rewrites or result.version_ok is False):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``diff`` to ``app``."""
    app.command("diff")(diff)
