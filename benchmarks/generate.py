"""Generate a synthetic aifacts data package of any size, valid or with faults.

Usage:
    python -m benchmarks.generate OUT --facts 1000000 [--fault-rate 0.001] [--seed 0]

The package has ``facts`` facts and sources, entities and metrics to match (one
entity per 100 facts, one source per 1,000, 60 metrics), every unit drawn from the
aifacts registry, one fact in ten quoted in Chinese. With ``fault_rate`` (or
``faults={kind: rate}``), each kind of fault in :data:`FAULTS` is planted in that
fraction of rows. The numbers are synthetic: this is test data, not the dataset.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path

from aifacts.contract.canonical import canonical_values
from aifacts.contract.schema import RESOURCES, resource
from aifacts.io.writing import cell_text
from aifacts.io.package import bundled_path

__all__ = ["FAULTS", "generate"]

# metric template: (unit of the metric, kind, units facts may use)
_METRICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("USD", "flow", ("USD", "billion USD", "million USD", "billion CNY", "million yuan")),
    ("GW", "stock", ("GW", "MW", "kW")),
    ("EFLOPS", "stock", ("EFLOPS", "PFLOPS")),
    ("percent", "share", ("percent", "%")),
    ("robot", "count", ("robot", "thousand robot")),
    ("TWh", "flow", ("TWh", "GWh")),
)
_QUALIFIERS = ("exact", "approximately", "at_least", "at_most", "range")
_STATUS = ("actual", "estimate", "forecast", "target", "pledge", "plan")

Row = list[str]
F = {
    name: {f.name: i for i, f in enumerate(resource(name).fields)}
    for name in ("sources", "entities", "metrics", "facts")
}


def _set(row: Row, res: str, name: str, value: str) -> None:
    row[F[res][name]] = value


def _setting(**cells: str) -> Callable[[Row, random.Random, int], None]:
    """A fault that sets the given cells of a fact row."""

    def fault(row: Row, g: random.Random, i: int) -> None:
        for name, value in cells.items():
            _set(row, "facts", name, value)

    return fault


def _self_reference(row: Row, g: random.Random, i: int) -> None:
    _set(row, "facts", "part_of", row[0])


def _duplicate(row: Row, g: random.Random, i: int) -> None:
    _set(row, "facts", "fact_id", f"f-{max(i - 1, 0):07d}")


def _blank(row: Row, g: random.Random, i: int) -> None:
    row[:] = [""] * len(row)


#: Kinds of fault, each planted by changing one fact row (``row, rng, index``).
FAULTS: dict[str, Callable[[Row, random.Random, int], None]] = {
    "required": _setting(quote=""),
    "type-number": _setting(value="1,5"),
    "type-date": _setting(period_end="2024-02-30"),
    "enum": _setting(status="rumour"),
    "pattern": _setting(entity_id="Bad_Entity"),
    "whitespace": _setting(locator=" [2]"),
    "not-nfc": _setting(quote="Cafe\u0301 chain spent 5 billion USD"),
    "control-character": _setting(note="bell\x07 in text"),
    "formula": _setting(note="=HYPERLINK(1)"),
    "value-high": _setting(value_high="999999"),
    "period-order": _setting(period_start="2025-06-01", period_end="2024-01-01"),
    "self-reference": _self_reference,
    "duplicate-key": _duplicate,
    "foreign-key": _setting(entity_id="no-such-entity"),
    "unit-unknown": _setting(unit="bogons"),
    "unit-dimension": _setting(metric_id="metric-000", unit="GW"),
    "share-bounds": _setting(
        metric_id="metric-003", unit="percent", value="150", qualifier="exact", value_high=""
    ),
    "count-negative": _setting(
        metric_id="metric-004", unit="robot", value="-5", qualifier="exact", value_high=""
    ),
    "quote-value": _setting(
        metric_id="metric-004", unit="robot", value="424242", qualifier="exact", value_high=""
    ),
    "blank-row": _blank,
}


def _sources(n: int) -> list[Row]:
    rows = []
    for i in range(n):
        lang = "zh" if i % 3 == 0 else "en"
        rows.append(
            [
                f"src-{i:05d}",
                f"Synthetic report {i}",
                "",
                "Synthetic Institute",
                f"20{20 + i % 5}-0{1 + i % 9}-1{i % 10}",
                lang,
                "",
                "report",
                "",
                "",
                "",
                "",
                "stated",
                "false",
            ]
        )
    return rows


def _entities(n: int) -> list[Row]:
    rows = [
        ["cn", "China", "中国", "country", "cn", "", ""],
        ["us", "United States", "美国", "country", "us", "", ""],
    ]
    for i in range(max(n - 2, 0)):
        country = "cn" if i % 2 else "us"
        parent = f"ent-{i - 1:06d}" if i % 10 == 9 else ""
        rows.append([f"ent-{i:06d}", f"Company {i}", "", "company", country, parent, ""])
    return rows


def _metrics(n: int) -> list[Row]:
    rows = []
    for i in range(n):
        unit, kind, _ = _METRICS[i % len(_METRICS)]
        rows.append(
            [
                f"metric-{i:03d}",
                f"Metric {i}",
                f"A synthetic {kind} in {unit}, number {i}.",
                unit,
                kind,
                "",
            ]
        )
    return rows


def _fact(i: int, g: random.Random, n_entities: int, n_metrics: int, n_sources: int) -> Row:
    m = g.randrange(n_metrics)
    _, kind, units = _METRICS[m % len(_METRICS)]
    unit = g.choice(units)
    value = (
        f"{g.randrange(1, 1000)}.{g.randrange(10)}" if kind != "share" else f"{g.randrange(0, 100)}"
    )
    if kind == "count":
        value = str(g.randrange(0, 100000))
    qualifier = g.choice(_QUALIFIERS)
    high = ""
    if qualifier == "range":
        high = str(int(float(value)) + g.randrange(1, 50)) if kind != "share" else "100"
        if kind == "share" and value == "100":
            value = "99"
    entity = "cn" if g.random() < 0.3 else f"ent-{g.randrange(max(n_entities - 2, 1)):06d}"
    if n_entities <= 2:
        entity = "us"
    year = 2020 + g.randrange(6)
    start, end = (f"{year}-01-01", f"{year}-12-31") if g.random() < 0.7 else ("", "")
    zh = g.random() < 0.1
    stated = f"{value} to {high}" if high else value
    quote = (
        f"{year}年算力规模达到{stated}{unit}"
        if zh
        else f"Spending reached {stated} {unit} in {year}, the report says"
    )
    part_of = f"f-{g.randrange(i):07d}" if i and g.random() < 0.05 else ""
    note = "Synthetic fact, with a comma" if g.random() < 0.2 else ""
    low, top, canonical = canonical_values(
        Decimal(value), Decimal(high) if high else None, unit, _METRICS[m % len(_METRICS)][0]
    )
    return [
        f"f-{i:07d}",
        entity,
        f"metric-{m:03d}",
        value,
        unit,
        qualifier,
        high,
        g.choice(_STATUS),
        start,
        end,
        "",
        f"src-{g.randrange(n_sources):05d}",
        f"[{g.randrange(1, 30)}]",
        quote,
        "A translation" if zh else "",
        "",
        part_of,
        "",
        note,
        f"f-{i:07d}",
        cell_text(low),
        cell_text(top),
        canonical or "",
        "",
    ]


def _write(folder: Path, name: str, rows: list[Row] | Callable[[csv.Writer], None]) -> None:
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(resource(name).field_names)
        if callable(rows):
            rows(writer)
        else:
            writer.writerows(rows)


def _descriptor(folder: Path) -> None:
    data = json.loads(bundled_path().read_text(encoding="utf-8"))
    data["name"] = "aifacts-synthetic"
    data["title"] = "Synthetic aifacts package (benchmark data, not real facts)"
    names = {res.name for res in RESOURCES if (folder / res.path).is_file()}
    data["resources"] = [r for r in data["resources"] if r["name"] in names]
    for entry in data["resources"]:
        sha, size = hashlib.sha256(), 0
        with (folder / entry["path"]).open("rb") as handle:
            while block := handle.read(1 << 24):
                sha.update(block)
                size += len(block)
        entry["bytes"], entry["hash"] = size, "sha256:" + sha.hexdigest()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


def generate(
    folder: Path,
    facts: int,
    *,
    seed: int = 0,
    fault_rate: float = 0.0,
    faults: dict[str, float] | None = None,
    json_forms: bool = False,
) -> Path:
    """Write a package of ``facts`` facts into ``folder``; return its descriptor's path.

    Args:
        folder: where to write (created if needed).
        facts: number of facts.
        seed: the random seed: the same arguments give the same bytes.
        fault_rate: fraction of rows given each kind of fault in :data:`FAULTS`.
        faults: per-kind fractions, overriding ``fault_rate``.
        json_forms: also write each resource's JSON form, as ``aifacts build`` does
            (slow: the build reads every row into a record).
    """
    folder.mkdir(parents=True, exist_ok=True)
    g = random.Random(seed)
    rates = dict.fromkeys(FAULTS, fault_rate) if fault_rate else {}
    rates.update(faults or {})
    n_entities = max(facts // 100, 3)
    n_sources = max(facts // 1000, 1)
    n_metrics = 60
    _write(folder, "sources", _sources(n_sources))
    _write(folder, "entities", _entities(n_entities))
    _write(folder, "metrics", _metrics(n_metrics))
    active = [(kind, rate) for kind, rate in rates.items() if rate > 0]

    def rows(writer: csv.Writer) -> None:
        batch: list[Row] = []
        for i in range(facts):
            row = _fact(i, g, n_entities, n_metrics, n_sources)
            for kind, rate in active:
                if g.random() < rate:
                    FAULTS[kind](row, g, i)
            batch.append(row)
            if len(batch) >= 10000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)

    _write(folder, "facts", rows)
    _descriptor(folder)
    if json_forms:
        from aifacts.release.build import build

        build(folder)
    return folder / "datapackage.json"


def main() -> None:
    """Command line: ``python -m benchmarks.generate OUT --facts N``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--json-forms", action="store_true", help="write JSON forms too")
    args = parser.parse_args()
    print(
        generate(
            args.out,
            args.facts,
            seed=args.seed,
            fault_rate=args.fault_rate,
            json_forms=args.json_forms,
        )
    )


if __name__ == "__main__":
    main()
