"""A validated release in memory: its records (:mod:`.base`), ways into them
(:mod:`.tables`, :mod:`.links`), queries (:mod:`.query`), data frames (:mod:`.frames`)
and money conversions with dated rates (:mod:`.money`)."""
