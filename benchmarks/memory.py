"""Peak memory of ``aifacts.load(path)`` per MB of CSV, on synthetic packages.

Usage:
    python -m benchmarks.memory --facts 100000 200000 [--json-forms] [--trace]

Each size is generated (:mod:`benchmarks.generate`) into a temporary folder and
loaded in a new process, which first loads the bundled release (every import and
cache loading needs), resets its peak resident memory (``VmHWM``, through
``/proc/self/clear_refs``: Linux only; ``ru_maxrss`` would keep the parent's peak
across ``exec``) and reports how far ``aifacts.load(path)`` raises it: what loading
costs at its peak. The memory still held once it returns (the
:class:`~aifacts.Dataset`) is printed beside it. ``--trace`` also runs
:mod:`tracemalloc` (which inflates the other figures; it counts Python allocations
only) and prints the lines whose allocations are still held once loaded. Memory,
not time: nothing here is timed.
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
import gc, json, sys, tracemalloc

def status(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)

import aifacts

aifacts.load()  # the bundled release: every import and cache loading needs, once
path, trace = sys.argv[1], sys.argv[2] == "1"
gc.collect()
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the peak (VmHWM) starts again from the resident memory now
before = status("VmRSS")
if trace:
    tracemalloc.start(8)
ds = aifacts.load(path)
out = {"facts": len(ds.facts)}
if trace:
    out["traced_peak"] = tracemalloc.get_traced_memory()[1]
    snapshot = tracemalloc.take_snapshot()
    out["top"] = [str(s) for s in snapshot.statistics("lineno")[:8]]
out["peak"] = status("VmHWM") - before
gc.collect()
out["held"] = status("VmRSS") - before
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
