"""Sub-commands of the ``aifacts`` command line, one module per family.

Each module defines ``register(app)``, which adds its commands to the Typer app.
Modules are imported when the command line starts, never by ``import aifacts``.
"""

from __future__ import annotations

import importlib

import typer

__all__ = ["MODULES", "register_all"]

#: The command modules, in the order their commands appear in ``aifacts --help``.
MODULES: tuple[str, ...] = (
    "cite",
    "diff",
    "check",
    "audit",
    "draft",
    "browse",
    "compare",
    "total",
    "export",
)


def register_all(app: typer.Typer) -> None:
    """Add every module's commands to ``app``."""
    for name in MODULES:
        module = importlib.import_module(f"aifacts.cli.commands.{name}")
        module.register(app)
