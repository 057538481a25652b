"""Consistency across facts: do the numbers of the release agree with each other?

Each rule is a small module with one job and one function ``run(context)``
returning :class:`Finding` objects:

- :mod:`~aifacts.consistency.parts` — parts (``part_of``) can sum to their whole;
- :mod:`~aifacts.consistency.rates` — one amount stated in two currencies implies
  an exchange rate; implied rates of the same pair agree;
- :mod:`~aifacts.consistency.comparisons` — ratios and shares agree with absolute
  facts on the same metric, and the bounds they imply;
- :mod:`~aifacts.consistency.conflicts` — facts on the same entity, metric and
  period overlap.

Every rule reads facts through :func:`aifacts.contract.intervals.fact_interval`, the one
definition of what a fact asserts. Superseded facts are left out of every rule.

Example:
    >>> import aifacts
    >>> report = aifacts.load().check()
    >>> any(f.rule == "parts" and f.verdict == "consistent" for f in report.findings)
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aifacts.consistency.findings import ConsistencyReport, Finding, Verdict
from aifacts.errors import UsageError

if TYPE_CHECKING:
    from aifacts.consistency.context import Context
    from aifacts.dataset.tables import Tables

__all__ = ["CONSISTENCY_RULES", "ConsistencyReport", "Finding", "Verdict", "check"]


Rule = Callable[["Context"], list[Finding]]


def _rules() -> dict[str, Rule]:
    from aifacts.consistency import comparisons, conflicts, parts, rates

    return {
        "parts": parts.run,
        "rates": rates.run,
        "comparisons": comparisons.run,
        "conflicts": conflicts.run,
    }


#: The rule names, in the order they run and report.
CONSISTENCY_RULES: tuple[str, ...] = ("parts", "rates", "comparisons", "conflicts")


def check(dataset: Tables, rules: Sequence[str] | None = None) -> ConsistencyReport:
    """Check how the facts of ``dataset`` relate; see :class:`ConsistencyReport`.

    Args:
        dataset: a loaded dataset.
        rules: the rule names to run (default: all of :data:`CONSISTENCY_RULES`).

    Returns:
        The report; ``report.consistent`` is false when any finding is inconsistent.

    Raises:
        UsageError: a rule name is not one of :data:`CONSISTENCY_RULES`.
    """
    from aifacts.consistency.context import Context

    chosen = tuple(CONSISTENCY_RULES if rules is None else rules)
    unknown = [name for name in chosen if name not in CONSISTENCY_RULES]
    if unknown:
        names = ", ".join(CONSISTENCY_RULES)
        raise UsageError(f"unknown rule {unknown[0]!r}; the rules are: {names}")
    context = Context.from_dataset(dataset)
    table = _rules()
    findings: list[Finding] = []
    for name in CONSISTENCY_RULES:
        if name in chosen:
            found = table[name](context)
            findings.extend(sorted(found, key=lambda f: (f.fact_ids, f.verdict, f.message)))
    return ConsistencyReport(tuple(findings), chosen)
