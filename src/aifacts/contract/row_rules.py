"""The rules within one record: each stated once, for both engines.

A :class:`RowRule` relates fields of one record: its ``check`` (over a record, the
one definition of the rule) runs on every record built (:mod:`aifacts.contract.records`),
and its ``suspects`` is a whole-column pre-filter (pyarrow, imported only there) that
marks every row which might break it; the columnar engine re-reads those rows through
the records, so both engines report what ``check`` says. :data:`ROW_RULES` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from aifacts.contract.problems import Code
from aifacts.contract.schema import resource
from aifacts.contract.vocab import Qualifier

__all__ = [
    "FORMULA_START",
    "INTEGER_PATTERN",
    "NUMBER_PATTERN",
    "ROW_RULES",
    "SELF_LINKS",
    "RowRule",
    "RuleViolation",
    "whole_cell",
]

# Whole-cell patterns, always used with ``fullmatch`` (or :func:`whole_cell`): ``$``
# alone would match before a final line feed, and ``"100\n"`` is not a number.
#: A plain decimal (``6.513``, ``-2``), the whole cell.
NUMBER_PATTERN = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
#: A whole number (``42``), the whole cell.
INTEGER_PATTERN = r"-?(?:0|[1-9][0-9]*)"
#: The first characters a spreadsheet runs as a formula: no text starts with one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Per resource, the fields that name another row of the same resource: a row never
#: names itself there (each with what that would say), and the links never loop.
SELF_LINKS: dict[str, dict[str, str]] = {
    "sources": {"derived_from": "a source cannot be derived from itself"},
    "entities": {"parent_id": "an entity cannot be its own parent"},
    "facts": {
        "part_of": "a fact cannot be part_of itself",
        "supersedes": "a fact cannot be supersedes itself",
    },
}

#: Columns of one batch, by field name: pyarrow string arrays (empty cell: ``""``).
Columns = Mapping[str, Any]


def whole_cell(pattern: str) -> str:
    """``pattern`` matching a whole cell in RE2 (``\\z``: the very end, as
    ``fullmatch``; never before a final line feed)."""
    return rf"\A(?:{pattern})\z"


class RuleViolation(NamedTuple):
    """A rule broken within one record: which field, which code, what was expected."""

    field: str
    code: Code
    message: str


@dataclass(frozen=True)
class RowRule:
    """One rule within a record of ``resource``.

    Attributes:
        name: the rule's name.
        resource: the resource whose records it judges.
        codes: every code its check may report.
        reads: the fields it reads.
        check: the rule: the violations of one record (read with ``getattr``).
        suspects: ``suspects(columns)``: a numpy boolean mask, true for every row that
            might break the rule; ``None``: every row might.
    """

    name: str
    resource: str
    codes: tuple[Code, ...]
    reads: tuple[str, ...]
    check: Callable[[Any], list[RuleViolation]]
    suspects: Callable[[Columns], Any] | None = None


def _mask(array: Any) -> Any:
    """An Arrow boolean array (nulls as false) as a numpy one."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _blank(col: Any) -> Any:
    import pyarrow.compute as pc

    return pc.equal(pc.binary_length(col), 0)


def as_floats(col: Any) -> Any:
    """The cells as float64 (monotone in the exact value); null where not a plain decimal."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numeric = pc.match_substring_regex(col, whole_cell(NUMBER_PATTERN))
    return pc.cast(pc.if_else(numeric, col, pa.scalar(None, pa.string())), pa.float64())


def _value_high(fact: Any) -> list[RuleViolation]:
    if fact.qualifier == Qualifier.RANGE:
        if fact.value_high is None:
            return [
                RuleViolation(
                    "value_high", Code.VALUE_HIGH, "a range needs value_high, the high end"
                )
            ]
        if fact.value_high <= fact.value:
            return [
                RuleViolation(
                    "value_high",
                    Code.VALUE_HIGH,
                    f"value_high {fact.value_high} must exceed value {fact.value} in a range",
                )
            ]
    elif fact.value_high is not None:
        return [
            RuleViolation(
                "value_high",
                Code.VALUE_HIGH,
                f"value_high is only for qualifier 'range', not {str(fact.qualifier)!r}",
            )
        ]
    return []


def _value_high_suspects(cols: Columns) -> Any:
    """A high outside a range, and ranges whose high may not exceed the value (floats
    are monotone: high > value as floats implies it exactly; else checked)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    is_range = pc.equal(cols["qualifier"], Qualifier.RANGE.value)
    flags = ~_mask(is_range) & ~_mask(_blank(cols["value_high"]))
    ranges = pc.indices_nonzero(is_range)
    if len(ranges):
        high, low = cols["value_high"].take(ranges), cols["value"].take(ranges)
        try:
            exceeds = pc.fill_null(pc.greater(as_floats(high), as_floats(low)), False)
        except pa.ArrowInvalid:  # a number too long for a float: check each
            exceeds = pc.fill_null(pc.equal(high, pa.scalar(None, pa.string())), False)
        flags[pc.filter(ranges, pc.invert(exceeds)).to_numpy()] = True
    return flags


def _period_order(fact: Any) -> list[RuleViolation]:
    if fact.period_start and fact.period_end and fact.period_start > fact.period_end:
        return [
            RuleViolation(
                "period_end",
                Code.PERIOD_ORDER,
                f"period_end {fact.period_end} is before period_start {fact.period_start}",
            )
        ]
    return []


def _period_order_suspects(cols: Columns) -> Any:
    """Both dates given and the start after the end (ISO dates sort as text)."""
    import pyarrow.compute as pc

    start, end = cols["period_start"], cols["period_end"]
    both = pc.invert(pc.or_(_blank(start), _blank(end)))
    return _mask(pc.and_(both, pc.greater(start, end)))


def _self_link_rule(resource: str, key: str, links: Mapping[str, str]) -> RowRule:
    def check(record: Any) -> list[RuleViolation]:
        own = getattr(record, key, None)
        return [
            RuleViolation(name, Code.SELF_REFERENCE, message)
            for name, message in links.items()
            if own is not None and getattr(record, name, None) == own
        ]

    def suspects(cols: Columns) -> Any:
        import numpy as np
        import pyarrow.compute as pc

        mask = np.zeros(len(cols[key]), dtype=bool)
        for name in links:
            mask |= _mask(pc.equal(cols[name], cols[key]))
        return mask

    return RowRule(
        f"{resource}_self_links",
        resource,
        (Code.SELF_REFERENCE,),
        (key, *links),
        check,
        suspects,
    )


#: Every rule within one record, in the order their violations are reported.
ROW_RULES: tuple[RowRule, ...] = (
    RowRule(
        "value_high",
        "facts",
        (Code.VALUE_HIGH,),
        ("qualifier", "value", "value_high"),
        _value_high,
        _value_high_suspects,
    ),
    RowRule(
        "period_order",
        "facts",
        (Code.PERIOD_ORDER,),
        ("period_start", "period_end"),
        _period_order,
        _period_order_suspects,
    ),
    *(
        _self_link_rule(name, resource(name).primary_key, links)
        for name, links in SELF_LINKS.items()
    ),
)
