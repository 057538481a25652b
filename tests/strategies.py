"""Hypothesis strategies for valid records of every resource, and their CSV cells."""

from __future__ import annotations

import string
import unicodedata
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from aifacts.contract.characters import FORBIDDEN, LINE_BREAKS, first_forbidden
from aifacts.contract.records import Entity, Fact, Metric, Omission, Source
from aifacts.contract.vocab import (
    EntityKind,
    MetricKind,
    OmissionReason,
    Qualifier,
    SourceKind,
    Status,
)

slugs = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")

_FORMULA = tuple("=+-@")


def _clean(text: str, multiline: bool = True) -> bool:
    return (
        text == text.strip()
        and bool(text)
        and not text.startswith(_FORMULA)
        and unicodedata.is_normalized("NFC", text)
        and first_forbidden(text, multiline=multiline) is None
    )


_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
)

#: Text a multi-line cell may hold: any printable characters (Chinese, quotes, commas,
#: newlines and tabs inside), in NFC, without stray whitespace, a formula-like start
#: or a character :mod:`aifacts.contract.text_rules` forbids.
long_texts = (
    st.text(
        alphabet=_CHARACTERS
        | st.sampled_from([",", '"', "\n", "\t", "中", "美", "’", "“", "$", "%", "–", "，"]),
        min_size=1,
        max_size=40,
    )
    .map(lambda t: unicodedata.normalize("NFC", t).strip())
    .filter(_clean)
)
#: Text a one-line cell may hold: as :data:`long_texts`, without tabs or line feeds.
texts = (
    st.text(
        alphabet=_CHARACTERS
        | st.sampled_from([",", '"', "中", "美", "’", "“", "$", "%", "–", "，", "\u00a0"]),
        min_size=1,
        max_size=40,
    )
    .map(lambda t: unicodedata.normalize("NFC", t).strip())
    .filter(lambda t: _clean(t, multiline=False))
)


def forbidden_chars(*, multiline: bool) -> st.SearchStrategy[str]:
    """One character that a text field may not hold (:mod:`aifacts.contract.text_rules`); tab
    and line feed too unless ``multiline``. Not NUL (the CSV reader's to refuse) nor a
    surrogate (UTF-8 cannot hold one)."""
    ranges = FORBIDDEN if multiline else FORBIDDEN + LINE_BREAKS
    usable = [(lo, hi) for lo, hi in ranges if lo > 0 and not 0xD800 <= lo <= 0xDFFF]
    return st.sampled_from(usable).flatmap(lambda r: st.integers(*r)).map(chr)


numbers = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, places=None
).map(lambda d: Decimal(format(d, "f")))
non_negative = numbers.map(abs)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
units = st.sampled_from(["USD", "billion CNY", "EFLOPS", "GW", "percent", "million household"])


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


sources = st.builds(
    Source,
    source_id=slugs,
    title=texts,
    title_en=optional(texts),
    publisher=optional(texts),
    published=optional(dates),
    language=st.sampled_from(["en", "zh", "zh-Hant", "fr"]),
    url=optional(st.just("https://example.org/a")),
    kind=st.sampled_from(list(SourceKind)),
    derived_from=st.none(),
    document_sha256=optional(st.from_regex(r"\A[0-9a-f]{64}\Z")),
    note=optional(long_texts),
)

entities = st.builds(
    Entity,
    entity_id=slugs,
    name=texts,
    name_zh=optional(texts),
    kind=st.sampled_from(list(EntityKind)),
    country=optional(slugs),
    parent_id=st.none(),
    note=optional(long_texts),
)

metrics = st.builds(
    Metric,
    metric_id=slugs,
    label=texts,
    description=long_texts,
    unit=units,
    kind=st.sampled_from(list(MetricKind)),
    note=optional(long_texts),
)


@st.composite
def facts(draw: st.DrawFn) -> Fact:
    """A coherent fact: a range has a higher value_high, periods run forwards."""
    qualifier = draw(st.sampled_from(list(Qualifier)))
    value = draw(numbers)
    value_high = None
    if qualifier is Qualifier.RANGE:
        value_high = value + draw(st.integers(min_value=1, max_value=10**6))
    start, end = sorted([draw(dates), draw(dates)])
    with_period = draw(st.booleans())
    return Fact(
        fact_id=draw(slugs),
        entity_id=draw(slugs),
        metric_id=draw(slugs),
        value=value,
        unit=draw(units),
        qualifier=qualifier,
        value_high=value_high,
        status=draw(st.sampled_from(list(Status))),
        period_start=start if with_period else None,
        period_end=end if with_period else None,
        as_of=draw(optional(dates)),
        source_id=draw(slugs),
        locator=draw(st.sampled_from(["[1]", "[1][2]", "para 3"])),
        quote=draw(long_texts),
        quote_en=draw(optional(long_texts)),
        related_entity_id=draw(optional(slugs)),
        part_of=None,
        supersedes=None,
        note=draw(optional(long_texts)),
    )


omissions = st.builds(
    Omission,
    omission_id=slugs,
    source_id=slugs,
    offset=st.integers(min_value=0, max_value=10**9),
    span=long_texts,
    reason=st.sampled_from(list(OmissionReason)),
    note=optional(long_texts),
)

RECORDS = {
    "sources": sources,
    "entities": entities,
    "metrics": metrics,
    "facts": facts(),
    "omissions": omissions,
}

printable_ascii = st.text(alphabet=string.printable, max_size=30)
