"""Benchmark `aifacts validate` against `frictionless validate`, size by size.

Usage:
    python -m benchmarks.run [--sizes 10000 100000 1000000] [--skip-frictionless-above N]
                             [--fault-rate 0] [--engine columnar] [--work /tmp/aifacts-bench]
                             [--json-forms] [--repeat 3] [--replicate-bundled]

For each size it generates a synthetic package (benchmarks/generate.py; cached in
``--work``), runs each validator as a whole process, and prints wall time, rows
(facts) per second and peak memory (max RSS) side by side, their ratio, and whether
the verdicts agree. With ``--compare`` it also checks, on a faulty package, that both
report the same rows for the rules both have (types, required, enum, pattern,
blank rows, duplicate and foreign keys). With ``--replicate-bundled`` the packages
are the bundled facts replicated to each size (:mod:`benchmarks.replicate`) instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import compile_bytecode
from benchmarks.generate import generate

#: frictionless error types → aifacts codes, for the rules both have.
SHARED = {
    "type-error": {"type-number", "type-date"},
    "constraint-error": {"required", "enum", "pattern"},
    "primary-key": {"duplicate-key"},
    "foreign-key": {"foreign-key"},
    "blank-row": {"blank-row"},
}

#: aifacts codes of the rules across records: a row they flag passed its own checks.
ACROSS_RECORDS = {
    "duplicate-key",
    "foreign-key",
    "reference-kind",
    "unit-unknown",
    "unit-dimension",
    "share-bounds",
    "count-negative",
}


@dataclass
class Run:
    """One process run: wall seconds, peak RSS in MiB, exit code and stdout."""

    seconds: float
    peak_mib: float
    code: int
    stdout: str


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time of one run, and peak memory measured with GNU time (``-f %M``)."""
    start = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    seconds = time.perf_counter() - start
    peak = int(out.stderr.strip().splitlines()[-1]) / 1024
    return Run(seconds, peak, out.returncode, out.stdout)


def measure_median(command: list[str], repeat: int) -> Run:
    """The run of median wall time among ``repeat`` runs, with the highest peak memory
    of them all (single runs vary with whatever else the machine does)."""
    runs = sorted((measure(command) for _ in range(max(repeat, 1))), key=lambda r: r.seconds)
    middle = runs[len(runs) // 2]
    return Run(middle.seconds, max(r.peak_mib for r in runs), middle.code, middle.stdout)


def aifacts_command(descriptor: Path, engine: str) -> list[str]:
    """`aifacts validate` with every rule, as a user runs it."""
    script = Path(sys.executable).with_name("aifacts")
    return [
        str(script) if script.exists() else "aifacts",
        "validate",
        "--engine",
        engine,
        "--format",
        "json",
        str(descriptor),
    ]


def frictionless_command(descriptor: Path) -> list[str]:
    """`frictionless validate` on the same package and schema."""
    return [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)]


def package(
    work: Path,
    facts: int,
    fault_rate: float,
    seed: int = 0,
    *,
    json_forms: bool = False,
    replicated: bool = False,
) -> Path:
    """The generated package of this size (made once, then reused)."""
    if replicated:
        folder = work / f"replicated-{facts}"
        if not (folder / "datapackage.json").is_file():
            from benchmarks.replicate import replicate

            replicate(folder, facts)
        return folder / "datapackage.json"
    folder = work / f"facts-{facts}-faults-{fault_rate}-seed-{seed}{'-json' if json_forms else ''}"
    if not (folder / "datapackage.json").is_file():
        generate(folder, facts, seed=seed, fault_rate=fault_rate, json_forms=json_forms)
    return folder / "datapackage.json"


def shared_rows(aifacts_report: dict[str, Any], fl_report: dict[str, Any]) -> dict[str, Any]:
    """Rows each tool reports for the rules both have, by frictionless error type.

    aifacts checks keys and references among the rows that pass their own checks:
    a row with a bad cell is reported once, for that cell. frictionless also reports
    a key or a reference on such a row (a blank row's empty key, a malformed id, a
    duplicate of a row that is itself at fault). Those cascades are set aside
    (``cascades``) before the rows are compared.
    """
    ours: dict[str, set[tuple[str, int]]] = {k: set() for k in SHARED}
    row_faults: set[tuple[str, int]] = set()
    for p in aifacts_report["problems"]:
        if p["row"] is None:
            continue
        if p["code"] not in ACROSS_RECORDS:
            row_faults.add((p["file"], p["row"]))
        for kind, codes in SHARED.items():
            if p["code"] in codes:
                ours[kind].add((p["file"], p["row"]))
    theirs: dict[str, set[tuple[str, int]]] = {k: set() for k in SHARED}
    for task in fl_report.get("tasks", []):
        file = Path(task.get("place") or task.get("resource", {}).get("path", "")).name
        for error in task.get("errors", []):
            if error.get("type") in theirs and error.get("rowNumber"):
                theirs[error["type"]].add((file, error["rowNumber"]))
                earlier = re.search(r"row at position (\d+)", error.get("note", ""))
                if earlier and (file, int(earlier.group(1))) in row_faults:
                    row_faults.add((file, error["rowNumber"]))  # its twin is at fault
    out = {}
    for kind in SHARED:
        cascades = theirs[kind] & row_faults if kind in ("primary-key", "foreign-key") else set()
        out[kind] = {
            "aifacts": len(ours[kind]),
            "frictionless": len(theirs[kind] - cascades),
            "cascades": len(cascades),
            "same": ours[kind] == theirs[kind] - cascades,
        }
    return out


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-frictionless-above", type=int, default=None)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--engine", default="columnar")
    parser.add_argument("--work", type=Path, default=Path("/tmp/aifacts-bench"))
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of aifacts per size (the median is shown)"
    )
    parser.add_argument(
        "--json-forms",
        action="store_true",
        help="packages with the JSON forms `aifacts build` writes",
    )
    parser.add_argument(
        "--replicate-bundled",
        action="store_true",
        help="the bundled facts replicated to each size, not synthetic facts",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also compare per-row problems with frictionless on a faulty package",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        _line(
            [
                "facts",
                "aifacts s",
                "aifacts rows/s",
                "aifacts MiB",
                "frictionless s",
                "frictionless rows/s",
                "frictionless MiB",
                "ratio",
                "verdicts",
            ]
        )
    )
    print(_line(["---"] * 9))
    for size in args.sizes:
        descriptor = package(
            args.work,
            size,
            args.fault_rate,
            json_forms=args.json_forms,
            replicated=args.replicate_bundled,
        )
        ours = measure_median(aifacts_command(descriptor, args.engine), args.repeat)
        ours_valid = json.loads(ours.stdout)["valid"]
        cells = [
            f"{size:,}",
            f"{ours.seconds:.2f}",
            f"{size / ours.seconds:,.0f}",
            f"{ours.peak_mib:.0f}",
        ]
        if args.skip_frictionless_above is not None and size > args.skip_frictionless_above:
            cells += ["skipped", "", "", "", f"aifacts {'valid' if ours_valid else 'invalid'}"]
        else:
            theirs = measure(frictionless_command(descriptor))
            their_valid = json.loads(theirs.stdout)["valid"]
            agree = "agree" if ours_valid == their_valid else "DIFFER"
            cells += [
                f"{theirs.seconds:.2f}",
                f"{size / theirs.seconds:,.0f}",
                f"{theirs.peak_mib:.0f}",
                f"{theirs.seconds / ours.seconds:.0f}×",
                f"{agree} ({'valid' if ours_valid else 'invalid'})",
            ]
        print(_line(cells), flush=True)
    if args.compare:
        descriptor = package(args.work, 2000, 0.01, seed=1)
        ours_report = json.loads(
            measure(
                [
                    *aifacts_command(descriptor, args.engine)[:-1],
                    "--max-problems",
                    "100000",
                    str(descriptor),
                ]
            ).stdout
        )
        theirs_report = json.loads(measure(frictionless_command(descriptor)).stdout)
        print("\nper-row problems on a faulty package (2,000 facts, 1% of each fault):")
        for kind, result in shared_rows(ours_report, theirs_report).items():
            print(
                f"  {kind}: aifacts {result['aifacts']} rows, frictionless "
                f"{result['frictionless']} rows (+{result['cascades']} on rows already at "
                f"fault): {'same rows' if result['same'] else 'DIFFER'}"
            )


if __name__ == "__main__":
    main()
