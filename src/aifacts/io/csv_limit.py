"""The one CSV field-size limit every reader of CSV text in aifacts uses.

Python's :mod:`csv` refuses a cell over 128 KiB (``field larger than field limit``)
by default; Arrow has no such limit. A quote or note may be long, so every
``csv.reader`` of the project calls :func:`allow_big_fields` first, and the row
engine, the columnar engine, ``aifacts diff`` and :func:`aifacts.release.export.read_export`
read the same cells.
"""

from __future__ import annotations

import csv

__all__ = ["FIELD_LIMIT", "allow_big_fields"]

#: The largest cell read, in characters: the biggest value a C ``long`` holds everywhere.
FIELD_LIMIT = 2**31 - 1


def allow_big_fields() -> None:
    """Raise :mod:`csv`'s process-wide field limit to :data:`FIELD_LIMIT` (idempotent)."""
    if csv.field_size_limit() != FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
