"""What each speed trick of `aifacts validate` is worth: the command with one trick off.

Usage:
    python -m benchmarks.tricks [--facts 1000000] [--runs 5] [--replicate-bundled]

Each variant runs ``aifacts validate --engine columnar --format json`` as a whole
process, with one trick undone in that process only (the code is not changed):
``jemalloc`` leaves Arrow on its default memory pool; ``gc`` tries the opposite, a
trick not taken: the cycle collector paused. (Others were measured so and dropped,
as none saved 5 %: ending without the interpreter's teardown, keeping pyarrow from
importing pandas, one BLAS thread; see benchmarks/README.md.) Variants
are run in turn, ``--runs`` rounds, so that whatever else the machine does falls on
all of them alike; the median of each is printed with its cost against ``all on``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from benchmarks import compile_bytecode
from benchmarks.run import measure, package

#: Python run before the command, per variant: the trick it undoes.
VARIANTS = {
    "all on": "",
    "jemalloc": "c.reusing_memory = contextlib.nullcontext",
    "gc": "import gc; gc.disable()  # the opposite: a trick tried, to see if it pays",
}

_RUN = """
import contextlib, sys
import aifacts.cli.main as m
import aifacts.validation.columnar as c
{undo}
sys.argv = ["aifacts", "validate", "--engine", "columnar", "--format", "json", {path!r}]
m.main()
"""


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--replicate-bundled", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/aifacts-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    descriptor = package(args.work, args.facts, 0.0, replicated=args.replicate_bundled)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    peaks: dict[str, float] = dict.fromkeys(VARIANTS, 0.0)
    for _ in range(args.runs):
        for name, undo in VARIANTS.items():
            script = _RUN.format(undo=undo, path=str(descriptor))
            run = measure([sys.executable, "-c", script])
            assert run.code == 0, (name, run.stdout[:500])
            times[name].append(run.seconds)
            peaks[name] = max(peaks[name], run.peak_mib)
    base = statistics.median(times["all on"])
    print(f"{args.facts:,} facts, {args.runs} runs each, median s (cost of the trick off):")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        spread = f"{min(seconds):.2f}–{max(seconds):.2f}"
        print(
            f"  {name:7} {median:.2f} s ({spread}), {peaks[name]:.0f} MiB, "
            f"{100 * (median - base) / base:+.1f} %"
        )


if __name__ == "__main__":
    main()
