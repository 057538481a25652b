"""The contract: what the data package's files may say, written once.

The resources and their columns (:mod:`.schema`), the vocabularies (:mod:`.vocab`),
the units (:mod:`.units`), the typed records (:mod:`.records`), what a problem is
(:mod:`.problems`), the characters text may hold (:mod:`.characters`) and how a
value reads to a person (:mod:`.display`). Everything above builds on it; it
imports nothing of the library but :mod:`aifacts.errors`.
"""
