"""Limits that keep one hostile input from taking all the time or memory of a run.

A document is read whole into memory and then copied a few times (decoded, normalized, matched),
so its size is bounded: ``MAX_DOCUMENT_MB`` (32 MB, about ten million Chinese characters, some
hundred times the longest policy report) unless the caller raises it. A larger file is refused
before it is read (its size is known); a pipe or stdin is read up to the limit and refused when
there is more.
"""

from __future__ import annotations

from typing import BinaryIO

from ..errors import InputError

MAX_DOCUMENT_MB = 32
MB = 1 << 20
_READ_CHUNK = 1 << 20


def max_document_bytes(max_mb: float | None) -> int | None:
    """``--max-mb`` as a number of bytes; None or 0 means no limit."""
    return int(max_mb * MB) if max_mb else None


def too_large(source: str, size: int | None, max_bytes: int) -> InputError:
    """The reason a document over the limit is skipped, with what to do about it."""
    what = f"{size / MB:,.1f} MB, more" if size is not None else "more"
    return InputError(
        source,
        f"too large: {what} than the {max_bytes / MB:g} MB a document may have; "
        "split it, or raise the limit with --max-mb",
    )


def check_size(source: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise too_large(source, size, max_bytes)


def read_at_most(handle: BinaryIO, *, source: str, max_bytes: int | None) -> bytes:
    """All of ``handle``, or ``InputError`` as soon as it holds more than ``max_bytes``
    (a pipe that never ends — ``<(yes)`` — is not read into memory for ever)."""
    if max_bytes is None:
        return handle.read()
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(min(_READ_CHUNK, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise too_large(source, None, max_bytes)
    return b"".join(chunks)
