"""Build the documentation site once per test session, for the docs tests to read."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
NEEDED = ("mkdocs", "material", "mkdocstrings", "mkdocs_gen_files", "mkdocs_literate_nav",
          "altair", "vl_convert")  # fmt: skip


@dataclass(frozen=True)
class Build:
    """The outcome of ``mkdocs build --strict``: exit code, its log, the site folder."""

    returncode: int
    log: str
    site: Path

    def page(self, path: str) -> str:
        """The HTML of a built page, by its folder under the site (``sources/x``)."""
        return (self.site / path / "index.html").read_text(encoding="utf-8")


def missing_tools() -> list[str]:
    """The docs packages that are not installed (the ``docs`` or ``test`` extra has them)."""
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


@functools.cache
def build_site() -> Build:
    """Run ``mkdocs build --strict`` into a temporary folder (once per session)."""
    out = Path(tempfile.mkdtemp(prefix="aifacts-site-"))
    atexit.register(shutil.rmtree, out, True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
         "-d", str(out / "site")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return Build(result.returncode, result.stdout + result.stderr, out / "site")


def import_docs_module(name: str) -> object:
    """Import one of the site's generator helpers from ``docs/`` (``_md``, ``_charts``...)."""
    if str(DOCS) not in sys.path:
        sys.path.insert(0, str(DOCS))
    return __import__(name)


# --- the code blocks of the pages, for the tests that run them -------------------------------

#: The pages whose code blocks are run: README.md and every page in docs/.
PAGES = ("README.md", *sorted(f"docs/{p.name}" for p in DOCS.glob("*.md")))
#: Languages a test runs; any other block is output of the block before it, or marked.
RUNNABLE = ("python", "bash", "console", "sql")
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>[^>]*?)\s*-->\s*\Z")


@dataclass(frozen=True)
class Block:
    """A fenced code block of a page.

    ``skip`` is the reason given by a ``<!-- not run: REASON -->`` comment right before
    the block; ``output`` is the text block right after a python or bash block (only
    blank lines between): what it prints, checked line by line (``...`` matches anything).
    """

    page: str
    line: int
    language: str
    code: str
    skip: str | None = None
    output: str | None = None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def _dedent(body: str, indent: str) -> str:
    return "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))


def page_blocks(page: str) -> list[Block]:
    """The blocks of ``page`` (a path relative to the repository), outputs attached."""
    text = (REPO / page).read_text(encoding="utf-8")
    blocks: list[Block] = []
    end = 0
    for match in _FENCE.finditer(text):
        between = text[end : match.start()]
        end = match.end()
        line = text.count("\n", 0, match.start()) + 1
        code = _dedent(match["body"], match["indent"])
        skipped = _NOT_RUN.search(between)
        last = blocks[-1] if blocks else None
        if (
            match["lang"] == "text"
            and not between.strip()
            and last is not None
            and last.language in ("python", "bash")
            and last.skip is None
            and last.output is None
        ):
            blocks[-1] = Block(last.page, last.line, last.language, last.code, None, code)
            continue
        blocks.append(
            Block(page, line, match["lang"], code, skipped["reason"] if skipped else None)
        )
    return blocks


def output_matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is what a page shows, line by line, ``...`` matching any text
    (within a line, or whole lines when it stands alone); trailing spaces ignored."""

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip("\n").splitlines()]

    pattern = "\n".join(
        r"(?:.*\n)*?.*" if line.strip() == "..." else ".*".join(map(re.escape, line.split("...")))
        for line in lines(expected)
    )
    return re.fullmatch(pattern, "\n".join(lines(actual))) is not None
