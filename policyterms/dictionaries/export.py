"""A vocabulary written in another tool's format, with what that format could not keep."""

from __future__ import annotations

from typing import Literal

from ..errors import VocabularyError
from ..vocab import Vocabulary
from . import cntext, dicx, jieba, lexicoder, liwc, project, quanteda, wordstat

ExportFormat = Literal["yaml", "liwc", "dicx", "cntext", "quanteda", "jieba", "wordstat", "lexicoder"]
EXPORT_FORMATS: tuple[str, ...] = ("yaml", "liwc", "dicx", "cntext", "quanteda", "jieba", "wordstat", "lexicoder")
WRITERS = {
    "yaml": project.write, "liwc": liwc.write, "dicx": dicx.write, "cntext": cntext.write,
    "quanteda": quanteda.write, "jieba": jieba.write, "wordstat": wordstat.write, "lexicoder": lexicoder.write,
}


def export_dictionary(vocabulary: Vocabulary, *, to: ExportFormat) -> tuple[str, list[str]]:
    """The vocabulary in another format, and what that format could not keep (one line each)."""
    if to not in WRITERS:
        raise VocabularyError([f"cannot write '{to}' (choose from {', '.join(EXPORT_FORMATS)})"])
    return WRITERS[to](vocabulary)

