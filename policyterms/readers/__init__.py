"""Reading inputs: paths → sources (``inputs``) → bytes → text (``decoding``) → ``Document``s
(``text`` for one document per file, ``tables`` for one per row)."""

from .decoding import Decoded, check_encoding, decode, decode_text, detect_encoding
from .document import Document, first_line
from .inputs import DEFAULT_GLOBS, STDIN_MODES, Source, StdinMode, iter_sources
from .tables import TABLE_SUFFIXES, TableColumns, is_table, iter_table_documents
from .text import STDIN, read_document, read_documents, split_front_matter

__all__ = [
    "DEFAULT_GLOBS", "Decoded", "Document", "check_encoding", "decode_text", "STDIN", "STDIN_MODES", "Source", "StdinMode", "TABLE_SUFFIXES",
    "TableColumns", "decode", "detect_encoding", "first_line", "is_table", "iter_sources",
    "iter_table_documents", "read_document", "read_documents", "split_front_matter",
]
