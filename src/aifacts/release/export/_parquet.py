"""The ``parquet`` export: a folder with one ``.parquet`` file per resource.

Numbers are exact decimals (``decimal128``, or ``decimal256`` past 38 digits) at
the column's widest scale, so every tool reads them as numbers. A decimal column
cannot keep a value's own text when it has fewer decimal places than the column
(``6.5`` beside ``6.5130`` reads back ``6.5000``) or is ``-0``: such a value's exact
text also goes to the column ``<name>_exact`` (null elsewhere), which
:func:`~aifacts.release.export.read_export` prefers. A column that would need more than 76
digits (a value of 1E+80, or 1E-40 beside 1E+40) is an :class:`ExportError` that
names the facts and the field.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path
from typing import Any

from aifacts.contract.schema import RESOURCES, Field, Resource
from aifacts.errors import ExportError
from aifacts.io.writing import cell_text
from aifacts.release.export._common import (
    Rows,
    Tables,
    meta_text,
    need,
    readable,
    text,
)

#: The suffix of the column holding a number's exact text where the decimal cannot.
EXACT = "_exact"
#: The most digits a parquet decimal holds (``decimal256``).
MAX_PRECISION = 76


def render(tables: Tables, meta: dict[str, Any]) -> tuple[dict[str, bytes], int]:
    """Each resource's file name and parquet bytes."""
    pa = need("pyarrow", "parquet")
    pq = need("pyarrow.parquet", "parquet")
    files = {}
    for res in RESOURCES:
        records = tables[res.name]
        columns, fields = [], []
        for spec in res.fields:
            values = [getattr(r, spec.name) for r in records]
            if spec.type == "number":
                typ, exact = _decimal_column(pa, res, spec, records, values)
                columns.append(pa.array(values, type=typ))
                fields.append(pa.field(spec.name, typ, nullable=not spec.required))
                columns.append(pa.array(exact, type=pa.string()))
                fields.append(pa.field(spec.name + EXACT, pa.string()))
                continue
            if spec.type == "date":
                typ = pa.date32()
            elif spec.type == "integer":
                typ = pa.int64()
            else:
                typ = pa.string()
                values = [None if v is None else cell_text(v) for v in values]
            columns.append(pa.array(values, type=typ))
            fields.append(pa.field(spec.name, typ, nullable=not spec.required))
        metadata = {f"aifacts.{k}".encode(): v.encode() for k, v in meta_text(meta).items()}
        table = pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=metadata))
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        files[f"{res.name}.parquet"] = sink.getvalue().to_pybytes()
    return files, 0


def _digits(value: Decimal) -> tuple[int, int]:
    """Digits before the point (at least 1) and after it, as the decimal is written."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return max(1, len(digits) + exponent), max(0, -exponent)


def _decimal_column(
    pa: Any, res: Resource, spec: Field, records: Any, values: list[Any]
) -> tuple[Any, list[str | None]]:
    """The column's decimal type, and each value's exact text where the type loses it."""
    present = [(r, v) for r, v in zip(records, values, strict=True) if v is not None]
    whole = max(present, key=lambda p: _digits(p[1])[0], default=None)
    places = max(present, key=lambda p: _digits(p[1])[1], default=None)
    most = _digits(whole[1])[0] if whole else 1
    scale = _digits(places[1])[1] if places else 0
    precision = most + scale
    if precision > MAX_PRECISION:
        key = res.primary_key
        raise ExportError(
            f"parquet cannot hold {res.name}.{spec.name} exactly: the column needs "
            f"{precision} digits ({most} before the point, for {key} "
            f"{getattr(whole[0], key) if whole else '?'}; {scale} after it, for {key} "
            f"{getattr(places[0], key) if places else '?'}), and a parquet decimal holds at "
            f"most {MAX_PRECISION}; export as json, csv or sqlite, which keep every digit"
        )
    typ = (pa.decimal128 if precision <= 38 else pa.decimal256)(max(precision, 1), scale)
    exact: list[str | None] = []
    quantum = Decimal(1).scaleb(-scale)
    with decimal.localcontext() as ctx:
        ctx.prec = MAX_PRECISION + 2
        for v in values:
            if v is None:
                exact.append(None)
                continue
            back = v.quantize(quantum)
            back = back.copy_abs() if back.is_zero() else back
            exact.append(None if cell_text(back) == cell_text(v) else cell_text(v))
    return typ, exact


def read(source: Path) -> tuple[Rows, dict[str, Any]]:
    """The rows of a parquet export folder, as text, and its name and version."""
    pq = need("pyarrow.parquet", "parquet")
    pa = need("pyarrow", "parquet")
    rows: Rows = {}
    meta: dict[str, Any] = {}
    for res in RESOURCES:
        file = source / f"{res.name}.parquet"
        if not file.exists() and res.optional:
            rows[res.name] = []
            continue
        try:
            table = pq.read_table(readable(file))
        except (OSError, pa.ArrowException) as exc:
            raise ExportError(f"{file}: not a parquet export ({exc})") from None
        for key, value in (table.schema.metadata or {}).items():
            if key.startswith(b"aifacts."):
                meta[key.decode()[8:]] = value.decode()
        found = []
        for row in table.to_pylist():
            cells = {k: text(v) for k, v in row.items() if not k.endswith(EXACT)}
            for k, v in row.items():
                if k.endswith(EXACT) and v is not None:
                    cells[k[: -len(EXACT)]] = v
            found.append(cells)
        rows[res.name] = found
    return rows, meta
