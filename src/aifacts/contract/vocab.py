"""The fixed vocabularies of the data contract (DESIGN §1), as string enums.

Their values are what the CSV cells hold; the enums give Python users names.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "EntityKind",
    "MetricKind",
    "OmissionReason",
    "PublishedBasis",
    "Qualifier",
    "SourceKind",
    "Status",
]


class Qualifier(StrEnum):
    """The source's hedging: how the stated number bounds the true one."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"


class Status(StrEnum):
    """What kind of number a fact is."""

    ACTUAL = "actual"
    ESTIMATE = "estimate"
    FORECAST = "forecast"
    TARGET = "target"
    PLEDGE = "pledge"
    PLAN = "plan"


class SourceKind(StrEnum):
    """What kind of document a source is."""

    NEWS = "news"
    REPORT = "report"
    SOCIAL = "social"
    SUMMARY = "summary"
    FILING = "filing"
    DATASET = "dataset"
    GOVERNMENT = "government"
    OTHER = "other"


class PublishedBasis(StrEnum):
    """How a source's ``published`` date was established.

    ``stated``: the document gives the full date. ``inferred``: the date (or part of
    it, such as the year) is worked out from other evidence, which the source's
    ``note`` names. ``none``: the date is not known, and ``published`` is empty.
    """

    STATED = "stated"
    INFERRED = "inferred"
    NONE = "none"


class EntityKind(StrEnum):
    """What kind of thing an entity is."""

    COUNTRY = "country"
    CITY = "city"
    REGION = "region"
    COMPANY = "company"
    GOVERNMENT = "government"
    PROGRAMME = "programme"
    PROJECT = "project"
    PRODUCT = "product"
    GROUP = "group"
    ORGANISATION = "organisation"
    PERSON = "person"
    SECTOR = "sector"


class MetricKind(StrEnum):
    """What kind of quantity a metric is; ``share`` and ``count`` carry bounds.

    ``rank`` is an ordinal position (1 = first), not a count.
    """

    STOCK = "stock"
    FLOW = "flow"
    SHARE = "share"
    RATIO = "ratio"
    COUNT = "count"
    DURATION = "duration"
    GROWTH = "growth"
    PRICE = "price"
    RANK = "rank"


class OmissionReason(StrEnum):
    """Why a number a source states is deliberately not a fact (resource ``omissions``)."""

    FOOTNOTE_MARK = "footnote-mark"
    LIST_LABEL = "list-label"
    PUBLICATION_DATE = "publication-date"
    IDENTIFIER = "identifier"
    EVENT_DATE = "event-date"
    NO_QUANTITY = "no-quantity"
    RANK_CLAIM = "rank-claim"
    TIME_FRAME = "time-frame"
    VAGUE_AMOUNT = "vague-amount"
