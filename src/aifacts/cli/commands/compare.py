"""``aifacts compare``: what the sources say about one metric for several entities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
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
from aifacts.dataset.money import ExchangeRate

__all__ = ["RateOption", "parse_rate", "rates_option", "register"]

RateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rate",
        help="An exchange rate you give, BASE/QUOTE=RATE@YYYY-MM-DD (recorded as user-given), "
        "or 'implied': the rates the data implies (one amount stated in two currencies).",
        show_default=False,
    ),
]


def parse_rate(text: str) -> ExchangeRate:
    """``'CNY/USD=0.139@2025-07-29'`` → a user-given rate: 1 CNY = 0.139 USD on that day.

    Example:
        >>> parse_rate("USD/CNY=7.2@2025-07-29").describe()
        '1 USD = 7.2 CNY on 2025-07-29 (user-given: given on the command line)'
    """
    from aifacts.dataset.money import ConversionError

    pair, _, rest = text.partition("=")
    value, _, day = rest.partition("@")
    base, _, quote = pair.partition("/")
    if not (base and quote and value and day):
        raise ConversionError(
            f"{text!r} is not a rate; write BASE/QUOTE=RATE@YYYY-MM-DD, "
            "e.g. CNY/USD=0.139@2025-07-29"
        )
    try:
        number = Decimal(value.strip())
        when = date.fromisoformat(day.strip())
    except (InvalidOperation, ValueError):
        raise ConversionError(
            f"{text!r}: the rate must be a number and the date YYYY-MM-DD"
        ) from None
    return ExchangeRate(
        base.strip().upper(), quote.strip().upper(), number, when, None, "given on the command line"
    )


def rates_option(values: list[str] | None) -> tuple[ExchangeRate, ...] | str:
    """What ``--rate`` asks for: the rates given, or ``'implied'`` alone."""
    from aifacts.answers.compare import IMPLIED
    from aifacts.dataset.money import ConversionError

    given = [v.strip() for v in values or []]
    if IMPLIED in given:
        if len(given) > 1:
            raise ConversionError("--rate implied cannot be combined with other rates")
        return IMPLIED
    return tuple(parse_rate(r) for r in given)


def compare(
    metric: Annotated[str, typer.Argument(help="The metric id, e.g. ai-compute-capacity.")],
    entities: Annotated[
        list[str],
        typer.Option("--entities", "-e", help="Entity ids to line up, e.g. cn,us."),
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help="Show values in this unit (default: the most used).",
            show_default=False,
        ),
    ] = None,
    children: Annotated[
        bool, typer.Option("--children", help="Count facts about entities below each (parent_id).")
    ] = False,
    by_country: Annotated[
        bool,
        typer.Option(
            "--by-country", help="Count every fact whose entity is in the country (us: OpenAI...)."
        ),
    ] = False,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Keep only these statuses.")
    ] = None,
    rate: RateOption = None,
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    package: PackageOption = None,
) -> None:
    """Line up what the sources say and imply about METRIC for several entities, in one unit.

    Each row keeps the qualifier (≥, ≤, ≈, ranges), the status, the period, the entity
    the fact is about and the source; each claim counts once, its other mentions listed.
    Rows of kind "derived" are values no fact states: bounds that ratios and shares
    imply, with their interval and the facts they come from. Amounts in another
    currency are converted only with a --rate you give (or --rate implied: the rates
    the data implies, offered on stderr), and otherwise shown as stated. Statuses and
    periods that differ are said on stderr.
    """
    from aifacts.answers.compare import compare as run
    from aifacts.contract.characters import terminal_safe
    from aifacts.dataset.query import option_text

    ds = load_dataset(package)

    def build() -> object:
        wanted = split_ids(entities, "--entities") or []
        chosen_status = split_ids(status, "--status")
        when = option_text(as_of, "--as-of")
        return run(
            ds,
            metric,
            wanted,
            unit=option_text(unit, "--unit"),
            rates=rates_option(rate),
            include_children=children,
            by_country=by_country,
            status=chosen_status,
            as_of=when,
        )

    result = run_guarded(build)
    records = result.records()
    columns = ["entity", "kind", "value", "interval", "status", "period", "about", "fact_id"]
    rows = [[r[c] for c in columns] for r in records]
    title = f"{result.metric.label} ({result.metric.metric_id}), in {result.unit}"
    emit(columns, rows, output_format, records=records, title=title)
    for entity in result.missing:
        typer.echo(f"no fact of {metric} for {entity}", err=True)
    notes = [f"{d.entity_id}: derived {d.text}: {d.how}" for d in result.derived]
    for row in result.rows:
        if row.note:
            notes.append(f"{row.fact.fact_id}: not converted: {row.note}")
        if row.derived and row.rate:
            notes.append(f"{row.fact.fact_id}: derived: converted at {row.rate.describe()}")
        if row.mentions:
            notes.append(f"{row.fact.fact_id}: the same claim as {', '.join(row.mentions)}")
        if row.doubt:
            notes.append(f"{row.fact.fact_id}: doubted: {row.doubt}")
    notes += [f"offered (--rate implied): {r.describe()}" for r in result.offered]
    notes += [f"caveat: {c}" for c in result.caveats]
    for note in notes:
        typer.echo(terminal_safe(note), err=True)


def register(app: typer.Typer) -> None:
    """Add ``compare`` to ``app``."""
    app.command("compare")(compare)
