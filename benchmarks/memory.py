"""Peak memory of ``aifacts.load(path)`` per MB of CSV, on synthetic packages.

Usage:
    python -m benchmarks.memory --facts 100000 200000 [--json-forms] [--trace]

Each size is generated (:mod:`benchmarks.generate`) into a temporary folder and
loaded in a new process, which first loads the bundled release (every import and
cache loading needs) and then reports its peak resident memory (``ru_maxrss``)
before and after ``aifacts.load(path)``: the difference is what loading costs at its
peak, and the memory still held once it returns (the :class:`~aifacts.Dataset`) is
printed beside it. ``--trace`` runs :mod:`tracemalloc` instead (slower, and it
counts Python allocations only) and prints the lines that held the most at the
peak. Memory, not time: nothing here is timed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import generate

_CHILD = r"""
import gc, json, resource, sys, tracemalloc

def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()

import aifacts

aifacts.load()  # the bundled release: every import and cache loading needs, once
path, trace = sys.argv[1], sys.argv[2] == "1"
gc.collect()
before, held_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, rss()
if trace:
    tracemalloc.start(8)
ds = aifacts.load(path)
out = {"facts": len(ds.facts)}
if trace:
    out["traced_peak"] = tracemalloc.get_traced_memory()[1]
    snapshot = tracemalloc.take_snapshot()
    out["top"] = [str(s) for s in snapshot.statistics("lineno")[:8]]
gc.collect()
out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
out["held"] = rss() - held_before
print(json.dumps(out))
"""


def measure(folder: Path, trace: bool = False) -> dict[str, object]:
    """Load the package in ``folder`` in a new process; what it reports (bytes)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), "1" if trace else "0"],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    """Command line: ``python -m benchmarks.memory --facts N [N ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, nargs="+", default=[100000])
    parser.add_argument("--json-forms", action="store_true", help="with JSON forms")
    parser.add_argument("--trace", action="store_true", help="tracemalloc's view instead")
    args = parser.parse_args()
    print("| facts | CSV MB | peak MB | peak per CSV MB | held MB | held per CSV MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for facts in args.facts:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "pkg"
            generate(folder, facts, seed=0, json_forms=args.json_forms)
            size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
            found = measure(folder, args.trace)
        peak, held = int(found["peak"]) / 1e6, int(found["held"]) / 1e6  # type: ignore[call-overload]
        print(
            f"| {facts:,} | {size:.1f} | {peak:.0f} | {peak / size:.1f} | {held:.0f} "
            f"| {held / size:.1f} |"
        )
        if args.trace:
            print(f"traced peak: {int(found['traced_peak']) / 1e6:.0f} MB")  # type: ignore[call-overload]
            for line in found["top"]:  # type: ignore[attr-defined]
                print("   ", line)


if __name__ == "__main__":
    main()
