"""jieba segmentation: a tokenizer of our own per vocabulary, every term and alias added.

Only outputs that need tokens (window co-occurrence, token counts) call this module; frequency
counts never wait on it (DESIGN.md, counting rule 7). jieba is imported lazily for that reason.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .vocab import Vocabulary

CACHE_ENV = "POLICYTERMS_CACHE_DIR"


def cache_dir() -> str:
    """A writable directory for jieba's dictionary cache.

    ``$POLICYTERMS_CACHE_DIR``, else ``$XDG_CACHE_HOME/policyterms`` (``~/.cache/policyterms``),
    else the system temp directory — so a read-only home directory is no problem.
    """
    candidates = []
    if os.environ.get(CACHE_ENV):
        candidates.append(Path(os.environ[CACHE_ENV]))
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates.append(Path(xdg) / "policyterms")
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK | os.X_OK):
            return str(candidate)
    return tempfile.gettempdir()


def _import_jieba():
    # jieba logs its start-up to stderr through its own handler and, with recent setuptools,
    # warns about pkg_resources on import: neither is for our users.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    logging.getLogger("jieba").setLevel(logging.CRITICAL + 1)
    return jieba


class Segmenter:
    """jieba with HMM on and the vocabulary's words added; works on normalized text."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        jieba = _import_jieba()
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.tmp_dir = cache_dir()
        for surface, _ in vocabulary.patterns():
            self._tokenizer.add_word(surface)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every token that is not whitespace."""
        return [
            (start, end)
            for word, start, end in self._tokenizer.tokenize(text, HMM=True)
            if not word.isspace()
        ]

    def tokens(self, text: str) -> list[str]:
        return [text[start:end] for start, end in self.token_spans(text)]
