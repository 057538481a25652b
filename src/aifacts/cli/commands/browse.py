"""``aifacts facts``, ``show``, ``entities``, ``metrics``, ``sources``: browse the release.

On a terminal the lists are tables (rich); sent to a pipe they default to CSV, and
``--format table`` to a pipe prints plain aligned text without box drawing, so
output stays machine-readable. Text from the data is printed through
:func:`aifacts.contract.characters.terminal_safe` (tables, ``show``, CSV on a terminal) or with
JSON escapes (:func:`aifacts.contract.characters.json_safe`): a control or bidi character in a
cell is shown escaped (U+009B as a backslash, ``x9b``), never sent raw to the
terminal. Errors go to stderr: exit 1 for an unknown id (with the nearest valid
ids), 2 for a malformed option.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from aifacts.api import Dataset
    from aifacts.contract.records import Fact, Record
    from aifacts.contract.schema import Resource

__all__ = ["ListFormat", "emit", "load_dataset", "register", "run_guarded", "split_ids"]


class ListFormat(StrEnum):
    """How a list is printed."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


PackageOption = Annotated[
    Path | None,
    typer.Option(
        "--package",
        help="Read this data package (a datapackage.json or its folder); default: the "
        "installed release.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    ListFormat | None,
    typer.Option(
        "--format",
        help="table (default on a terminal), csv (default in a pipe) or json.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Only what had been stated by this date (YYYY-MM-DD), with the corrections "
        "in force then.",
        show_default=False,
    ),
]


def _fail(message: str, code: int) -> NoReturn:
    from aifacts.cli.common import fail

    fail(message, code)


def load_dataset(package: Path | None) -> Dataset:
    """Load the package or exit: 2 when it is missing, 1 when it is invalid."""
    from aifacts.cli.common import load_or_exit

    return load_or_exit(package)


def run_guarded(action: Callable[[], Any]) -> Any:
    """Run ``action``, turning the library's errors into a message on stderr and an exit."""
    from aifacts.dataset.money import ConversionError
    from aifacts.dataset.query import QueryError
    from aifacts.errors import UnknownIdError

    try:
        return action()
    except UnknownIdError as exc:
        _fail(str(exc), 1)
    except (QueryError, ConversionError) as exc:
        _fail(str(exc), 2)


def split_ids(values: Sequence[str] | None, option: str) -> list[str] | None:
    """``["cn,us", "hk"]`` → ``["cn", "us", "hk"]``; ``None`` when no option was given.

    An empty value or item raises :class:`~aifacts.dataset.query.QueryError` naming ``option``
    (exit 2 under :func:`run_guarded`); see :func:`aifacts.dataset.query.split_values`.
    """
    from aifacts.dataset.query import split_values

    return split_values(values, option)


def _plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns without box drawing (East Asian wide characters count double)."""
    from rich.cells import cell_len

    widths = [max([cell_len(c), *(cell_len(r[i]) for r in rows)]) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        padded = (v + " " * (w - cell_len(v)) for v, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    return "\n".join([line(columns), *(line(r) for r in rows)])


def emit(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    fmt: ListFormat | None,
    *,
    records: Sequence[dict[str, Any]] | None = None,
    title: str | None = None,
) -> None:
    """Print rows as a table, CSV or JSON (``records`` replace ``rows`` for CSV/JSON).

    Tables, and CSV on a terminal, show control and invisible characters escaped
    (:func:`~aifacts.contract.characters.terminal_safe`); JSON holds them as JSON escapes, the
    same values; CSV to a pipe is the data exactly.
    """
    from aifacts.contract.characters import json_safe, terminal_safe

    tty = sys.stdout.isatty()
    fmt = fmt or (ListFormat.TABLE if tty else ListFormat.CSV)
    if fmt is ListFormat.JSON:
        data = (
            records if records is not None else [dict(zip(columns, r, strict=True)) for r in rows]
        )
        typer.echo(json_safe(json.dumps(list(data), ensure_ascii=False, indent=2)))
    elif fmt is ListFormat.CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        if records is not None:
            names = list(records[0]) if records else list(columns)
            writer.writerow(names)
            writer.writerows([[_csv_cell(r.get(n)) for n in names] for r in records])
        else:
            writer.writerow(columns)
            writer.writerows(rows)
        text = buffer.getvalue()
        typer.echo(terminal_safe(text) if tty else text, nl=False)
    else:
        rows = [[terminal_safe(cell) for cell in row] for row in rows]
        if not tty:
            typer.echo(_plain_table(columns, rows))
            return
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, show_lines=False, header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # text, never rich markup
        Console().print(table)


def _csv_cell(value: Any) -> str:
    from aifacts.io.writing import cell_text

    return cell_text(value)


def _record_dict(record: Record, resource: Resource) -> dict[str, Any]:
    from aifacts.io.writing import cell_text

    out: dict[str, Any] = {}
    for spec in resource.fields:
        value = getattr(record, spec.name)
        if value is None:
            out[spec.name] = None
        elif spec.type == "number":
            out[spec.name] = cell_text(value)
        else:
            out[spec.name] = cell_text(value)
    return out


def _value_text(fact: Fact) -> str:
    from aifacts.contract.display import format_value

    return format_value(fact.value, fact.unit, fact.qualifier, fact.value_high)


def facts(
    entity: Annotated[
        list[str] | None,
        typer.Option("--entity", "-e", help="Entity id(s); repeat or separate with commas."),
    ] = None,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="Metric id(s).")
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Source id(s).")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="actual, estimate, forecast, target, pledge, plan."),
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Country of the fact's entity (cn, us).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="A year (2025), a day, or START..END.", show_default=False),
    ] = None,
    children: Annotated[
        bool, typer.Option("--children", help="Include entities below --entity (parent_id).")
    ] = False,
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    package: PackageOption = None,
) -> None:
    """List facts: value with unit and qualifier, entity, period, status and source."""
    from aifacts.contract.display import format_period
    from aifacts.dataset.query import Selection, option_text, split_period

    ds = load_dataset(package)

    def select() -> Selection:
        when = option_text(as_of, "--as-of")
        entities, metrics = split_ids(entity, "--entity"), split_ids(metric, "--metric")
        sources, statuses = split_ids(source, "--source"), split_ids(status, "--status")
        countries, span = split_ids(country, "--country"), split_period(period, "--period")
        base = ds.as_of(when) if when else ds.selection
        return base.query(
            entity=entities,
            metric=metrics,
            source=sources,
            status=statuses,
            country=countries,
            period=span,
            include_children=children,
        )

    chosen: Selection = run_guarded(select)
    from aifacts.contract.schema import resource

    columns = ["fact", "value", "entity", "metric", "status", "period", "source"]
    rows = [
        [
            f.fact_id,
            _value_text(f) + (" (doubtful)" if f.doubt else ""),
            f.entity_id,
            f.metric_id,
            f.status.value,
            format_period(f.period_start, f.period_end),
            f.source_id,
        ]
        for f in chosen
    ]
    records = [_record_dict(f, resource("facts")) for f in chosen]
    emit(columns, rows, output_format, records=records, title=f"{len(rows)} facts")


def show(
    fact_id: Annotated[
        str,
        typer.Argument(
            help="The fact to show, e.g. deepwater-07, or a claim id: every fact stating it."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    package: PackageOption = None,
) -> None:
    """Show one fact with its quote, source, entity, metric, every linked fact and the other
    facts stating the same claim; given a claim id, show every fact stating it."""
    run_guarded(lambda: option_text_of(fact_id))
    ds = load_dataset(package)
    from aifacts.contract.characters import json_safe

    wanted = fact_id.strip()
    claim_id, infos = run_guarded(lambda: claim_links(ds, wanted))
    if as_json:
        data: Any = infos[0] if claim_id is None else {"claim_id": claim_id, "facts": infos}
        typer.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
    elif claim_id is None:
        typer.echo(render_fact(infos[0]))
    else:
        head = f"claim {claim_id}: stated by {len(infos)} fact{'s' if len(infos) > 1 else ''}"
        typer.echo("\n\n".join([terminal_safe_text(head), *(render_fact(i) for i in infos)]))


def option_text_of(fact_id: str) -> str | None:
    """``FACT_ID`` checked as an option's text (an empty one is a usage error)."""
    from aifacts.dataset.query import option_text

    return option_text(fact_id, "FACT_ID")


def terminal_safe_text(text: str) -> str:
    """``text`` with control and invisible characters escaped."""
    from aifacts.contract.characters import terminal_safe

    return terminal_safe(text)


def claim_links(ds: Dataset, wanted: str) -> tuple[str | None, list[dict[str, Any]]]:
    """What ``show`` prints for ``wanted``: ``(None, [fact])`` for a fact id, with the
    other facts of its claim under ``"claim"``; ``(claim_id, [every fact])`` for a claim id.

    Raises:
        UnknownIdError: neither a fact nor a claim (the nearest of both suggested).
    """
    from aifacts.answers.claims import claim_of
    from aifacts.contract.display import format_value
    from aifacts.dataset.links import fact_links
    from aifacts.errors import UnknownIdError
    from aifacts.validation.rules.base import nearest

    by_claim: dict[str, list[Fact]] = {}
    for f in ds.facts:
        by_claim.setdefault(claim_of(f), []).append(f)

    def with_claim(fact: Fact) -> dict[str, Any]:
        info = fact_links(ds, fact.fact_id)
        claim = claim_of(fact)
        info["claim"] = {
            "claim_id": claim,
            "mentions": [
                {
                    "fact_id": other.fact_id,
                    "value": format_value(
                        other.value, other.unit, other.qualifier, other.value_high
                    ),
                    "entity_id": other.entity_id,
                    "source_id": other.source_id,
                }
                for other in by_claim[claim]
                if other.fact_id != fact.fact_id
            ],
        }
        return info

    known = {f.fact_id: f for f in ds.facts}
    if wanted in known:
        return None, [with_claim(known[wanted])]
    if wanted in by_claim:
        return wanted, [with_claim(f) for f in by_claim[wanted]]
    raise UnknownIdError(
        wanted, "fact or claim", nearest(wanted, dict.fromkeys([*known, *by_claim]))
    )


def _label(cells: dict[str, Any] | None, key: str, name: str) -> str:
    if not cells:
        return ""
    return f"{cells[name]} ({cells[key]})"


def render_fact(info: dict[str, Any]) -> str:
    """The text :command:`aifacts show` prints for :func:`aifacts.dataset.links.fact_links` data,
    control and invisible characters escaped (:func:`aifacts.contract.characters.terminal_safe`)."""
    from datetime import date

    from aifacts.contract.characters import terminal_safe
    from aifacts.contract.display import format_period

    fact, source = info["fact"], info["source"]

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    lines = [
        f"{fact['fact_id']}: {info['value']}",
        f"  entity:    {_label(info['entity'], 'entity_id', 'name')}",
        f"  metric:    {_label(info['metric'], 'metric_id', 'label')} [{info['metric']['unit']}]",
        f"  status:    {fact['status']}",
    ]
    period = format_period(day(fact["period_start"]), day(fact["period_end"]))
    optional = [
        ("period", period),
        ("as of", fact["as_of"]),
        ("related", _label(info["related_entity"], "entity_id", "name")),
    ]
    lines += [f"  {k + ':':<10} {v}" for k, v in optional if v]
    lines.append(f"  source:    {source['title']} ({source['source_id']})")
    if source["title_en"] and source["title_en"] != source["title"]:
        lines.append(f"             {source['title_en']}")
    details = [
        ("publisher", source["publisher"]),
        ("published", source["published"]),
        ("url", source["url"]),
        ("quotes", _label(info["source_origin"], "source_id", "title")),
        ("locator", fact["locator"]),
    ]
    lines += [f"  {k + ':':<10} {v}" for k, v in details if v]
    lines.append(f"  quote:     “{fact['quote']}”")
    if fact["quote_en"]:
        lines.append(f"  in English: “{fact['quote_en']}”")
    links = [("part of", [info["part_of"]] if info["part_of"] else []), ("parts", info["parts"])]
    links += [("supersedes", [info["supersedes"]] if info["supersedes"] else [])]
    links += [("superseded by", info["superseded_by"])]
    for name, items in links:
        for item in items:
            lines.append(
                f"  {name + ':':<10} {item['fact_id']}: {item['value']} ({item['entity_id']})"
            )
    if fact.get("claim_id") not in (None, fact["fact_id"]):
        lines.append(f"  claim:     {fact['claim_id']}")
    claim = info.get("claim") or {}
    for other in claim.get("mentions", []):
        lines.append(
            f"  same claim ({claim['claim_id']}): {other['fact_id']}: {other['value']} "
            f"({other['entity_id']}; {other['source_id']})"
        )
    if fact["note"]:
        lines.append(f"  note:      {fact['note']}")
    if fact.get("doubt"):
        lines.append(f"  doubt:     {fact['doubt']}")
    return terminal_safe("\n".join(lines))


def _records_command(kind: str, columns: Sequence[str]) -> Callable[..., None]:
    def command(output_format: FormatOption = None, package: PackageOption = None) -> None:
        from aifacts.contract.schema import resource

        ds = load_dataset(package)
        res = resource(kind)
        items: tuple[Record, ...] = getattr(ds, kind)
        rows = [[_csv_cell(getattr(r, c)) for c in columns] for r in items]
        records = [_record_dict(r, res) for r in items]
        emit(columns, rows, output_format, records=records, title=f"{len(rows)} {kind}")

    command.__doc__ = f"List the {kind} of the release (CSV/JSON give every column)."
    command.__name__ = kind
    return command


def register(app: typer.Typer) -> None:
    """Add ``facts``, ``show``, ``entities``, ``metrics`` and ``sources`` to ``app``."""
    app.command("facts")(facts)
    app.command("show")(show)
    app.command("entities")(
        _records_command(
            "entities", ["entity_id", "name", "name_zh", "kind", "country", "parent_id"]
        )
    )
    app.command("metrics")(_records_command("metrics", ["metric_id", "label", "unit", "kind"]))
    app.command("sources")(
        _records_command("sources", ["source_id", "title_en", "publisher", "published", "kind"])
    )
