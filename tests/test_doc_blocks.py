"""Every code block of README.md and of every page in docs/ runs as written.

Each page runs in a fresh folder holding a copy of ``datapackage/`` (so commands that
write, such as ``aifacts build datapackage``, leave the repository alone), its blocks
in order, its Python blocks in one namespace as a reader's session would. Where a page
shows output, the output must match: the lines after a ``$ command`` of a console
block, or the ``text`` block right after a python or bash block. A block that cannot
run here (it installs packages, needs R, or names a placeholder path) says so in the
page with ``<!-- not run: REASON -->`` right before it; nothing is skipped silently.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docsite import PAGES, REPO, RUNNABLE, Block, output_matches, page_blocks


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "datapackage", tmp_path / "datapackage")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _shell_env() -> dict[str, str]:
    """The test environment's commands (aifacts, frictionless) first on PATH; Python's
    output unbuffered so that stdout and stderr interleave as on a terminal."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}


def _shell(command: str, cwd: Path) -> tuple[int, str]:
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", command],
        cwd=cwd, env=_shell_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    return result.returncode, result.stdout


def _check_output(block: Block, shown: str, printed: str, what: str = "") -> None:
    assert output_matches(shown, printed), (
        f"{block.where}: {what or 'the block'} printed\n{printed}\nbut the page shows\n{shown}"
    )


def _console(block: Block, cwd: Path) -> None:
    """``$ command`` lines run one by one; the lines below one are its output."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"{block.where}: a console block starts with a '$ ' command"
            steps[-1][1].append(line)
    for command, shown in steps:
        code, printed = _shell(command, cwd)
        if shown:
            _check_output(block, "\n".join(shown), printed, f"`{command}`")
        else:  # no output shown: the command must succeed
            assert code == 0, f"{block.where}: `{command}` exited {code}:\n{printed}"


def _python(block: Block, namespace: dict[str, object]) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.code, block.where, "exec"), namespace)
    if block.output is not None:
        _check_output(block, block.output, printed.getvalue())


def _sql(block: Block) -> None:
    duckdb = pytest.importorskip("duckdb", reason=f"{block.where} needs duckdb")
    assert duckdb.sql(block.code).fetchall(), f"{block.where}: the query returned no row"


def _run(block: Block, cwd: Path, namespace: dict[str, object]) -> None:
    if block.language == "python":
        _python(block, namespace)
    elif block.language == "bash":
        code, printed = _shell(block.code, cwd)
        assert code == 0, f"{block.where}: exited {code}:\n{printed}"
        if block.output is not None:
            _check_output(block, block.output, printed)
    elif block.language == "console":
        _console(block, cwd)
    else:
        _sql(block)


@pytest.mark.parametrize("page", PAGES)
def test_every_block_runs_or_says_why_not(page: str, sandbox: Path) -> None:
    blocks = page_blocks(page)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks:
        if block.skip is not None:
            assert block.skip.strip(), f"{block.where}: say why the block is not run"
            continue
        assert block.language in RUNNABLE, (
            f"{block.where}: a {block.language or 'plain'} block is neither run nor the output "
            "of the block before it; mark it <!-- not run: REASON --> if it cannot run"
        )
        _run(block, sandbox, namespace)


def test_every_page_is_covered() -> None:
    on_disk = {f"docs/{p.name}" for p in (REPO / "docs").glob("*.md")}
    assert on_disk | {"README.md"} == set(PAGES)
    assert sum(len(page_blocks(p)) for p in PAGES) > 50


def test_output_matching_is_exact_but_for_ellipses() -> None:
    assert output_matches("a 1\nb ...", "a 1\nb anything here\n")
    assert output_matches("first\n...\nlast", "first\n2\n3\nlast")
    assert not output_matches("a 1", "a 2")
    assert not output_matches("a 1", "a 1\nextra line")
    assert not output_matches("1000000000 CNY", "1E+9 CNY")
