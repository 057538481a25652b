"""The ``aifacts`` command line (:mod:`.main`, one module per command family in
:mod:`.commands`); never imported by ``import aifacts``."""
