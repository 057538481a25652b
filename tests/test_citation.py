"""`aifacts cite` and CITATION.cff: the release and single facts, never an invented field."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import aifacts
from aifacts.cli.main import app
from aifacts.errors import UnknownIdError
from aifacts.release.citation import cff, cite, csl_items

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("AIFACTS_SEEDS", ROOT.parent / "shared" / "seeds"))
DS = aifacts.load()
runner = CliRunner()


def test_apa_names_authors_year_title_version() -> None:
    text = cite(DS, "apa")
    assert text == (
        "aifacts contributors. (2026). aifacts: the numbers behind the US–China AI "
        "competition (Version 0.2.0) [Data set]."
    )


def test_bibtex_entry_has_version_and_year_and_no_invented_url() -> None:
    text = cite(DS, "bibtex")
    assert text.startswith("@misc{aifacts_0_2_0,")
    assert "  version = {0.2.0}," in text
    assert "  year = {2026}," in text
    assert "  date = {2026-12-04}," in text
    assert "url" not in text.lower()
    assert text.count("{") == text.count("}")


def test_csl_json_is_a_dataset_item() -> None:
    items = json.loads(cite(DS, "csl-json"))
    assert items == [
        {
            "id": "aifacts-0.2.0",
            "type": "dataset",
            "title": "aifacts: the numbers behind the US–China AI competition",
            "author": [{"literal": "aifacts contributors"}],
            "issued": {"date-parts": [[2026, 12, 4]]},
            "version": "0.2.0",
        }
    ]


def test_fact_citation_names_source_date_locator_and_quote() -> None:
    text = cite(DS, "apa", "ainews-0729-05")
    quote = (
        "Shanghai has unveiled an ambitious one billion yuan (US$139 million) subsidy "
        "programme for its artificial intelligence industry"
    )
    assert text.splitlines()[0] == cite(DS, "apa")
    assert f"“{quote}”" in text
    assert "para 13" in text
    assert (
        "Source: AI News. (2025-07-29). China doubles chooses AI self-reliance amid intense "
        "US competition." in text
    )
    bib = cite(DS, "bibtex", "ainews-0729-05")
    assert "@misc{ainews_china_ai_self_reliance," in bib
    assert "author = {{AI News}}" in bib and "date = {2025-07-29}" in bib


def test_fact_quote_is_in_the_source_document() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"source documents not found at {SEEDS} (set AIFACTS_SEEDS)")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    fact = DS.fact("ainews-0729-05")
    assert fact.quote in text
    assert fact.quote in cite(DS, "apa", fact.fact_id)


def test_derived_source_cites_the_original_too() -> None:
    items = csl_items(DS, "rui-post-01")
    assert [i["id"] for i in items] == [
        "aifacts-0.2.0",
        "rui-post-us-china-ai-gap",
        "shenzhen-aiia-gap-widening-report",
    ]
    original = items[2]
    assert original["title"] == "The Gap Between the U.S. & China in AI Is Widening, Not Narrowing"
    assert original["publisher"] == "Shenzhen AI Industry Association"
    assert "issued" not in original  # "early January 2025": no day, so no date
    assert "URL" not in original
    apa = cite(DS, "apa", "rui-post-01")
    assert "Originally: Shenzhen AI Industry Association. (n.d.)." in apa
    assert "“The U.S. holds 90% of global AI computing power”" in apa


def test_unknown_fact_suggests_near_ids() -> None:
    with pytest.raises(UnknownIdError):
        cite(DS, "apa", "ainews-0729-5")
    result = runner.invoke(app, ["cite", "ainews-0729-0"])
    assert result.exit_code == 1
    assert "unknown fact 'ainews-0729-0'" in result.stderr
    assert "ainews-0729-10" in result.stderr
    assert result.stdout == ""


def test_cli_formats_and_usage_errors() -> None:
    for fmt in ("apa", "bibtex", "csl-json", "cff"):
        result = runner.invoke(app, ["cite", "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == cite(DS, fmt)
    assert json.loads(runner.invoke(app, ["cite", "rui-post-01", "--format", "csl-json"]).stdout)
    assert runner.invoke(app, ["cite", "--format", "mla"]).exit_code == 2
    assert runner.invoke(app, ["cite", "rui-post-01", "--format", "cff"]).exit_code == 2
    assert runner.invoke(app, ["cite", "--package", "/no/such/dir"]).exit_code == 2


def test_citation_cff_is_generated_and_valid() -> None:
    committed = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert committed == cff(DS), "regenerate: aifacts cite --format cff > CITATION.cff"
    data = yaml.safe_load(committed)
    schema = json.loads((ROOT / "tests" / "data" / "cff-schema-1.2.0.json").read_text("utf-8"))
    jsonschema.validate(data, schema)  # what `cffconvert --validate` checks
    assert data["version"] == aifacts.__version__
    assert data["type"] == "dataset"
    assert "repository-code" not in data and "url" not in data  # none is known


def test_cffconvert_validates(tmp_path: Path) -> None:
    """The reference validator itself, in a virtual environment of its own: it pins
    jsonschema<4, which cannot live beside frictionless."""
    import venv

    cffconvert = shutil.which("cffconvert")
    if cffconvert is None:
        env = tmp_path / "cffconvert-env"
        venv.create(env, with_pip=True)
        bin_dir = env / ("Scripts" if sys.platform == "win32" else "bin")
        install = subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "cffconvert>=2,<3"],
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode != 0:
            pytest.skip(f"cffconvert could not be installed from PyPI: {install.stderr[-300:]}")
        cffconvert = str(bin_dir / "cffconvert")
    result = subprocess.run(
        [cffconvert, "--validate", "-i", str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _no_empty(value: object) -> bool:
    if isinstance(value, dict):
        return all(v not in (None, "", [], {}) and _no_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_empty(v) for v in value)
    return True


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(DS.facts), st.sampled_from(["apa", "bibtex", "csl-json"]))
def test_every_fact_citation_carries_quote_source_and_no_blank_field(
    fact: aifacts.Fact, fmt: str
) -> None:
    text = cite(DS, fmt, fact.fact_id)
    source = DS.source(fact.source_id)
    if fmt == "csl-json":
        items = json.loads(text)
        assert _no_empty(items)
        assert items[1]["title"] == source.title
        assert fact.quote in items[1]["note"]
        assert ("URL" in items[1]) == (source.url is not None)
    else:
        from aifacts.release.citation import _bib_escape

        shown = _bib_escape if fmt == "bibtex" else str  # BibTeX escapes $ % & # _ { }
        assert fact.quote in text  # a BibTeX comment line: as written
        assert shown(source.title.rstrip(".")) in text
        assert not re.search(r"= \{\}", text)  # BibTeX: no empty field
