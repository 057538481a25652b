"""``aifacts export``: write the release, or a selection of it, for other tools."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from aifacts.cli.commands.browse import AsOfOption, PackageOption, load_dataset, run_guarded
from aifacts.release.export import ExportFormat

__all__ = ["parse_query", "register"]


def parse_query(text: str) -> dict[str, Any]:
    """``"entity=cn,us metric=ai-awareness children"`` → keyword filters for ``query``.

    Example:
        >>> parse_query("entity=cn,us metric=ai-awareness")
        {'entity': ['cn', 'us'], 'metric': ['ai-awareness']}
    """
    from aifacts.dataset.query import FILTERS, QueryError, split_period, split_values

    filters: dict[str, Any] = {}
    parts = shlex.split(text.replace(";", " "))
    if not parts:
        raise QueryError("--query: the value is empty; leave the option out to export every fact")
    for part in parts:
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if key in ("children", "include_children") and not sep:
            filters["include_children"] = True
            continue
        if key not in FILTERS or not sep:
            raise QueryError(
                f"--query: {part!r} is not a filter; write key=value with key one of "
                f"{', '.join(FILTERS)} (values separated by commas), or 'children'"
            )
        option = f"--query {key}="
        if key == "period":
            filters["period"] = split_period(value, option)
        else:
            filters[key] = split_values(value, option)
    return filters


def export(
    output: Annotated[
        Path,
        typer.Argument(
            help="The file (json, sqlite, xlsx) or folder (csv, parquet) to write, in an "
            "existing folder; '-': standard output (json only).",
        ),
    ],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json, csv, parquet, sqlite or xlsx.")
    ] = ExportFormat.JSON,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            help="Export only these facts: 'entity=cn,us metric=ai-awareness status=actual "
            "period=2025 country=cn children'.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing OUTPUT (a regular file; for csv and parquet, the "
            "export's files in an existing folder).",
        ),
    ] = False,
    as_of: AsOfOption = None,
    package: PackageOption = None,
) -> None:
    """Write the whole package, or a --query selection, as json, csv, parquet, sqlite or xlsx.

    OUTPUT's folder must exist. An existing OUTPUT is replaced only with --force, and
    never when it is not a regular file (a device, a FIFO, a link; for csv and parquet,
    anything but a folder). Each file is written whole or not at all: on a failure
    (or when killed) the old file stays as it was. '-' writes json to standard output;
    the other formats are files or folders. Spreadsheet formats (csv, xlsx) neutralise
    text a spreadsheet would run as a formula (a leading apostrophe) and say how many
    cells were changed. The summary goes to stderr, so stdout stays empty for scripts
    (or holds only the json of '-').
    """
    from aifacts.cli.common import fail
    from aifacts.release.export import ExportError, render
    from aifacts.release.export import export as run

    to_stdout = str(output) == "-"
    if to_stdout and output_format is not ExportFormat.JSON:
        why = "a folder of files" if output_format.folder else "binary"
        fail(f"{output_format.value} is {why}: '-' (standard output) takes json only", 2)
    ds = load_dataset(package)

    def select() -> Any:
        from aifacts.dataset.query import option_text

        when = option_text(as_of, "--as-of")
        filters = parse_query(query) if query is not None else {}
        base = ds.as_of(when) if when else ds.selection
        return base.query(**filters) if filters else base

    chosen = run_guarded(select)
    data = ds if (query is None and as_of is None) else chosen
    try:
        if to_stdout:
            body, result = render(data, output_format)
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
        else:
            result = run(data, output, output_format, replace=force)
    except ExportError as exc:
        fail(str(exc), 1)
    except OSError as exc:  # aifacts.errors.WriteError names the file and the reason
        name = exc.filename or output
        fail(str(exc) if exc.filename else f"{name}: cannot write ({exc.strerror or exc})", 1)
    typer.echo(result.summary(), err=True)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command("export")(export)
