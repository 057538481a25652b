"""Entity names (English or Chinese, any case) work on the command line wherever an id does."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from aifacts.cli.main import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _fact_ids(out: str) -> list[str]:
    return [row["fact_id"] for row in csv.DictReader(io.StringIO(out))]


def test_facts_by_name_in_english_and_chinese() -> None:
    code, by_id, _ = run("facts", "--entity", "cn")
    assert code == 0 and "deepwater-07" in _fact_ids(by_id)
    for name in ("China", "中国"):
        code, out, err = run("facts", "--entity", name)
        assert (code, err) == (0, "")
        assert _fact_ids(out) == _fact_ids(by_id)
    code, out, _ = run("facts", "--entity", "Alibaba Cloud")
    assert code == 0 and _fact_ids(out) == ["allinai-01", "allinai-02", "allinai-03"]


def test_a_misspelt_name_is_exit_1_with_the_entity_suggested() -> None:
    code, out, err = run("facts", "--entity", "chian")
    assert code == 1 and out == ""
    assert "unknown entity 'chian'; did you mean: cn (China)?" in err


def test_compare_by_name_reports_the_ids() -> None:
    code, out, err = run("compare", "ai-awareness", "--entities", "中国,United States")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["entity"], r["value"]) for r in rows] == [("cn", "≥ 80 %"), ("us", "62 %")]


def test_export_query_by_name(tmp_path: Path) -> None:
    target = tmp_path / "cn.json"
    query = 'entity=中国,"Alibaba Cloud" metric=ai-awareness,customer-count'
    code, _, err = run("export", str(target), "--query", query)
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    facts = data["facts"] if isinstance(data, dict) else data
    assert sorted(f["fact_id"] for f in facts) == ["allinai-01", "deepwater-17"]
