"""The architecture page: the layers as the tree and the import contract have them.

The list of layers comes from the import-linter contract in ``pyproject.toml`` (the
one that the test suite checks); each package and module is described by the first
line of its own docstring. The hand-written parts (the path of ``aifacts validate``,
where to add things) name code as dotted paths in backticks, and every one of them
is resolved while the page is built: a name that no longer exists fails the build
(``tests/test_docs.py``), so the page cannot drift from the tree.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

__all__ = ["architecture_page", "layers", "unresolved"]

ROOT = Path(__file__).resolve().parents[1]

_PATH = """\
## The path of `aifacts validate PATH`

1. `aifacts.cli.main.validate` parses the options and calls
   `aifacts.validation.engine.validate`.
2. `aifacts.io.package.locate` finds `datapackage.json`;
   `aifacts.io.package.read_descriptor` reads it within bounds and
   `aifacts.io.descriptor.descriptor_problems` checks every property the readers use.
3. The engine is chosen (`aifacts.io.package.choose_engine`): the row engine reads
   each CSV into typed records (`aifacts.io.reading.read_csv`, which applies the
   records of `aifacts.contract.records`); the columnar engine
   (`aifacts.validation.columnar.validate_columnar`) reads whole columns with pyarrow.
4. The rules within a record (`aifacts.contract.row_rules.ROW_RULES`) run as each row
   is read; the rules across records, one module each, run from the one registry
   (`aifacts.validation.rules.REGISTRY`: the row engine calls
   `aifacts.validation.rules.run_checks`, the columnar engine runs each rule's
   pre-filter and then the same check on the rows it marks); then the JSON-form rule
   (`aifacts.validation.json_forms.check_json_forms`).
5. Every problem goes to one `aifacts.validation.report.Collector`, which keeps the
   first problems of each code in report order (`aifacts.validation.report.order_key`).
6. The `aifacts.validation.report.Report` it returns prints one line per problem
   (`aifacts.contract.problems.Problem.line`, control characters escaped by
   `aifacts.contract.characters.terminal_safe`), and the command exits 0 or 1.
"""

_WHERE = """\
## Where to add

- **A unit**: its definition in `aifacts.contract.units.UNIT_DEFINITIONS`, then
  `python -m aifacts.release.unit_table` to regenerate the fast lookup table
  (`aifacts.contract.unit_terms`); `aifacts build` writes the units into
  `datapackage.json`.
- **A validation rule**: one module of `aifacts.validation.rules` defining one
  `aifacts.validation.rules.base.Rule` (its codes, the columns it reads, its check and
  optionally a pre-filter), and one line in `aifacts.validation.rules.REGISTRY`; both
  engines then run it. Its problem code goes in `aifacts.contract.problems.Code` (and
  `aifacts.contract.problems.CODE_INFO`); the validation-rules page needs an example.
- **A consistency rule**: a module of `aifacts.consistency` with a `run(context)`
  function, named in `aifacts.consistency.CONSISTENCY_RULES`.
- **A source**: rows in `datapackage/sources.csv` and `datapackage/facts.csv` (see the
  contributing guide), then `aifacts build`, `aifacts validate`, `aifacts check` and
  `aifacts audit`.
- **A command**: a module of `aifacts.cli.commands` with a `register(app)` function,
  named in `aifacts.cli.commands.MODULES`.
"""


def layers(pyproject: Path = ROOT / "pyproject.toml") -> list[list[str]]:
    """The layers of the import contract, highest first; each a list of packages."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["type"] == "layers")
    return [[part.strip() for part in re.split(r"[|:]", layer)] for layer in contract["layers"]]


def _markdown(rst: str) -> str:
    """A docstring's reST roles and literals as Markdown code: ``:mod:`.x``` → `` `x` ``."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", rst)
    return text.replace("``", "`")


def _summary(name: str) -> str:
    doc = (importlib.import_module(name).__doc__ or "").strip()
    first = doc.split("\n\n", 1)[0]
    return _markdown(" ".join(first.split()))


def _modules(package: str) -> list[str]:
    module = importlib.import_module(package)
    if not hasattr(module, "__path__"):
        return []
    return sorted(
        info.name
        for info in pkgutil.iter_modules(module.__path__, package + ".")
        if not info.name.rsplit(".", 1)[1].startswith("_")
    )


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def unresolved(text: str) -> list[str]:
    """The dotted ``aifacts.…`` names in backticks of ``text`` that name nothing."""
    names = re.findall(r"`(aifacts(?:\.\w+)+)`", text)
    return sorted({n for n in names if not _resolves(n)})


def architecture_page() -> str:
    """The page's Markdown; raises ``ValueError`` naming any reference that broke."""
    out = [
        "# Architecture",
        "",
        "The library is a stack of layers, each a sub-package of `aifacts` that imports",
        "only the layers below it. The order below is the import contract in",
        "`pyproject.toml`, which the test suite checks (with a test that no module",
        "imports itself back through others); packages on one line are independent",
        "of each other. The descriptions are the packages' and modules' own docstrings.",
        "",
    ]
    for rank, layer in enumerate(layers(), start=1):
        out.append(f"## {rank}. {' · '.join(p.removeprefix('aifacts.') for p in layer)}")
        out.append("")
        for package in layer:
            out.append(f"**`{package}`**: {_summary(package)}")
            out.append("")
            for module in _modules(package):
                out.append(f"- `{module}`: {_summary(module)}")
            out.append("")
    out += [_PATH, _WHERE]
    page = "\n".join(out)
    broken = unresolved(_PATH + _WHERE)
    if broken:
        raise ValueError(f"the architecture page names code that does not exist: {broken}")
    return page
