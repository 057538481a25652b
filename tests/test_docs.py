"""The documentation site: it builds strictly, and its generated pages are complete.

The site is built once (``mkdocs build --strict``), then read as HTML: every column of
every resource must be in the data dictionary, every fact id in the fact browser with
its quote, every problem code on the validation page with a real example, every
command in the CLI reference. Expected values of the charts were checked by hand
against the sources' words quoted in ``datapackage/facts.csv``.
"""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.docsite import REPO, Build, build_site, import_docs_module, missing_tools

pytestmark = pytest.mark.skipif(
    bool(missing_tools()),
    reason=f"docs tools not installed ({', '.join(missing_tools())}): pip install -e '.[docs]'",
)
PACKAGE = REPO / "datapackage"


def _rows(resource: str) -> list[dict[str, str]]:
    with open(PACKAGE / f"{resource}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return " ".join("".join(parser.parts).split())


@pytest.fixture(scope="module")
def site() -> Build:
    build = build_site()
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log[-4000:]}"
    return build


def test_the_site_builds_with_strict(site: Build) -> None:
    assert (site.site / "index.html").is_file()
    assert "WARNING" not in site.log


def _section(page: str, anchor: str) -> str:
    """The HTML from the element with id ``anchor`` to the next column anchor."""
    start = page.index(f'id="{anchor}"')
    return page[start : start + 3000]


def test_every_column_of_every_resource_is_in_the_data_dictionary(site: Build) -> None:
    page = site.page("reference/data-dictionary")
    shipped = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in shipped["resources"]} >= {"sources", "entities", "metrics", "facts"}
    for resource in shipped["resources"]:
        for field in resource["schema"]["fields"]:
            anchor = f"{resource['name']}-{field['name']}"
            assert f'id="{anchor}"' in page, f"column {anchor} missing from the data dictionary"
            row = page[page.index(f'id="{anchor}"') :].split("</tr>", 1)[0]
            assert f"<td>{field['type']}</td>" in row, anchor
            for value in field.get("constraints", {}).get("enum", []):
                assert f"<code>{value}</code>" in row, f"{anchor}: enum value {value} not shown"
            if field.get("constraints", {}).get("required"):
                assert "required" in row, anchor
            assert html.escape(field["description"], quote=False).split("`")[0][:30] in row or (
                field["description"][:20] in visible_text(row)
            ), anchor


def test_the_data_dictionary_lists_the_unit_registry(site: Build) -> None:
    text = visible_text(site.page("reference/data-dictionary"))
    shipped = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    for definition in shipped["units"]["definitions"]:
        assert definition in text, f"unit definition {definition!r} missing"
    # Every unit string the facts use is listed, with what it measures.
    for row in _rows("facts"):
        assert row["unit"] in text
    assert "an amount of money" in text and "a compute rate (FLOPS)" in text


def test_every_fact_is_on_its_source_page_with_its_quote(site: Build) -> None:
    facts = _rows("facts")
    assert facts, "facts.csv has no fact"
    for row in facts:
        page = site.page(f"sources/{row['source_id']}")
        assert f'id="{row["fact_id"]}"' in page, f"{row['fact_id']} has no anchor"
        section = page[page.index(f'id="{row["fact_id"]}"') :].split("<h3", 1)[0]
        assert " ".join(row["quote"].split()) in visible_text(section), row["fact_id"]


def test_every_fact_id_is_reachable_from_the_all_facts_page(site: Build) -> None:
    page = site.page("facts")
    for row in _rows("facts"):
        assert f'href="../sources/{row["source_id"]}/#{row["fact_id"]}"' in page, row["fact_id"]


def test_every_source_entity_and_metric_has_a_page_cross_linked(site: Build) -> None:
    for resource, key in (
        ("sources", "source_id"),
        ("entities", "entity_id"),
        ("metrics", "metric_id"),
    ):
        index = site.page(resource)
        for row in _rows(resource):
            assert (site.site / resource / row[key] / "index.html").is_file(), row[key]
            assert f'href="{row[key]}/"' in index, f"{resource} index lacks {row[key]}"
    for row in _rows("facts"):
        entity = site.page(f"entities/{row['entity_id']}")
        metric = site.page(f"metrics/{row['metric_id']}")
        target = f'href="../../sources/{row["source_id"]}/#{row["fact_id"]}"'
        assert target in entity and target in metric, row["fact_id"]


def test_a_source_page_shows_its_metadata_as_the_data_gives_it(site: Build) -> None:
    text = visible_text(site.page("sources/ainews-china-ai-self-reliance"))
    # As sources.csv gives it (checked against the seed document's header).
    assert "AI News" in text and "2025-07-29" in text
    assert "e47db22536b957e40866f8ccb6e648d84413dd9e9db11b84bc848edddef9d8a7" in text
    assert "— (unknown)" in text  # the document gives no URL: shown as unknown, not invented


def _raised_somewhere(code: Any) -> bool:
    """Whether any module but the declaration names the code (so a check can raise it)."""
    src = REPO / "src" / "aifacts"
    needles = (f"Code.{code.name}", f'"{code.value}"')
    return any(
        any(n in path.read_text(encoding="utf-8") for n in needles)
        for path in src.rglob("*.py")
        if path.name != "problems.py"
    )


def test_every_problem_code_has_a_real_example(site: Build) -> None:
    from aifacts.contract.problems import Code

    rules: Any = import_docs_module("_rules")
    page = site.page("validation")
    for code in Code:
        assert f'id="{code.value}"' in page, code
        section = page[page.index(f'id="{code.value}"') :].split("<h2", 1)[0]
        if not _raised_somewhere(code):
            # Declared, but no check raises it yet: the page must say so, not invent output.
            assert rules.MISSING_EXAMPLE in section, code
            continue
        assert rules.MISSING_EXAMPLE not in section, (
            f"{code.value}: add an edit that triggers it to EXAMPLES in docs/_rules.py"
        )
        assert "$ aifacts validate my-copy/" in visible_text(section)


def test_the_validation_examples_are_real_validator_output(site: Build) -> None:
    text = visible_text(site.page("validation"))
    # Fact deepwater-13's unit set to EFLOPZ: reported at its row (the header is row 1).
    row = next(i for i, r in enumerate(_rows("facts"), start=2) if r["fact_id"] == "deepwater-13")
    assert f"facts.csv:{row}:unit:" in text
    assert "EFLOPZ" in text


def test_the_cli_reference_has_every_command_with_its_help(site: Build) -> None:
    import typer

    from aifacts.cli.main import app

    root = typer.main.get_command(app)
    names = root.list_commands(root.context_class(root, info_name="aifacts"))  # type: ignore[attr-defined]
    assert {"validate", "build"} <= set(names)
    page = site.page("reference/cli")
    for name in names:
        assert f'id="aifacts-{name}"' in page, name
        assert f"$ aifacts {name} --help" in visible_text(page)
    assert "Exits 0 when valid, 1 when not, 2 for a usage error." in visible_text(page)


def test_the_api_reference_renders_docstrings(site: Build) -> None:
    text = visible_text(site.page("reference/api/aifacts.api"))
    assert "Load and validate a data package" in text  # aifacts.load's docstring
    assert (site.site / "reference/api/aifacts.contract.units/index.html").is_file()


def test_the_changelog_page_is_the_changelog_file(site: Build) -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    version_lines = re.findall(r"^## \[(.+?)\]", changelog, re.MULTILINE)
    text = visible_text(site.page("changelog"))
    assert version_lines and all(v in text for v in version_lines)


def test_every_chart_is_an_svg_citing_its_facts(site: Build) -> None:
    page = site.page("charts/investment")
    svgs = re.findall(r'<img[^>]+src="([^"]+\.svg)"', page)
    assert len(svgs) >= 2  # one panel per currency: USD and CNY are never converted
    for src in svgs:
        svg = (site.site / "charts/investment" / src).resolve().read_text(encoding="utf-8")
        assert svg.startswith("<svg")
    # lesson-01: "over US$400 billion" — drawn and labelled as at least, not as 400.
    usd = (site.site / "charts/investment-usd.svg").read_text(encoding="utf-8")
    assert "≥ 400 billion USD" in usd
    assert 'href="../../sources/chips-ai-race-lesson-summary/#lesson-01"' in page
    # deepwater-08: Alibaba's 380 billion yuan stays in yuan.
    cny = (site.site / "charts/investment-cny.svg").read_text(encoding="utf-8")
    assert "380 billion CNY" in cny and "USD" not in cny.replace("Investment", "")


def test_charts_keep_the_sources_hedging() -> None:
    import aifacts

    charts: Any = import_docs_module("_charts")
    ds = aifacts.load()
    series: Any = import_docs_module("_series")
    seen = set()
    for chart in charts.CHARTS:
        for panel in chart.panels(ds):
            if isinstance(panel, series.SeriesPanel):  # over time: the same hedging, upright
                points, ceiling = series._rows(ds, panel)
                for point in points:
                    if point["qualifier"] == "at_least":
                        assert point["lo"] == point["y"] and point["hi"] == ceiling
                    elif point["qualifier"] == "at_most":
                        assert point["lo"] == 0 and point["hi"] == point["y"]
                    elif point["qualifier"] in ("exact", "approximately"):
                        assert "lo" not in point
                continue
            rows, _, top = charts._rows(ds, panel)
            for row in rows:
                if row.get("end"):
                    continue
                seen.add(row["qualifier"])
                q = row["qualifier"]
                if q == "at_least":  # open-ended up to the edge of the axis
                    assert row["lo"] == row["x"] and row["hi"] == top > row["x"]
                    assert row["bound"] == "open-ended" and row["text"].startswith("≥ ")
                elif q == "at_most":  # open-ended down to zero
                    assert row["lo"] == 0 and row["hi"] == row["x"]
                    assert row["text"].startswith("≤ ")
                elif q == "approximately":
                    assert "lo" not in row and row["text"].startswith("≈ ")
                elif q == "exact":
                    assert "lo" not in row and row["text"][0].isdigit()
    assert {"exact", "approximately", "at_least", "at_most"} <= seen


def test_chart_rows_for_hand_checked_facts() -> None:
    import aifacts

    charts: Any = import_docs_module("_charts")
    ds = aifacts.load()
    rows = {}
    series: Any = import_docs_module("_series")
    for chart in charts.CHARTS:
        for panel in chart.panels(ds):
            if isinstance(panel, series.SeriesPanel):
                continue
            for row in charts._rows(ds, panel)[0]:
                rows[(panel.slug, row["fact"])] = row
    # "over 80% awareness" (deepwater-17): China, at least 80 percent.
    assert rows[("shares", "deepwater-17")]["group"] == "China"
    assert rows[("shares", "deepwater-17")]["lo"] == 80.0
    # "under 1/10th of the U.S." (rui-post-03): at most 10 percent of the US.
    row = rows[("compute-relative", "rui-post-03")]
    assert row["hi"] == pytest.approx(10.0) and row["lo"] == 0
    assert "vs United States" in row["label"]
    # "AI computing capacity of 90 EFLOPS" (deepwater-07), China, exact.
    assert rows[("compute-capacity", "deepwater-07")]["x"] == 90.0
    # Microsoft's $80 billion (rui-post-02) is a US plan for 2025.
    row = rows[("investment-usd", "rui-post-02")]
    assert row["group"] == "United States" and "plan, 2025" in row["label"]


def test_the_nav_shows_every_section(site: Build) -> None:
    text = visible_text(site.page(""))
    titles = ("Getting started", "Data dictionary", "Sources", "Entities", "Metrics", "All facts")
    titles += ("Validation rules", "Command line", "Contributing", "Changelog")
    for title in titles:
        assert title in text, title
    checks = sorted((REPO / "docs" / "checks").glob("*.md"))
    for page in checks:
        built = "index.html" if page.stem == "index" else f"{page.stem}/index.html"
        assert (site.site / "checks" / built).is_file(), page.name


# --- the escaping of data text: a property, since quotes can hold anything -----------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(list("[]*_`<>&|#!\\-.()")),
    max_size=60,
)


def _render(markdown_text: str) -> str:
    import markdown

    return markdown.markdown(markdown_text, extensions=["tables", "attr_list", "md_in_html"])


@settings(max_examples=150)
@given(_text)
@example("&#0 &amp; &lt;b&gt;")  # character references in the data show as typed
def test_data_text_renders_exactly_as_written(value: str) -> None:
    md: Any = import_docs_module("_md")
    rendered = visible_text(_render(md.text(value)))
    assert rendered == " ".join(value.split())


@settings(max_examples=100)
@given(_text, _text)
def test_data_text_in_a_table_cell_stays_in_its_cell(a: str, b: str) -> None:
    md: Any = import_docs_module("_md")
    out = _render(md.table(("x", "y"), [(md.text(a) or "-", md.text(b) or "-")]))
    cells = re.findall(r"<td>(.*?)</td>", out, re.DOTALL)
    assert len(cells) == 2
    assert visible_text(cells[0]) == (" ".join(a.split()) or "-")
    assert visible_text(cells[1]) == (" ".join(b.split()) or "-")


def test_the_architecture_page_follows_the_layer_contract() -> None:
    architecture = import_docs_module("_architecture")
    page = architecture.architecture_page()
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    layers = architecture.layers()
    assert len(layers) >= 8
    for rank, layer in enumerate(layers, start=1):
        names = " · ".join(p.removeprefix("aifacts.") for p in layer)
        assert headings[rank - 1] == f"## {rank}. {names}"
    # Every sub-package of the library is in some layer, so the page shows it.
    import pkgutil

    import aifacts

    packaged = {i.name for i in pkgutil.iter_modules(aifacts.__path__, "aifacts.")}
    layered = {p for layer in layers for p in layer}
    assert {p for p in packaged if not p.rsplit(".", 1)[1].startswith("_")} <= layered
    assert ":mod:" not in page and "``" not in page


def test_the_architecture_page_refuses_a_name_that_does_not_exist() -> None:
    architecture = import_docs_module("_architecture")
    assert architecture.unresolved("see `aifacts.validation.engine.validate`") == []
    assert architecture.unresolved("see `aifacts.validation.engine.no_such_thing`") == [
        "aifacts.validation.engine.no_such_thing"
    ]
    assert architecture.unresolved("`aifacts.nowhere`") == ["aifacts.nowhere"]


def test_the_disagreement_page_lists_each_sorted_finding_with_both_quotes() -> None:
    import aifacts

    page_module = import_docs_module("_disagreements")
    ds = aifacts.load()
    page = page_module.disagreement_page(ds)
    found = page_module.sorted_findings(ds)
    facts = {f.fact_id: f for f in ds.facts}
    assert found, "the bundled release has findings to list"
    for sort, findings in found.items():
        assert f"## {page_module.HEADINGS[sort][0]}" in page
        for finding in findings:
            assert len(finding.fact_ids) >= 2
            for fact_id in finding.fact_ids:
                assert f"[`{fact_id}`](sources/{facts[fact_id].source_id}.md#{fact_id})" in page
                first_line = facts[fact_id].quote.splitlines()[0]
                md = import_docs_module("_md")
                assert md.text(first_line) in page
    # China's AI computing capacity (90 EFLOPS) and its total computing power (280 EFLOPS)
    # measure different things (deep-water summary): side by side, not a conflict.
    different = [set(f.fact_ids) for f in found.get("different-measure", [])]
    assert any({"deepwater-07", "deepwater-13"} <= found_ids for found_ids in different)
