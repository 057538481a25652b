"""``aifacts draft``: write a new source's rows, drafted from its document, for review."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def draft(
    document: Annotated[
        Path, typer.Argument(help="The source document (UTF-8 text).", show_default=False)
    ],
    source_id: Annotated[
        str,
        typer.Option("--source-id", help="The id of the new source.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write sources.csv, facts.csv and omissions.csv into; "
            "default: draft-SOURCE_ID.",
            show_default=False,
        ),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published it.", show_default=False)
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published", help="When (YYYY-MM-DD); also each fact's as_of.", show_default=False
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Its title; default: its first line.", show_default=False),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where it is.", show_default=False)
    ] = None,
    package: Annotated[
        Path | None,
        typer.Option(
            "--package",
            help="The data package whose entities and metrics are suggested; default: the "
            "installed release.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the files if the folder holds them.")
    ] = False,
) -> None:
    """Draft the rows of a new source from its document, for a person to review.

    Writes, in the package's own columns: the source row with its document_sha256; a
    candidate fact for every quantity the document states (quote, locator, value, unit,
    qualifier, a status guessed from the verbs, an entity and a metric suggested from the
    package's names); and a candidate omission for every footnote mark, heading label, date,
    name, and every quantity no metric fits. Review them, append them to the package's
    files, run `aifacts build`, then `aifacts validate` and `aifacts audit`. Exits 0 when
    written; 1 when the document is not UTF-8 text or a file cannot be written; 2 for a
    usage error (no such document, an id in use, files already there without --force).
    """
    from aifacts.cli.commands.browse import run_guarded
    from aifacts.cli.common import fail, load_or_exit
    from aifacts.contract.characters import terminal_safe
    from aifacts.dataset.query import option_text
    from aifacts.errors import WriteError

    source_id = run_guarded(lambda: option_text(source_id, "--source-id"))
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            fail(f"--published: {published!r} is not a date; expected YYYY-MM-DD", 2)
    if not document.is_file():
        fail(f"{document}: no such file", 2)
    ds = load_or_exit(package)
    if any(s.source_id == source_id for s in ds.sources):
        fail(f"--source-id: {source_id!r} is already a source of the package; choose another", 2)
    folder = output if output is not None else Path(f"draft-{source_id}")
    try:
        data = document.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        fail(f"{document}: cannot be read ({exc.strerror or exc})", 1)
    except UnicodeDecodeError as exc:
        fail(f"{document}: not UTF-8 text (byte {exc.start}): a source document is UTF-8 text", 1)
    fields = {"publisher": publisher, "published": published, "title": title, "url": url}
    result = ds.draft(text, source_id, data=data, **{k: v for k, v in fields.items() if v})
    try:
        written = result.write(folder, force=force)
    except WriteError as exc:
        fail(terminal_safe(str(exc)), 2 if "--force" in str(exc) else 1)
    for path in written:
        typer.echo(terminal_safe(str(path)))
    typer.echo(
        f"drafted {len(result.facts)} candidate facts and {len(result.omissions)} candidate "
        f"omissions of {source_id}: review them, then append them to the package",
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``draft`` to the command line."""
    app.command()(draft)
