"""How to cite a release, or one fact of it: BibTeX, APA, CSL-JSON and CITATION.cff.

Everything comes from the data package: the release's title, version, date,
contributors and licence from ``datapackage.json``; a fact's source (title,
publisher, date, URL) from ``sources.csv``. Nothing is invented: a field the data
does not give is left out, never guessed.

Example:
    >>> import aifacts
    >>> from aifacts.release.citation import cite
    >>> print(cite(aifacts.load(), "apa"))  # doctest: +ELLIPSIS
    aifacts contributors. (2026). aifacts: ... (Version 0.2.0) [Data set].
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aifacts.errors import UsageError

if TYPE_CHECKING:
    from aifacts.api import Dataset
    from aifacts.contract.records import Fact, Source

__all__ = ["CitationFormat", "cff", "cite", "cite_fact", "csl_items", "release_date"]

#: CSL item types for the kinds of source (CSL 1.0.2 item types).
_CSL_TYPES = {
    "news": "article-newspaper",
    "report": "report",
    "social": "post",
    "summary": "document",
}


class CitationFormat(StrEnum):
    """The formats :func:`cite` writes."""

    APA = "apa"
    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    CFF = "cff"


def release_date(ds: Dataset) -> date | None:
    """The day the release was cut, from the descriptor's ``created``."""
    created = ds.descriptor.get("created")
    if not isinstance(created, str):
        return None
    try:
        return date.fromisoformat(created[:10])
    except ValueError:
        return None


def _authors(ds: Dataset) -> list[str]:
    people = ds.descriptor.get("contributors") or []
    names = [
        str(c["title"])
        for c in people
        if isinstance(c, dict) and c.get("title") and c.get("role", "author") == "author"
    ]
    return names or ["aifacts contributors"]


def _title(ds: Dataset) -> str:
    return str(ds.descriptor.get("title") or ds.descriptor.get("name") or "aifacts")


def _licenses(ds: Dataset) -> list[str]:
    return [
        str(lic["name"])
        for lic in ds.descriptor.get("licenses") or []
        if isinstance(lic, dict) and lic.get("name")
    ]


def _key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bibtex(entry_type: str, key: str, fields: dict[str, str | None]) -> str:
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields.items():
        if value:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def _release_bibtex(ds: Dataset) -> str:
    day = release_date(ds)
    version = ds.version
    return _bibtex(
        "misc",
        _key(f"aifacts_{version or 'release'}"),
        {
            "title": "{" + _bib_escape(_title(ds)) + "}",
            "author": " and ".join("{" + _bib_escape(a) + "}" for a in _authors(ds)),
            "year": str(day.year) if day else None,
            "date": day.isoformat() if day else None,
            "version": version,
            "note": f"Version {version}, dataset" if version else "Dataset",
        },
    )


def _release_apa(ds: Dataset) -> str:
    day = release_date(ds)
    year = str(day.year) if day else "n.d."
    version = f" (Version {ds.version})" if ds.version else ""
    return f"{', '.join(_authors(ds))}. ({year}). {_title(ds)}{version} [Data set]."


def _date_parts(day: date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _release_csl(ds: Dataset) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"aifacts-{ds.version}" if ds.version else "aifacts",
        "type": "dataset",
        "title": _title(ds),
        "author": [{"literal": a} for a in _authors(ds)],
    }
    day = release_date(ds)
    if day:
        item["issued"] = _date_parts(day)
    if ds.version:
        item["version"] = ds.version
    return item


def _sources_of(ds: Dataset, fact: Fact) -> list[Source]:
    """The fact's source, then each source it derives from, oldest last."""
    chain: list[Source] = []
    source: Source | None = ds.source(fact.source_id)
    while source is not None and source not in chain:
        chain.append(source)
        source = ds.source(source.derived_from) if source.derived_from else None
    return chain


def _source_csl(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": source.source_id,
        "type": _CSL_TYPES.get(source.kind.value, "document"),
        "title": source.title,
        "language": source.language,
    }
    if source.title_en and source.title_en != source.title:
        item["title-short"] = source.title_en
    if source.publisher:
        item["publisher"] = source.publisher
        if source.kind.value == "news":
            item["container-title"] = source.publisher
    if source.published:
        item["issued"] = _date_parts(source.published)
    if source.url:
        item["URL"] = source.url
    return item


def _source_apa(source: Source) -> str:
    author = f"{source.publisher}. " if source.publisher else ""
    when = f"({source.published.isoformat()})" if source.published else "(n.d.)"
    title = source.title
    if source.title_en and source.title_en != source.title:
        title += f" [{source.title_en}]"
    url = f" {source.url}" if source.url else ""
    return f"{author}{when}. {title.rstrip('.')}.{url}"


def _source_bibtex(source: Source) -> str:
    title = source.title
    if source.title_en and source.title_en != source.title:
        title += f" [{source.title_en}]"
    return _bibtex(
        "misc",
        _key(source.source_id),
        {
            "title": "{" + _bib_escape(title) + "}",
            "author": "{" + _bib_escape(source.publisher) + "}" if source.publisher else None,
            "year": str(source.published.year) if source.published else None,
            "date": source.published.isoformat() if source.published else None,
            "howpublished": source.kind.value,
            "url": source.url,
            "language": source.language,
        },
    )


def _quote_line(fact: Fact) -> str:
    line = f"Fact {fact.fact_id}, {fact.locator}: “{fact.quote}”"
    if fact.quote_en:
        line += f" (English: “{fact.quote_en}”)"
    return line


def csl_items(ds: Dataset, fact_id: str | None = None) -> list[dict[str, Any]]:
    """CSL-JSON items: the release; for a fact, also its source and the source's originals.

    The fact's locator and quote go in the source item's ``note``.
    """
    items = [_release_csl(ds)]
    if fact_id is not None:
        fact = ds.fact(fact_id)
        for i, source in enumerate(_sources_of(ds, fact)):
            item = _source_csl(source)
            if i == 0:
                item["note"] = _quote_line(fact)
            items.append(item)
    return items


def cite_fact(ds: Dataset, fact_id: str, fmt: CitationFormat | str = "apa") -> str:
    """The citation of one fact: the release, the fact's source and its originals, the quote.

    Raises:
        UnknownIdError: ``fact_id`` is not a fact of ``ds`` (with suggestions).
    """
    return cite(ds, fmt, fact_id)


def cite(ds: Dataset, fmt: CitationFormat | str = "apa", fact_id: str | None = None) -> str:
    """The citation of the release ``ds`` (or of its fact ``fact_id``) in ``fmt``.

    Args:
        ds: a loaded release.
        fmt: ``apa``, ``bibtex``, ``csl-json`` or ``cff`` (the release only).
        fact_id: cite this fact: the release plus the source the fact comes from.

    Returns:
        The text to print or paste, without a trailing newline.

    Raises:
        UsageError: an unknown format, or ``cff`` for a fact.
        UnknownIdError: ``fact_id`` is not a fact of ``ds``.
    """
    try:
        fmt = CitationFormat(fmt)
    except ValueError:
        known = ", ".join(f.value for f in CitationFormat)
        raise UsageError(f"unknown citation format {fmt!r}; the formats are: {known}") from None
    if fmt is CitationFormat.CFF:
        if fact_id is not None:
            raise UsageError("the cff format cites the release only, not one fact")
        return cff(ds).rstrip("\n")
    if fmt is CitationFormat.CSL_JSON:
        return json.dumps(csl_items(ds, fact_id), ensure_ascii=False, indent=2)
    fact = ds.fact(fact_id) if fact_id is not None else None
    sources = _sources_of(ds, fact) if fact is not None else []
    if fmt is CitationFormat.BIBTEX:
        entries = [_release_bibtex(ds)] + [_source_bibtex(s) for s in sources]
        if fact is not None:
            entries.append("% " + _quote_line(fact).replace("\n", " "))
        return "\n\n".join(entries)
    lines = [_release_apa(ds)]
    if fact is not None:
        lines.append(_quote_line(fact))
        for i, source in enumerate(sources):
            label = "Source" if i == 0 else "Originally"
            lines.append(f"{label}: {_source_apa(source)}")
    return "\n".join(lines)


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def cff(ds: Dataset) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) for the release ``ds``.

    The repository's ``CITATION.cff`` is this text for the bundled release; a test
    keeps the two equal, so the version lives in one place (``aifacts._version``).
    """
    lines = [
        "# Generated by `aifacts cite --format cff` from datapackage.json; do not edit.",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_yaml_str(_title(ds))}",
    ]
    description = ds.descriptor.get("description")
    if isinstance(description, str) and description:
        lines.append(f"abstract: {_yaml_str(description)}")
    lines.append("authors:")
    lines += [f"  - name: {_yaml_str(a)}" for a in _authors(ds)]
    if ds.version:
        lines.append(f"version: {_yaml_str(ds.version)}")
    day = release_date(ds)
    if day:
        lines.append(f"date-released: {_yaml_str(day.isoformat())}")
    licenses = _licenses(ds)
    if len(licenses) == 1:
        lines.append(f"license: {_yaml_str(licenses[0])}")
    elif licenses:
        lines.append("license:")
        lines += [f"  - {_yaml_str(lic)}" for lic in licenses]
    keywords = ds.descriptor.get("keywords") or []
    if keywords:
        lines.append("keywords:")
        lines += [f"  - {_yaml_str(str(k))}" for k in keywords]
    return "\n".join(lines) + "\n"
