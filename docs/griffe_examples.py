"""A Griffe extension for the API reference: read ``Example:`` doctests as code.

Google style names the section ``Examples:``; this codebase writes ``Example:``
(singular), which Griffe renders as a note whose ``>>>`` lines would be read as
Markdown (``[x]`` then ``['y']`` becomes a link). An ``Example:`` section that holds a
doctest is read as an ``Examples:`` section, and a doctest written outside any
section is fenced as ``pycon``, so every doctest renders as code. Sphinx roles
(``:func:`load```) are shown as plain code, since Markdown has no roles.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:([ \t]*\n(?:[ \t]*\n)*[ \t]+>>>)", re.MULTILINE)
# A doctest at the top level of a docstring: '>>>' at column 0, up to a blank line.
_BARE = re.compile(r"^>>> .*(?:\n(?!\s*\n).*)*", re.MULTILINE)

_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|exc|obj|const|term):`~?([^`]+)`")


def _fence(match: re.Match[str]) -> str:
    return f"```pycon\n{match.group(0)}\n```"


class ExampleSections(griffe.Extension):
    """Make every doctest of a docstring render as code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        value = _ROLE.sub(r"`\1`", docstring.value)
        if ">>>" in value:
            value = _BARE.sub(_fence, _EXAMPLE.sub(r"\1Examples:\2", value))
        docstring.value = value
