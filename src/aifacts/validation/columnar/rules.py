"""The rules across records (:mod:`aifacts.validation.cross_rules`), on whole columns.

Whole-column operations find the few rows that may break a rule (duplicate keys,
unknown references, units of the wrong dimension, numbers near a bound); those rows
alone become records and go through the row engine's own rule functions, so each
problem is the very one the row engine reports. Python runs over distinct values
(units, metrics) and over suspect rows only, in chunks, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aifacts.contract import unit_terms
from aifacts.contract.problems import Code
from aifacts.contract.records import Record
from aifacts.contract.schema import RESOURCES, ForeignKey, resource
from aifacts.contract.units import UnitError, canonical_dimensions, parse_unit
from aifacts.contract.vocab import EntityKind, MetricKind, Qualifier
from aifacts.io.reading import RECORD_TYPES, Table
from aifacts.validation import cross_rules as checks
from aifacts.validation.columnar import contract_rules
from aifacts.validation.columnar.hints import Keys
from aifacts.validation.columnar.quotes import sure
from aifacts.validation.columnar.read import ROW, Kept

if TYPE_CHECKING:
    from aifacts.validation.report import Collector

__all__ = ["RULES", "run_rules"]

_CHUNK = 20_000
_QUOTE_CHUNK = 1 << 16
T = TypeVar("T")
_ENUMS: dict[tuple[str, str], type[Any]] = {
    ("entities", "kind"): EntityKind,
    ("metrics", "kind"): MetricKind,
    ("facts", "qualifier"): Qualifier,
}
#: Columns the rules read as typed values, with the reader's conversion of their text.
_TYPED: dict[str, Callable[[str], Any]] = {
    "value": Decimal,
    "value_high": Decimal,
    "value_canonical": Decimal,
    "value_high_canonical": Decimal,
    "document_held": lambda text: text == "true",
    "published": date.fromisoformat,
}


Resources = MutableMapping[str, Kept]


def _value(name: str, column: str, text: str | None) -> Any:
    if text is None or text == "":
        return None
    typed = _TYPED.get(column)
    if typed is not None:
        return typed(text)
    enum = _ENUMS.get((name, column))
    return enum(text) if enum is not None else text


def _records(name: str, table: pa.Table) -> Iterator[list[tuple[int, Record]]]:
    """Stand-in records (``model_construct``) of the rows of ``table``, in chunks."""
    model = RECORD_TYPES[name]
    names = [n for n in table.column_names if n != ROW]
    for start in range(0, table.num_rows, _CHUNK):
        part = table.slice(start, _CHUNK)
        columns = [part[n].to_pylist() for n in names]
        rows = part[ROW].to_pylist()
        yield [
            (
                row,
                model.model_construct(
                    **{n: _value(name, n, c[i]) for n, c in zip(names, columns, strict=True)}
                ),
            )
            for i, row in enumerate(rows)
        ]


def _all(name: str, table: pa.Table) -> list[tuple[int, Record]]:
    return [r for chunk in _records(name, table) for r in chunk]


def _run(
    rule: Any,
    kept: Resources,
    subsets: Mapping[str, pa.Table],
    out: Collector,
    name: str,
    *,
    chunked: bool = True,
) -> None:
    """Run a row-engine ``rule`` on stand-in records of ``subsets``; keep problems of ``name``.

    ``chunked``: the rule judges each row of ``name`` alone, so rows may go in chunks.
    """
    tables = {n: Table(resource(n), k.file) for n, k in kept.items()}
    for other, table in subsets.items():
        if other != name:
            tables[other].rows = _all(other, table)
    chunks = _records(name, subsets[name]) if chunked else iter([_all(name, subsets[name])])
    for chunk in chunks:
        tables[name] = Table(resource(name), kept[name].file, rows=chunk)
        rule(tables)
        out.extend(tables[name].problems)


def check_primary_keys(kept: Resources, out: Collector) -> None:
    """Every key is unique; later duplicates are reported and dropped."""
    for name, res in kept.items():
        table, key = res.table, resource(name).primary_key
        if _ahead(res, "unique", partial(_all_unique, table, key)):
            continue
        dupes = _repeated(table[key])
        involved = table.filter(pc.is_in(table[key], value_set=dupes)).sort_by(ROW)
        tables = {name: Table(resource(name), res.file, rows=_all(name, involved))}
        checks.check_primary_keys(tables)
        out.extend(tables[name].problems)
        dropped = pa.array(
            sorted(set(involved[ROW].to_pylist()) - {row for row, _ in tables[name].rows}),
            pa.int64(),
        )
        res.table = table.filter(pc.invert(pc.is_in(table[ROW], value_set=dropped)))
        res.changed = True


def _repeated(keys: pa.ChunkedArray) -> pa.Array:
    """The keys that occur more than once: counted per distinct key from the
    dictionary indices (a few bytes a row, where grouping a million keys takes
    hundreds of megabytes)."""
    encoded = pc.dictionary_encode(keys.combine_chunks())
    codes = encoded.indices.drop_null().to_numpy(zero_copy_only=False)
    counts = np.bincount(codes, minlength=len(encoded.dictionary))
    return encoded.dictionary.take(pa.array(np.flatnonzero(counts > 1)))


def _all_unique(table: pa.Table, key: str) -> bool:
    """Whether no key repeats: at once when the keys are in strictly increasing order
    (as generated or exported ones often are), else by hashing them all."""
    keys = table[key]
    if table.num_rows > 1 and pc.all(pc.greater(keys[1:], keys[:-1])).as_py():
        return True
    return bool(len(pc.unique(keys)) == table.num_rows)


def _ahead(res: Kept, name: str, compute: Callable[[], T]) -> T:
    """The result computed ahead under ``name``, unless rows were dropped since."""
    future = res.ahead.get(name)
    if future is not None and not res.changed:
        return future.result()  # type: ignore[no-any-return]
    return compute()


def _present(kept: Resources, fk: ForeignKey) -> pa.ChunkedArray:
    """The keys ``fk`` may name: its target's kept keys and failed rows' keys (in
    chunks, as read: joining a million keys is a copy)."""
    target = kept[fk.resource]
    failed = pa.array(list(target.failed_keys), pa.string())
    return pa.chunked_array([*target.table[fk.key].chunks, failed], pa.string())


def _broken(kept: Resources, name: str, fk: ForeignKey) -> pa.Table:
    """The rows of ``name`` whose ``fk`` names no row of its target (their row number
    and reference only: the rest of a million rows is not copied)."""
    table = kept[name].table.select([fk.field, ROW])
    if resource(name).get(fk.field).required is False:
        table = table.filter(pc.greater(pc.binary_length(table[fk.field]), 0))
    if not table.num_rows:
        return table
    present = _present(kept, fk)
    if table.num_rows < len(present):
        # Hash the fewer distinct names and probe the keys with them, not the reverse
        # (``part_of`` names a few of a million facts); else probe the keys directly.
        named = pc.unique(table[fk.field])
        known = pc.unique(present.filter(pc.is_in(present, value_set=named)))
    else:
        known = present.combine_chunks()
    return table.filter(pc.invert(pc.is_in(table[fk.field], value_set=known)))


def check_foreign_keys(kept: Resources, out: Collector) -> None:
    """Every reference names an existing row (or the key of a row that failed its checks)."""
    for name, res in kept.items():
        for fk in resource(name).foreign_keys:
            if fk.resource not in kept:
                continue
            target = kept[fk.resource]
            bad = _ahead(res, f"fk:{fk.field}", partial(_broken, kept, name, fk))
            if not bad.num_rows:
                continue
            keys: Keys | None = None
            holder = Table(resource(name), res.file)
            model = RECORD_TYPES[name]
            for row, value in zip(bad[ROW].to_pylist(), bad[fk.field].to_pylist(), strict=True):
                if not out.wants(Code.FOREIGN_KEY, name, res.file, row):
                    out.count(Code.FOREIGN_KEY, resource=name)
                    continue
                if keys is None:
                    keys = Keys(_present(kept, fk).combine_chunks())
                record = model.model_construct(**{fk.field: value})
                valid = keys.candidates(value)
                checks._check_reference(holder, row, record, fk, valid, target.file)
                out.extend(holder.problems)
                holder.problems.clear()


def check_country_kind(kept: Resources, out: Collector) -> None:
    """An entity's ``country`` names an entity of kind ``country``."""
    table = kept["entities"].table
    where = pc.index_in(table["country"], value_set=table["entity_id"])
    wrong = pc.fill_null(pc.not_equal(pc.take(table["kind"], where), "country"), False)
    suspects = table.filter(wrong)
    if not suspects.num_rows:
        return
    named = pc.is_in(table["entity_id"], value_set=suspects["country"])
    involved = table.filter(pc.or_(wrong, named)).sort_by(ROW)
    _run(checks.check_country_kind, kept, {"entities": involved}, out, "entities", chunked=False)


def check_cycles(kept: Resources, out: Collector) -> None:
    """Links never loop: only rows whose link leads on to another link are walked."""
    future = kept["facts"].ahead.get("cycles")
    if future is None or any(kept[name].changed for name, _ in checks_cycle_links()):
        subsets = _cycle_suspects(kept)
    else:
        subsets = future.result()
    for name, subset in subsets.items():
        _run(checks.check_cycles, kept, {name: subset}, out, name, chunked=False)


def _cycle_suspects(kept: Resources) -> dict[str, pa.Table]:
    """Per resource, the rows whose link leads on to another link."""
    subsets: dict[str, pa.Table] = {}
    links: dict[str, list[str]] = {}
    for name, link in checks_cycle_links():
        links.setdefault(name, []).append(link)
    for name, link in checks_cycle_links():
        key = resource(name).primary_key
        table = kept[name].table.select([key, *links[name], ROW])  # what the rule reads
        linked = table.filter(pc.greater(pc.binary_length(table[link]), 0))
        while True:
            onward = linked.filter(pc.is_in(linked[link], value_set=linked[key]))
            if onward.num_rows == linked.num_rows:
                break
            linked = onward
        if linked.num_rows:
            rows = linked[ROW]
            if name in subsets:
                rows = pa.concat_arrays(
                    [subsets[name][ROW].combine_chunks(), rows.combine_chunks()]
                )
            subsets[name] = table.filter(pc.is_in(table[ROW], value_set=rows))
    return subsets


def checks_cycle_links() -> tuple[tuple[str, str], ...]:
    """The links :func:`aifacts.validation.cross_rules.check_cycles` follows."""
    return (
        ("entities", "parent_id"),
        ("sources", "derived_from"),
        ("facts", "part_of"),
        ("facts", "supersedes"),
    )


def _dimension_ids(units: list[str]) -> tuple[dict[str, int], list[int | None]]:
    """Number each distinct dimension; ``None`` for a unit that does not parse. The
    registry's plain strings are looked up (:mod:`aifacts.contract.unit_terms`), not parsed."""
    ids: dict[Any, int] = {}
    out: list[int | None] = []
    for text in units:
        dims = unit_terms.dimensions(text)
        if dims is None:
            try:
                dims = canonical_dimensions(parse_unit(text))
            except UnitError:
                out.append(None)
                continue
        out.append(ids.setdefault(dims, len(ids)))
    return ids, out


def _wrong_units(kept: Resources) -> pa.Table:
    """Facts whose unit does not parse or lacks its metric's dimension (one parse per unit)."""
    metrics, facts = kept["metrics"].table, kept["facts"].table
    units = pc.unique(
        pa.concat_arrays([metrics["unit"].combine_chunks(), pc.unique(facts["unit"])])
    )
    _, ids = _dimension_ids(units.to_pylist())
    dim_of = pa.array(ids, pa.int64())
    fact_dim = pc.take(dim_of, pc.index_in(facts["unit"], value_set=units))
    metric_dim = pc.take(dim_of, pc.index_in(metrics["unit"], value_set=units))
    expected = pc.take(metric_dim, pc.index_in(facts["metric_id"], value_set=metrics["metric_id"]))
    unknown = pc.is_null(fact_dim)
    differs = pc.fill_null(pc.not_equal(fact_dim, expected), False)
    return facts.filter(pc.or_(unknown, differs))


def check_units(kept: Resources, out: Collector) -> None:
    """Units parse and have their metric's dimension: one parse per distinct unit."""
    metrics = kept["metrics"].table
    wrong = _ahead(kept["facts"], "units", lambda: _wrong_units(kept))
    if kept["metrics"].changed:
        wrong = _wrong_units(kept)
    subsets = {"metrics": metrics, "facts": wrong}
    _run(checks.check_units, kept, subsets, out, "facts")
    # A metric's unit the table knows parses: only the others may be reported.
    units = metrics["unit"].to_pylist()
    unknown = pa.array([unit_terms.dimensions(unit) is None for unit in units], pa.bool_())
    if not pc.any(unknown).as_py():
        return
    tables = {n: Table(resource(n), k.file) for n, k in kept.items()}
    tables["metrics"].rows = _all("metrics", metrics.filter(unknown))
    checks.check_units(tables)
    out.extend(tables["metrics"].problems)


def _out_of_bounds(kind: str, text: str, unit: str) -> bool:
    number = Decimal(text)
    if kind == MetricKind.COUNT:
        return number < 0
    fraction = checks._as_fraction(number, unit)
    return fraction is not None and not Decimal(0) <= fraction <= Decimal(1)


def check_bounds(kept: Resources, out: Collector) -> None:
    """Shares lie within 0–100 %, counts are not negative.

    Floats find the numbers that may be out of bounds (float rounding is monotone);
    those are checked exactly once per distinct (number, unit, metric).
    """
    bounded, suspects = _ahead(kept["facts"], "bounds", lambda: _out_of_bounds_rows(kept))
    if kept["metrics"].changed:
        bounded, suspects = _out_of_bounds_rows(kept)
    _run(checks.check_bounds, kept, {"metrics": bounded, "facts": suspects}, out, "facts")


def _floats(col: Any) -> Any:
    """The cells of a kept number column as float64, null where empty: a kept cell
    is a plain decimal already, so no pattern is matched again (see ``as_floats``)."""
    return pc.cast(pc.if_else(pc.greater(pc.binary_length(col), 0), col, None), pa.float64())


def _out_of_bounds_rows(kept: Resources) -> tuple[pa.Table, pa.Table]:
    """The metrics that bound their facts, and the facts out of bounds."""
    metrics, every = kept["metrics"].table, kept["facts"].table
    bounded = metrics.filter(pc.is_in(metrics["kind"], value_set=pa.array(["share", "count"])))
    kinds = dict(zip(bounded["metric_id"].to_pylist(), bounded["kind"].to_pylist(), strict=True))
    # The facts of bounded metrics, only the columns the bounds need (not a copy of all),
    # and each one's metric kind: one hash probe of the metric ids.
    position = pc.index_in(every["metric_id"], value_set=bounded["metric_id"])
    mask = pc.is_valid(position)
    facts = every.select(["metric_id", "unit", "value", "value_high"]).filter(mask)
    # each fact's metric kind, as two booleans taken from the few metrics' own
    metric_kinds = bounded["kind"].to_pylist()
    at = position.filter(mask)
    is_count = pc.take(pa.array([k == "count" for k in metric_kinds], pa.bool_()), at)
    is_share = pc.take(pa.array([k == "share" for k in metric_kinds], pa.bool_()), at)
    factor: dict[str, float | None] = {}
    for unit in pc.unique(facts["unit"].filter(is_share)).to_pylist():
        fraction = checks._as_fraction(Decimal(1), unit)
        factor[unit] = None if fraction is None else float(fraction)
    index = pc.index_in(facts["unit"], value_set=pa.array(list(factor), pa.string()))
    factors = pc.take(pa.array(list(factor.values()), pa.float64()), index)
    bad_rows = np.zeros(facts.num_rows, dtype=bool)
    for name in ("value", "value_high"):
        col = facts[name]
        try:
            scaled = pc.multiply(_floats(col), factors)
        except pa.ArrowInvalid:  # a number too long for a float: check every share exactly
            scaled = pa.nulls(facts.num_rows, pa.float64())
        above = pc.fill_null(pc.greater(scaled, 1 - 1e-12), False)
        share = pc.and_(is_share, pc.or_(pc.is_null(scaled), above))
        found = pc.and_(
            pc.greater(pc.binary_length(col), 0),
            pc.or_(share, pc.and_(pc.or_(is_count, is_share), pc.starts_with(col, "-"))),
        )
        if not pc.any(found).as_py():
            continue
        rows = pc.indices_nonzero(found)  # exact checks for these rows only
        part = facts.filter(found)  # chunk by chunk: a take would join the chunks first
        key = pc.binary_join_element_wise(part[name], part["unit"], part["metric_id"], "\x00")
        bad = [
            joined
            for joined in pc.unique(key).to_pylist()
            if _out_of_bounds(kinds[joined.split("\x00")[2]], *joined.split("\x00")[:2])
        ]
        if bad:
            hit = pc.is_in(key, value_set=pa.array(bad, pa.string()))
            bad_rows[rows.filter(hit).to_numpy()] = True
    if not bad_rows.any():  # (a take, even of no rows, joins a million rows' chunks)
        return bounded, every.schema.empty_table()
    picked = np.zeros(every.num_rows, dtype=bool)
    picked[pc.indices_nonzero(mask).to_numpy()[bad_rows]] = True
    return bounded, every.filter(pa.array(picked))


def _quote_disagrees(key: str) -> bool:
    from aifacts.text.agreement import quote_disagreement

    quote, value, high, unit = key.split("\x00")
    try:
        parse_unit(unit)
    except UnitError:
        return False
    return any(
        quote_disagreement(quote, [Decimal(v)], unit) is not None for v in (value, high) if v
    )


def check_quote_values(kept: Resources, out: Collector) -> None:
    """Quotes state their facts' numbers: sure passes by whole-column tokens, the rest
    exactly, once per distinct (quote, value, value_high, unit)."""
    facts = kept["facts"].table
    facts = facts.filter(pc.is_valid(facts["quote"]))  # null: a sure pass, found as read
    if not facts.num_rows:
        return
    parts = (facts.slice(at, _QUOTE_CHUNK) for at in range(0, facts.num_rows, _QUOTE_CHUNK))
    doubtful = pa.concat_tables(  # a slice at a time: its tokens only in memory
        [p.filter(pc.invert(sure(p["quote"], p["value"], p["value_high"]))) for p in parts]
    )
    if not doubtful.num_rows:
        return
    key = pc.binary_join_element_wise(
        doubtful["quote"], doubtful["value"], pc.fill_null(doubtful["value_high"], ""),
        doubtful["unit"], "\x00",
    )  # fmt: skip
    bad = [k for k in pc.unique(key).to_pylist() if _quote_disagrees(k)]
    if not bad:
        return
    suspects = doubtful.filter(pc.is_in(key, value_set=pa.array(bad, pa.string())))
    _run(checks.check_quote_values, kept, {"facts": suspects}, out, "facts")


#: The rules across records, as :data:`aifacts.validation.cross_rules.RULES`, in the same order.
RULES: dict[str, Callable[[Resources, Collector], None]] = {
    "check_primary_keys": check_primary_keys,
    "check_foreign_keys": check_foreign_keys,
    "check_country_kind": check_country_kind,
    "check_cycles": check_cycles,
    "check_units": check_units,
    "check_bounds": check_bounds,
    "check_quote_values": check_quote_values,
    "check_source_basis": partial(contract_rules.source_basis_rule, run=_run),
    "check_canonical_values": partial(contract_rules.canonical_values_rule, run=_run),
    "check_claims": partial(contract_rules.claims_rule, run=_run),
}


def prefetch(kept: Resources, pool: ThreadPoolExecutor) -> None:
    """Start, in threads, the whole-column work of the rules that does not depend on
    earlier rules unless they drop rows (Arrow lets go of the GIL)."""
    # The longest first, one on each thread (the first unit parsed builds the unit
    # registry); the many short ones then fill whichever thread is free.
    kept["facts"].ahead["bounds"] = pool.submit(_out_of_bounds_rows, kept)
    kept["facts"].ahead["units"] = pool.submit(_wrong_units, kept)
    for name, res in kept.items():
        key = resource(name).primary_key
        res.ahead["unique"] = pool.submit(_all_unique, res.table, key)
        for fk in resource(name).foreign_keys:
            res.ahead[f"fk:{fk.field}"] = pool.submit(_broken, kept, name, fk)
    kept["facts"].ahead["cycles"] = pool.submit(_cycle_suspects, kept)


def run_rules(kept: Resources, out: Collector) -> None:
    """Run, in the row engine's order, the columnar form of every rule across records."""
    assert {res.name for res in RESOURCES if not res.optional} <= set(kept)
    with ThreadPoolExecutor(max_workers=2) as pool:
        prefetch(kept, pool)
        for rule in checks.RULES:
            RULES[rule.__name__](kept, out)
