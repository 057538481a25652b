"""Small Markdown helpers for the generated pages: escaping data text, tables, links.

Data text (titles, quotes, notes) is other people's words: it must render as
written, never as Markdown. :func:`text` escapes every character Python-Markdown
would act on, so a quote holding ``[1][2]``, ``*`` or ``<b>`` shows as typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

__all__ = ["QUALIFIER_SYMBOL", "code", "link", "quote_block", "stated", "table", "text"]

# Every character Python-Markdown (with the tables extension) lets a backslash escape.
_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")

#: How each qualifier reads in front of a number: the source's hedging, kept.
QUALIFIER_SYMBOL = {
    "exact": "",
    "approximately": "≈ ",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "range": "",
}


def text(value: object) -> str:
    """Inline Markdown that renders exactly as ``value`` reads (whitespace collapsed).

    ``[1] *not* <b>`` becomes ``\\[1\\] \\*not\\* &lt;b&gt;``.
    """
    flat = " ".join(str(value).split())
    escaped = html.escape(flat, quote=False)
    return _ESCAPABLE.sub(r"\\\1", escaped)


def code(value: object) -> str:
    """Inline code, safe for any text (backticks in the value are fenced around)."""
    flat = " ".join(str(value).split()).replace("|", "\\|")
    fence = "`"
    while fence in flat:
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def link(label: str, target: str) -> str:
    """A Markdown link whose label is escaped data text."""
    return f"[{text(label)}]({target})"


def quote_block(value: str) -> str:
    """A blockquote of ``value``, every line escaped."""
    lines = [text(line) for line in value.splitlines() if line.strip()]
    return "\n".join(f"> {line}" for line in lines) if lines else "> —"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be Markdown (use :func:`text` for data)."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return "\n".join(out)


def stated(value: str, unit: str, qualifier: str, value_high: str | None = None) -> str:
    """A fact's number as the source hedges it: ``≥ 400 billion USD``, ``10–100 percent``."""
    if qualifier == "range" and value_high:
        return f"{value}–{value_high} {unit}"
    return f"{QUALIFIER_SYMBOL.get(qualifier, '')}{value} {unit}"
