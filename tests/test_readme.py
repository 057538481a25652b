"""The README: the snippets it promises, its DuckDB SQL on the files, its quick start as CI's.

Every block of the README runs in tests/test_doc_blocks.py, as every page's does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
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


# --- the quick start is what CI runs, word for word -----------------------------------------

QUICK_START = ["pip install . && aifacts validate", 'pip install -e ".[test]" && python -m pytest']


def _quick_start(readme: str) -> list[str]:
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"^```bash\n(.*?)^```", section, re.M | re.S)]


def test_the_quick_start_is_install_validate_then_install_test() -> None:
    assert _quick_start(README) == QUICK_START


def test_ci_runs_the_readme_quick_start_commands() -> None:
    shown = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--dry-run"],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.splitlines() == _quick_start(README) == QUICK_START


def _ci_copy(tmp_path: Path, quick_start: str) -> Path:
    """.ci/run beside a README whose "Quick start" is ``quick_start``."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    (tmp_path / "README.md").write_text(
        f"# x\n\n## Quick start\n\n{quick_start}\n## Next\n\n```bash\nexit 3\n```\n",
        encoding="utf-8",
    )
    return tmp_path / ".ci" / "run"


def _tools_but_apt(tmp_path: Path) -> str:
    """A PATH holding what .ci/run needs but no apt-get: the test installs nothing."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("bash", "dirname", "mktemp", "id", "cat", "rm"):
        found = shutil.which(name)
        assert found, name
        (tools / name).symlink_to(found)
    return str(tools)


@pytest.mark.parametrize("count", [1, 3])
def test_ci_fails_loudly_unless_the_quick_start_has_two_commands(
    tmp_path: Path, count: int
) -> None:
    run = _ci_copy(tmp_path, "\n".join(["```bash\necho hi\n```\n"] * count))
    result = subprocess.run(
        ["bash", str(run), "--dry-run"], env={**os.environ, "PYTHON": sys.executable},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and result.stdout == ""
    assert 'expected exactly two one-line ```bash blocks under "## Quick start"' in result.stderr
    assert f"found {count}" in result.stderr


@pytest.mark.parametrize(
    ("second", "code"), [("python -c 'import sys; print(sys.prefix)'", 0), ("false", 1)]
)
def test_ci_runs_each_command_in_a_fresh_venv_and_fails_when_one_fails(
    tmp_path: Path, second: str, code: int
) -> None:
    run = _ci_copy(tmp_path, f"```bash\necho first && echo ok\n```\n\n```bash\n{second}\n```\n")
    env = {"PATH": _tools_but_apt(tmp_path), "PYTHON": sys.executable, "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(run)], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == code, result.stderr
    assert result.stdout.startswith("first\nok\n")
    if code == 0:  # python is the fresh venv's, made under TMPDIR
        prefix = result.stdout.splitlines()[2]
        assert Path(prefix).parent == tmp_path and Path(prefix).name.startswith("aifacts-ci-venv")
    else:
        assert ".ci/run: the README's quick-start command failed: false" in result.stderr


# --- the default install is the fast one -----------------------------------------------------


def test_a_plain_install_brings_the_columnar_engine() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {re.split(r"[<>=\[ ]", d, maxsplit=1)[0] for d in meta["dependencies"]}
    assert {"pyarrow", "numpy"} <= required
    assert "fast" in meta["optional-dependencies"]  # `aifacts[fast]` still installs


def test_validating_the_bundled_release_imports_no_pyarrow() -> None:
    """`aifacts validate` of the few dozen bundled facts uses the row engine: pyarrow,
    now always installed, is imported only for a package big enough to need it."""
    code = """
import sys
from aifacts.cli import main as cli
sys.argv = ["aifacts", "validate"]
try:
    cli.main()
except SystemExit as exit:
    print("pyarrow imported:", "pyarrow" in sys.modules, "exit:", exit.code or 0)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "valid:" in result.stderr
    assert result.stdout.strip() == "pyarrow imported: False exit: 0", result.stderr
