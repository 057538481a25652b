"""The tutorial's Python blocks run, in order, in one namespace, as a reader would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks() -> list[str]:
    return BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))


def test_tutorial_has_code() -> None:
    assert len(blocks()) >= 8


def test_tutorial_runs(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for number, code in enumerate(blocks(), start=1):
        try:
            exec(compile(code, f"{TUTORIAL.name} block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - reported with the block number
            pytest.fail(f"block {number} of the tutorial failed: {exc!r}\n{code}")
    out = capsys.readouterr().out
    assert "90000 PFLOPS" in out  # the comparison printed in one unit
    assert "[('cn', '≥ 80 %'), ('us', '62 %')]" in out
    assert "380 billion CNY → 52.82 billion USD" in out
