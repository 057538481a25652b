"""Hostile packages: how long ``aifacts validate`` takes, and how much memory, on a
package shaped to make a validator work hard (every package is untrusted).

Each shape is a synthetic package (:mod:`benchmarks.generate`) with one thing made
extreme: a chain or a loop of links through every fact, every fact its own metric or
its own unknown unit, every reference unknown, every quote long... Both engines are
run as whole processes, one run each, with a time limit::

    python -m benchmarks.hostile --facts 20000 [--only supersedes-loop ...] [--timeout 180]

It prints one line per shape and engine: seconds, peak MiB, the exit code (1: the
package is invalid, as each is meant to be) and whether a traceback was printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from benchmarks.generate import generate

Rows = list[list[str]]


def _read(folder: Path, name: str) -> Rows:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(folder: Path, name: str, rows: Rows) -> None:
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _each_fact(column: str, cell: Callable[[int, list[str], Rows], str]) -> Callable[[Path], None]:
    """A shape that rewrites one column of every fact."""

    def shape(folder: Path) -> None:
        rows = _read(folder, "facts")
        at = rows[0].index(column)
        for i, row in enumerate(rows[1:]):
            row[at] = cell(i, row, rows)
        _write(folder, "facts", rows)

    return shape


def _chain(name: str, column: str, *, loop: bool) -> Callable[[Path], None]:
    """Every record of ``name`` names the one before it in ``column`` (and the first
    names the last: a loop)."""

    def shape(folder: Path) -> None:
        rows = _read(folder, name)
        key, link = 0, rows[0].index(column)
        for before, row in pairwise(rows[1:]):
            row[link] = before[key]
        if loop:
            rows[1][link] = rows[-1][key]
        _write(folder, name, rows)

    return shape


def _own_metrics(folder: Path) -> None:
    facts, metrics = _read(folder, "facts"), _read(folder, "metrics")
    at, key = facts[0].index("metric_id"), metrics[0].index("metric_id")
    for i, row in enumerate(facts[1:]):
        row[at] = f"metric-own-{i}"
        metrics.append([f"metric-own-{i}" if j == key else c for j, c in enumerate(metrics[1])])
    _write(folder, "facts", facts)
    _write(folder, "metrics", metrics)


SHAPES: dict[str, Callable[[Path], None]] = {
    "supersedes-chain": _chain("facts", "supersedes", loop=False),
    "supersedes-loop": _chain("facts", "supersedes", loop=True),
    "part-of-chain": _chain("facts", "part_of", loop=False),
    "entity-parent-chain": _chain("entities", "parent_id", loop=False),
    "own-metric-each": _own_metrics,
    "own-unknown-unit-each": _each_fact("unit", lambda i, row, rows: f"USD{i}"),
    "one-claim": _each_fact("claim_id", lambda i, row, rows: rows[1][0]),
    "one-fact-id": _each_fact("fact_id", lambda i, row, rows: "same"),
    "unknown-entity-each": _each_fact("entity_id", lambda i, row, rows: f"nobody-{i}"),
    "unknown-source-each": _each_fact("source_id", lambda i, row, rows: f"no-source-{i}"),
    "long-quotes": _each_fact("quote", lambda i, row, rows: ("word 12 and 34.5 " * 1200)[:20000]),
}


def _run(folder: Path, engine: str, timeout: float) -> str:
    command = [sys.executable, "-m", "aifacts", "validate", str(folder)]
    command += ["--engine", engine, "--format", "json"]
    timed = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
    start = time.perf_counter()
    # its own process group: on timeout the validator is killed too, not only the timer
    with subprocess.Popen(
        timed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return f"over {timeout:.0f} s"
    done = subprocess.CompletedProcess(timed, process.returncode, "", stderr)
    seconds = time.perf_counter() - start
    last = done.stderr.strip().splitlines()[-1:] if timed is not command else []
    peak = f"{int(last[0]) // 1024:6d} MiB" if last and last[0].isdigit() else "     ? MiB"
    traceback = " TRACEBACK" if "Traceback" in done.stderr else ""
    return f"{seconds:7.2f} s {peak} exit {done.returncode}{traceback}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=20000)
    parser.add_argument("--only", nargs="*", choices=sorted(SHAPES), default=None)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--engines", nargs="*", default=["columnar", "rows"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        generate(base, args.facts, seed=3)
        for name in args.only or SHAPES:
            folder = Path(tmp) / name
            shutil.copytree(base, folder)
            SHAPES[name](folder)
            for engine in args.engines:
                print(f"{name:24} {engine:8} {_run(folder, engine, args.timeout)}", flush=True)
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
