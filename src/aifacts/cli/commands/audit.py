"""``aifacts audit``: show whether every number of the source documents became a fact."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aifacts.cli.common import OutputFormat

if TYPE_CHECKING:
    from aifacts.audit.completeness import AuditReport, DocumentAudit

__all__ = ["register"]


def _describe(doc: DocumentAudit, show_all: bool) -> list[str]:
    from aifacts.audit.completeness import AuditStatus

    lines = [] if doc.error is None else [f"{doc.path}: {doc.error}"]
    if doc.audit is None:
        return lines
    audit = doc.audit
    counts = ", ".join(f"{audit.count(s)} {s.value}" for s in AuditStatus)
    name = audit.source_id or "unknown document"
    lines.append(f"{doc.path}: {name}: {len(audit.mentions)} numeric mentions: {counts}")
    for item in audit.mentions:
        if not show_all and item.status is not AuditStatus.MISSED:
            continue
        m = item.mention
        unit = f" {m.unit}" if m.unit else ""
        high = f"–{m.value_high}" if m.value_high is not None else ""
        what = item.reason or ", ".join(item.fact_ids) or "no fact quotes it"
        lines.append(
            f"  {item.status.value:8} {m.start}:{m.end} {m.span!r} = {m.value}{high}{unit} "
            f"({m.kind.value}): {what}"
        )
    for omission in audit.stale_omissions:
        lines.append(
            f"  stale    omission {omission.omission_id}: {omission.span!r} at {omission.offset} "
            "matches no mention of this document"
        )
    return lines


def _write_candidates(report: AuditReport, target: Path) -> int:
    """Write the candidate facts to ``target`` as CSV, atomically, text a spreadsheet
    would run neutralised (:func:`aifacts.release.export.neutralise`); exit 1 naming the file
    when it cannot be written (a missing folder, a device such as /dev/full, a full disk)."""
    from aifacts.cli.common import fail
    from aifacts.contract.schema import resource
    from aifacts.errors import WriteError
    from aifacts.io.atomic import write_atomic
    from aifacts.release.export import neutralise
    from aifacts.release.export._csv import csv_bytes

    fields = ["fact_id", "entity_id", "metric_id", "value", "unit", "qualifier", "value_high",
              "status", "source_id", "locator", "quote", "note"]  # fmt: skip
    facts = resource("facts")
    texts = {name for name in fields if facts.get(name).type == "string"}
    rows = [c.to_dict() for d in report.documents if d.audit for c in d.audit.candidates()]
    cells = [
        [neutralise(row.get(f, ""))[0] if f in texts else row.get(f, "") for f in fields]
        for row in rows
    ]
    try:
        write_atomic(target, csv_bytes(fields, cells))
    except WriteError as exc:
        fail(f"cannot write the candidates: {exc}", 1)
    return len(rows)


def audit(
    documents: Annotated[
        Path, typer.Argument(help="A source document, or a folder of them.", show_default=False)
    ],
    package: Annotated[
        Path | None,
        typer.Option(
            "--package",
            help="The data package; default: the installed release.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", help="text: a summary and each missed mention; json: every mention as data."
        ),
    ] = OutputFormat.TEXT,
    show_all: Annotated[
        bool, typer.Option("--all", help="List covered and omitted mentions too.")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="The source the documents are: each must have its document_sha256.",
            show_default=False,
        ),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates",
            help="Write candidate facts for missed quantities to this "
            "CSV (facts.csv columns; fill in ids, status, period).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List every numeric mention of the documents and whether it became a fact.

    Documents are matched to sources by the SHA-256 of their bytes (a document named
    after a source, or given --source, must have that source's). Each mention is
    covered (a fact quotes it), omitted (the omissions resource sets it aside, with a
    reason) or missed. Exits 0 when every document matched its source and nothing is
    missed; 1 when something is missed, a document matches no source or the wrong one,
    is not UTF-8 text, or the folder is empty; 2 for a usage error.
    """
    from aifacts.audit.completeness import audit_documents
    from aifacts.cli.commands.browse import run_guarded
    from aifacts.cli.common import fail, load_or_exit
    from aifacts.contract.characters import json_safe, terminal_safe
    from aifacts.dataset.query import option_text
    from aifacts.errors import UnknownIdError

    if source is not None:
        source = run_guarded(lambda: option_text(source, "--source"))
    if not documents.exists():
        fail(f"{documents}: no such file or folder", 2)
    ds = load_or_exit(package)
    try:
        report = audit_documents(ds, documents, source)
    except UnknownIdError as exc:
        fail(f"--source: {exc}", 2)
    if output_format is OutputFormat.JSON:
        typer.echo(json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)))
    else:
        if not report.documents:
            typer.echo(terminal_safe(report.problems[0]))
        for doc in report.documents:
            for line in _describe(doc, show_all):
                typer.echo(terminal_safe(line))
    if output_format is OutputFormat.TEXT or not report.complete:
        to_stderr = output_format is OutputFormat.JSON or not sys.stdout.isatty()
        typer.echo(terminal_safe(f"audit: {report.verdict()}"), err=to_stderr)
    if candidates is not None:
        count = _write_candidates(report, candidates)
        typer.echo(f"wrote {count} candidate facts to {candidates}", err=True)
    raise typer.Exit(0 if report.complete else 1)


def register(app: typer.Typer) -> None:
    """Add ``audit`` to the command line."""
    app.command()(audit)
