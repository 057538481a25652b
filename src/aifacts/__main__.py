"""``python -m aifacts``: the same command line as the ``aifacts`` script."""

from aifacts.cli import main

main()
