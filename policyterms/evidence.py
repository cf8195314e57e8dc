"""Hits placed in the original text: where each one is, in which paragraph and sentence, with
what around it. The rows of ``count --evidence`` and of ``kwic``, so that any number in a table
can be checked by a person reading the document.

Offsets are 0-based character offsets into the document's text as read (after decoding and, for
markdown, after the front matter), end exclusive: ``text[start:end]`` is the surface. For an
article of a page (doc_id ``FILE#N``, ``readers/articles.py``) they are offsets into the page's
text, the file's as for any other document; its paragraphs and sentences count from 1 in the article.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .defaults import DEFAULT_WIDTH  # defined there, for --help
from .match import HEADING_MAX_CHARS, SECTION_NUMBER, Hit, paragraph_starts, sentence_starts, unit_index
from .normalize import NormalizedText, normalize_term
from .rows import Rows
from .vocab import Vocabulary

EVIDENCE_COLUMNS = ["doc_id", "term", "category", "surface", "start", "end", "paragraph", "sentence", "sentence_text"]
KWIC_COLUMNS = ["doc_id", "term", "category", "start", "end", "left", "surface", "right"]
# An evidence row's sentence is cut to this many characters on each side of the hit (marked "…"):
# a "sentence" can be a 300,000-character line without a sentence end, and each of its hits a row.
SENTENCE_CONTEXT = 100
CUT = "…"
_WHITESPACE = re.compile(r"\s+")
# A heading line with no sentence end after it (a title, a byline, 一、… a section heading) is one
# counting sentence with the text below it: sentences end at 。！？；!? and at paragraph ends
# (match.py), and co-occurrence counts in those units. An evidence row's sentence_text leaves such
# lines out unless the hit is in one (then it is the line alone); the `sentence` number stays the
# counting unit's. A heading line: short (at most HEADING_MAX_CHARS, and under 70 % of the
# document's full line, the 80th percentile of its line lengths, as readers/formats.join_lines
# judges a PDF's lines: a hard-wrapped line is full, not a heading), with no punctuation that
# runs on or ends a sentence, once a leading number (一、 （二） 3. 第四章) is set aside.
_FULL_LINE_PERCENTILE = 0.8
_SHORT_LINE = 0.7
_NOT_IN_A_HEADING = re.compile(r"[，,、；;：:。！？!?]|[…《“‘「『（(]$")  # (a line ending so goes on below)


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
    pieces: dict[int, list[tuple[int, int]]] = {}  # sentence → its pieces (sentence_pieces), found once
    short = None  # short_line_length, found for the first sentence that spans lines
    for hit in hits:
        start, end = normalized.original_span(hit.start, hit.end)
        sentence = unit_index(sentences, start)
        if sentence not in pieces:  # hits come in text order
            sentence_start, sentence_end = _trimmed_span(original, sentences, sentence)
            if short is None and original.find("\n", sentence_start, sentence_end) >= 0:
                short = short_line_length(original)
            pieces = {sentence: sentence_pieces(original, sentence_start, sentence_end, short=short or 0)}
        sentence_start, sentence_end = piece_around(pieces[sentence], start, end)
        placed.append(PlacedHit(
            term=hit.term,
            surface=original[start:end],
            start=start + offset,
            end=end + offset,
            paragraph=unit_index(paragraphs, start) + 1,
            sentence=sentence + 1,
            sentence_text=sentence_around(original, sentence_start, sentence_end, start, end),
            left=left_context(original, start, width),
            right=right_context(original, end, width),
        ))
    return placed


def one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _trimmed_span(text: str, sentences: list[int], sentence: int) -> tuple[int, int]:
    start = sentences[sentence - 1] if sentence else 0
    end = sentences[sentence] if sentence < len(sentences) else len(text)
    return _without_whitespace(text, start, end) or (start, start)


def short_line_length(text: str) -> int:
    """Lines shorter than this may be headings: 70 % of the document's full line (the 80th
    percentile of its non-empty lines' lengths)."""
    lengths = sorted(len(line.strip()) for line in text.split("\n") if line.strip())
    full = lengths[int(_FULL_LINE_PERCENTILE * (len(lengths) - 1))] if lengths else 0
    return min(HEADING_MAX_CHARS + 1, math.ceil(_SHORT_LINE * full))


def is_heading_line(line: str, *, short: int) -> bool:
    """A line that reads as a heading or byline (see above): shorter than ``short``, and no
    sentence punctuation in it after its section number."""
    bare = line.strip()
    return 0 < len(bare) < short and not _NOT_IN_A_HEADING.search(SECTION_NUMBER.sub("", bare, count=1))


def sentence_pieces(text: str, start: int, end: int, *, short: int) -> list[tuple[int, int]]:
    """The sentence ``text[start:end]`` in the pieces an evidence row shows: each heading line
    alone (judged on its whole line in ``text``), the lines between them together; each piece's
    span without surrounding whitespace, in order."""
    if text.find("\n", start, end) < 0:  # one line (or part of one), nearly every sentence: nothing to cut
        return [(start, end)]
    cuts = [start]
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if is_heading_line(_whole_line(text, line_start, line_end), short=short):
            cuts.extend((line_start, line_end))
        line_start = line_end + 1
    cuts.append(end)
    spans = (_without_whitespace(text, a, b) for a, b in zip(cuts, cuts[1:]))
    return [span for span in spans if span is not None]


def _whole_line(text: str, start: int, end: int) -> str:
    """The line of ``text`` that holds ``text[start:end]`` (a sentence may start or end inside one)."""
    line_end = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : len(text) if line_end < 0 else line_end]


def _without_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    part = text[start:end]
    if not part.strip():
        return None
    return start + len(part) - len(part.lstrip()), start + len(part.rstrip())


def piece_around(pieces: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span of the pieces that hold the hit ``text[start:end]``: one, or the several that a
    hit broken across lines spans (a heading line is never cut through a hit)."""
    first = max(0, bisect_right(pieces, (start, math.inf)) - 1)  # the last piece that starts at or before the hit
    if pieces[first][1] <= start:  # the hit starts after it: in whitespace between pieces
        first += 1
    last = first
    while last + 1 < len(pieces) and pieces[last + 1][0] < end:
        last += 1
    return (pieces[first][0], pieces[last][1]) if first < len(pieces) else (start, end)


def sentence_around(text: str, sentence_start: int, sentence_end: int, start: int, end: int) -> str:
    """The sentence ``text[sentence_start:sentence_end]`` (without surrounding whitespace) as one
    line, cut to SENTENCE_CONTEXT characters on each side of the hit ``text[start:end]`` where it
    is longer, the cuts marked "…"."""
    window_start = max(sentence_start, start - SENTENCE_CONTEXT)
    window_end = min(sentence_end, end + SENTENCE_CONTEXT)
    before = CUT if window_start > sentence_start else ""
    after = CUT if window_end < sentence_end else ""
    return before + one_line(text[window_start:window_end]) + after


def left_context(text: str, start: int, width: int) -> str:
    # Whitespace collapses, so take more than width characters before collapsing.
    return _WHITESPACE.sub(" ", text[max(0, start - 4 * width) : start]).lstrip()[-width:] if width else ""


def right_context(text: str, end: int, width: int) -> str:
    return _WHITESPACE.sub(" ", text[end : end + 4 * width]).rstrip()[:width] if width else ""


def evidence_table(documents: Sequence[tuple[str, Sequence[PlacedHit]]], vocabulary: Vocabulary) -> Rows:
    """One row per hit: (doc_id, placed hits) in document order → EVIDENCE_COLUMNS."""
    rows = [
        (doc_id, vocabulary.terms[h.term].name, vocabulary.terms[h.term].category, h.surface, h.start, h.end,
         h.paragraph, h.sentence, h.sentence_text)
        for doc_id, placed in documents for h in placed
    ]
    return Rows(tuple(EVIDENCE_COLUMNS), rows)


def kwic_table(documents: Sequence[tuple[str, Sequence[PlacedHit]]], vocabulary: Vocabulary) -> Rows:
    """One concordance line per hit → KWIC_COLUMNS."""
    rows = [
        (doc_id, vocabulary.terms[h.term].name, vocabulary.terms[h.term].category, h.start, h.end, h.left,
         h.surface, h.right)
        for doc_id, placed in documents for h in placed
    ]
    return Rows(tuple(KWIC_COLUMNS), rows)


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
        near = similar_terms(vocabulary, term)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise KeyError(f"'{term}' is neither a term nor an alias of the vocabulary{hint}")
    if category is not None:
        # Any of a term's categories, or a category above one of them (未来产业 holds 未来产业/未来信息).
        chosen = frozenset(i for i, t in enumerate(vocabulary.terms)
                           if any(name == category or name.startswith(f"{category}/") for name in t.categories))
        if not chosen:
            raise KeyError(f"no category '{category}' in the vocabulary (categories: {', '.join(vocabulary.categories)})")
        return chosen
    return frozenset(range(len(vocabulary.terms)))


SUGGESTIONS = 5


def similar_terms(vocabulary: Vocabulary, text: str, *, limit: int = SUGGESTIONS) -> list[str]:
    """Terms a mistyped or partial term may have meant, in vocabulary order: those with a form
    (name or alias) that contains ``text`` or is inside it (量子 → 量子科技), else forms close to it
    by difflib's ratio (量子科学 → 量子科技)."""
    wanted = normalize_term(text)
    if not wanted:
        return []
    forms = [(normalize_term(surface), term.name) for term in vocabulary.terms for surface in term.surfaces]
    containing = [name for form, name in forms if wanted in form or (len(form) > 1 and form in wanted)]
    if not containing:
        import difflib  # only for a term that is not in the vocabulary

        close = set(difflib.get_close_matches(wanted, [form for form, _ in forms], n=limit, cutoff=0.6))
        containing = [name for form, name in forms if form in close]
    return list(dict.fromkeys(containing))[:limit]
