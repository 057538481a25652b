"""Reading and writing a package's files: safely, within bounds, atomically.

Where a package is and what its descriptor says (:mod:`.package`,
:mod:`.descriptor`), opening only regular files inside its folder (:mod:`.files`),
CSV and JSON rows into records (:mod:`.reading`) and back (:mod:`.writing`), and
writing every file atomically (:mod:`.atomic`).
"""
