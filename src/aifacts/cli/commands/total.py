"""``aifacts total``: add one metric's facts over entities, each claim once, or say why not."""

from __future__ import annotations

from typing import Annotated

import typer

from aifacts.cli.commands.browse import (
    AsOfOption,
    FormatOption,
    PackageOption,
    emit,
    load_dataset,
    run_guarded,
    split_ids,
)
from aifacts.cli.commands.compare import RateOption, rates_option

__all__ = ["register"]


def total(
    metric: Annotated[
        str, typer.Argument(help="The metric id, e.g. ai-infrastructure-investment.")
    ],
    entities: Annotated[
        list[str],
        typer.Option(
            "--entities", "-e", help="Entity ids or names to total for, e.g. cn,us or China."
        ),
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help="The unit of the totals (default: the most used).",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Add only facts of these statuses.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Add only facts about this time: a year (2025), a day, or START..END.",
            show_default=False,
        ),
    ] = None,
    rate: RateOption = None,
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    package: PackageOption = None,
) -> None:
    """Add the facts of METRIC for each entity (a country: everything located in it;
    any entity: everything below it through parent_id), each claim once.

    Facts add only when status, period and currency agree; otherwise the total is
    refused, with the facts that disagree and the option that would allow it (exit 1).
    A part of a counted fact is left to its whole; an entity with no country counts
    towards none; values converted at a rate the data implies are marked derived.
    The parts, blockers and facts left out are printed on stderr.
    """
    from aifacts.answers.total import total as run
    from aifacts.contract.characters import terminal_safe
    from aifacts.dataset.query import option_text, split_period

    ds = load_dataset(package)

    def build() -> object:
        return run(
            ds,
            metric,
            split_ids(entities, "--entities") or [],
            unit=option_text(unit, "--unit"),
            rates=rates_option(rate),
            status=split_ids(status, "--status"),
            period=split_period(period, "--period"),
            as_of=option_text(as_of, "--as-of"),
        )

    result = run_guarded(build)
    records = result.records()
    columns = ["entity", "total", "interval", "claims", "facts"]
    rows = [[str(r[c]) for c in columns] for r in records]
    title = f"Total {result.metric.label} ({result.metric.metric_id})"
    emit(columns, rows, output_format, records=records, title=title)
    for item in result.totals:
        for line in item.lines():
            typer.echo(terminal_safe(line), err=True)
    for note in result.caveats:
        typer.echo(terminal_safe(f"unlike totals: {note}"), err=True)
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``total`` to ``app``."""
    app.command("total")(total)
