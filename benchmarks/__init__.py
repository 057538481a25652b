"""Benchmarks of aifacts: timed here, by these scripts, never by the test suite."""

from __future__ import annotations


def compile_bytecode() -> None:
    """Write the bytecode of aifacts' modules, as ``pip install`` does for a wheel.

    An editable install compiles its modules when first imported and caches them,
    unless ``PYTHONDONTWRITEBYTECODE`` is set: then every timed process would compile
    them again, a cost no installed copy pays (its dependencies have their bytecode).
    """
    import compileall
    from pathlib import Path

    import aifacts

    compileall.compile_dir(Path(aifacts.__file__).parent, quiet=1)
