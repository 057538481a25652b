"""Claims, canonical values and source bases: what the rules accept and find, alike in
both engines, and exact canonical values that survive CSV and JSON."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts.contract.canonical import canonical_values
from aifacts.contract.problems import Code
from aifacts.contract.schema import resource
from aifacts.io.reading import parse_cell, read_json
from aifacts.io.writing import cell_text, write_json
from aifacts.release.build import build
from aifacts.validation.engine import validate
from benchmarks.generate import generate
from tests.packages import read_rows, write_rows

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

#: (unit, metric unit, power of ten one unit is of the canonical one, canonical unit)
SCALED = [
    ("billion USD", "USD", 9, "USD"),
    ("million yuan", "USD", 6, "CNY"),
    ("trillion CNY", "USD", 12, "CNY"),
    ("MW", "GW", -3, "GW"),
    ("%", "percent", 0, "percent"),
    ("percent", "dimensionless", -2, "dimensionless"),
]
decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False)


@given(value=decimals, scaled=st.sampled_from(SCALED))
def test_a_canonical_value_is_the_value_with_its_point_moved_exactly(
    value: Decimal, scaled: tuple[str, str, int, str]
) -> None:
    unit, metric_unit, power, canonical = scaled
    low, high, unit_out = canonical_values(value, None, unit, metric_unit)
    assert unit_out == canonical and high is None
    assert low == value.scaleb(power)  # exact: Decimal equality, no float anywhere
    spec = resource("facts").get("value_canonical")
    assert parse_cell(spec, cell_text(low)) == (low, None)  # the CSV cell reads back


def test_canonical_values_worked_out_by_hand() -> None:
    assert canonical_values(Decimal("6.513"), None, "billion USD", "USD")[0] == 6513000000
    assert canonical_values(Decimal("1"), None, "billion CNY", "USD") == (
        Decimal(1000000000),
        None,
        "CNY",
    )
    assert canonical_values(Decimal("18"), None, "month", "year")[:2] == (Decimal("1.5"), None)
    # 5 months is 0.41666… years: no exact decimal, so nothing is written
    assert canonical_values(Decimal("5"), None, "month", "year") == (None, None, None)
    assert canonical_values(Decimal("1"), None, "GW", "USD") == (None, None, None)


@settings(max_examples=25, deadline=None)
@given(value=decimals, high=decimals, scaled=st.sampled_from(SCALED))
def test_canonical_values_round_trip_through_the_json_form(
    value: Decimal, high: Decimal, scaled: tuple[str, str, int, str]
) -> None:
    from aifacts.contract.records import Fact

    unit, metric_unit = scaled[:2]
    low, top = sorted((value, high))
    if low == top:
        top = low + 1
    derived = canonical_values(low, top, unit, metric_unit)
    fact = Fact(
        fact_id="f", entity_id="cn", metric_id="m", value=low, value_high=top, unit=unit,
        qualifier="range", status="plan", source_id="s", locator="[1]", quote="x",
        value_canonical=derived[0], value_high_canonical=derived[1], unit_canonical=derived[2],
    )  # fmt: skip
    table = read_json(resource("facts"), "facts.json", write_json(resource("facts"), [fact]))
    assert table.problems == []
    [(_, back)] = table.rows
    assert back == fact


def _package(tmp: str, facts: int, seed: int) -> Path:
    folder = Path(tmp) / "pkg"
    generate(folder, facts, seed=seed)
    return folder


def _both(folder: Path) -> list[tuple[int | None, str | None, Code]]:
    rows = validate(folder, engine="rows", max_per_code=None)
    columnar = validate(folder, engine="columnar", max_per_code=None)
    assert columnar.problems == rows.problems
    return [(p.row, p.field, p.code) for p in rows.problems]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), size=st.integers(2, 5), data=st.data())
def test_facts_restating_one_claim_pass_and_a_disagreeing_one_is_found_by_both(
    seed: int, size: int, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _package(tmp, 40, seed)
        rows = read_rows(folder, "facts")
        head = rows[0]
        anchor = rows[1]
        anchor[head.index("qualifier")] = "exact"  # a point, so a far amount cannot overlap
        anchor[head.index("value_high")] = ""
        # copies of the first fact under new ids: a claim restated `size` times
        for i in range(size - 1):
            copy = list(anchor)
            copy[head.index("fact_id")] = f"restated-{i}"
            copy[head.index("claim_id")] = anchor[head.index("fact_id")]
            copy[head.index("part_of")] = ""
            rows.append(copy)
        write_rows(folder, "facts", rows)
        build(folder)
        assert _both(folder) == []

        field = data.draw(st.sampled_from(["status", "period_end", "entity_id", "value"]))
        last = rows[-1]
        status = "plan" if anchor[head.index("status")] != "plan" else "actual"
        if field == "status":
            last[head.index("status")] = status
        elif field == "period_end":
            last[head.index("period_end")] = "2031-12-31"
            last[head.index("period_start")] = last[head.index("period_start")] or "2031-01-01"
        elif field == "entity_id":
            last[head.index("entity_id")] = (
                "us" if anchor[head.index("entity_id")] != "us" else "cn"
            )
        else:  # an amount a thousand times the others: no interval overlaps
            last[head.index("qualifier")] = "exact"
            last[head.index("value_high")] = ""
            value = Decimal(anchor[head.index("value")]) * 1000 + 7000
            last[head.index("value")] = cell_text(value)
            last[head.index("quote")] = f"it reached {cell_text(value)}"
        write_rows(folder, "facts", rows)
        build(folder)
        found = [(row, f) for row, f, code in _both(folder) if code is Code.CLAIM_DISAGREES]
        assert (len(rows), field) in found


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), index=st.integers(1, 30), shift=st.integers(-3, 3))
def test_a_wrong_canonical_value_is_found_by_both_engines(
    seed: int, index: int, shift: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _package(tmp, 30, seed)
        assert _both(folder) == []
        rows = read_rows(folder, "facts")
        column = rows[0].index("value_canonical")
        held = Decimal(rows[index][column])
        wrong = held.scaleb(shift) if shift and held else held + 1
        rows[index][column] = cell_text(wrong)
        write_rows(folder, "facts", rows)
        problems = _both(folder)
        assert problems == [(index + 1, "value_canonical", Code.CANONICAL_MISMATCH)]
        message = validate(folder).problems[0].message
        assert cell_text(wrong) in message and cell_text(held) in message


def test_a_source_basis_that_contradicts_its_date_is_found(tmp_path: Path) -> None:
    folder = _package(str(tmp_path), 5, 1)
    rows = read_rows(folder, "sources")
    rows[1][rows[0].index("published_basis")] = "none"  # but it has a date
    rows[1][rows[0].index("document_held")] = "true"  # but no hash
    write_rows(folder, "sources", rows)
    assert sorted(_both(folder)) == [
        (2, "document_held", Code.DOCUMENT_HELD),
        (2, "published_basis", Code.PUBLISHED_BASIS),
    ]


def test_the_bundled_claims_agree_and_name_their_facts() -> None:
    import aifacts

    ds = aifacts.load()
    by_claim: dict[str, list[str]] = {}
    for fact in ds.facts:
        by_claim.setdefault(fact.claim_id, []).append(fact.fact_id)
    # the Shanghai budget: a heading, a sentence in two currencies, the summary's two lines
    assert sorted(by_claim["ainews-0729-05"]) == [
        "ainews-0729-01", "ainews-0729-02", "ainews-0729-04", "ainews-0729-05",
        "ainews-0729-06", "ainews-summary-01", "ainews-summary-02",
    ]  # fmt: skip
    assert by_claim["deepwater-09"] == ["deepwater-09", "lesson-02"]


def test_a_doubt_is_shown_by_show_and_marked_by_facts(tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from aifacts.cli.main import app
    from aifacts.io.package import bundled_path
    from tests.packages import edit_cell

    folder = tmp_path / "pkg"
    shutil.copytree(bundled_path().parent, folder)
    why = "Contradicted by deepwater-13 (280 EFLOPS of all computing power)."
    edit_cell(folder, "facts", "deepwater-07", "doubt", why)
    build(folder)
    assert _both(folder) == []
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "deepwater-07", "--package", str(folder)])
    assert shown.exit_code == 0 and f"  doubt:     {why}" in shown.output
    listed = runner.invoke(
        app, ["facts", "-m", "ai-compute-capacity", "--format", "table", "--package", str(folder)]
    )
    assert listed.exit_code == 0
    lines = {line.split()[0]: line for line in listed.output.splitlines() if line.strip()}
    assert "(doubtful)" in lines["deepwater-07"] and "(doubtful)" not in lines["deepwater-06"]
    assert "90 EFLOPS" in lines["deepwater-07"]  # the number itself is not changed


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    groups=st.lists(
        st.tuples(
            st.integers(2, 4),  # facts in the claim
            st.sampled_from([None, "status", "value"]),  # what its last fact gets wrong
            st.booleans(),  # whether a correction supersedes that last fact
        ),
        min_size=2,
        max_size=6,
    ),
    misnamed=st.booleans(),
)
def test_claims_alike_in_all_but_ids_get_the_row_engines_verdicts(
    seed: int, groups: list[tuple[int, str | None, bool]], misnamed: bool
) -> None:
    """The columnar engine checks one claim of each kind (the same cells in the same
    order, ids aside) and hands over the claims of a kind that disagrees: every claim,
    corrected or not, misnamed or not, gets the problems the row engine gives it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _package(tmp, 30, seed)
        rows = read_rows(folder, "facts")
        head = rows[0]
        at = {name: head.index(name) for name in head}
        anchor = list(rows[1])
        anchor[at["qualifier"]], anchor[at["value_high"]] = "exact", ""
        anchor[at["part_of"]] = anchor[at["supersedes"]] = ""
        value = Decimal(anchor[at["value"]]) * 1000 + 7000
        status = "plan" if anchor[at["status"]] != "plan" else "actual"
        wrong_rows = []
        for g, (size, wrong, corrected) in enumerate(groups):
            ids = [f"claim{g}-{i}" for i in range(size)]
            for fact_id in ids:
                copy = list(anchor)
                copy[at["fact_id"]], copy[at["claim_id"]] = fact_id, ids[0]
                rows.append(copy)
            if wrong == "status":
                rows[-1][at["status"]] = status
            elif wrong == "value":
                rows[-1][at["value"]] = cell_text(value)
                rows[-1][at["quote"]] = f"it reached {cell_text(value)}"
            if wrong and corrected:
                fix = list(anchor)
                fix[at["fact_id"]] = fix[at["claim_id"]] = f"fix{g}"
                fix[at["supersedes"]] = ids[-1]
                rows.append(fix)
            elif wrong:
                wrong_rows.append(len(rows))
        if misnamed:  # names the second claim's last fact, whose own claim is another
            rows[-1][at["claim_id"]] = f"claim1-{groups[1][0] - 1}"
        write_rows(folder, "facts", rows)
        build(folder)
        found = {row for row, _, code in _both(folder) if code is Code.CLAIM_DISAGREES}
        assert set(wrong_rows) - {len(rows)} <= found
