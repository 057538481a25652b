"""Write a file so that a reader finds the old bytes or the new ones, never a mix, never litter.

Every file aifacts writes (exports, ``aifacts build``'s JSON forms and
``datapackage.json``, the audit's candidates CSV) goes through :class:`AtomicFile`
or :func:`write_atomic`.

How, and why it survives ``kill -9``:

1. The new bytes go to an **anonymous** file in the target's folder
   (``open(folder, O_TMPFILE)``, Linux 3.11+): it has no name, so if the process is
   killed while writing it, the kernel frees it and nothing is left behind. Callers
   produce the whole output first where they can (sqlite in ``:memory:``, xlsx and
   parquet into a buffer) and stream it only when it would not fit in memory
   (``aifacts build``'s JSON form of a huge CSV).
2. The file is flushed and ``fsync``-ed, given the target's permissions (or those
   of a new file under the umask), then linked under a fresh hidden name beside
   the target (``os.link("/proc/self/fd/N", ".target.XXXX.tmp")``) and renamed over
   the target with :func:`os.replace`, which is atomic within one folder; the folder
   is then ``fsync``-ed so the rename itself survives a power cut.
3. On any error the temporary file is removed and the target is untouched.

A ``kill -9`` can leave a named temporary file only between the link and the
rename of step 2: two system calls, no writing in between. Where ``O_TMPFILE`` is
not supported (another OS, a file system without it) the bytes go to a named
temporary file (``tempfile.mkstemp``) instead: a ``kill -9`` while writing then
leaves that hidden ``.target.XXXX.tmp`` file, which the next write of the same
target removes if it is older than a minute.

Targets are checked first (:func:`check_target`): the folder must exist, and an
existing target must be a regular file (never a device, a FIFO, a folder or a
symbolic link: replacing ``/dev/null`` with a file would be a disaster as root).

For tests, the environment variable ``AIFACTS_ATOMIC_PAUSE`` names a file: once
half the bytes of a write are in the temporary file, that file is created and
the writer waits for it to disappear, so a test can kill it mid-write
deterministically.

Example:
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(target, b"hello\\n")
    >>> target.read_bytes()
    b'hello\\n'
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from aifacts.errors import WriteError
from aifacts.io.package import file_kind

__all__ = ["AtomicFile", "check_target", "write_atomic"]

_PAUSE = "AIFACTS_ATOMIC_PAUSE"
_STALE_SECONDS = 60
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.ENOSYS}


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_target(target: Path, *, folder: bool = False, replace: bool = True) -> None:
    """Refuse a target that cannot, or must not, be written.

    Args:
        target: the file (or, with ``folder``, the folder) to write.
        folder: the target is a folder of files (its parent must exist).
        replace: an existing target may be replaced.

    Raises:
        WriteError: the parent folder is missing or not a folder; the target exists
            but is not a regular file (a folder, with ``folder``); it exists and
            ``replace`` is false.
    """
    parent = target.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise WriteError(target, f"the folder {parent} {what}; create it first")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(target, _reason(exc)) from None
    wanted = stat.S_ISDIR if folder else stat.S_ISREG
    if not wanted(info.st_mode):
        kind = file_kind(info.st_mode)
        need = "a folder" if folder else "a regular file"
        raise WriteError(target, f"exists and is {kind}, not {need}; refusing to replace it")
    if not replace:
        raise WriteError(target, "exists; pass --force (replace=True) to replace it")


class AtomicFile:
    """A new version of ``target``, written to an unnamed file and put in place by
    :meth:`commit`; as a context manager it is discarded unless committed.

    Raises:
        WriteError: from any method, when the file system refuses (a read-only
            folder, a full disk, a target that is not a regular file).
    """

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        check_target(self.target)
        self._name: Path | None = None  # a named temporary file (the fallback)
        folder = self.target.parent
        try:
            fd = self._open_anonymous(folder)
            if fd is None:
                _remove_stale(self.target)
                fd, name = _mkstemp(self.target)
                self._name = Path(name)
        except OSError as exc:
            why = f"cannot create a file in {folder}: {_reason(exc)}"
            raise WriteError(self.target, why) from None
        self.file: IO[bytes] | None = os.fdopen(fd, "w+b")

    @staticmethod
    def _open_anonymous(folder: Path) -> int | None:
        flag = getattr(os, "O_TMPFILE", None)
        if flag is None or not Path("/proc/self/fd").is_dir():
            return None
        try:
            return os.open(folder, flag | os.O_RDWR, 0o600)
        except OSError as exc:
            if exc.errno in _NO_TMPFILE:
                return None
            raise

    def write(self, data: bytes | memoryview) -> None:
        """Append ``data`` to the new version."""
        assert self.file is not None, "write after commit or discard"
        try:
            self.file.write(data)
        except OSError as exc:
            self.discard()
            raise WriteError(self.target, f"cannot write: {_reason(exc)}") from None

    def same_as_target(self) -> bool:
        """Whether the bytes written so far are exactly the target's (to skip a rewrite)."""
        assert self.file is not None
        try:
            self.file.flush()
            if os.stat(self.target).st_size != os.fstat(self.file.fileno()).st_size:
                return False
            self.file.seek(0)
            with open(self.target, "rb") as old:
                while chunk := self.file.read(1 << 20):
                    if chunk != old.read(len(chunk)):
                        return False
            return True
        except OSError:
            return False
        finally:
            self.file.seek(0, os.SEEK_END)

    def commit(self) -> None:
        """Flush, fsync and put the new version in place of the target."""
        assert self.file is not None, "commit after commit or discard"
        link: Path | None = None
        try:
            self.file.flush()
            fd = self.file.fileno()
            os.fchmod(fd, _mode(self.target))
            os.fsync(fd)
            link = self._name or self._link(fd)
            check_target(self.target)  # still a regular file, or none, just before
            os.replace(link, self.target)
            link = None
            self._name = None
            _sync_folder(self.target.parent)
        except WriteError:
            raise
        except OSError as exc:
            raise WriteError(self.target, f"cannot write: {_reason(exc)}") from None
        finally:
            if link is not None:
                link.unlink(missing_ok=True)
            self.discard()

    def _link(self, fd: int) -> Path:
        # A folder's fd makes os.link call linkat(..., AT_SYMLINK_FOLLOW), which links
        # the file behind /proc/self/fd/N (plain link() would link the symlink itself).
        folder = os.open(self.target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for _ in range(100):
                name = _temp_name(self.target)
                try:
                    os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder)
                except FileExistsError:
                    continue
                return name
        finally:
            os.close(folder)
        raise FileExistsError(errno.EEXIST, "no free temporary name")

    def discard(self) -> None:
        """Close and forget the new version; the target is left as it was."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
            self.file = None
        if self._name is not None:
            self._name.unlink(missing_ok=True)
            self._name = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


def write_atomic(target: Path, data: bytes) -> None:
    """Replace (or create) ``target`` with ``data``, atomically; see the module docstring.

    Raises:
        WriteError: the folder is missing, the target is not a regular file, or the
            file system refuses (read-only, full); the target is then untouched.
    """
    with AtomicFile(Path(target)) as new:
        half = len(data) // 2
        new.write(data[:half])
        _pause_for_tests()
        new.write(data[half:])
        new.commit()


def _pause_for_tests() -> None:
    flag = os.environ.get(_PAUSE)
    if not flag:
        return
    Path(flag).touch()
    while Path(flag).exists():
        time.sleep(0.01)


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


def _mkstemp(target: Path) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def _remove_stale(target: Path) -> None:
    """Remove temporary files of ``target`` left by a killed writer (fallback path only)."""
    import glob

    now = time.time()
    for old in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - old.lstat().st_mtime > _STALE_SECONDS and old.is_file():
                old.unlink()


def _mode(target: Path) -> int:
    """The permissions of ``target``, or of a new file under the umask."""
    try:
        return os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
