"""Reports stay bounded: the first N problems of each kind, and a count of the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.contract.problems import Code, Problem
from aifacts.errors import ValidationError
from aifacts.validation.engine import validate
from aifacts.validation.report import Collector, order_key
from benchmarks.generate import generate
from tests.packages import edit_rows


def _problem(row: int, code: Code = Code.REQUIRED, field: str = "quote") -> Problem:
    return Problem("facts", "facts.csv", row, field, code, f"row {row} is wrong")


@settings(max_examples=50)
@given(
    rows=st.lists(st.integers(2, 10_000), max_size=300),
    limit=st.integers(0, 20),
    codes=st.lists(st.sampled_from([Code.REQUIRED, Code.ENUM, Code.PATTERN]), min_size=1),
)
def test_the_collector_keeps_the_first_n_of_each_code_and_counts_the_rest(
    rows: list[int], limit: int, codes: list[Code]
) -> None:
    problems = [_problem(row, codes[i % len(codes)]) for i, row in enumerate(rows)]
    collector = Collector(limit)
    for p in problems:
        collector.add(p)
    kept, omitted = collector.result()
    for code in set(codes):
        mine = sorted((p for p in problems if p.code is code), key=order_key)
        assert [p for p in kept if p.code is code] == mine[:limit]
        assert omitted.get(code.value, 0) == max(len(mine) - limit, 0)
    assert kept == sorted(kept, key=order_key)


def test_without_a_limit_every_problem_is_kept() -> None:
    collector = Collector(None)
    for row in range(2, 500):
        collector.add(_problem(row))
    kept, omitted = collector.result()
    assert len(kept) == 498
    assert omitted == {}


def test_wants_refuses_only_problems_past_the_kept_ones() -> None:
    collector = Collector(2)
    for row in range(100, 200):
        collector.add(_problem(row))
    collector.result()
    assert collector.wants(Code.REQUIRED, "facts", "facts.csv", 5)
    assert not collector.wants(Code.REQUIRED, "facts", "facts.csv", 150)
    assert collector.wants(Code.ENUM, "facts", "facts.csv", 150)  # another code: room left


@pytest.fixture
def many_blank_rows(package_copy: Path) -> Path:
    """The bundled release with 1,000 blank rows appended to facts.csv."""

    def add(rows: list[list[str]]) -> None:
        rows.extend([[""] * len(rows[0]) for _ in range(1000)])

    edit_rows(package_copy, "facts", add)
    return package_copy


def test_a_thousand_bad_rows_report_the_first_hundred_and_count_the_rest(
    many_blank_rows: Path,
) -> None:
    report = validate(many_blank_rows, engine="rows")
    blank = [p for p in report.problems if p.code is Code.BLANK_ROW]
    assert len(blank) == 100
    first = blank[0].row
    assert first is not None
    assert [p.row for p in blank] == list(range(first, first + 100))
    assert report.omitted == {"blank-row": 900}
    assert not report.valid
    assert report.stats["problems"] == 1000
    assert report.stats["by_code"] == {"blank-row": 1000}
    assert report.lines()[-1] == "... and 900 more blank-row problems"
    assert report.to_dict()["omitted"] == {"blank-row": 900}


def test_load_raises_with_the_count_of_omitted_problems(many_blank_rows: Path) -> None:
    import aifacts

    with pytest.raises(ValidationError) as caught:
        aifacts.load(many_blank_rows)
    assert len(caught.value.problems) == 100
    assert caught.value.omitted == 900
    assert "... and 900 more" in str(caught.value)


def test_the_cli_prints_the_count_of_omitted_problems(run_cli, many_blank_rows: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("validate", "--max-problems", "3", str(many_blank_rows))
    assert code == 1
    lines = out.splitlines()
    assert sum(": the row is blank" in line for line in lines) == 3
    assert "... and 997 more blank-row problems" in lines
    assert "invalid: 1000 problems" in err


def test_the_cli_engines_agree_and_bad_engine_is_a_usage_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pyarrow")
    generate(tmp_path / "pkg", 50, seed=2, faults={"enum": 0.2})
    outs = [
        run_cli("validate", "--engine", e, str(tmp_path / "pkg"))[:2] for e in ("rows", "columnar")
    ]
    assert outs[0] == outs[1]
    assert outs[0][0] == 1
    code, _, _ = run_cli("validate", "--engine", "fastest", str(tmp_path / "pkg"))
    assert code == 2


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine must be"):
        validate(engine="fastest")


@pytest.mark.parametrize("output", ["text", "json"])
def test_the_console_script_ends_with_every_line_written(
    many_blank_rows: Path, output: str
) -> None:
    """``aifacts validate`` ends its process without the interpreter's teardown; its
    whole output still reaches a pipe, and its exit code is the verdict's."""
    import json
    import subprocess
    import sys

    command = [sys.executable, "-m", "aifacts", "validate", str(many_blank_rows)]
    done = subprocess.run(
        [*command, "--max-problems", "5000", "--format", output],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    if output == "json":
        report = json.loads(done.stdout)
        assert len(report["problems"]) == 1000
    else:
        assert sum(": the row is blank" in line for line in done.stdout.splitlines()) == 1000
        assert done.stderr.startswith("invalid: 1000 problems in ")
    valid = subprocess.run(command[:-1], capture_output=True, text=True, check=False)
    assert valid.returncode == 0
    assert valid.stderr.startswith("valid: ")  # on stderr: stdout is not a terminal
