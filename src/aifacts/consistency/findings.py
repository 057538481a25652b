"""What a consistency check finds: a :class:`Finding` per relation, with a
:class:`Verdict`, gathered in a :class:`ConsistencyReport`. Each rule module returns findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["ConsistencyReport", "Finding", "Verdict"]


class Verdict(StrEnum):
    """What a finding says about the facts it names."""

    CONSISTENT = "consistent"
    """The facts can all be true together."""
    INCONSISTENT = "inconsistent"
    """The facts cannot all be true together."""
    INFO = "info"
    """Something derived (a rate, an implied bound) or a relation that cannot be checked."""


@dataclass(frozen=True)
class Finding:
    """One relation between facts and the verdict on it.

    Attributes:
        rule: the rule that found it (``parts``, ``rates``, ``comparisons``, ``conflicts``).
        verdict: consistent, inconsistent or info.
        message: one sentence for a reader, naming the numbers.
        fact_ids: the facts involved, in the order the message names them.
        source_ids: the sources of those facts, each once.
        details: JSON-ready data behind the message (intervals as exact decimal text).
    """

    rule: str
    verdict: Verdict
    message: str
    fact_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """One line of text: ``inconsistent parts [a, b] (src): message``."""
        facts = ", ".join(self.fact_ids)
        sources = ", ".join(self.source_ids)
        return f"{self.verdict.value:<12} {self.rule:<11} [{facts}] ({sources}): {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return {
            "rule": self.rule,
            "verdict": self.verdict.value,
            "message": self.message,
            "fact_ids": list(self.fact_ids),
            "source_ids": list(self.source_ids),
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class ConsistencyReport:
    """Every finding of a check, ordered by rule, then by the facts named."""

    findings: tuple[Finding, ...]
    rules: tuple[str, ...] = ()

    @property
    def inconsistent(self) -> int:
        """How many findings say that facts cannot all be true."""
        return sum(1 for f in self.findings if f.verdict is Verdict.INCONSISTENT)

    @property
    def consistent(self) -> bool:
        """No finding is inconsistent (the command exits 0)."""
        return self.inconsistent == 0

    @property
    def counts(self) -> dict[str, int]:
        """Findings per verdict."""
        return {v.value: sum(1 for f in self.findings if f.verdict is v) for v in Verdict}

    def by_rule(self, rule: str) -> list[Finding]:
        """The findings of one rule."""
        return [f for f in self.findings if f.rule == rule]

    def involving(self, fact_id: str) -> list[Finding]:
        """The findings that name ``fact_id``."""
        return [f for f in self.findings if fact_id in f.fact_ids]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``consistent``, ``inconsistent``, ``counts``, ``rules``, ``findings``."""
        return {
            "consistent": self.consistent,
            "inconsistent": self.inconsistent,
            "counts": self.counts,
            "rules": list(self.rules),
            "findings": [f.to_dict() for f in self.findings],
        }
