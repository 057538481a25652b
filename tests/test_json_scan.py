"""A JSON form is judged a line at a time, with the very words of reading it whole.

:func:`aifacts.io.reading.json_file_problem` reads a line at a time (bounded memory) and
must report exactly the file-level problem :func:`aifacts.io.reading.read_json` reports
reading the file whole (not UTF-8, not JSON and where, not an array), or none. Edits
of real JSON forms, at the level of bytes and of lines, are compared with it, with
small chunks and windows so that every boundary is crossed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aifacts.contract.schema import resource
from aifacts.io import json_scan
from aifacts.io.reading import json_file_problem, read_json
from tests.packages import REPO

ENTITIES = (REPO / "datapackage" / "entities.json").read_bytes()
PIECES = ["", ",", "]", "[", "}", "{", '"', "\n", "\x00", "\ufeff", "\\", "0", " ", "1e5", "null"]


def _expected(data: bytes) -> object:
    first = next(iter(read_json(resource("entities"), "entities.json", data).problems), None)
    return first if first is not None and first.row is None else None


def _judged(data: bytes) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.json"
        path.write_bytes(data)
        return json_file_problem(resource("entities"), "entities.json", path)


def _edit(lines: list[bytes], kind: str, at: int, piece: str) -> list[bytes]:
    at = min(at, max(len(lines) - 1, 0))
    if kind == "delete" and lines:
        del lines[at]
    elif kind == "duplicate" and lines:
        lines.insert(at, lines[at])
    elif kind == "comma" and lines:
        lines[at] = lines[at].replace(b",\n", b"\n")
    elif kind == "insert":
        lines.insert(at, piece.encode("utf-8") + b"\n")
    elif kind == "append":
        lines[at:at] = [piece.encode("utf-8")]
    elif kind == "split" and lines:
        middle = len(lines[at]) // 2
        lines[at : at + 1] = [lines[at][:middle] + b"\n", lines[at][middle:]]
    return lines


@settings(max_examples=300, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "comma", "insert", "append", "split"]),
            st.integers(0, 40),
            st.sampled_from(PIECES),
        ),
        max_size=3,
    ),
    cut=st.integers(0, 3000) | st.just(0),
    raw=st.sampled_from([b"", b"\xff", b"\xe4\xb8", b"\xef\xbb\xbf"]),
    raw_at=st.integers(0, 6000),
    chunk=st.integers(1, 6),
    window=st.integers(1, 4),
)
@example(edits=[], cut=0, raw=b"", raw_at=0, chunk=2, window=1)
@example(edits=[("delete", 0, "")], cut=0, raw=b"", raw_at=0, chunk=2, window=1)
@example(edits=[("insert", 30, "]")], cut=0, raw=b"", raw_at=0, chunk=2, window=1)
# a trailing comma before "]"; a file cut short after an item and its comma
@example(edits=[("delete", 1, ""), ("delete", 25, "")], cut=0, raw=b"", raw_at=0, chunk=1, window=1)
@example(edits=[("delete", 40, "")] * 2, cut=0, raw=b"", raw_at=0, chunk=1, window=1)
def test_a_line_at_a_time_reports_what_reading_whole_reports(
    edits: list[tuple[str, int, str]], cut: int, raw: bytes, raw_at: int, chunk: int, window: int
) -> None:
    lines = ENTITIES.splitlines(keepends=True)
    for kind, at, piece in edits:
        lines = _edit(lines, kind, at, piece)
    data = b"".join(lines)
    data = data[: len(data) - cut] if cut < len(data) else b""
    at = min(raw_at, len(data))
    data = data[:at] + raw + data[at:]
    with (
        mock.patch.object(json_scan, "_CHUNK", chunk),
        mock.patch.object(json_scan, "_WINDOW", window),
    ):
        assert _judged(data) == _expected(data)


@given(
    st.sampled_from(
        [
            b"",
            b"[]\n",
            b"[\n]\n",
            b"[]",
            b"{}\n",
            b"\xef\xbb\xbf[]\n",
            b"1\n",
            b"[\n  [1,\n  2],\n  3\n]\n",
            b"\xff\xfe[\x00]\x00",
            b"[" * 5000 + b"\n",
        ]
    )
)
def test_small_files_of_every_shape(data: bytes) -> None:
    assert _judged(data) == _expected(data)


def test_a_current_json_form_needs_no_window(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def window(*args: object) -> None:
        raise AssertionError("a current JSON form was parsed whole")

    monkeypatch.setattr(json_scan, "_window_verdict", window)
    assert _judged(ENTITIES) is None
