"""Hits placed in the original text: where each one is, in which paragraph and sentence, with
what around it. The rows of ``count --evidence`` and of ``kwic``, so that any number in a table
can be checked by a person reading the document.

Offsets are 0-based character offsets into the document's text as read (after decoding and, for
markdown, after the front matter), end exclusive: ``text[start:end]`` is the surface. For an
article of a page (doc_id ``FILE#N``, ``readers/articles.py``) they are offsets into the page's
text, the file's as for any other document; its paragraphs and sentences count from 1 in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .match import Hit, paragraph_starts, sentence_starts, unit_index
from .normalize import NormalizedText, normalize_term
from .vocab import Vocabulary

EVIDENCE_COLUMNS = ["doc_id", "term", "category", "surface", "start", "end", "paragraph", "sentence", "sentence_text"]
KWIC_COLUMNS = ["doc_id", "term", "category", "start", "end", "left", "surface", "right"]
DEFAULT_WIDTH = 20  # characters of context on each side, as AntConc's default of 10 words reads in Chinese
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PlacedHit:
    """A hit in the original text. ``paragraph`` and ``sentence`` count from 1 in the document."""

    term: int
    surface: str
    start: int
    end: int
    paragraph: int
    sentence: int
    sentence_text: str
    left: str
    right: str


def place_hits(
    normalized: NormalizedText, hits: Sequence[Hit], *, width: int = DEFAULT_WIDTH, offset: int = 0
) -> list[PlacedHit]:
    """Each hit's original span (plus ``offset``: where the text starts in its file), paragraph,
    sentence and ``width`` characters of context on each side (whitespace runs shown as one
    space, so a line of context is one line)."""
    original = normalized.original
    paragraphs = paragraph_starts(original)
    sentences = sentence_starts(original, paragraphs)
    placed = []
    for hit in hits:
        start, end = normalized.original_span(hit.start, hit.end)
        sentence = unit_index(sentences, start)
        sentence_start = sentences[sentence - 1] if sentence else 0
        sentence_end = sentences[sentence] if sentence < len(sentences) else len(original)
        placed.append(PlacedHit(
            term=hit.term,
            surface=original[start:end],
            start=start + offset,
            end=end + offset,
            paragraph=unit_index(paragraphs, start) + 1,
            sentence=sentence + 1,
            sentence_text=one_line(original[sentence_start:sentence_end]),
            left=left_context(original, start, width),
            right=right_context(original, end, width),
        ))
    return placed


def one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def left_context(text: str, start: int, width: int) -> str:
    # Whitespace collapses, so take more than width characters before collapsing.
    return _WHITESPACE.sub(" ", text[max(0, start - 4 * width) : start]).lstrip()[-width:] if width else ""


def right_context(text: str, end: int, width: int) -> str:
    return _WHITESPACE.sub(" ", text[end : end + 4 * width]).rstrip()[:width] if width else ""


def evidence_frame(documents: Sequence[tuple[str, Sequence[PlacedHit]]], vocabulary: Vocabulary) -> pd.DataFrame:
    """One row per hit: (doc_id, placed hits) in document order → EVIDENCE_COLUMNS."""
    rows = [
        (doc_id, vocabulary.terms[h.term].name, vocabulary.terms[h.term].category, h.surface, h.start, h.end,
         h.paragraph, h.sentence, h.sentence_text)
        for doc_id, placed in documents for h in placed
    ]
    return _frame(rows, EVIDENCE_COLUMNS)


def kwic_frame(documents: Sequence[tuple[str, Sequence[PlacedHit]]], vocabulary: Vocabulary) -> pd.DataFrame:
    """One concordance line per hit → KWIC_COLUMNS."""
    rows = [
        (doc_id, vocabulary.terms[h.term].name, vocabulary.terms[h.term].category, h.start, h.end, h.left,
         h.surface, h.right)
        for doc_id, placed in documents for h in placed
    ]
    return _frame(rows, KWIC_COLUMNS)


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in ("start", "end", "paragraph", "sentence"):
        if column in frame:
            frame[column] = frame[column].astype("int64")
    return frame


def select_terms(
    vocabulary: Vocabulary, *, term: str | None = None, category: str | None = None
) -> frozenset[int]:
    """Indices of the terms a concordance is for: the term with this name or alias, the terms of a
    category, or (neither given) every term. Raises KeyError naming what is not there."""
    if term is not None:
        wanted = normalize_term(term)  # ６Ｇ finds 6G, as the matcher would
        for index, candidate in enumerate(vocabulary.terms):
            if wanted in (normalize_term(surface) for surface in candidate.surfaces):
                return frozenset([index])
        raise KeyError(f"'{term}' is neither a term nor an alias of the vocabulary")
    if category is not None:
        chosen = frozenset(i for i, t in enumerate(vocabulary.terms) if t.category == category)
        if not chosen:
            raise KeyError(f"no category '{category}' in the vocabulary (categories: {', '.join(vocabulary.categories)})")
        return chosen
    return frozenset(range(len(vocabulary.terms)))
