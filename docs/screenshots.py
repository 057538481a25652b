"""Screenshot pages of the built site in headless Chromium, as a new reader sees them.

Usage::

    mkdocs build --strict -d site
    python docs/screenshots.py --site site --out screenshots

It serves the built site on 127.0.0.1 (an ephemeral port; nothing leaves this
machine), opens each page in Debian's headless ``chromium`` and writes one PNG per
page: the home page, a source page and a chart page. It exits 1 when a page cannot be
served or a screenshot is missing or blank, 2 when Chromium is not installed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The pages a new reader tries first: (PNG name, path under the site).
PAGES: tuple[tuple[str, str], ...] = (
    ("home", ""),
    ("source", "sources/ainews-china-ai-self-reliance/"),
    ("chart", "charts/shares/"),
    ("over-time", "charts/over-time/"),
    ("disagreements", "disagreements/"),
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,900",
)


def find_chromium() -> str | None:
    """The Chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1; yield its base URL; stop when done."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def screenshot(chromium: str, url: str, target: Path, timeout: float = 60) -> None:
    """Write a PNG of ``url`` to ``target``."""
    with tempfile.TemporaryDirectory(prefix="aifacts-chromium-") as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={target}",
                url,
            ],
            check=False,
            capture_output=True,
            timeout=timeout,
        )


def take(site: Path, out: Path, pages: tuple[tuple[str, str], ...] = PAGES) -> list[Path]:
    """Screenshot ``pages`` of the built ``site`` into ``out``; return the PNG paths.

    Raises:
        FileNotFoundError: Chromium is not installed, or a page is not in the site.
        RuntimeError: a screenshot was not written, or is too small to show a page.
    """
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("headless Chromium not installed (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as base:
        for name, path in pages:
            if not (site / path / "index.html").is_file():
                raise FileNotFoundError(f"{site / path}: not in the built site")
            target = out / f"{name}.png"
            target.unlink(missing_ok=True)
            screenshot(chromium, base + path, target)
            if not target.is_file() or target.stat().st_size < 10_000:
                raise RuntimeError(f"{target}: no usable screenshot of {base + path}")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="where PNGs go")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here; run `mkdocs build`", file=sys.stderr)
        return 2
    try:
        for png in take(args.site, args.out):
            print(png)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2 if "Chromium" in str(exc) else 1
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
