"""Validation: every rule of the contract, run by two engines that report the same problems.

:func:`aifacts.validation.engine.validate` reads a package and returns a
:class:`~aifacts.validation.report.Report`; the row engine builds typed records,
the columnar engine (:mod:`.columnar`) checks whole columns with pyarrow.
"""
