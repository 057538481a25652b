"""The browse, compare and export commands: help, machine-readable pipes, clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aifacts
from aifacts.cli.main import app

DS = aifacts.load()
COMMANDS = ["facts", "show", "entities", "metrics", "sources", "compare", "export"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage:" in out


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"aifacts {aifacts.__version__}"


def test_facts_to_a_pipe_is_csv_with_exact_columns() -> None:
    code, out, err = run("facts", "--entity", "alibaba", "--children", "--metric", "revenue")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["fact_id"], r["value"], r["unit"]) for r in rows] == [
        ("allinai-03", "6.513", "billion USD")
    ]


def test_facts_json_and_filters() -> None:
    code, out, _ = run("facts", "-e", "cn,us", "-m", "ai-awareness", "--format", "json")
    assert code == 0
    facts = json.loads(out)
    assert {(f["entity_id"], f["value"], f["qualifier"]) for f in facts} == {
        ("cn", "80", "at_least"),
        ("us", "62", "exact"),
    }


def test_facts_table_in_a_pipe_is_plain_text_with_honest_values() -> None:
    code, out, _ = run("facts", "--metric", "ai-awareness,subsidy-rate", "--format", "table")
    assert code == 0
    assert not any(ch in out for ch in "│┃━─┏")  # no box drawing in a pipe
    assert "≥ 80 %" in out and "62 %" in out and "10–100 %" in out


def test_facts_as_of_and_period() -> None:
    _, out, _ = run("facts", "--as-of", "2025-06-01", "--format", "json")
    known = {f["source_id"] for f in json.loads(out)}
    # stated in February 2025: known by June; the AI News article of July 2025: not yet
    assert "all-in-ai-tech-giants-summary" in known
    assert "ainews-china-ai-self-reliance" not in known
    _, out, _ = run("facts", "--period", "2026..2027", "--format", "json")
    assert "deepwater-12" in {f["fact_id"] for f in json.loads(out)}


def test_unknown_ids_go_to_stderr_with_suggestions() -> None:
    code, out, err = run("facts", "--entity", "alibba")
    assert code == 1 and out == ""
    assert "unknown entity 'alibba'" in err and "alibaba" in err
    code, out, err = run("show", "deepwatr-07")
    assert code == 1 and out == "" and "deepwater-07" in err


def test_malformed_values_are_usage_errors() -> None:
    code, _, err = run("facts", "--period", "July")
    assert code == 2 and "not a date" in err
    code, _, err = run("facts", "--format", "yaml")
    assert code == 2


def test_show_prints_quote_source_and_links() -> None:
    code, out, _ = run("show", "ainews-0729-05")
    assert code == 0
    assert out.startswith("ainews-0729-05: 1 billion CNY")
    assert "one billion yuan (US$139 million)" in out
    assert "AI News" in out and "para 13" in out
    assert "ainews-0729-08: 600 million CNY" in out
    code, out, _ = run("show", "ainews-0729-05", "--json")
    assert json.loads(out)["fact"]["value"] == "1"


@pytest.mark.parametrize(
    ("command", "key"),
    [("entities", "entity_id"), ("metrics", "metric_id"), ("sources", "source_id")],
)
def test_record_lists(command: str, key: str) -> None:
    code, out, _ = run(command, "--format", "json")
    assert code == 0
    ids = [r[key] for r in json.loads(out)]
    assert ids == [r.key for r in getattr(DS, command)]
    code, out, _ = run(command)
    assert next(csv.reader(io.StringIO(out)))[0] == key


def test_compare_command() -> None:
    code, out, _ = run(
        "compare",
        "ai-compute-capacity",
        "--entities",
        "cn,us",
        "--by-country",
        "--unit",
        "PFLOPS",
        "--format",
        "json",
    )
    assert code == 0
    rows = {r["entity"]: r for r in json.loads(out) if r["kind"] == "stated"}
    assert rows["cn"]["value"] == "90000 PFLOPS" and rows["cn"]["status"] == "actual"
    assert rows["us"]["as_stated"] == "90 EFLOPS" and rows["us"]["status"] == "target"


def test_compare_flags_unconverted_and_takes_a_rate() -> None:
    code, out, err = run("compare", "ai-infrastructure-investment", "-e", "cn,us", "--by-country")
    assert code == 0 and "deepwater-08: not converted" in err
    code, out, _ = run(
        "compare",
        "ai-infrastructure-investment",
        "-e",
        "cn,us",
        "--by-country",
        "--rate",
        "CNY/USD=0.139@2025-07-29",
        "--format",
        "json",
    )
    cn = next(r for r in json.loads(out) if r["entity"] == "cn")
    assert cn["value"] == "52.82 billion USD" and "user-given" in cn["rate"]
    code, _, err = run("compare", "ai-awareness", "-e", "cn", "--rate", "0.139")
    assert code == 2 and "BASE/QUOTE=RATE@YYYY-MM-DD" in err


def test_export_command(tmp_path: Path) -> None:
    target = tmp_path / "shanghai.json"
    code, out, err = run("export", "--format", "json", str(target), "--query", "entity=shanghai")
    assert code == 0 and out == "" and "wrote" in err
    facts = json.loads(target.read_text(encoding="utf-8"))["facts"]
    assert {f["entity_id"] for f in facts} == {"shanghai"}
    code, _, err = run("export", "--format", "csv", str(tmp_path / "c"))
    assert code == 0 and "neutralised 0 text cells" in err
    code, _, err = run("export", str(tmp_path / "x.json"), "--query", "entity=nowhere")
    assert code == 1 and "unknown entity" in err
    code, _, err = run("export", str(tmp_path / "x.json"), "--query", "colour=red")
    assert code == 2 and "not a filter" in err


# An empty filter would silently match nothing (or nothing more): a usage error, exit 2,
# whose message names the option.
_EMPTY_FILTERS = [
    (("facts", "--entity", ""), "--entity: the value is empty"),
    (("facts", "--entity", "cn,"), "--entity: 'cn,' has an empty item"),
    (("facts", "--entity", "cn", "--entity", " "), "--entity: the value is empty"),
    (("facts", "--metric", ",ai-awareness"), "--metric: ',ai-awareness' has an empty item"),
    (("facts", "--source", ""), "--source: the value is empty"),
    (("facts", "--status", "actual,,plan"), "--status: 'actual,,plan' has an empty item"),
    (("facts", "--country", ","), "--country: the value is empty"),
    (("facts", "--period", ""), "--period: the value is empty"),
    (("facts", "--period", "2025.."), "--period: '2025..' needs a year or a day on each side"),
    (("facts", "--as-of", ""), "--as-of: the value is empty"),
    (("compare", "ai-awareness", "--entities", ""), "--entities: the value is empty"),
    (("compare", "ai-awareness", "--entities", "cn,"), "--entities: 'cn,' has an empty item"),
    (("compare", "ai-awareness", "-e", "cn", "--status", ""), "--status: the value is empty"),
    (("compare", "ai-awareness", "-e", "cn", "--as-of", " "), "--as-of: the value is empty"),
    (("compare", "ai-awareness", "-e", "cn", "--unit", ""), "--unit: the value is empty"),
    (("export", "{out}", "--query", "entity="), "--query entity=: the value is empty"),
    (("export", "{out}", "--query", "entity=cn,"), "--query entity=: 'cn,' has an empty item"),
    (("export", "{out}", "--query", "metric= status=actual"), "--query metric=: the value"),
    (("export", "{out}", "--query", "period="), "--query period=: the value is empty"),
    (("export", "{out}", "--query", ""), "--query: the value is empty"),
    (("export", "{out}", "--as-of", ""), "--as-of: the value is empty"),
    (("show", " "), "FACT_ID: the value is empty"),
    (("cite", ""), "FACT_ID: the value is empty"),
    (("audit", "{out}", "--source", ""), "--source: the value is empty"),
]


@pytest.mark.parametrize(
    ("args", "message"), _EMPTY_FILTERS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else None
)
def test_an_empty_filter_value_is_a_usage_error(
    args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    out_file = tmp_path / "out.json"
    code, out, err = run(*(a.format(out=out_file) for a in args))
    assert code == 2, (out, err)
    assert message in err
    assert out == "" and not out_file.exists()  # nothing printed or written


def test_a_period_that_is_not_a_date_names_its_option() -> None:
    code, _, err = run("facts", "--period", "July")
    assert code == 2 and "--period: 'July' is not a date YYYY-MM-DD or a year YYYY" in err
    code, _, err = run("export", "x.json", "--query", "period=2025..soon")
    assert code == 2 and "--query period=: 'soon' is not a date" in err
