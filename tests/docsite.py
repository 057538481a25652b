"""Build the documentation site once per test session, for the docs tests to read."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
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
