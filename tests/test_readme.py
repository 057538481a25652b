"""The README's snippets run: every Python block, and the DuckDB SQL on the files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(language: str) -> list[tuple[str, str]]:
    out = []
    for match in BLOCK.finditer(README):
        if match[1] == language:
            heading = re.findall(r"^## (.+)$", README[: match.start()], re.MULTILINE)
            out.append((heading[-1] if heading else "top", match[2]))
    return out


PYTHON = _blocks("python")
SQL = _blocks("sql")


def test_readme_has_the_promised_snippets() -> None:
    sections = {h for h, _ in PYTHON}
    assert {"Load the files without our code", "Cite"} <= sections
    assert SQL, "the README has no DuckDB snippet"
    assert "```r\n" in README


@pytest.mark.parametrize(
    ("section", "code"), PYTHON, ids=[f"{h}-{i}" for i, (h, _) in enumerate(PYTHON)]
)
def test_python_snippet_runs(
    section: str, code: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if "frictionless" in code:
        pytest.importorskip("frictionless")
    if "pandas" in code:
        pytest.importorskip("pandas")
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"README.md ({section})", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip(), "the snippet printed nothing"


@pytest.mark.parametrize(("section", "sql"), SQL)
def test_duckdb_snippet_runs(section: str, sql: str) -> None:
    duckdb = pytest.importorskip("duckdb")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        rows = duckdb.sql(sql).fetchall()
    finally:
        os.chdir(cwd)
    # Shanghai's "one billion yuan" programme (AI News, para 13) is among the CNY facts.
    assert ("ainews-0729-05", 1, "billion CNY", "Shanghai") in [
        (r[0], r[1], r[2], r[3]) for r in rows
    ]
