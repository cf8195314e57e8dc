"""The multi-pattern matcher: normalized text → hits, and the units (sentences, paragraphs) they fall in.

Matching follows DESIGN.md's counting rules: on normalized text, leftmost-longest and
non-overlapping across the whole vocabulary, aliases counting for their term, and ASCII
boundaries (6G is not in 16GB). The Aho-Corasick automaton is ahocorasick-rs (1.9x faster than
pyahocorasick here, see benchmarks/matcher_choice.py).

Two ways to the same hits. The fast one asks the automaton for its leftmost-longest matches
directly; when each of them respects its ASCII boundaries, they are the hits. (The automaton
picks, from left to right, the longest match at each position among all matches; the rule picks
it among those that respect their boundaries; when every pick respects them, the two agree.)
When one does not (a longer match that fails its boundary can hide a shorter valid one: 5G in
"5G-AB"), and whenever shadowed matches are asked for, the careful way runs: every match,
overlapping ones included, those that fail a boundary dropped, then the same left-to-right
selection. Matches that lost their characters to another term's hit are "shadowed", never added
to the counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter, methodcaller
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from .globs import find_regex, text_form, token_form
from .normalize import HAN, WHITESPACE, is_ascii_alnum
from .patterns import LazyPattern
from .vocab import Vocabulary, is_glob

try:  # sentence and paragraph ends found in C (policyterms/_speedups.c) where it was built, else by their patterns
    from ._speedups import final_line_ends as _final_line_ends_in_c
    from ._speedups import sentence_ends as _sentence_ends_in_c
except ImportError:
    _final_line_ends_in_c = _sentence_ends_in_c = None


_PATTERN = itemgetter(0)


class Hit(NamedTuple):
    """A counted occurrence: term index in the vocabulary, span in the normalized text. (A tuple:
    a document can have thousands, and a frozen dataclass takes 3x as long to make.)"""

    term: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Matches:
    hits: list[Hit]
    shadowed: list[Hit]


class Matcher:
    """Finds the vocabulary's terms in normalized text (``--match text``). Plain surfaces (and a
    glob that is a Han prefix, ``美国*``) go into one automaton; other globs and surfaces with
    whitespace inside are regexes (globs.py), whose matches join the automaton's in the careful
    way's leftmost-longest choice."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        patterns, self._regexes = [], []
        for surface, term in vocabulary.patterns():
            form = text_form(surface)
            if form.literal is not None:
                patterns.append((form.literal, term))
            else:
                self._regexes.append((re.compile(form.regex), term))
        self._surfaces = [surface for surface, _ in patterns]
        self._terms = [term for _, term in patterns]
        self._start_boundary = [is_ascii_alnum(surface[0]) for surface in self._surfaces]
        self._end_boundary = [is_ascii_alnum(surface[-1]) for surface in self._surfaces]
        self._bounded = frozenset(
            index for index, (start, end) in enumerate(zip(self._start_boundary, self._end_boundary)) if start or end
        )
        self._leftmost_longest = AhoCorasick(self._surfaces, matchkind=MatchKind.LeftmostLongest)

    @cached_property
    def _every_match(self) -> AhoCorasick:
        """The automaton of the careful way, built the first time it is needed."""
        return AhoCorasick(self._surfaces, matchkind=MatchKind.Standard)

    def find(self, text: str, *, shadowed: bool = False) -> Matches:
        """The hits in normalized ``text``, leftmost first; with ``shadowed``, also the matches
        that lost their characters to another term's hit (else ``Matches.shadowed`` is empty)."""
        if not shadowed and not self._regexes and (hits := self._leftmost_longest_hits(text)) is not None:
            return Matches(hits, [])
        return self._select(text, shadowed=shadowed)

    def _select(self, text: str, *, shadowed: bool) -> Matches:
        """The careful way: every match, selected from left to right."""
        hits, lost = [], []
        covered_until = 0
        for candidate in self.candidates(text):
            if candidate.start >= covered_until:
                hits.append(candidate)
                covered_until = candidate.end
            elif shadowed and not _same_term_covers(hits, candidate):
                lost.append(candidate)
        return Matches(hits, lost)

    def term_counts(self, text: str) -> Counter:
        """Term index → hits in normalized ``text``: ``find(text).hits`` counted, without making
        a ``Hit`` of each (for counts that need no place in the text)."""
        found = None if self._regexes else self._leftmost_longest_matches(text)
        if found is None:
            return Counter(hit.term for hit in self._select(text, shadowed=False).hits)
        return Counter(map(self._terms.__getitem__, map(_PATTERN, found)))

    def _leftmost_longest_hits(self, text: str) -> list[Hit] | None:
        found = self._leftmost_longest_matches(text)
        if found is None:
            return None
        terms = self._terms
        return [Hit(terms[pattern], start, end) for pattern, start, end in found]

    def _leftmost_longest_matches(self, text: str) -> list[tuple[int, int, int]] | None:
        """The automaton's leftmost-longest matches (pattern, start, end), or None when one of
        them fails its ASCII boundary (then they are not the hits: see the module's docstring)."""
        found = self._leftmost_longest.find_matches_as_indexes(text)
        if self._bounded:
            for pattern, start, end in found:
                if pattern in self._bounded and not self._within_boundaries(text, pattern, start, end):
                    return None
        return found

    def candidates(self, text: str) -> list[Hit]:
        """Every match that respects ASCII boundaries, overlapping ones included, leftmost first
        and, at the same start, longest first."""
        found = [
            Hit(self._terms[pattern], start, end)
            for pattern, start, end in self._every_match.find_matches_as_indexes(text, overlapping=True)
            if pattern not in self._bounded or self._within_boundaries(text, pattern, start, end)
        ]
        for regex, term in self._regexes:  # globs and entries with whitespace inside
            found.extend(Hit(term, start, end) for start, end in find_regex(regex, text))
        found.sort(key=lambda hit: (hit.start, -hit.end))
        return found

    def _within_boundaries(self, text: str, pattern: int, start: int, end: int) -> bool:
        """A surface that starts (ends) with an ASCII letter or digit is not preceded (followed) by one."""
        if self._start_boundary[pattern] and start > 0 and is_ascii_alnum(text[start - 1]):
            return False
        return not (self._end_boundary[pattern] and end < len(text) and is_ascii_alnum(text[end]))


def _same_term_covers(hits: list[Hit], candidate: Hit) -> bool:
    """An alias inside its own term's hit (核聚变 in 核聚变能, both one term) is not shadowing."""
    for hit in reversed(hits):
        if hit.end <= candidate.start:
            return False
        if hit.term == candidate.term:
            return True
    return False


# Units ---------------------------------------------------------------------------------------
# Units are found in the original text (hits are placed by their original start), because
# normalization joins lines between Han characters and so erases the blank line after a heading.
#
# A paragraph ends at a line break after sentence-final punctuation, or at a blank line — unless
# the blank line sits between two Han characters after a line that reads as part of a running
# paragraph (a page break inside a sentence, like 004's "聚焦“十五\n\n五”时期"). A line reads as
# a heading or byline when it is short and has no sentence-internal punctuation.
# A markdown heading line ("## 标题") is a paragraph of its own.
# A sentence ends after 。！？；!?; (and the closing quotes or brackets right after them) and at
# paragraph ends. (Compiled when units are first asked for: a frequency count needs none.)
_FINAL = r"""。！？；!?;.…”’」』）)】\]"'"""
# Both start with a character (not a look-behind) so that a search skips to where one can match.
# Only where each ends is used: a paragraph starts there.
_LINE_END_AFTER_FINAL = LazyPattern(rf"[{_FINAL}][^\S\n]*\n\s*")
# From the first line end: the spaces before it are passed over by _blank_line_start (a pattern
# starting with them would scan every long run of spaces to its end again: quadratic time).
_BLANK_LINE = LazyPattern(r"\n[^\S\n]*\n\s*")
_LINE_SPACES = WHITESPACE.replace("\n", "")  # [^\S\n]
_MARKDOWN_HEADING = LazyPattern(r"^[^\S\n]{0,3}#{1,6}[^\S\n].*\n\s*", re.MULTILINE)
_SENTENCE_END = LazyPattern(r"[。！？；!?;]+[”’」』）)]*\s*")
_HAN_CHAR = LazyPattern(f"[{HAN}]")
_RUNNING_TEXT_MARKS = LazyPattern(r"[，,、；;：:。]")
HEADING_MAX_CHARS = 40
# The number a section heading starts with: 一、 （二） 3. 第四章.
SECTION_NUMBER = LazyPattern(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百\d]{1,4}[章节部分篇])\s*"
)
_MATCH_END = methodcaller("end")


def paragraph_starts(text: str) -> list[int]:
    """Positions (in the original text) where paragraphs after the first begin."""
    starts = set(final_line_ends(text))
    if "#" in text:
        starts.update(m.end() for m in _MARKDOWN_HEADING.finditer(text))
    for m in _BLANK_LINE.finditer(text):
        if m.end() < len(text) and not _is_page_break(text, _blank_line_start(text, m.start()), m.end()):
            starts.add(m.end())
    first = len(text) - len(text.lstrip())  # blank lines before the first paragraph start none
    return sorted(start for start in starts if first < start < len(text))


def final_line_ends(text: str) -> list[int]:
    """Where each match of ``_LINE_END_AFTER_FINAL`` ends, leftmost first."""
    if _final_line_ends_in_c is not None:
        return _final_line_ends_in_c(text)
    return list(map(_MATCH_END, _LINE_END_AFTER_FINAL.finditer(text)))


def _blank_line_start(text: str, line_end: int) -> int:
    """Where the spaces before the line end at ``line_end`` begin (on its line)."""
    start = line_end
    while start > 0 and text[start - 1] in _LINE_SPACES:
        start -= 1
    return start


def _is_page_break(text: str, gap_start: int, gap_end: int) -> bool:
    if gap_start == 0 or not (_HAN_CHAR.match(text, gap_start - 1) and _HAN_CHAR.match(text, gap_end)):
        return False
    line = text[text.rfind("\n", 0, gap_start) + 1 : gap_start].strip()
    heading = SECTION_NUMBER.sub("", line, count=1)  # the 、 of 一、 is a heading's number, not running text
    return len(line) > HEADING_MAX_CHARS or bool(_RUNNING_TEXT_MARKS.search(heading))


def sentence_starts(text: str, paragraphs: list[int]) -> list[int]:
    """Positions (in the original text) where sentences after the first begin."""
    first = len(text) - len(text.lstrip())
    ends = set(sentence_ends(text))
    return sorted(end for end in ends.union(paragraphs) if first < end < len(text))


def sentence_ends(text: str) -> list[int]:
    """Where each match of ``_SENTENCE_END`` ends, leftmost first."""
    if _sentence_ends_in_c is not None:
        return _sentence_ends_in_c(text)
    return list(map(_MATCH_END, _SENTENCE_END.finditer(text)))


def unit_index(starts: list[int], position: int) -> int:
    """0-based index of the unit that holds ``position``, given the starts of units 1, 2, …"""
    return bisect_right(starts, position)


# Whole tokens (--match tokens) ------------------------------------------------------------------

class TokenMatcher:
    """``--match tokens``: terms as whole jieba tokens, as cntext and quanteda's ``tokens_lookup``
    count them. The segmenter has every plain entry of the vocabulary among its words, so they
    stay whole; an entry with spaces inside (``a lie``) matches that many consecutive tokens; a
    glob matches whole tokens (``美国*``: 美国, 美国人 …, not 中美国). Leftmost-longest across the
    vocabulary, in tokens: at each token the entry covering the most tokens wins. Same interface
    as ``Matcher`` (hits are placed in the normalized text); there are no shadowed matches."""

    def __init__(self, vocabulary: Vocabulary, *, segmenter) -> None:
        self.vocabulary = vocabulary
        self.segmenter = segmenter
        self._literal: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # first token → (tokens, term)
        self._globs: list[tuple[tuple[re.Pattern, ...], int]] = []
        for surface, term in vocabulary.patterns():
            parts = tuple(surface.split())
            if any(is_glob(part) for part in parts):
                self._globs.append((tuple(re.compile(token_form(part) or re.escape(part)) for part in parts), term))
            elif parts:
                self._literal.setdefault(parts[0], []).append((parts, term))

    def find(self, text: str, *, shadowed: bool = False) -> Matches:
        spans = self.segmenter.token_spans(text)
        tokens = [text[start:end] for start, end in spans]
        hits, position = [], 0
        while position < len(tokens):
            best = self._longest_at(tokens, position)
            if best is None:
                position += 1
                continue
            length, term = best
            hits.append(Hit(term, spans[position][0], spans[position + length - 1][1]))
            position += length
        return Matches(hits, [])

    def _longest_at(self, tokens: list[str], position: int) -> tuple[int, int] | None:
        best = None
        for parts, term in self._literal.get(tokens[position], ()):
            if (best is None or len(parts) > best[0]) and tuple(tokens[position:position + len(parts)]) == parts:
                best = (len(parts), term)
        for parts, term in self._globs:
            length = len(parts)
            if (best is None or length > best[0]) and position + length <= len(tokens) and all(
                    part.fullmatch(token) for part, token in zip(parts, tokens[position:position + length])):
                best = (length, term)
        return best

    def term_counts(self, text: str) -> Counter:
        return Counter(hit.term for hit in self.find(text).hits)
