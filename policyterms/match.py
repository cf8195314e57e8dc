"""The multi-pattern matcher: normalized text → hits, and the units (sentences, paragraphs) they fall in.

Matching follows DESIGN.md's counting rules: on normalized text, leftmost-longest and
non-overlapping across the whole vocabulary, aliases counting for their term, and ASCII
boundaries (6G is not in 16GB). The Aho-Corasick automaton (pyahocorasick) reports every match,
overlapping ones included; the selection below then takes, from left to right, the longest valid
match at each position. Matches that lost their characters to another term's hit are kept apart
as "shadowed", never added to the counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick

from .normalize import is_ascii_alnum
from .vocab import Vocabulary


@dataclass(frozen=True, slots=True)
class Hit:
    """A counted occurrence: term index in the vocabulary, span in the normalized text."""

    term: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Matches:
    hits: list[Hit]
    shadowed: list[Hit]


class Matcher:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._automaton = ahocorasick.Automaton()
        for surface, term_index in vocabulary.patterns():
            needs_start_boundary = is_ascii_alnum(surface[0])
            needs_end_boundary = is_ascii_alnum(surface[-1])
            self._automaton.add_word(surface, (term_index, len(surface), needs_start_boundary, needs_end_boundary))
        self._automaton.make_automaton()

    def candidates(self, text: str) -> list[Hit]:
        """Every match that respects ASCII boundaries, overlapping ones included, leftmost first
        and, at the same start, longest first."""
        found: list[Hit] = []
        length = len(text)
        for last, (term, size, start_boundary, end_boundary) in self._automaton.iter(text):
            start, end = last - size + 1, last + 1
            if start_boundary and start > 0 and is_ascii_alnum(text[start - 1]):
                continue
            if end_boundary and end < length and is_ascii_alnum(text[end]):
                continue
            found.append(Hit(term, start, end))
        found.sort(key=lambda hit: (hit.start, -hit.end))
        return found

    def find(self, text: str) -> Matches:
        hits: list[Hit] = []
        shadowed: list[Hit] = []
        covered_until = 0
        for candidate in self.candidates(text):
            if candidate.start >= covered_until:
                hits.append(candidate)
                covered_until = candidate.end
            elif not _same_term_covers(hits, candidate):
                shadowed.append(candidate)
        return Matches(hits, shadowed)


def _same_term_covers(hits: list[Hit], candidate: Hit) -> bool:
    """An alias inside its own term's hit (核聚变 in 核聚变能, both one term) is not shadowing."""
    for hit in reversed(hits):
        if hit.end <= candidate.start:
            return False
        if hit.term == candidate.term:
            return True
    return False


# Units ---------------------------------------------------------------------------------------
# A paragraph ends at a blank line, or at a line break after sentence-final punctuation.
# A sentence ends after 。!?; (full-width forms are ASCII after NFKC) and at paragraph ends.
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n\s*|(?<=[。!?;.…”’」』)\]\"'])[^\S\n]*\n\s*")
_SENTENCE_END = re.compile(r"[。!?;]+\s*")


def paragraph_starts(text: str) -> list[int]:
    """Positions where paragraphs after the first begin."""
    return [m.end() for m in _PARAGRAPH_END.finditer(text)]


def sentence_starts(text: str, paragraphs: list[int]) -> list[int]:
    """Positions where sentences after the first begin (paragraph starts included)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return sorted(set(ends).union(paragraphs))


def unit_index(starts: list[int], position: int) -> int:
    """0-based index of the unit that holds ``position``, given the starts of units 1, 2, …"""
    return bisect_right(starts, position)
