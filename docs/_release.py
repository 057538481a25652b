"""The release notes page: what the CHANGELOG says of this release, and what
``aifacts diff`` finds between the previous release and this one.

The previous release's files are kept in ``tests/data/release-<version>/`` (the
project's own data, as it was published), so the diff is computed anew at every
build and cannot go stale.
"""

from __future__ import annotations

from pathlib import Path

from aifacts.release.diff import diff_packages

__all__ = ["PREVIOUS", "release_notes_page"]

ROOT = Path(__file__).resolve().parents[1]
#: The release this one is compared with.
PREVIOUS = "0.1.0"


def _changelog_section(version: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = text.find(f"## [{version}]")
    if start < 0:
        start = text.find("## [Unreleased]")
    end = text.find("\n## [", start + 1)
    body = text[start : end if end > 0 else None].split("\n", 1)[1]
    return body.replace("\n### ", "\n#### ").strip()


def release_notes_page(descriptor: Path, version: str) -> str:
    """The page's Markdown for release ``version`` of the package at ``descriptor``."""
    old = ROOT / "tests" / "data" / f"release-{PREVIOUS}"
    found = diff_packages(old, descriptor)
    return "\n".join(
        [
            f"# Release notes: {version}",
            "",
            f"## What changed since {PREVIOUS}: `aifacts diff`",
            "",
            f"`aifacts diff` of release {PREVIOUS} (as published) and release {version}, "
            "computed when this site was built:",
            "",
            "```text",
            *(line.replace(f"{ROOT}/", "") for line in found.lines()),
            "```",
            "",
            "## The changelog of this release",
            "",
            _changelog_section(version),
            "",
        ]
    )
