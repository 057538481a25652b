"""Rule ``check_source_basis``: a source says how its date was established and whether
its document is held, and its other fields agree.

- ``published_basis`` ``stated`` or ``inferred`` needs a ``published`` date; ``none``
  needs ``published`` empty. (``inferred``: the note says from what.)
- ``document_held`` is true exactly when ``document_sha256`` is set: the completeness
  audit reads the held text; a source whose text is not kept is checked quote by quote.
"""

from __future__ import annotations

from collections.abc import Mapping

from aifacts.contract.problems import Code
from aifacts.contract.records import Source
from aifacts.contract.vocab import PublishedBasis
from aifacts.io.reading import Table

__all__ = ["check_source_basis"]


def check_source_basis(tables: Mapping[str, Table]) -> None:
    """``published_basis`` agrees with ``published``; ``document_held`` with the hash."""
    sources = tables["sources"]
    for row, source in sources.rows:
        assert isinstance(source, Source)
        basis = PublishedBasis(source.published_basis)
        if basis is PublishedBasis.NONE and source.published is not None:
            sources.problem(
                row,
                "published_basis",
                Code.PUBLISHED_BASIS,
                f"published_basis is 'none' but published is {source.published}: "
                "say 'stated' or 'inferred' (and from what, in the note), or empty published",
            )
        elif basis is not PublishedBasis.NONE and source.published is None:
            sources.problem(
                row,
                "published_basis",
                Code.PUBLISHED_BASIS,
                f"published_basis is {basis.value!r} but published is empty: "
                "give the date, or say 'none'",
            )
        if source.document_held and source.document_sha256 is None:
            sources.problem(
                row,
                "document_held",
                Code.DOCUMENT_HELD,
                "document_held is true but document_sha256 is empty: give the SHA-256 of "
                "the text the facts were read from, or say false",
            )
        elif not source.document_held and source.document_sha256 is not None:
            sources.problem(
                row,
                "document_held",
                Code.DOCUMENT_HELD,
                "document_held is false but document_sha256 is set: say true, or empty the hash",
            )
