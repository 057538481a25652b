"""The text encoding of a package's files: UTF-8, a BOM allowed, UTF-16 refused by name.

Example:
    >>> decode(b"\\xef\\xbb\\xbfa,b")
    ('a,b', '')
"""

from __future__ import annotations

__all__ = ["BOM", "decode", "utf16_without_bom"]

#: The UTF-8 byte order mark, accepted at the start of a file.
BOM = b"\xef\xbb\xbf"
_BOM = BOM


def decode(data: bytes) -> tuple[str | None, str]:
    """UTF-8 text of ``data`` without its BOM, or ``None`` and why it is not UTF-8.

    Example:
        >>> decode(b"\\xef\\xbb\\xbfa,b")
        ('a,b', '')
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    why = utf16_without_bom(data[:4])
    if why is not None:
        return None, why
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 4]
        guess = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8"
        return None, (
            f"line {line}, byte {exc.start}: {bad!r} is not UTF-8 ({guess}); save the file as UTF-8"
        )


def utf16_without_bom(head: bytes) -> str | None:
    """Why text starting with ``head`` (its first 4 bytes, past any UTF-8 BOM) is UTF-16
    without a BOM, or ``None``: ASCII text in UTF-16 decodes as UTF-8, a NUL byte
    before or after each letter, which no CSV or JSON form of this package starts with.

    Example:
        >>> print(utf16_without_bom("id".encode("utf-16-le")))
        line 1, byte 1: b'\\x00d\\x00' is not UTF-8 (UTF-16); save the file as UTF-8
    """
    at = head.find(b"\x00", 0, 2)
    if at < 0:
        return None
    return f"line 1, byte {at}: {head[at : at + 4]!r} is not UTF-8 (UTF-16); save the file as UTF-8"
