"""The package as it ships passes `frictionless validate`, and frictionless agrees with
aifacts on the problems both can see."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packages import REPO, edit_cell

pytest.importorskip("frictionless", reason="frictionless is in the test extra")


def _frictionless(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout)


def test_frictionless_reports_the_bundled_package_valid() -> None:
    report = _frictionless(REPO / "datapackage" / "datapackage.json")
    assert report["valid"] is True, json.dumps(report, indent=1)[:2000]


def test_frictionless_sees_a_broken_foreign_key_as_we_do(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(REPO / "datapackage", folder)
    row = edit_cell(folder, "facts", "deepwater-07", "entity_id", "chna")
    report = _frictionless(folder / "datapackage.json")
    assert report["valid"] is False
    errors = [e for task in report["tasks"] for e in task["errors"]]
    assert any(e["type"] == "foreign-key" and e.get("rowNumber") == row for e in errors)
