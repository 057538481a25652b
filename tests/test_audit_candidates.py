"""`aifacts audit --candidates`: the CSV is written whole, and no cell runs in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aifacts.release.export import FORMULA_START, neutralise, restore

Run = Callable[..., tuple[int, str, str]]
SENTENCE = "Acme pledged over $3 billion in 2026."


def _document(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "new.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("sign", ["＝", "＋", "－", "＠", "﹦", "'"])
def test_a_quote_a_spreadsheet_would_run_is_neutralised(
    sign: str, tmp_path: Path, run_cli: Run
) -> None:
    target = tmp_path / "candidates.csv"
    run_cli(
        "audit", str(_document(tmp_path, f"{sign}SUM(A1) {SENTENCE}")), "--candidates", str(target)
    )
    (row,) = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert row["quote"] == f"'{sign}SUM(A1) Acme pledged over $3 billion in 2026"
    assert restore(row["quote"]) == f"{sign}SUM(A1) Acme pledged over $3 billion in 2026"
    assert row["value"] == "3"  # numbers are never prefixed


@pytest.mark.parametrize("sign", ["@", "=", "+", "- "])
def test_a_sign_left_off_a_quote_is_said_in_its_note(
    sign: str, tmp_path: Path, run_cli: Run
) -> None:
    # A cell may not begin with = + - @, so the quote starts after the sign: never silently.
    target = tmp_path / "candidates.csv"
    run_cli("audit", str(_document(tmp_path, f"{sign}{SENTENCE}")), "--candidates", str(target))
    (row,) = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert row["quote"] == "Acme pledged over $3 billion in 2026"
    assert f"starts with {sign.strip()!r}" in row["note"]
    assert "the quote starts after it" in row["note"]


def test_a_whole_sentence_quote_has_no_note(tmp_path: Path, run_cli: Run) -> None:
    target = tmp_path / "candidates.csv"
    run_cli("audit", str(_document(tmp_path, SENTENCE)), "--candidates", str(target))
    (row,) = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert row["quote"] == "Acme pledged over $3 billion in 2026" and row["note"] == ""


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/dev/full", "/dev/full: exists and is a character device, not a regular file"),
        ("missing/c.csv", "missing/c.csv: the folder {tmp}/missing does not exist"),
    ],
)
def test_a_target_it_cannot_write_is_named_without_a_traceback(
    target: str, message: str, tmp_path: Path, run_cli: Run
) -> None:
    path = target if target.startswith("/") else str(tmp_path / target)
    code, out, err = run_cli("audit", str(_document(tmp_path, SENTENCE)), "--candidates", path)
    assert code == 1
    assert "cannot write the candidates: " in err
    assert message.format(tmp=tmp_path) in err
    assert "$3 billion" in out  # the report itself is still printed
    assert Path("/dev/full").is_char_device()


def test_an_existing_candidates_file_is_replaced_whole(tmp_path: Path, run_cli: Run) -> None:
    target = tmp_path / "candidates.csv"
    target.write_text("old\n" * 10_000, encoding="utf-8")
    run_cli("audit", str(_document(tmp_path, SENTENCE)), "--candidates", str(target))
    assert target.read_text(encoding="utf-8").startswith("fact_id,entity_id,metric_id,value")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidates.csv", "docs"]


@given(st.sampled_from(FORMULA_START), st.text(max_size=10))
def test_every_formula_start_is_neutralised_and_restored(sign: str, rest: str) -> None:
    safe, changed = neutralise(sign + rest)
    assert changed and safe == "'" + sign + rest
    assert restore(safe) == sign + rest


@given(st.text(alphabet=st.sampled_from(["'", *FORMULA_START, "a", "中", " "]), max_size=8))
def test_neutralise_drops_no_character(text: str) -> None:
    safe, _ = neutralise(text)
    assert safe.endswith(text) and restore(safe) == text
    assert not safe.startswith(FORMULA_START)
