"""Reading inputs: paths → sources (``inputs``) → bytes → text (``decoding``) → ``Document``s
(``text`` for one document per file, ``tables`` for one per row)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Each public name and its submodule, imported on first use (PEP 562): `from .readers.limits
# import MB` (the command line's --help) must not import every reader.
_EXPORTS = {
    **dict.fromkeys(("Decoded", "check_encoding", "decode", "decode_text", "detect_encoding"), "decoding"),
    **dict.fromkeys(("Document", "first_line"), "document"),
    **dict.fromkeys(("DEFAULT_GLOBS", "STDIN_MODES", "Source", "StdinMode", "iter_sources"), "inputs"),
    **dict.fromkeys(("TABLE_SUFFIXES", "TableColumns", "is_table", "iter_table_documents"), "tables"),
    **dict.fromkeys(("STDIN", "read_document", "read_documents", "split_front_matter"), "text"),
}

__all__ = [
    "DEFAULT_GLOBS", "Decoded", "Document", "check_encoding", "decode_text", "STDIN", "STDIN_MODES", "Source", "StdinMode", "TABLE_SUFFIXES",
    "TableColumns", "decode", "detect_encoding", "first_line", "is_table", "iter_sources",
    "iter_table_documents", "read_document", "read_documents", "split_front_matter",
]


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from .decoding import Decoded, check_encoding, decode, decode_text, detect_encoding
    from .document import Document, first_line
    from .inputs import DEFAULT_GLOBS, STDIN_MODES, Source, StdinMode, iter_sources
    from .tables import TABLE_SUFFIXES, TableColumns, is_table, iter_table_documents
    from .text import STDIN, read_document, read_documents, split_front_matter
