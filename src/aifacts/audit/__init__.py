"""The completeness audit: every quantity a source document states is a fact, an
omission with a reason, or reported missed (:mod:`.completeness`)."""
