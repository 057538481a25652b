"""Start-up benchmark: `import aifacts; aifacts.load()` as a whole process.

Usage:
    python -m benchmarks.startup [--repeat 15]

Prints the median wall time of each command over ``--repeat`` fresh processes,
beside a baseline that only imports pydantic and pint and builds Pint's default
registry (the target: aifacts no slower than that baseline).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from benchmarks import compile_bytecode

COMMANDS = {
    "aifacts: import aifacts; aifacts.load()": "import aifacts; aifacts.load()",
    "baseline: import pydantic, pint; pint.UnitRegistry()": (
        "import pydantic, pint; pint.UnitRegistry()"
    ),
    "python alone": "pass",
}


def median_seconds(code: str, repeat: int) -> float:
    """The median wall time of ``python -c code`` over ``repeat`` fresh processes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compile_bytecode()
    results = {label: median_seconds(code, args.repeat) for label, code in COMMANDS.items()}
    for label, seconds in results.items():
        print(f"{seconds:6.3f} s  {label}")
    ours, baseline = list(results.values())[:2]
    print(f"aifacts / baseline: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
