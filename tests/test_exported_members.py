"""The public surface is curated: `__all__` lists exactly the public names."""

from __future__ import annotations

import subprocess
import sys

import aifacts


def test_all_matches_public_names() -> None:
    public = {name for name in dir(aifacts) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(aifacts, name)).__name__ == "module"}
    assert set(aifacts.__all__) - {"ureg", "__version__"} == public - modules
    assert "ureg" in aifacts.__all__ and aifacts.ureg is not None


def test_import_is_light() -> None:
    """`import aifacts` builds no registry and imports no heavy library."""
    code = (
        "import sys, aifacts; "
        "heavy = [m for m in ('pint', 'frictionless', 'pandas', 'pyarrow', 'openpyxl', 'duckdb')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
