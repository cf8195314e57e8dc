"""Files: one file, one document. ``.docx``, ``.pdf``, ``.html`` and ``.md`` are extracted by
``formats``; ``.txt`` and other suffixes are read as text (sniffed first: a PDF or Word file
under another name is read as one, a binary file is refused).

Markdown-style front matter (``---`` YAML ``---`` at the top, as scrapers write it) becomes
metadata, not text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import sys
from collections.abc import Callable
from typing import BinaryIO

import yaml

from .. import safe_yaml
from ..errors import InputError, InputWarning
from . import feeds, formats
from .decoding import decode_text
from .document import Document
from .articles import article_documents, article_spans
from .limits import MAX_DOCUMENT_MB, MB, check_size, check_text_size, read_at_most
from .metadata import complete_metadata

STDIN = "-"
_FRONT_MATTER_LIMIT = 65536


def read_document(
    source: str,
    *,
    encoding: str | None = None,
    clean: Callable[[str], str] | None = None,
    max_bytes: int | None = MAX_DOCUMENT_MB * MB,
    strict: bool = False,
) -> Document:
    """Read one file (or ``-``: stdin's text) into a ``Document``; raises ``InputError`` (also for
    a file of more than ``max_bytes``; None: no limit).

    ``clean`` (``policyterms.clean.cleaner(...)``) is applied to the text, before Markdown's
    markup is stripped (its links tell navigation from text). A few stray bytes in UTF-8 text are
    replaced and said in ``Document.notes`` — unless ``strict``, which keeps them an error."""
    return read_documents(source, encoding=encoding, clean=clean, max_bytes=max_bytes, strict=strict, split=False)[0]


def read_documents(
    source: str,
    *,
    encoding: str | None = None,
    clean: Callable[[str], str] | None = None,
    max_bytes: int | None = MAX_DOCUMENT_MB * MB,
    strict: bool = False,
    split: bool = True,
    metadata: bool = True,
) -> list[Document]:
    """``read_document``, except that a page holding several articles (``readers/articles.py``)
    is read as one ``Document`` per article, doc_id ``FILE#N`` (with ``split``). Without
    ``metadata``, a whole file's title, date and source are not looked for in its text (a run
    whose tables show none of them)."""
    data = read_bytes(source, max_bytes=max_bytes)
    return documents_from_bytes(data, source=source, encoding=encoding, clean=clean, max_bytes=max_bytes,
                                strict=strict, split=split, want_metadata=metadata)


def document_from_bytes(
    data: bytes,
    *,
    source: str,
    encoding: str | None = None,
    clean: Callable[[str], str] | None = None,
    max_bytes: int | None = MAX_DOCUMENT_MB * MB,
    strict: bool = False,
) -> Document:
    return documents_from_bytes(data, source=source, encoding=encoding, clean=clean, max_bytes=max_bytes,
                                strict=strict, split=False)[0]


def documents_from_bytes(
    data: bytes,
    *,
    source: str,
    encoding: str | None = None,
    clean: Callable[[str], str] | None = None,
    max_bytes: int | None = MAX_DOCUMENT_MB * MB,
    strict: bool = False,
    split: bool = False,
    want_metadata: bool = True,
) -> list[Document]:
    if source != STDIN and feeds.is_feed(source, data):
        return feeds.feed_documents(data, source=source, encoding=encoding, clean=clean, split=split,
                                    want_metadata=want_metadata)
    extract = formats.extractor_for(source, data) if source != STDIN else None
    notes: tuple[InputWarning, ...] = ()
    if extract is not None:
        if not data.strip():
            raise InputError(source, "empty file")
        body, metadata = extract(data, source=source, encoding=encoding, max_bytes=max_bytes)
        check_text_size(source, len(body), max_bytes)  # what a .docx or PDF expanded to
        given_by = "document properties"
    else:
        if source != STDIN and formats.suffix_of(source) not in formats.TEXT_SUFFIXES + formats.MARKDOWN_SUFFIXES:
            formats.check_text(data, source=source)
        decoded = decode_text(data, source=source, encoding=encoding, strict=strict)
        if decoded.replaced_bytes:
            notes = (InputWarning(source, replaced_bytes_note(decoded.replaced_bytes)),)
        metadata, body = split_front_matter(decoded.text)
        given_by = "front matter"
        if not body.strip():
            raise InputError(source, "no text after the front matter" if metadata else "empty file")
    markdown = formats.suffix_of(source) in formats.MARKDOWN_SUFFIXES
    text = formats.strip_markdown(body) if markdown else body
    # Markdown is cleaned before its markup is stripped (its links tell navigation from text), so
    # its articles are looked for in the cleaned text, which evidence offsets index.
    page = formats.strip_markdown(clean(body)) if markdown and clean is not None else text
    if split and len(spans := article_spans(page, levels=formats.heading_levels(body) if markdown else None)) > 1:
        articles = article_documents(source, page, metadata, name=source, given_by=given_by, spans=spans,
                                     clean=None if markdown else clean, want_metadata=want_metadata)
        found = [dataclasses.replace(a, text=check_not_empty(a.text, source=a.doc_id, cleaned=clean is not None))
                 for a in articles]
        return [dataclasses.replace(found[0], notes=notes), *found[1:]] if notes else found
    if want_metadata:
        metadata = complete_metadata(metadata, text, name=source, given_by=given_by)  # bylines are read before cleaning
    if clean is not None:
        text = clean(body)  # Markdown is cleaned with its links: they tell navigation from text
        text = formats.strip_markdown(text) if markdown else text
    return [Document(source, check_not_empty(text, source=source, cleaned=clean is not None), metadata, notes)]


def replaced_bytes_note(count: int) -> str:
    return (f"{count:,} invalid UTF-8 byte{'s' * (count != 1)} replaced with U+FFFD and the rest counted "
            "(--strict makes this an error)")


def check_not_empty(text: str, *, source: str, cleaned: bool = True) -> str:
    if not text.strip():
        if cleaned:
            raise InputError(source, "no text left after cleaning (--keep-boilerplate keeps the page's boilerplate)")
        raise InputError(source, "no text, only markup")
    return text


def read_bytes(source: str, *, max_bytes: int | None = MAX_DOCUMENT_MB * MB) -> bytes:
    if source == STDIN:
        return read_at_most(sys.stdin.buffer, source=source, max_bytes=max_bytes)
    with open_binary(source, fifo=True) as handle:
        try:
            expected = os.fstat(handle.fileno()).st_size if handle.seekable() else None
            if max_bytes is not None and expected is not None:
                check_size(source, expected, max_bytes)  # refused unread
            data = read_at_most(handle, source=source, max_bytes=max_bytes, expected=expected)
        except MemoryError:
            raise InputError(source, "too large to read into memory") from None
        except OSError as exc:
            raise InputError(source, os_cause(exc)) from None
        if not data and not handle.seekable():
            raise InputError(source, "empty named pipe (nothing was written to it)")
        return data


def open_binary(path: str, *, fifo: bool = False) -> BinaryIO:
    """Open a regular file (and, with ``fifo``, a named pipe) to read its bytes; else
    ``InputError`` naming it and the cause. A device would never end (/dev/zero) or block.

    A pipe named on the command line is read as cat reads it — ``policyterms count <(curl …)``
    names one — but never waits for a writer that is not there: it is opened without blocking,
    so a FIFO nobody writes to reads as empty instead of hanging the run."""
    try:
        mode = os.stat(path).st_mode
        if fifo and stat.S_ISFIFO(mode):
            descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.set_blocking(descriptor, True)  # now wait for the writer's data, if there is a writer
            return os.fdopen(descriptor, "rb")
        if not stat.S_ISREG(mode):
            raise InputError(path, f"not a regular file ({file_kind(mode)})")
        return open(path, "rb")
    except OSError as exc:
        raise InputError(path, os_cause(exc)) from None


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, for a user."""
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a file")


def os_cause(error: OSError) -> str:
    """The cause of a failed read, for a user."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"cannot read ({error.strerror or error})"


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---``-fenced YAML at the very top → (metadata, rest). Anything else → ({}, text)."""
    if not text.startswith("---"):
        return {}, text
    first_break = text.find("\n")
    if first_break < 0 or text[:first_break].strip() != "---":
        return {}, text
    for closing in ("\n---", "\n..."):
        end = text.find(closing, first_break, _FRONT_MATTER_LIMIT)
        if end < 0:
            continue
        line_end = text.find("\n", end + 1)
        fence = text[end + 1 : line_end if line_end >= 0 else len(text)]
        if fence.strip() not in ("---", "..."):
            continue
        try:
            loaded = safe_yaml.load(text[first_break + 1 : end])  # no alias bombs, no ValueError
        except yaml.YAMLError:
            return {}, text
        if not isinstance(loaded, dict):
            return {}, text
        body = text[line_end + 1 :] if line_end >= 0 else ""
        return {str(k): metadata_value(v) for k, v in loaded.items() if v is not None}, body
    return {}, text


def metadata_value(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
