"""Shared fixtures: a Hypothesis profile, the bundled package, and editable copies of it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.packages import REPO, SEEDS_ENV, seeds_dir


def pytest_configure(config: pytest.Config) -> None:
    settings.register_profile(
        "aifacts",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    settings.register_profile("ci", parent=settings.get_profile("aifacts"), derandomize=True)
    settings.load_profile("ci" if os.environ.get("CI") else "aifacts")


@pytest.fixture
def bundled() -> Path:
    """The folder of the bundled release in this checkout."""
    return REPO / "datapackage"


@pytest.fixture
def package_copy(tmp_path: Path, bundled: Path) -> Path:
    """A private copy of the bundled release that a test may edit."""
    target = tmp_path / "pkg"
    shutil.copytree(bundled, target)
    return target


@pytest.fixture
def seeds() -> Path:
    """The folder of the source documents; skips when they are not at hand."""
    folder = seeds_dir()
    if folder is None:
        pytest.skip(f"source documents not found: set {SEEDS_ENV} or place them in ../shared/seeds")
    return folder


@pytest.fixture
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """Run the aifacts command line in-process; returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from aifacts.cli.main import app

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run
