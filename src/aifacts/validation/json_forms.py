"""The JSON-form rule: each declared JSON form holds exactly the rows of its CSV.

``aifacts build`` writes the JSON forms (:mod:`aifacts.release.build`); this rule,
run by ``aifacts validate`` in both engines, checks that they still say what their
CSVs say. The columnar engine streams the comparison
(:mod:`aifacts.validation.columnar.json_forms`) and falls back to
:func:`check_json_form` whenever it cannot decide, so both report the same problems.
"""

from __future__ import annotations

import hashlib
from typing import Any, BinaryIO

from aifacts.contract.problems import Code, Problem, clip
from aifacts.contract.records import Record
from aifacts.contract.schema import RESOURCES, Resource
from aifacts.io.descriptor import JSON_SUFFIX
from aifacts.io.package import (
    Descriptor,
    check_stats,
    checked_file,
    open_regular,
    read_regular,
    resource_path,
    stats_problems,
)
from aifacts.io.reading import Table, read_json
from aifacts.io.writing import cell_text, json_chunks

__all__ = [
    "cell_mismatches",
    "check_json_form",
    "check_json_forms",
    "count_mismatch",
    "differing_cells",
    "json_mismatch",
    "unreadable",
]


def _cells(record: Any, res: Resource) -> dict[str, str]:
    return {name: cell_text(getattr(record, name)) for name in res.field_names}


def check_json_forms(descriptor_: Descriptor, tables: dict[str, Table]) -> list[Problem]:
    """Problems where a declared JSON form does not hold exactly the rows of its CSV.

    A JSON form is checked only when its CSV read cleanly and matches its recorded
    ``hash``: otherwise the CSV's own problems already say to run ``aifacts build``.
    """
    problems: list[Problem] = []
    for res in RESOURCES:
        table = tables.get(res.name)
        if table is not None:
            problems += check_json_form(descriptor_, res, table)
    return problems


def check_json_form(descriptor_: Descriptor, res: Resource, table: Table) -> list[Problem]:
    """:func:`check_json_forms` for one resource, whose CSV the row engine read as ``table``.

    The columnar engine calls it too (:mod:`aifacts.validation.columnar.json_forms`) when its
    faster comparison cannot decide, so both engines report the same problems.
    """
    entry = descriptor_.resource(res.name + JSON_SUFFIX)
    csv_entry = descriptor_.resource(res.name)
    if entry is None or csv_entry is None or table.problems:
        return []
    json_file, csv_file = resource_path(descriptor_, entry), resource_path(descriptor_, csv_entry)
    if json_file is None or csv_file is None:
        return []  # a path the descriptor's problems refuse
    file = entry["path"]
    try:
        csv_data = read_regular(csv_file, descriptor_.folder)  # the CSV its entry names
    except OSError:
        return []  # the CSV's own problem says why
    try:
        with open_regular(checked_file(json_file, descriptor_.folder)) as handle:
            if check_stats(res, csv_entry, csv_entry["path"], csv_data):
                return []
            del csv_data
            stats = _written_form_stats(handle, res, table)
            if stats is not None:  # byte for byte what its CSV's rows write
                return stats_problems(res, entry, file, *stats)
            handle.seek(0)
            data = handle.read()
    except OSError as exc:
        return [
            Problem(
                res.name,
                file,
                None,
                None,
                Code.FILE_MISSING,
                f"cannot read {file}: {exc.strerror}; run `aifacts build`",
            )
        ]
    return check_stats(res, entry, file, data) + _compare(
        res, file, table, read_json(res, file, data)
    )


def _written_form_stats(handle: BinaryIO, res: Resource, table: Table) -> tuple[int, str] | None:
    """The JSON form's size and hash if its bytes are exactly what :func:`write_json`
    writes from ``table``'s records, else ``None``.

    Such a form reads back to the same records (the writer's round trip), so it has no
    mismatch to report; it is read a row at a time and never parsed, so a big form
    costs no more memory than a row.
    """
    sha = hashlib.sha256()
    size = 0
    for chunk in json_chunks(res, (record for _, record in table.rows)):
        got = handle.read(len(chunk))
        if got != chunk:
            return None
        sha.update(got)
        size += len(got)
    if handle.read(1):
        return None  # more than the rows write
    return size, "sha256:" + sha.hexdigest()


def json_mismatch(
    res: Resource, file: str, row: int | None, fld: str | None, message: str
) -> Problem:
    """A ``json-mismatch`` problem of the JSON form ``file`` of ``res``."""
    return Problem(
        res.name,
        file,
        row,
        fld,
        Code.JSON_MISMATCH,
        f"{message}; the JSON form is generated from {res.path}: run `aifacts build`",
    )


def unreadable(res: Resource, file: str, first: Problem) -> Problem:
    """The one problem of a JSON form that cannot be read as its CSV is: ``first`` says why."""
    return json_mismatch(
        res, file, first.row, first.field, f"cannot be read as {res.path} is ({first.message})"
    )


def cell_mismatches(res: Resource, file: str, row: int, want: Record, got: Record) -> list[Problem]:
    """One problem per cell where the JSON form's record ``got`` differs from the CSV's
    record ``want`` (both of row ``row``)."""
    return [
        json_mismatch(
            res, file, row, name, f"holds {clip(mine)}, {res.path} row {row} holds {clip(theirs)}"
        )
        for name, theirs, mine in differing_cells(res, want, got)
    ]


def differing_cells(res: Resource, want: Record, got: Record) -> list[tuple[str, str, str]]:
    """The cells where record ``got`` differs from record ``want``, as (field, the text
    of ``want``'s, the text of ``got``'s): what :func:`cell_mismatches` reports."""
    wanted, found = _cells(want, res), _cells(got, res)
    return [
        (name, wanted[name], found[name]) for name in res.field_names if wanted[name] != found[name]
    ]


def count_mismatch(res: Resource, file: str, found: int, expected: int) -> Problem:
    """The problem of a JSON form of ``found`` rows whose CSV has ``expected``."""
    return json_mismatch(res, file, None, None, f"has {found} rows, {res.path} has {expected}")


def _compare(res: Resource, file: str, csv_table: Table, json_table: Table) -> list[Problem]:
    if json_table.problems:
        return [unreadable(res, file, json_table.problems[0])]
    problems = []
    for (row, want), (_, got) in zip(csv_table.rows, json_table.rows, strict=False):
        problems += cell_mismatches(res, file, row, want, got)
    if len(csv_table.rows) != len(json_table.rows):
        problems.append(count_mismatch(res, file, len(json_table.rows), len(csv_table.rows)))
    return problems
