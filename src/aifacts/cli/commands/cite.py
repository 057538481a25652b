"""``aifacts cite``: how to cite the release, or one fact with its original source."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aifacts.release.citation import CitationFormat

__all__ = ["register"]


def cite(
    fact_id: Annotated[
        str | None,
        typer.Argument(
            help="Cite this fact: the release plus the source it comes from.", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        CitationFormat,
        typer.Option(
            "--format",
            help="apa (text), bibtex, csl-json, or cff (CITATION.cff; the release only).",
        ),
    ] = CitationFormat.APA,
    package: Annotated[
        Path | None,
        typer.Option(
            "--package",
            help="Cite this data package (a datapackage.json or its folder); "
            "default: the installed release.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print how to cite the installed release, or one of its facts (FACT_ID).

    A fact's citation names the release, the source the fact was read from (and the
    source that one quotes, if any), the locator and the verbatim quote. Fields the
    data does not give (a URL, a date) are left out, never guessed.
    """
    from aifacts.cli.commands.browse import run_guarded
    from aifacts.cli.common import fail, load_or_exit
    from aifacts.dataset.query import option_text
    from aifacts.errors import UnknownIdError
    from aifacts.release.citation import cite as run

    fact_id = run_guarded(lambda: option_text(fact_id, "FACT_ID"))
    if fact_id is not None and output_format is CitationFormat.CFF:
        fail("--format cff cites the release only; give no FACT_ID", 2)
    ds = load_or_exit(package)
    try:
        text = run(ds, output_format, fact_id)
    except UnknownIdError as exc:
        fail(str(exc), 1)
    typer.echo(text)


def register(app: typer.Typer) -> None:
    """Add ``cite`` to ``app``."""
    app.command("cite")(cite)
