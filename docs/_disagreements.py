"""The page "Where the sources disagree": every finding of ``aifacts check`` that puts
two sources' numbers side by side, sorted, each fact with its source's own words.

The findings are those of the ``conflicts`` rule (sorted as conflict, different
measure, different date or consistent: :data:`aifacts.consistency.conflicts.SORTS`)
and the ``rates`` rule's disagreements; nothing is typed by hand. A consistent
finding is listed only when its facts come from more than one source or state
different numbers (two outlets rounding one figure differently).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import _md
from _browser import period, show, value_of

from aifacts.consistency.conflicts import SORTS

if TYPE_CHECKING:
    from aifacts.api import Dataset
    from aifacts.consistency.findings import Finding
    from aifacts.contract.records import Fact

__all__ = ["HEADINGS", "disagreement_page", "sorted_findings"]

#: The section of each sort, with what it means for a reader.
HEADINGS = {
    "conflict": (
        "Conflicts",
        "The facts cannot all be true. A conflict marked *explained* has a fact recorded "
        "faithfully but doubted (its `doubt` says why); an unexplained one fails "
        "`aifacts check`.",
    ),
    "different-measure": (
        "Different measures",
        "Numbers that read alike but measure different things (metrics of one family), "
        "side by side: they are not compared.",
    ),
    "different-date": (
        "Different dates",
        "Undated snapshots stated on different days: the number moved, the sources need "
        "not disagree.",
    ),
    "consistent": (
        "Consistent, in other words",
        "Sources that agree: the same figure restated, or rounded differently.",
    ),
}


def _worth_listing(finding: Finding, facts: dict[str, Fact]) -> bool:
    if finding.details.get("sort") != "consistent":
        return True
    named = [facts[i] for i in finding.fact_ids if i in facts]
    values = {(f.value, f.value_high, f.unit, f.qualifier) for f in named}
    return len(finding.source_ids) > 1 or len(values) > 1


def sorted_findings(ds: Dataset) -> dict[str, list[Finding]]:
    """The findings the page lists, by sort, in :data:`SORTS` order."""
    report = ds.check(("conflicts", "rates"))
    facts = {f.fact_id: f for f in ds.facts}
    by_sort: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        sort = finding.details.get("sort")
        if finding.rule == "rates" and finding.verdict.value == "inconsistent":
            sort = "conflict"
        if sort in SORTS and _worth_listing(finding, facts):
            by_sort[sort].append(finding)
    return {sort: by_sort[sort] for sort in SORTS if by_sort[sort]}


def _fact_block(ds: Dataset, fact: Fact) -> list[str]:
    source = ds.source(fact.source_id)
    who = source.publisher or source.title
    where = f"[{_md.text(who)}]({source.url})" if source.url else _md.text(who)
    when = period(fact) or "period not stated"
    stated = show(fact.as_of) or show(source.published)
    stated = f"stated {stated}" if stated else "undated"
    lines = [
        f"- [`{fact.fact_id}`](sources/{fact.source_id}.md#{fact.fact_id}): "
        f"**{value_of(fact)}** ({_md.text(fact.status.value)}; {_md.text(when)}; "
        f"{_md.text(stated)}), {where}",
        "",
        _md.quote_block(fact.quote).replace("\n", "\n    ").join(["    ", ""]),
    ]
    if fact.doubt:
        lines += ["", f"    *Doubted:* {_md.text(fact.doubt)}"]
    return lines


def disagreement_page(ds: Dataset) -> str:
    """The page's Markdown."""
    found = sorted_findings(ds)
    facts = {f.fact_id: f for f in ds.facts}
    out = [
        "# Where the sources disagree",
        "",
        "Every place where `aifacts check` puts two numbers of the release side by side, "
        "sorted as the check sorts them, each with the words of its source. Generated "
        "from the data when the site is built.",
        "",
        _md.table(
            ["sort", "findings"],
            [(HEADINGS[s][0], str(len(found.get(s, [])))) for s in SORTS],
        ),
        "",
    ]
    for sort, findings in found.items():
        title, meaning = HEADINGS[sort]
        out += [f"## {title}", "", meaning, ""]
        for finding in findings:
            out += [f"### {_md.text(_headline(finding))}", "", _md.text(finding.message), ""]
            for fact_id in finding.fact_ids:
                if fact_id in facts:
                    out += [*_fact_block(ds, facts[fact_id]), ""]
    return "\n".join(out) + "\n"


def _headline(finding: Finding) -> str:
    first = finding.message.split(":", 1)[0]
    return first[:1].upper() + first[1:]
