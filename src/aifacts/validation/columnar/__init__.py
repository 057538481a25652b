"""The columnar engine: the row engine's rules over whole columns, with pyarrow.

Files are read in streaming batches (:mod:`.read`), each batch tested whole-column
for rows that might break a rule of their own (:mod:`.flags`); only those rows go
through the row engine's code. The rules across records (the registry of
:mod:`aifacts.validation.rules`) run on the few columns kept (:mod:`.rules`).
Nothing here is imported by ``import aifacts``; it needs pyarrow and numpy,
dependencies of aifacts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aifacts.io.package import Descriptor
    from aifacts.validation.report import Collector, Progress

__all__ = ["start_early", "validate_columnar"]


def start_early(path: str | Path | None, engine: str) -> None:
    """Start hashing and scanning the package's files now if the columnar engine will
    validate it; for a command that imports the engine next (see
    :func:`aifacts.validation.columnar.scan.start_early`). Does nothing when anything is amiss:
    validation itself then says what.

    """
    from aifacts.errors import PackageNotFoundError
    from aifacts.io.package import (
        bundled_path,
        choose_engine,
        locate,
        read_descriptor,
        resource_files,
    )

    try:
        descriptor, _ = read_descriptor(bundled_path() if path is None else locate(path))
        if descriptor is None or choose_engine(engine, descriptor) != "columnar":
            return
    except (PackageNotFoundError, ValueError):
        return
    from aifacts.validation.columnar.scan import start_early as start

    start(resource_files(descriptor))


def validate_columnar(
    descriptor: Descriptor, collector: Collector, progress: Progress | None = None
) -> dict[str, int]:
    """Check every resource of ``descriptor``; problems go to ``collector``.

    Returns:
        The rows per resource that passed every check that drops rows (as
        ``Report.stats["rows"]``).
    """
    with reusing_memory():
        return _validate(descriptor, collector, progress)


@contextmanager
def reusing_memory() -> Iterator[None]:
    """Allocate Arrow memory from jemalloc, when pyarrow has it, while validating.

    The default pool (mimalloc) hands freed pages back to the system, so streamed
    batches fault fresh zeroed pages in again, and how often varies from run to run.
    Measured with ``python -m benchmarks.tricks`` on a million facts (2026-12-05, a
    quiet 2-core machine): without it every other run spent 1.3 s more in the kernel;
    see benchmarks/README.md for the medians. Buffers remember their pool, so
    switching back after is safe.
    """
    import pyarrow as pa

    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        yield
        return
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _validate(
    descriptor: Descriptor, collector: Collector, progress: Progress | None
) -> dict[str, int]:
    from aifacts.contract.problems import Code
    from aifacts.contract.schema import RESOURCES
    from aifacts.io.package import resource_path
    from aifacts.validation.columnar.json_forms import Follower, check_json_forms, follow
    from aifacts.validation.columnar.read import Kept, read_resource
    from aifacts.validation.columnar.rules import run_rules

    kept: dict[str, Kept] = {}
    for res in RESOURCES:
        entry = descriptor.resource(res.name)
        if entry is None or resource_path(descriptor, entry) is None:
            continue  # no path, or one the descriptor's problems refuse

        def tick(done: int, total: int, name: str = res.name) -> None:
            if progress is not None:
                progress(name, done, total)

        # its JSON form, compared as it is read
        following = partial(follow, descriptor, res, collector.limit)
        kept[res.name] = read_resource(res, entry, descriptor.folder, collector, tick, following)
    followers = {n: k.follower for n, k in kept.items() if isinstance(k.follower, Follower)}
    if all(res.name in kept for res in RESOURCES if not res.optional):
        run_rules(kept, collector)
        hashed = {name: k.stats for name, k in kept.items() if k.stats is not None}
        clean = collector.clean(list(kept))
        found = check_json_forms(descriptor, clean, csv_stats=hashed, followers=followers)
        collector.extend(found)
        for name, follower in followers.items():
            collector.count(Code.JSON_MISMATCH, follower.omitted, resource=name)
    else:
        for follower in followers.values():
            follower.stop()  # nothing is compared: a required resource is missing
    return {name: k.table.num_rows for name, k in kept.items()}
