"""Finding inputs and reading them: paths → ``Document`` (text + metadata), or an ``InputError``.

Directories are walked recursively for ``.txt`` and ``.md`` files, in sorted order; a file named
on the command line is read whatever its suffix. ``-`` is one document read from stdin.
Markdown-style front matter (``---`` YAML ``---`` at the top) becomes metadata, not text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md")
STDIN = "-"
_SNIFF_BYTES = 8192
_FRONT_MATTER_LIMIT = 65536
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.metadata.get("title") or first_line(self.text)


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[str | InputError]:
    """Expand the given paths into document sources (file paths as given, or ``-``), in order.

    A path that does not exist is yielded as an ``InputError`` so that the batch goes on.
    """
    for given in paths:
        source = os.fspath(given)
        if source == STDIN:
            yield STDIN
        elif os.path.isdir(source):
            found = sorted(_walk_text_files(source))
            if not found:
                yield InputError(source, f"directory has no {' or '.join(TEXT_SUFFIXES)} files")
            yield from found
        elif os.path.exists(source):
            yield source
        else:
            yield InputError(source, "no such file or directory")


def _walk_text_files(directory: str) -> Iterator[str]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."):
                yield os.path.join(root, name)


def read_document(source: str, *, encoding: str | None = None) -> Document:
    """Read one source into a ``Document``; raises ``InputError`` naming the source and cause."""
    data = _read_bytes(source)
    text = decode(data, source=source, encoding=encoding)
    metadata, body = split_front_matter(text)
    if not body.strip():
        raise InputError(source, "no text after the front matter" if metadata else "empty file")
    return Document(source, body, metadata)


def _read_bytes(source: str) -> bytes:
    try:
        if source == STDIN:
            return sys.stdin.buffer.read()
        if not stat.S_ISREG(os.stat(source).st_mode):
            # A FIFO or device would block or never end; only regular files are documents.
            raise InputError(source, "not a regular file")
        with open(source, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(source, "no such file or directory") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror or exc})") from None


def decode(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Bytes → text: the given encoding, else UTF-8 (with or without BOM, or UTF-16 with BOM),
    else GB18030. Binary data (NUL bytes without a UTF-16 BOM) is refused."""
    if not data.strip():
        raise InputError(source, "empty file")
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(source, f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise InputError(source, f"cannot decode as {encoding} (byte {exc.start}: {exc.reason})") from None
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(source, "starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(source, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                source,
                f"not UTF-8 (byte {utf8_error.start}) nor GB18030 text; name the encoding with --encoding",
            ) from None


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
            loaded = yaml.safe_load(text[first_break + 1 : end])
        except yaml.YAMLError:
            return {}, text
        if not isinstance(loaded, dict):
            return {}, text
        body = text[line_end + 1 :] if line_end >= 0 else ""
        return {str(k): _metadata_value(v) for k, v in loaded.items() if v is not None}, body
    return {}, text


def _metadata_value(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def first_line(text: str, *, limit: int = 80) -> str:
    """The first non-empty line, markdown heading marks stripped: a fallback title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return ""
