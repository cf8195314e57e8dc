"""Limits that keep one hostile input from taking all the time or memory of a run.

A document is read whole into memory and then copied a few times (decoded, normalized, matched),
so its size is bounded: ``MAX_DOCUMENT_MB`` (32 MB, about ten million Chinese characters, some
hundred times the longest policy report) unless the caller raises it. A larger file is refused
before it is read (its size is known); a pipe or stdin is read up to the limit and refused when
there is more.

Formats that expand are bounded by the same option: what a ``.docx`` (a zip) expands to, at
most ``EXPANSION_PER_TEXT`` times the limit (its XML is some times larger than its text; a zip
bomb is refused from its directory, unread); a PDF's pages, at most ``PDF_PAGES_PER_MB`` per MB
of the limit (pages cost time, about 9 ms each, not size); and the text any format gives, as a
document read as text would be.
"""

from __future__ import annotations

from typing import BinaryIO

from ..errors import InputError

MAX_DOCUMENT_MB = 32
MB = 1 << 20
_READ_CHUNK = 1 << 20
EXPANSION_PER_TEXT = 2  # a .docx may expand to 2 × --max-mb (64 MB of XML, media and all)
PDF_PAGES_PER_MB = 100  # 3,200 pages at the default 32 MB: about 30 s to extract


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


def read_at_most(handle: BinaryIO, *, source: str, max_bytes: int | None, expected: int | None = None) -> bytes:
    """All of ``handle``, or ``InputError`` as soon as it holds more than ``max_bytes``
    (a pipe that never ends — ``<(yes)`` — is not read into memory for ever). ``expected``: the
    size a regular file says it has, read in one call (a file that grew is read on)."""
    if max_bytes is None:
        return handle.read()
    chunks: list[bytes] = []
    size = 0
    first = _READ_CHUNK if expected is None else expected + 1
    while chunk := handle.read(min(first if not chunks else _READ_CHUNK, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise too_large(source, None, max_bytes)
    return b"".join(chunks)


def check_expanded(source: str, size: int, max_bytes: int | None, *, what: str) -> None:
    """Refuse an archive (``what``: ".docx") whose members expand to more than
    ``EXPANSION_PER_TEXT`` times the limit, before anything is decompressed."""
    if max_bytes is not None and size > EXPANSION_PER_TEXT * max_bytes:
        raise InputError(
            source,
            f"too large: a {what} that expands to {size / MB:,.1f} MB, more than the "
            f"{EXPANSION_PER_TEXT * max_bytes / MB:g} MB ({EXPANSION_PER_TEXT} × --max-mb) it may; "
            "a zip bomb? If not, raise the limit with --max-mb",
        )


def max_pdf_pages(max_bytes: int | None) -> int | None:
    return None if max_bytes is None else max(1, int(PDF_PAGES_PER_MB * max_bytes / MB))


def check_pages(source: str, pages: int, max_bytes: int | None) -> None:
    limit = max_pdf_pages(max_bytes)
    if limit is not None and pages > limit:
        raise InputError(
            source,
            f"too many pages: {pages:,}, more than the {limit:,} a PDF may have ({PDF_PAGES_PER_MB} per MB "
            "of --max-mb); split it, or raise the limit with --max-mb",
        )


def check_text_size(source: str, characters: int, max_bytes: int | None) -> None:
    """Refuse the text extracted from a document when it is over the limit (in characters)."""
    if max_bytes is not None and characters > max_bytes:
        raise InputError(
            source,
            f"too large: more than {max_bytes / MB:g} million characters of text extracted, more than a "
            "document may have; split it, or raise the limit with --max-mb",
        )
