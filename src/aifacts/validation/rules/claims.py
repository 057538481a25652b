"""Rule ``check_claims``: the facts of one claim agree.

Facts that state the same claim share a ``claim_id`` (a headline and the body, two
currencies, two languages, a source and the one it is derived from). They must
agree:

- in ``entity_id``, ``metric_id``, ``period_start``, ``period_end`` and ``status``,
  exactly (each is compared with the claim's first fact, by row);
- in amount: the intervals they assert (:func:`aifacts.contract.intervals.fact_interval`,
  in the metric's canonical unit) share a value. Amounts in two currencies are not
  compared here: no fixed rate links them; stated in one sentence, they imply an
  exchange rate that the consistency rule ``rates`` records (``aifacts check``).

A fact another fact ``supersedes`` is left out: its correction speaks for the claim.
A ``claim_id`` that is the ``fact_id`` of a fact names that fact's claim: the fact must
be in it. Intervals that pairwise overlap share a point (on a line), so each fact is
compared with the common part of the earlier ones only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aifacts.contract.canonical import canonical_unit
from aifacts.contract.intervals import Interval, convert_interval, fact_interval
from aifacts.contract.problems import Code, clip
from aifacts.contract.records import Fact, Metric
from aifacts.contract.schema import resource
from aifacts.contract.vocab import MetricKind
from aifacts.errors import UnitError
from aifacts.io.reading import Table
from aifacts.validation.rules.base import (
    ROW,
    Kept,
    Rule,
    Subsets,
    as_mask,
    encoded,
    positions,
    stand_ins,
    text_column,
)

__all__ = ["AGREEING_FIELDS", "check_claims"]

#: The fields every fact of one claim states alike.
AGREEING_FIELDS = ("entity_id", "metric_id", "period_start", "period_end", "status")


@dataclass
class _Amounts:
    """The common part of the amounts stated so far in one unit, and the facts that bound it."""

    common: Interval
    low_fact: str
    high_fact: str


def check_claims(tables: Mapping[str, Table]) -> None:
    """Facts sharing a ``claim_id`` agree in entity, metric, period, status and amount."""
    facts = tables["facts"]
    metrics = {m.key: m for _, m in tables["metrics"].rows if isinstance(m, Metric)}
    rows = [(row, f) for row, f in facts.rows if isinstance(f, Fact)]
    superseded = {f.supersedes for _, f in rows if f.supersedes is not None}
    own_claim = {f.fact_id: f.claim_id for _, f in rows}
    claims: dict[str, list[tuple[int, Fact]]] = {}
    for row, fact in rows:
        named = own_claim.get(fact.claim_id)
        if fact.claim_id != fact.fact_id and named is not None and named != fact.claim_id:
            facts.problem(
                row,
                "claim_id",
                Code.CLAIM_DISAGREES,
                f"claim_id {clip(fact.claim_id)} is the fact_id of a fact whose own claim_id "
                f"is {clip(named)}: a claim named after a fact holds that fact",
            )
        if fact.fact_id not in superseded:
            claims.setdefault(fact.claim_id, []).append((row, fact))
    for members in claims.values():
        if len(members) > 1:
            _check_claim(facts, members, metrics)


def _check_claim(
    facts: Table, members: list[tuple[int, Fact]], metrics: Mapping[str, Metric]
) -> None:
    first_row, first = members[0]
    amounts: dict[str, _Amounts] = {}
    for row, fact in members:
        differs = [n for n in AGREEING_FIELDS if getattr(fact, n) != getattr(first, n)]
        for name in differs:
            facts.problem(
                row,
                name,
                Code.CLAIM_DISAGREES,
                f"fact {clip(fact.fact_id)} states claim {clip(fact.claim_id)} with {name} "
                f"{_shown(getattr(fact, name))}, but {clip(first.fact_id)} (row {first_row}) "
                f"states it with {_shown(getattr(first, name))}; the facts of one claim "
                "agree in entity, metric, period and status",
            )
        if differs:
            continue
        _check_amount(facts, row, fact, metrics.get(fact.metric_id), amounts)


def _shown(value: object) -> str:
    return "(empty)" if value is None else clip(str(value))


def _check_amount(
    facts: Table, row: int, fact: Fact, metric: Metric | None, amounts: dict[str, _Amounts]
) -> None:
    if metric is None:
        return  # a broken reference, reported by check_foreign_keys
    unit = canonical_unit(fact.unit, metric.unit)
    if unit is None:
        return  # a unit problem, reported by check_units
    kind = metric.kind if isinstance(metric.kind, MetricKind) else None
    try:
        interval = convert_interval(fact_interval(fact, kind), fact.unit, unit)
    except (UnitError, ValueError, ArithmeticError):
        return
    held = amounts.get(unit)
    if held is None:
        amounts[unit] = _Amounts(interval, fact.fact_id, fact.fact_id)
        return
    common = held.common.intersection(interval)
    if common is None:
        other = held.low_fact if interval.high < held.common.low else held.high_fact
        facts.problem(
            row,
            "value",
            Code.CLAIM_DISAGREES,
            f"fact {clip(fact.fact_id)} states claim {clip(fact.claim_id)} as "
            f"{interval.describe(unit)}, outside {held.common.describe(unit)}, what its "
            f"earlier facts allow (bounded by {clip(other)}): the amounts of one claim overlap",
        )
        return
    if common.low != held.common.low:
        held.low_fact = fact.fact_id
    if common.high != held.common.high:
        held.high_fact = fact.fact_id
    held.common = common


def suspects(kept: Mapping[str, Kept]) -> Subsets:
    """The facts whose claim may disagree, found without checking every claim.

    A claim's verdict depends only on the cells its facts state, in row order (their
    ids appear in messages, never in verdicts). So claims are grouped by that
    *signature*; one claim of each group is checked here, with :func:`check_claims`
    itself, and only the claims of a group whose checked claim disagrees are handed
    to the check. Also handed over: a fact whose ``claim_id`` names a fact with
    another claim, and that fact; and the facts that supersede any of these (a
    superseded fact is left out of its claim, so the check must see what supersedes
    it).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    facts = kept["facts"].table
    claim, fact_id = text_column(facts["claim_id"]), text_column(facts["fact_id"])
    # Fact ids are unique once check_primary_keys has dropped later duplicates (the
    # engine computes suspects again after rows are dropped), so of two facts sharing
    # a claim at least one names it with another id than its own: the claims named
    # that way are all the claims held by more than one fact.
    named = as_mask(pc.not_equal(claim, fact_id))
    if not named.any():
        return {}
    claims = pc.unique(claim.filter(pa.array(named)))
    supersedes = text_column(facts["supersedes"])
    corrected = supersedes.filter(pc.greater(pc.binary_length(supersedes), 0))
    superseded = as_mask(pc.is_in(fact_id, value_set=pc.unique(corrected)))
    member = as_mask(pc.is_in(claim, value_set=claims)) & ~superseded
    # A fact named as a claim whose own claim is another: it, and the facts naming it.
    naming = named & as_mask(pc.is_in(fact_id, value_set=claims))
    picked = named & as_mask(pc.is_in(claim, value_set=fact_id.filter(pa.array(naming))))
    picked |= naming & as_mask(pc.is_in(fact_id, value_set=claim.filter(pa.array(picked))))
    picked |= _disagreeing(kept, member)
    if picked.any():
        picked = _superseding(picked, _superseded_rows(fact_id, supersedes, corrected))
    if not picked.any():
        return {}
    return {"metrics": kept["metrics"].table, "facts": facts.filter(pa.array(picked))}


def _superseded_rows(fact_id: Any, supersedes: Any, corrected: Any) -> Any:
    """The row of the fact each fact supersedes (-1: none), numbering the few facts
    superseded rather than every fact id."""
    import numpy as np
    import pyarrow.compute as pc

    targets = pc.unique(corrected)
    if not len(targets):
        return np.full(len(fact_id), -1, dtype=np.int64)
    target_of_row = positions(pc.index_in(fact_id, value_set=targets))
    row_of_target = np.full(len(targets), -1, dtype=np.int64)
    named = np.flatnonzero(target_of_row >= 0)
    row_of_target[target_of_row[named]] = named
    wanted = positions(pc.index_in(supersedes, value_set=targets))
    return np.where(wanted >= 0, row_of_target[np.maximum(wanted, 0)], -1)


def _superseding(picked: Any, step: Any) -> Any:
    """``picked`` (a mask) with every fact that supersedes a picked one, and so on;
    ``step``: the row each fact supersedes (-1: none). A chain of any length takes a
    few rounds: each follows twice as many links as the one before.

    Example:
        >>> import numpy as np
        >>> _superseding(np.array([True, False, False, False]), np.array([-1, 0, 1, -1]))
        array([ True,  True,  True, False])
    """
    import numpy as np

    active = np.flatnonzero(step >= 0)
    reach, far, span, links = picked.copy(), step.copy(), 1, len(active)
    while len(active) and span <= links:  # no path is longer than all the links
        ahead = far[active]
        ahead = ahead[ahead >= 0]
        on = active[far[active] >= 0]
        reach[on] |= reach[ahead]  # reached within twice as many links
        far[on] = far[ahead]
        active, span = on, span * 2
    return reach


def _disagreeing(kept: Mapping[str, Kept], member: Any) -> Any:
    """The facts (a mask) of the claims that may disagree, of the claims held by more
    than one fact (``member``: their facts not superseded). Each distinct signature's
    first claim is checked by :func:`check_claims`; the others of its signature share
    its verdict."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    facts = kept["facts"].table
    rows = facts.select([ROW, "claim_id", *_SIGNED]).filter(pa.array(member))
    _, claim_at = encoded(text_column(rows["claim_id"]))
    cells = pc.binary_join_element_wise(*(text_column(rows[n]) for n in _SIGNED), "\x1f")
    order = np.argsort(claim_at, kind="stable")  # each claim's facts together, in row order
    sorted_claims = claim_at[order]
    starts = np.flatnonzero(np.r_[True, sorted_claims[1:] != sorted_claims[:-1]])
    offsets = pa.array(np.r_[starts, len(order)].astype(np.int32))
    listed = pa.ListArray.from_arrays(offsets, cells.take(pa.array(order)).combine_chunks())
    signature_names, signature_at = encoded(pc.binary_join(listed, "\x1e"))
    group_claims = sorted_claims[starts]  # the claim of each signature row
    _, first = np.unique(signature_at, return_index=True)  # a signature's first claim
    checked = np.isin(claim_at, group_claims[first])
    in_sample = np.zeros(facts.num_rows, dtype=bool)
    in_sample[np.flatnonzero(member)[checked]] = True
    sample = facts.select([ROW, "fact_id", *_READS]).filter(pa.array(in_sample))
    tables = {
        "facts": Table(resource("facts"), "", rows=stand_ins("facts", sample)),
        "metrics": Table(resource("metrics"), "", rows=stand_ins("metrics", kept["metrics"].table)),
    }
    check_claims(tables)
    at_fault = np.array([p.row for p in tables["facts"].problems if p.row is not None], np.int64)
    faulty_claims = claim_at[checked][np.isin(sample[ROW].to_numpy(), at_fault)]
    bad_signature = np.zeros(len(signature_names), dtype=bool)
    bad_signature[signature_at[np.isin(group_claims, faulty_claims)]] = True
    bad_claims = group_claims[bad_signature[signature_at]]
    if not len(bad_claims):
        return np.zeros(facts.num_rows, dtype=bool)
    wanted = pc.unique(
        text_column(rows["claim_id"]).filter(pa.array(np.isin(claim_at, bad_claims)))
    )
    return as_mask(pc.is_in(text_column(facts["claim_id"]), value_set=wanted))


#: The cells of a fact a claim's verdict reads (its metric's unit and kind come with
#: its ``metric_id``).
_SIGNED = (*AGREEING_FIELDS, "value", "value_high", "unit", "qualifier")


#: The fact columns the check reads, besides the key.
_READS = ("claim_id", *_SIGNED, "supersedes")

RULE = Rule(
    name="claims",
    codes=(Code.CLAIM_DISAGREES,),
    reads={"metrics": ("unit", "kind"), "facts": _READS},
    check=check_claims,
    suspects=suspects,
)
