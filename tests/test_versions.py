"""One version everywhere: the code, datapackage.json, CITATION.cff and CHANGELOG.md."""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path

import yaml
from typer.testing import CliRunner

import aifacts
from aifacts._version import __released__
from aifacts.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def _changelog_top() -> tuple[str, str]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
    assert match, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' entry"
    # Keep a Changelog: changes not yet released wait under "## [Unreleased]", above
    # the latest release; no other entry may come before that release.
    first = re.search(r"^## \[(?!Unreleased\])", text, re.MULTILINE)
    assert first is not None and first.start() == match.start(), (
        "the top versioned entry of CHANGELOG.md must be the release"
    )
    return match[1], match[2]


def test_version_is_semver() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", aifacts.__version__)


def test_every_place_names_the_same_version_and_date() -> None:
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    changelog_version, changelog_date = _changelog_top()
    assert descriptor["version"] == aifacts.__version__
    assert str(citation["version"]) == aifacts.__version__
    assert changelog_version == aifacts.__version__
    assert descriptor["created"][:10] == __released__
    assert str(citation["date-released"]) == __released__
    assert changelog_date == __released__


def test_the_package_build_reads_the_version_from_the_one_place() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/aifacts/_version.py"
    assert installed_version("aifacts") == aifacts.__version__


def test_loaded_release_and_cli_report_the_version() -> None:
    assert aifacts.load().version == aifacts.__version__
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout.strip() == f"aifacts {aifacts.__version__}"
