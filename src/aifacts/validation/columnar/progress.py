"""A progress display for long validations: on stderr, only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aifacts.validation.report import Progress

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(*, force: bool = False) -> Iterator[Progress | None]:
    """A ``progress`` callback for :func:`aifacts.validation.engine.validate` drawing bars on
    stderr.

    Yields ``None`` (no display, no cost) unless stderr is a terminal or ``force``.
    """
    if not (force or sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    tasks: dict[str, Any] = {}
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:

        def update(resource: str, done: int, total: int) -> None:
            if resource not in tasks:
                tasks[resource] = bar.add_task(f"checking {resource}", total=total)
            bar.update(tasks[resource], completed=done)

        yield update
