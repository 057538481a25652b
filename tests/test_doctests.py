"""Every example in the library's docstrings runs and prints what it shows.

The examples are the first code a reader of the API reference copies; a stale one
is a wrong answer. Each module of ``src/aifacts`` is one test.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aifacts


def _modules() -> list[str]:
    names = ["aifacts"]
    for info in pkgutil.walk_packages(aifacts.__path__, "aifacts."):
        if not info.name.endswith("__main__"):  # importing it runs the command line
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_the_examples_of_the_module_run(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


def test_a_wrong_example_is_caught() -> None:
    """The runner above fails on an example whose output differs."""

    def wrong() -> None:
        """>>> 1 + 1
        3
        """

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(wrong, "wrong", globs={}):
        runner.run(test, out=lambda _: None)
    assert runner.summarize(verbose=False).failed == 1
