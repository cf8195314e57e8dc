"""Segmentation: a tokenizer of our own per vocabulary, every term and alias added, HMM on.

jieba is the reference. rjieba (the Rust port, ``pip install 'policyterms[fast]'``) can be chosen
instead: it gives the same tokens on Chinese text and differs only inside runs of Latin letters,
digits and dots such as URLs and e-mail addresses (tests/test_segment.py pins where).

Only outputs that need tokens (window co-occurrence, token counts) call this module; frequency
counts never wait on it (DESIGN.md, counting rule 7). Both are imported lazily for that reason.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from .errors import PolicytermsError
from .vocab import is_glob

if TYPE_CHECKING:
    from .vocab import Vocabulary

CACHE_ENV = "POLICYTERMS_CACHE_DIR"
SegmenterName = Literal["jieba", "rjieba"]
SEGMENTERS: tuple[str, ...] = get_args(SegmenterName)


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
    import tempfile  # only where jieba's cache is placed

    return tempfile.gettempdir()


def _import_jieba():
    # jieba logs its start-up to stderr through its own handler and, with recent setuptools,
    # warns about pkg_resources on import: neither is for our users.
    import logging

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    logging.getLogger("jieba").setLevel(logging.CRITICAL + 1)
    return jieba


def _import_rjieba():
    try:
        import rjieba
    except ImportError:
        raise PolicytermsError(
            "the rjieba segmenter is not installed: pip install rjieba (or 'policyterms[fast]'), or use --segmenter jieba"
        ) from None
    return rjieba


class Segmenter:
    """jieba (or rjieba) with HMM on and the vocabulary's words added; works on normalized text.

    ``Segmenter(None)`` is plain jieba: its own dictionary only, as a script's ``jieba.lcut`` cuts."""

    def __init__(self, vocabulary: Vocabulary | None, *, engine: SegmenterName = "jieba") -> None:
        if engine not in SEGMENTERS:
            raise PolicytermsError(f"unknown segmenter '{engine}' (choose from {', '.join(SEGMENTERS)})")
        self.engine = engine
        # Globs (美国*) are patterns over tokens, not words: jieba is not told of them.
        surfaces = [surface for surface, _ in vocabulary.patterns() if not is_glob(surface)] if vocabulary is not None else []
        if engine == "rjieba":
            self._tokenizer = _import_rjieba().Jieba()
            for surface in surfaces:
                self._tokenizer.add_word(surface, None, None)  # None: jieba's suggested frequency
            self._tokenize = lambda text: self._tokenizer.tokenize(text, "default", True)
        else:
            self._tokenizer = _import_jieba().Tokenizer()
            self._tokenizer.tmp_dir = cache_dir()
            for surface in surfaces:
                self._tokenizer.add_word(surface)
            self._tokenize = lambda text: self._tokenizer.tokenize(text, HMM=True)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every token that is not whitespace."""
        return [(start, end) for word, start, end in self._tokenize(text) if not word.isspace()]

    def tokens(self, text: str) -> list[str]:
        return [text[start:end] for start, end in self.token_spans(text)]


def count_words(text: str, spans: list[tuple[int, int]]) -> int:
    """Tokens (``Segmenter.token_spans``) that hold a letter, digit or Han character, not
    punctuation or symbols: the base of the per-10,000-tokens rate, as quanteda's ntoken with
    punctuation removed."""
    return sum(1 for start, end in spans if any(char.isalnum() for char in text[start:end]))
