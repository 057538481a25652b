"""One registry lists the rules across records, and both engines run exactly it.

Every code a registry rule declares is reported, alike, by both engines on some
generated package; both engines run the rules in the registry's order; and a rule
added to the registry is enforced alike by both, with or without a pre-filter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.problems import Code
from aifacts.contract.records import Fact
from aifacts.validation import rules
from aifacts.validation.engine import validate
from aifacts.validation.rules.base import Rule, Subsets, Tables
from benchmarks.generate import FAULTS, generate
from tests.packages import read_rows, write_rows
from tests.test_columnar_agreement import MUTATIONS

#: How to make a package that breaks each rule, for the codes no planted fact fault
#: of the same name gives (:data:`benchmarks.generate.FAULTS`).
_BY_MUTATION = {
    Code.REFERENCE_KIND: "country-kind",
    Code.SELF_REFERENCE: "parent-cycle",
    Code.PUBLISHED_BASIS: "basis-without-date",
    Code.DOCUMENT_HELD: "held-without-hash",
}


def _package(folder: Path, code: Code) -> Path:
    if code in _BY_MUTATION:
        generate(folder, 600, seed=5)  # enough entities to link
        MUTATIONS[_BY_MUTATION[code]](folder)
    else:
        generate(folder, 60, seed=5, faults={code.value: 0.1})
    return folder


def _declared() -> list[tuple[str, Code]]:
    return [(rule.name, code) for rule in rules.REGISTRY for code in rule.codes]


@pytest.mark.parametrize(("rule", "code"), _declared())
def test_every_declared_code_is_reported_alike_by_both_engines(
    tmp_path: Path, rule: str, code: Code
) -> None:
    assert code.value in FAULTS or code in _BY_MUTATION, f"no package breaks {rule} ({code})"
    folder = _package(tmp_path / "pkg", code)
    by_rows = validate(folder, engine="rows", max_per_code=None)
    by_columns = validate(folder, engine="columnar", max_per_code=None)
    found = [p for p in by_rows.problems if p.code is code]
    assert found, (rule, code, by_rows.lines()[:5])
    assert not by_rows.valid and not by_columns.valid
    assert by_columns.problems == by_rows.problems
    if code is Code.SELF_REFERENCE:  # the cycles rule's, not a row naming itself
        assert any("forms a cycle" in p.message for p in found)


def _recording(seen: list[str]) -> tuple[Rule, ...]:
    def wrap(rule: Rule) -> Rule:
        def check(tables: Tables) -> None:
            if not seen or seen[-1] != rule.name:  # the columnar engine may go in chunks
                seen.append(rule.name)
            rule.check(tables)

        return dataclasses.replace(rule, check=check)

    return tuple(wrap(rule) for rule in rules.REGISTRY)


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_both_engines_run_the_registry_in_its_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    generate(tmp_path / "pkg", 50, seed=2, fault_rate=0.05)
    order = [rule.name for rule in rules.REGISTRY]
    assert len(set(order)) == len(order) == 10
    seen: list[str] = []
    monkeypatch.setattr(rules, "REGISTRY", _recording(seen))
    report = validate(tmp_path / "pkg", engine=engine)
    assert not report.valid
    assert seen == order


def _no_thirteen(tables: Tables) -> None:
    """A toy rule: no fact's value is 13."""
    facts = tables["facts"]
    for row, fact in facts.rows:
        assert isinstance(fact, Fact)
        if fact.value == Decimal(13):
            facts.problem(row, "value", Code.OUT_OF_RANGE, f"{fact.value} is unlucky")


def _thirteens(kept: Any) -> Subsets:
    """Every fact whose value may be 13, however written ("13", "13.0")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    facts = kept["facts"].table
    return {"facts": facts.filter(pc.equal(pc.cast(facts["value"], pa.float64()), 13))}


_TOYS: dict[str, Callable[[], Rule]] = {
    "every row": lambda: Rule("toy", (Code.OUT_OF_RANGE,), {"facts": ("value",)}, _no_thirteen),
    "pre-filtered, one of each": lambda: Rule(
        "toy",
        (Code.OUT_OF_RANGE,),
        {"facts": ("value",)},
        _no_thirteen,
        suspects=_thirteens,
        each=("facts",),
    ),
}


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    facts=st.integers(1, 80),
    seed=st.integers(0, 2**16),
    toy=st.sampled_from(sorted(_TOYS)),
    thirteens=st.sets(st.integers(0, 79), max_size=6),
)
def test_a_new_rule_is_one_registry_line_and_agrees_in_both_engines(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    facts: int,
    seed: int,
    toy: str,
    thirteens: set[int],
) -> None:
    folder = tmp_path_factory.mktemp("pkg")
    generate(folder, facts, seed=seed)
    header, *rows = read_rows(folder, "facts")
    unlucky_rows = sorted(at for at in thirteens if at < len(rows))
    for at in unlucky_rows:  # an exact 13: a fact that passes its own checks
        for name, text in (("value", "13"), ("qualifier", "exact"), ("value_high", "")):
            rows[at][header.index(name)] = text
    write_rows(folder, "facts", [header, *rows])
    with monkeypatch.context() as patch:
        patch.setattr(rules, "REGISTRY", (*rules.REGISTRY, _TOYS[toy]()))
        by_rows = validate(folder, engine="rows", max_per_code=None)
        by_columns = validate(folder, engine="columnar", max_per_code=None)
    unlucky = [p.row for p in by_rows.problems if p.message.endswith(" is unlucky")]
    expected = [at + 2 for at, row in enumerate(rows) if Decimal(row[header.index("value")]) == 13]
    assert set(unlucky_rows) <= {at - 2 for at in expected}  # row 2: the first after the header
    assert unlucky == expected
    assert by_columns.problems == by_rows.problems
