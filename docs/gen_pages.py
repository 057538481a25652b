"""Generate the site's data pages at build time (run by the ``gen-files`` plugin).

Writes, from the bundled release and the library itself, never by hand:

- ``reference/data-dictionary.md`` from the package descriptor and the unit registry;
- ``validation.md``: every problem code with an example made on a copy of the data;
- ``sources/``, ``entities/``, ``metrics/``, ``facts/``: the fact browser;
- ``charts/``: the US–China charts, as SVG drawn offline, each citing its facts;
- ``reference/cli.md`` from each command's ``--help``;
- ``reference/api/*.md``: one mkdocstrings page per public module;
- ``SUMMARY.md``: the navigation, listing only pages that exist at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs_gen_files

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))

import _architecture  # noqa: E402
import _browser  # noqa: E402
import _charts  # noqa: E402
import _cli  # noqa: E402
import _dictionary  # noqa: E402
import _disagreements  # noqa: E402
import _release  # noqa: E402
import _rules  # noqa: E402

import aifacts  # noqa: E402
from aifacts.io.package import bundled_path  # noqa: E402

#: Pages other contributors write by hand, in the order the navigation shows them.
GUIDES = ("tutorial.md", "citing.md")
CHECKS_AFTER = ("audit.md",)
MORE = ("performance.md",)
#: Modules whose API is the command line, documented on the CLI page instead.
NOT_API = ("cli", "commands")


def _write(path: str, content: str) -> None:
    with mkdocs_gen_files.open(path, "w", encoding="utf-8") as out:
        out.write(content if content.endswith("\n") else content + "\n")
    if path.endswith(".md"):
        mkdocs_gen_files.set_edit_path(path, "gen_pages.py")


def _api_modules() -> list[str]:
    """``aifacts`` and every public module under it, as dotted names, in file order."""
    package = Path(aifacts.__file__).parent
    names = ["aifacts"]
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or parts[0] in NOT_API or any(p.startswith("_") for p in parts):
            continue
        names.append(".".join(("aifacts", *parts)))
    return names


def _api_pages() -> list[tuple[str, str]]:
    pages = []
    for name in _api_modules():
        path = f"reference/api/{name}.md"
        options = "\n    options:\n      show_submodules: false" if name == "aifacts" else ""
        _write(path, f"# `{name}`\n\n::: {name}{options}\n")
        pages.append((name, path))
    return pages


def _existing(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if (DOCS / n).is_file()]


def _title(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem.replace("-", " ").capitalize()


def _nav(api: list[tuple[str, str]], charts: list[tuple[str, str]]) -> str:
    def item(indent: int, title: str, path: str) -> str:
        return f"{'    ' * indent}* [{title}]({path})"

    lines = [item(0, "Home", "index.md"), item(0, "Getting started", "getting-started.md")]
    lines += [item(0, _title(DOCS / p), p) for p in _existing(GUIDES)]
    lines += [
        "* Data",
        item(1, "Data dictionary", "reference/data-dictionary.md"),
        item(1, "Sources", "sources/index.md"),
        item(1, "Entities", "entities/index.md"),
        item(1, "Metrics", "metrics/index.md"),
        item(1, "All facts", "facts/index.md"),
        "* Charts",
        item(1, "About the charts", "charts/index.md"),
        *(item(1, title, path) for title, path in charts),
        "* How the numbers are checked",
        item(1, "Validation rules", "validation.md"),
        item(1, "Where the sources disagree", "disagreements.md"),
    ]
    checks = sorted((DOCS / "checks").glob("*.md")) if (DOCS / "checks").is_dir() else []
    index = [p for p in checks if p.name == "index.md"]
    for page in index + [p for p in checks if p.name != "index.md"]:
        lines.append(item(1, _title(page), f"checks/{page.name}"))
    lines += [item(1, _title(DOCS / p), p) for p in _existing(CHECKS_AFTER)]
    lines += [
        "* Reference",
        item(1, "Command line", "reference/cli.md"),
        "    * Python API",
        *(item(2, name, path) for name, path in api),
    ]
    listed = {"index.md", "getting-started.md", "contributing.md", "changelog.md"}
    listed |= set(GUIDES) | set(CHECKS_AFTER)
    extra = _existing(MORE) + sorted(
        p.name for p in DOCS.glob("*.md") if p.name not in listed and p.name not in MORE
    )
    lines += [item(0, _title(DOCS / p), p) for p in extra]
    lines += [
        item(0, "Release notes", "release-notes.md"),
        item(0, "Architecture", "architecture.md"),
    ]
    lines += [item(0, "Contributing", "contributing.md"), item(0, "Changelog", "changelog.md")]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write every generated page and the navigation."""
    descriptor = bundled_path()
    ds = aifacts.load(descriptor)
    _write("reference/data-dictionary.md", _dictionary.data_dictionary(descriptor.parent, ds))
    _write("validation.md", _rules.validation_page(descriptor.parent))
    for path, content in _browser.fact_pages(ds):
        _write(path, content)
    charts = []
    for path, content in _charts.chart_pages(ds):
        _write(path, content)
        if path.endswith(".md") and not path.endswith("index.md"):
            charts.append((content.split("\n# ", 1)[1].split("\n", 1)[0], path))
    _write("reference/cli.md", _cli.cli_reference())
    _write("architecture.md", _architecture.architecture_page())
    _write("disagreements.md", _disagreements.disagreement_page(ds))
    _write("release-notes.md", _release.release_notes_page(descriptor, aifacts.__version__))
    _write("SUMMARY.md", _nav(_api_pages(), charts))


main()
