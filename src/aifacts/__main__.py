"""``python -m aifacts``: the same command line as the ``aifacts`` script."""

from aifacts.cli.main import main

main()
