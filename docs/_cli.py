"""The command-line reference, from the commands' own ``--help``.

It walks whatever :data:`aifacts.cli.main.app` holds when the site is built, so a command
added in :mod:`aifacts.cli.commands` appears here without anyone editing this page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

__all__ = ["cli_reference"]


def _walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    # Typer ships its own Click; duck typing works with either.
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = command.context_class(command, info_name=path[-1])
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, (*path, name))


def _help(path: tuple[str, ...]) -> str:
    """The exact text ``aifacts ... --help`` prints, at a fixed width of 100 columns."""
    from typer.testing import CliRunner

    from aifacts.cli.main import app

    result = CliRunner().invoke(
        app, [*path[1:], "--help"], terminal_width=100, env={"COLUMNS": "100"}
    )
    if result.exit_code != 0:
        raise RuntimeError(f"`{' '.join(path)} --help` exited {result.exit_code}: {result.output}")
    return result.output.rstrip()


def cli_reference() -> str:
    """The Markdown of the command-line reference page."""
    from aifacts.cli.main import app

    root = typer.main.get_command(app)
    lines = [
        "# Command line",
        "",
        '!!! note "Generated, not written"',
        "    Each section below is the command's own `--help`, captured when the site was "
        "built, so it always matches the installed `aifacts`.",
        "",
        "Exit codes: **0** the data is valid or the command succeeded; **1** the data breaks a "
        "rule or an id is unknown; **2** a usage error (a missing path, a bad option). Problems "
        "and results go to standard output; errors go to standard error.",
        "",
    ]
    for path, command in _walk(root, ("aifacts",)):
        title = " ".join(path)
        anchor = "-".join(path)
        summary = (command.short_help or command.help or "").strip().splitlines()
        lines += [f"## `{title}` {{ #{anchor} }}", ""]
        if summary and len(path) > 1:
            lines += [summary[0].replace("<", "&lt;"), ""]
        lines += ["```text", f"$ {title} --help", _help(path), "```", ""]
    return "\n".join(lines)
