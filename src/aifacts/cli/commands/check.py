"""``aifacts check``: how the facts relate — agreements, conflicts, implied rates and bounds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from aifacts.cli.common import OutputFormat

__all__ = ["register"]


def check(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A datapackage.json or the folder holding it; default: the bundled release.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="text: one line per finding; json: the report as data."),
    ] = OutputFormat.TEXT,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            help="Run only this rule (parts, rates, comparisons, conflicts); repeatable.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the facts against each other and print every finding.

    Rules: parts (parts sum to their whole), rates (exchange rates implied by one
    amount in two currencies), comparisons (ratios and shares against absolute
    facts, with the bounds they imply), conflicts (facts on the same entity, metric
    and period overlap). Each finding names its facts and sources.

    Exits 0 when nothing is inconsistent, 1 when something is (or the package is
    invalid), 2 for a usage error.
    """
    from aifacts.cli.common import fail, load_or_exit
    from aifacts.consistency import CONSISTENCY_RULES
    from aifacts.consistency import check as run
    from aifacts.contract.characters import json_safe, terminal_safe

    chosen = tuple(rule) if rule else None
    if chosen:
        unknown = [name for name in chosen if name not in CONSISTENCY_RULES]
        if unknown:
            fail(f"unknown rule {unknown[0]!r}; the rules are: {', '.join(CONSISTENCY_RULES)}", 2)
    ds = load_or_exit(path)
    report = run(ds, chosen)
    if output_format is OutputFormat.JSON:
        data = {"path": str(ds.path) if ds.path else None, **report.to_dict()}
        typer.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        for finding in report.findings:
            typer.echo(terminal_safe(finding.line()))
        counts = ", ".join(f"{n} {verdict}" for verdict, n in report.counts.items())
        verdict = "consistent" if report.consistent else "inconsistent"
        typer.echo(f"{verdict}: {counts} ({ds.path})", err=not sys.stdout.isatty())
    raise typer.Exit(0 if report.consistent else 1)


def register(app: typer.Typer) -> None:
    """Add ``check`` to the command line."""
    app.command(name="check")(check)
