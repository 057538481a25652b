"""Every file aifacts writes is replaced whole or not at all, even under ``kill -9``."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import aifacts
from aifacts.errors import WriteError
from aifacts.io.atomic import AtomicFile, check_target, write_atomic
from aifacts.release.export import export, read_export
from tests.packages import read_rows, write_rows

DS = aifacts.load()


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _kill_mid_write(args: list[str], flag: Path) -> int:
    """Run ``args`` until its first atomic write has half its bytes out, then SIGKILL it.

    ``AIFACTS_ATOMIC_PAUSE`` makes the writer create ``flag`` there and wait for it to
    go away, so the kill always lands in the middle of writing, whatever the speed.
    """
    env = dict(os.environ, AIFACTS_ATOMIC_PAUSE=str(flag))
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(12_000):  # a bound on polls, not a time assertion
        if flag.exists() or proc.poll() is not None:
            break
        time.sleep(0.01)
    paused = flag.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert paused, proc.stderr.read().decode() if proc.stderr else "the writer never paused"
    return proc.returncode


@pytest.mark.parametrize("fmt", ["json", "sqlite", "xlsx", "csv"])
def test_kill_9_during_an_export_leaves_the_old_file(fmt: str, tmp_path: Path) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("x" if fmt == "csv" else f"x.{fmt}")
    old = DS.query(entity="shanghai")
    export(old, target, fmt)
    before = _listing(target if fmt == "csv" else out)
    code = (
        "import aifacts, sys; from aifacts.release.export import export; "
        "export(aifacts.load(), sys.argv[1], sys.argv[2], replace=True)"
    )
    status = _kill_mid_write([sys.executable, "-c", code, str(target), fmt], tmp_path / "flag")
    assert status == -signal.SIGKILL
    assert _listing(target if fmt == "csv" else out) == before  # same names, same bytes
    assert read_export(target).facts == old.facts


def test_kill_9_during_a_build_leaves_every_file_and_no_temporary(
    package_copy: Path, tmp_path: Path
) -> None:
    rows = read_rows(package_copy, "facts")
    rows[1][rows[0].index("note")] = "changed, so facts.json must be rewritten"
    write_rows(package_copy, "facts", rows, refresh=False)
    before = _listing(package_copy)
    args = [sys.executable, "-m", "aifacts", "build", str(package_copy)]
    status = _kill_mid_write(args, tmp_path / "flag")
    assert status == -signal.SIGKILL
    assert _listing(package_copy) == before


def test_a_failed_write_leaves_the_target_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("aifacts.io.atomic.os.fsync", full)
    with pytest.raises(WriteError, match=r"a\.txt: cannot write: No space left on device"):
        write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_the_named_fallback_cleans_up_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where O_TMPFILE is not supported a named temporary file is used, and removed."""
    monkeypatch.setattr(AtomicFile, "_open_anonymous", staticmethod(lambda folder: None))
    target = tmp_path / "a.txt"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with AtomicFile(target) as new:
        new.write(b"two")
        assert len(list(tmp_path.iterdir())) == 2  # the named temporary file
    assert target.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_new_file_takes_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    umask = os.umask(0o022)
    try:
        write_atomic(target, b"one")
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)
        write_atomic(target, b"two")
        assert target.stat().st_mode & 0o777 == 0o600 and target.read_bytes() == b"two"
    finally:
        os.umask(umask)


def test_targets_that_are_not_regular_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    for target, kind in (
        (fifo, "a FIFO"),
        (folder, "a folder"),
        (link, "a symbolic link"),
        (Path("/dev/null"), "a character device"),
    ):
        with pytest.raises(WriteError, match=f"exists and is {kind}, not a regular file"):
            write_atomic(target, b"x")
    assert Path("/dev/null").is_char_device()
    assert not (tmp_path / "elsewhere").exists()
    with pytest.raises(WriteError, match=r"the folder .*missing does not exist; create it first"):
        check_target(tmp_path / "missing" / "a.txt")


def test_two_writers_of_one_target_leave_one_whole_version(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    versions = [bytes([n]) * 200_000 for n in range(8)]
    threads = [threading.Thread(target=write_atomic, args=(target, v)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in versions
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_the_fallback_removes_what_a_killed_writer_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named temporary file older than a minute is a killed writer's: the next write
    of the same target removes it; a young one (a writer at work) and others stay."""
    monkeypatch.setattr(AtomicFile, "_open_anonymous", staticmethod(lambda folder: None))
    stale, young, other = (
        tmp_path / n for n in (".a[1].txt.x.tmp", ".a[1].txt.y.tmp", ".a1.txt.z.tmp")
    )
    for path in (stale, young, other):
        path.write_bytes(b"left")
    os.utime(stale, (time.time() - 120, time.time() - 120))
    os.utime(other, (time.time() - 120, time.time() - 120))
    write_atomic(tmp_path / "a[1].txt", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a[1].txt", young.name, other.name]
    )
