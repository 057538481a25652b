"""The bundled facts, replicated to any number of rows: real-shaped benchmark data.

Usage:
    python -m benchmarks.replicate OUT --facts 1000000

The synthetic packages (:mod:`benchmarks.generate`) have made-up quotes and numbers;
this one has the release's own: its quotes (English and Chinese, some over several
lines), units, qualifiers and notes. Copy ``k`` of a fact gets the id
``<fact_id>-r<k>``, and its links to other facts (``part_of``, ``supersedes``) and its
``claim_id`` name the same copy's facts and claims, so links and claims stay within
each copy. Sources, entities, metrics
and omissions are the release's, once. The last copy is cut short to make exactly
``facts`` rows.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from aifacts.contract.schema import RESOURCES
from aifacts.io.package import bundled_path

__all__ = ["replicate"]

#: The fact columns that name another fact or a claim: remapped to the same copy.
_LINKS = ("part_of", "supersedes", "claim_id")


def replicate(folder: Path, facts: int) -> Path:
    """Write ``facts`` replicated bundled facts (and the other resources once) into
    ``folder``; return its descriptor's path."""
    from benchmarks.generate import _descriptor

    folder.mkdir(parents=True, exist_ok=True)
    bundled = bundled_path().parent
    for res in RESOURCES:
        if res.name != "facts" and (bundled / res.path).is_file():
            (folder / res.path).write_bytes((bundled / res.path).read_bytes())
    with (bundled / "facts.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    key = header.index("fact_id")
    links = [header.index(name) for name in _LINKS]
    with (folder / "facts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        written, copy = 0, 0
        while written < facts:
            batch = []
            for row in rows[: facts - written]:
                out = list(row)
                out[key] = f"{row[key]}-r{copy}"
                for at in links:
                    if row[at]:
                        out[at] = f"{row[at]}-r{copy}"
                batch.append(out)
            writer.writerows(batch)
            written += len(batch)
            copy += 1
    _descriptor(folder)
    return folder / "datapackage.json"


def main() -> None:
    """Command line: ``python -m benchmarks.replicate OUT --facts N``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--facts", type=int, default=1_000_000)
    args = parser.parse_args()
    print(replicate(args.out, args.facts))


if __name__ == "__main__":
    main()
