"""Pages tried as a new reader would: headless Chromium opens the built site.

Runs ``docs/screenshots.py`` against the site ``mkdocs build --strict`` made, and checks
that the home page, a source page and a chart page each render to a real picture. The
PNGs are left in ``$AIFACTS_SCREENSHOTS`` when set, so a person can look at them.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docsite import REPO, build_site, missing_tools

CHROMIUM = next(
    (p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None
)
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        bool(missing_tools()), reason="docs tools not installed: pip install -e '.[docs]'"
    ),
]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _distinct_colours(path: Path) -> int:
    """How many colours the top of the picture holds (a blank page has one)."""
    import zlib

    data = path.read_bytes()
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"IHDR":
            header = data[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width = int.from_bytes(header[:4], "big")
    channels = {2: 3, 6: 4}[header[9]]
    raw = zlib.decompress(idat)
    stride = 1 + width * channels
    # Filtered rows: count raw byte patterns of a band of rows as a rough proxy.
    band = raw[stride * 100 : stride * 400]
    return len({band[i : i + channels] for i in range(0, len(band), channels * 7)})


def test_home_source_and_chart_pages_render_in_chromium(tmp_path: Path) -> None:
    site = build_site()
    assert site.returncode == 0, site.log[-4000:]
    out = Path(os.environ.get("AIFACTS_SCREENSHOTS", tmp_path / "shots"))
    result = subprocess.run(
        [sys.executable, str(REPO / "docs" / "screenshots.py"), "--site", str(site.site),
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in ("home", "source", "chart", "over-time", "disagreements"):
        png = out / f"{name}.png"
        assert png.is_file(), f"no screenshot of the {name} page"
        assert _png_size(png) == (1280, 900)
        assert _distinct_colours(png) > 20, f"{png} looks blank"


def test_the_screenshot_script_refuses_a_missing_site(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "docs" / "screenshots.py"), "--site", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "no built site" in result.stderr
