"""One streaming pass over a CSV's bytes: size, hash, and how Arrow may read it.

Arrow's CSV reader is faster than Python's but more lenient: it accepts a NUL byte,
a quote closed in mid-cell (``"ab"c``) or a lone CR that Python's reader, the
reference, refuses or reads otherwise. A file with any of these is read by Python's
csv module instead (:mod:`~aifacts.validation.columnar.python_csv`), so both engines always see
the same rows. The pass also tells
whether any quoted cell spans lines (Arrow's slower multi-line parsing is needed
only then); invalid UTF-8 is left to Arrow, which refuses it as Python does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from aifacts.io.package import open_regular

__all__ = ["CHUNK", "scan_file", "start_early", "start_hash", "start_scan"]

T = TypeVar("T")

#: Bytes read at a time; memory stays a small multiple of this.
CHUNK = 16 << 20
# Bytes the scan reads at a time (its numpy temporaries stay in cache); its lines may
# still be as long as CHUNK.
_STEP = 1 << 20
_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13


def _hash(path: Path) -> tuple[int, str]:
    """Size and ``sha256:`` digest, read into one reused buffer of :data:`_STEP` bytes."""
    sha = hashlib.sha256()
    with open_regular(path, buffering=0) as handle:
        return _hashed_to_end(handle, sha)


def _hashed_to_end(handle: Any, sha: Any) -> tuple[int, str]:
    """Feed ``sha`` the rest of the open file; its size and ``sha256:`` digest."""
    buffer = bytearray(_STEP)
    view = memoryview(buffer)
    while n := handle.readinto(buffer):
        sha.update(view[:n])
    return handle.tell(), "sha256:" + sha.hexdigest()


def start_hash(path: Path) -> Future[tuple[int, str]]:
    """Hash the file in a thread (hashlib lets go of the GIL): size and ``sha256:`` digest."""
    return _started(_hash, path)


def start_scan(path: Path) -> Future[tuple[bool, bool]]:
    """:func:`scan_file` in a thread (numpy lets go of the GIL), while Arrow reads."""
    return _started(scan_file, path)


def start_early(paths: Iterable[Path]) -> None:
    """Start hashing and scanning ``paths`` now, for a later :func:`start_hash` and
    :func:`start_scan` to pick up.

    The command line calls this before it imports the engine (pydantic, pint, pyarrow:
    a few tenths of a second on one core), so the second core hashes and scans
    meanwhile. A file changed since is hashed and scanned again.
    """
    helper = _helper()
    run: Callable[[Callable[[Path], Any], Path], Future[Any]]
    run = _background if helper is None else helper.submit
    for path in paths:
        signature = _signature(path)
        if signature is None:
            continue
        keys = [(function.__name__, str(path.resolve())) for function in (_hash, scan_file)]
        with _LOCK:
            started = [_EARLY.get(key) for key in keys]
            if all(s is not None and s[0] == signature for s in started):
                continue  # already under way
            # one reading of the file for both: its bytes are hashed as they are scanned
            for key, part in zip(keys, _parts(run(_hash_and_scan, path)), strict=True):
                _EARLY[key] = (signature, part)
    if helper is not None:
        helper.shutdown(wait=False)  # it ends once the work submitted is done


def _helper() -> Executor | None:
    """A process to hash and scan in, when this one can be forked safely: on Linux,
    before pyarrow is imported, while it runs a single thread. The work then takes
    the second core without taking the interpreter lock from the imports that run
    meanwhile (a thread slowed them by about 0.06 s); elsewhere threads do it."""
    if not sys.platform.startswith("linux") or "pyarrow" in sys.modules:
        return None
    if threading.active_count() > 1:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        1, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
    )


def _end_with(parent: int) -> None:
    """In the helper: be killed when the command that forked it ends (Linux's
    ``PR_SET_PDEATHSIG``), so none outlives it whatever the command does."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the line above
        os._exit(0)


_LOCK = threading.Lock()
#: Work started by :func:`start_early`: (function, path) → (file signature, future).
_EARLY: dict[tuple[str, str], tuple[tuple[int, int], Future[Any]]] = {}


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _started(function: Callable[[Path], T], path: Path) -> Future[T]:
    """The future :func:`start_early` started for ``function(path)`` if the file is
    unchanged since (used once), else a new one."""
    with _LOCK:
        early = _EARLY.pop((function.__name__, str(path.resolve())), None)
    if early is not None and early[0] == _signature(path):
        return _background(partial(_or_again, early[1], function), path)
    return _background(function, path)


def _or_again(early: Future[T], function: Callable[[Path], T], path: Path) -> T:
    """What was started early, or the same work done again should it have failed
    (the helper process was killed, say): the work's own errors come back again."""
    try:
        return early.result()
    except Exception:  # whatever went wrong, doing the work again says what
        return function(path)


def _background(function: Callable[[Path], T], path: Path) -> Future[T]:
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(function, path)
    pool.shutdown(wait=False)
    return future


def _parts(both: Future[tuple[Any, Any]]) -> tuple[Future[Any], Future[Any]]:
    """Two futures, each of one half of what ``both`` gives (or of its exception)."""
    first: Future[Any] = Future()
    second: Future[Any] = Future()

    def done(future: Future[tuple[Any, Any]]) -> None:
        try:
            a, b = future.result()
        except BaseException as exc:  # each part says what went wrong (see _or_again)
            first.set_exception(exc)
            second.set_exception(exc)
            return
        first.set_result(a)
        second.set_result(b)

    both.add_done_callback(done)
    return first, second


def _hash_and_scan(path: Path) -> tuple[tuple[int, str], tuple[bool, bool]]:
    """:func:`_hash` and :func:`scan_file` in one reading of the file."""
    sha = hashlib.sha256()
    with open_regular(path, buffering=0) as handle:
        verdict = _scan(handle, sha.update)
        return _hashed_to_end(handle, sha), verdict  # the scan may stop early


def scan_file(path: Path) -> tuple[bool, bool]:
    """Whether Arrow reads the file at ``path`` as Python would, and whether a quoted
    cell spans lines."""
    with open_regular(path, buffering=0) as handle:
        return _scan(handle, None)


def _scan(handle: Any, tap: Callable[[memoryview], Any] | None) -> tuple[bool, bool]:
    """:func:`scan_file` of an open file, from where it stands; ``tap`` sees every byte
    read, in order (it may not see the last ones: the scan stops at the first sign
    that Arrow may misread the file)."""
    buffer = bytearray(CHUNK + 1)
    view = memoryview(buffer)
    held = 0  # bytes of an unfinished line carried over at the buffer's start
    quotes = 0
    multiline = False
    while True:
        n = handle.readinto(view[held : min(held + _STEP, CHUNK)])
        if tap is not None and n:
            tap(view[held : held + n])
        end = held + n
        if n == 0 and held == 0:
            break
        if n == 0:  # the last line has no line break: close it
            if buffer[end - 1] == _CR:
                return False, multiline
            buffer[end] = _LF
            end += 1
        cut = buffer.rfind(b"\n", 0, end) + 1
        if cut == 0:
            if end >= CHUNK:  # one line longer than a chunk: leave it to the row engine
                return False, multiline
            held = end
            continue
        ok, quotes, spans = _body_ok(buffer, cut, quotes)
        if not ok:
            return False, multiline
        multiline = multiline or spans
        held = end - cut
        buffer[:held] = buffer[cut:end]
        if n == 0:
            break
    return quotes % 2 == 0, multiline


def _body_ok(body: bytearray, end: int, quotes: int) -> tuple[bool, int, bool]:
    """Check whole lines ``body[:end]`` (ending in LF), ``quotes`` quotes into the file.

    Returns whether they parse alike, the quote count after them, and whether a
    quoted cell holds a line break. In Python's strict CSV dialect the quotes of
    quoted cells alternate open, close: an opening quote starts a cell (or follows a
    closing one: an escaped ``""``); a closing quote ends the cell (or precedes an
    opening one). A quote anywhere else (``"ab"c``, or a literal ``x"y``) sends the
    file to the row engine.
    """
    if body.find(b"\x00", 0, end) >= 0:
        return False, quotes, False
    if body.find(b"\r", 0, end) >= 0 and body.count(b"\r", 0, end) != body.count(b"\r\n", 0, end):
        return False, quotes, False
    if body.find(b'"', 0, end) < 0:
        return True, quotes, quotes % 2 == 1
    import numpy as np

    raw = np.frombuffer(body, dtype=np.uint8, count=end)
    marks = np.flatnonzero((raw == _QUOTE) | (raw == _LF))
    is_quote = raw[marks] == _QUOTE
    pos = marks[is_quote]
    opening = (np.arange(pos.size) + quotes) % 2 == 0
    before = raw[np.maximum(pos - 1, 0)]
    before[pos == 0] = _LF  # the body starts a line
    after = raw[pos + 1]  # the body ends in LF, so a quote is never its last byte
    after_quote = np.zeros(pos.size, dtype=bool)
    after_quote[1:] = pos[1:] == pos[:-1] + 1
    opens_ok = (before == _COMMA) | (before == _LF) | after_quote
    closes_ok = (after == _COMMA) | (after == _LF) | (after == _CR) | (after == _QUOTE)
    bad = (opening & ~opens_ok) | (~opening & ~closes_ok)
    inside = (np.cumsum(is_quote)[~is_quote] + quotes) % 2 == 1
    return not bool(bad.any()), quotes + int(pos.size), bool(inside.any())
