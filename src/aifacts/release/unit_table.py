"""Regenerate the table of plain unit strings, :mod:`aifacts.contract._unit_terms_data`.

Run ``python -m aifacts.release.unit_table`` after changing a unit definition; the
test suite fails until the table matches :func:`aifacts.contract.unit_terms.generate`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aifacts.contract import unit_terms
from aifacts.io.atomic import write_atomic


def main() -> None:
    """Rewrite the generated table beside :mod:`aifacts.contract.unit_terms`."""
    path = Path(unit_terms.__file__).with_name("_unit_terms_data.py")
    write_atomic(path, unit_terms.generate().encode("utf-8"))
    sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main()
