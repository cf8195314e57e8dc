"""Names of inputs as users see them: doc_ids for names that are not text, and names made safe
for a terminal.

A file name on Linux is bytes. Python reads one that is not valid UTF-8 (GBK bytes from an old
Windows archive, say) with each undecodable byte as a lone surrogate, which no UTF-8 writer
(CSV, JSON, SQLite, pandas) accepts. Such a name becomes its doc_id with each of those bytes
written ``\\xHH`` and each backslash doubled (the name's bytes as Python's ``backslashreplace``
writes them): ``\\xc1\\xbf.txt``. ``original_path`` undoes it. A name that is valid UTF-8 is its
doc_id unchanged, so the escape is applied once, wherever a name enters a result or a message.

On a terminal, control characters in names (ESC starts a sequence that can rewrite the screen or
the window's title) are shown escaped (``\\x1b``) by ``printable``: every text that reaches a
terminal goes through it — messages, the terminal table, and CSV, TSV, JSON or a vocabulary's
tree written to a stdout that is a terminal (``TerminalText``). Files and pipes get the text as
it is.
"""

from __future__ import annotations

import codecs
import os
import re

_SURROGATE = re.compile("[\udc80-\udcff]")
# C0 controls but tab, DEL, C1 controls; and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_LINE_FEED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def doc_id_for(name: str) -> str:
    """``name`` (a path as Python decoded it) as a doc_id that any UTF-8 output can hold."""
    if not _SURROGATE.search(name):
        return name
    raw = os.fsencode(name) if os.name != "nt" else name.encode("utf-8", "surrogateescape")
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def original_path(doc_id: str) -> str:
    """The path a ``doc_id_for`` doc_id was made from (for ``open``): ``\\xHH`` escapes undone."""
    if "\\x" not in doc_id:
        return doc_id
    raw, _ = codecs.escape_decode(doc_id.encode("utf-8"))
    return os.fsdecode(raw)


def printable(text: str) -> str:
    """``text`` with control characters escaped, for a terminal: a name cannot move the cursor,
    clear the screen or set the window title."""
    return _escaped(_CONTROL, text)


def printable_lines(text: str) -> str:
    """``printable``, but line feeds kept: for a terminal table's cell, which may hold lines."""
    return _escaped(_CONTROL_BUT_LINE_FEED, text)


def _escaped(controls: re.Pattern, text: str) -> str:
    if not controls.search(text):
        return text
    return controls.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # closed
        return False


def for_stream(text: str, stream: object) -> str:
    """``text`` as it may be written to ``stream``: escaped (``printable_lines``) for a terminal."""
    return printable_lines(text) if is_terminal(stream) else text


class TerminalText:
    """A text stream on a terminal whose writes go through ``printable_lines`` (line feeds and
    tabs kept). It has no ``buffer``: nothing can write bytes past it."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.encoding = getattr(stream, "encoding", None)

    def write(self, text: str) -> int:
        self._stream.write(printable_lines(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True


def terminal_safe(stream):
    """``stream``, wrapped in ``TerminalText`` when it is a terminal."""
    return TerminalText(stream) if is_terminal(stream) and not isinstance(stream, TerminalText) else stream
