"""Reading files of an untrusted package safely: paths checked before anything is opened.

A path from a descriptor must stay inside the package folder (:func:`path_problem`);
files are opened without following links and only when regular (:func:`open_regular`),
so a FIFO or a device is never read.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
from pathlib import Path
from typing import cast

from aifacts.contract.problems import clip
from aifacts.errors import UnsafeFileError

__all__ = [
    "ALLOWED_PATH",
    "checked_file",
    "file_kind",
    "file_stats",
    "open_regular",
    "path_problem",
    "path_stats",
    "read_regular",
]

ALLOWED_PATH = (
    "a relative path inside the package folder, folders separated by '/', "
    "such as facts.csv or data/facts.csv"
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # a scheme: https:, file:, data:...


def path_problem(value: object) -> str | None:
    """Why ``value`` is not a ``path`` this package may give a resource, or ``None``.

    Only a relative path inside the package folder is read, as the Data Package spec
    requires (no absolute path, no ``..``); a URL is refused too (nothing is fetched
    from the network), and so are a NUL byte, a backslash and a drive letter.

    Example:
        >>> path_problem("data/facts.csv") is None
        True
        >>> path_problem("../outside/facts.csv")
        "'../outside/facts.csv' climbs out of the package folder with '..'"
    """
    if not isinstance(value, str):
        kind = "a list of files" if isinstance(value, list) else type(value).__name__
        return f"expected one file path (a string), not {kind}"
    if value == "":
        return "the path is empty"
    quoted = clip(value)
    if "\x00" in value:
        return f"{quoted} holds a NUL byte"
    if "\\" in value:
        return f"{quoted} holds a backslash; folders are separated by '/'"
    if re.match(r"^[A-Za-z]:", value):
        return f"{quoted} names a drive"
    if _URL.match(value) or value.startswith("//"):
        return f"{quoted} is a URL; files are read from the package folder, never fetched"
    if value.startswith("/"):
        return f"{quoted} is an absolute path"
    if ".." in value.split("/"):
        return f"{quoted} climbs out of the package folder with '..'"
    if value.endswith("/"):
        return f"{quoted} names a folder, not a file"
    return None


def checked_file(path: Path, folder: Path) -> Path:
    """The real path of the file at ``path`` once it is known to be a regular file
    inside ``folder`` (symbolic links followed); every reader of a package's files
    opens this path, or :func:`open_regular` of it.

    Raises:
        UnsafeFileError: the file lies outside ``folder`` or is not a regular file.
        OSError: it cannot be opened (it does not exist, say).
    """
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(folder)):
        raise UnsafeFileError(
            "a symbolic link to a file outside the package folder; only files inside it are read",
            str(path),
        )
    with open_regular(real):
        return real


def open_regular(path: Path, buffering: int = -1) -> io.BufferedReader:
    """Open ``path`` for reading if it is a regular file, never following a symbolic
    link at its end, never waiting: a FIFO or a device (``/dev/zero``) is refused
    before a byte is read.

    Raises:
        UnsafeFileError: the file is not a regular file.
        OSError: it cannot be opened (a symbolic link: ``ELOOP``).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafeFileError(
                f"not a regular file ({file_kind(mode)}); only files are read", str(path)
            )
        os.set_blocking(fd, True)
        # (unbuffered, ``buffering=0``, it is an io.FileIO: it reads and reads into alike)
        handle = cast(io.BufferedReader, os.fdopen(fd, "rb", buffering=buffering))
    except BaseException:
        os.close(fd)
        raise
    return handle


def file_kind(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, as messages name it.

    Example:
        >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFREG)
        ('a FIFO', 'a regular file')
    """
    kinds = [
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_regular(path: Path, folder: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (inside ``folder`` when given: see
    :func:`checked_file`), refused when it holds more than ``limit`` bytes.

    Raises:
        UnsafeFileError: the file is refused.
        OSError: it cannot be read.
    """
    real = checked_file(path, folder) if folder is not None else Path(os.path.realpath(path))
    with open_regular(real) as handle:
        if limit is not None:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise UnsafeFileError(f"{size} bytes; at most {limit} are read", str(path))
            data = handle.read(limit + 1)
            if len(data) > limit:  # it grew meanwhile
                raise UnsafeFileError(
                    f"more than {limit} bytes; at most {limit} are read", str(path)
                )
            return data
        return handle.read()


def file_stats(data: bytes) -> tuple[int, str]:
    """``bytes`` and ``hash`` (``sha256:<hex>``) of a file, as the descriptor records them."""
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def path_stats(path: Path, folder: Path | None = None) -> tuple[int, str]:
    """:func:`file_stats` of the file at ``path`` (inside ``folder`` when given: see
    :func:`checked_file`), read a megabyte at a time, so a big file need not fit in
    memory."""
    sha = hashlib.sha256()
    size = 0
    real = checked_file(path, folder) if folder is not None else Path(os.path.realpath(path))
    with open_regular(real) as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return size, "sha256:" + sha.hexdigest()
