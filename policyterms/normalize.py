"""Normalization before matching, with a map back to the original text.

Matching runs on a normalized copy of the text (DESIGN.md, counting rule 1):

1. ``fold_characters``: every character is replaced by its Unicode NFKC form, lower-cased
   (full-width ６Ｇ → 6g, "，" → ","), and invisible characters (zero-width space, BOM, soft
   hyphen) are dropped. NFKC is applied per character so that every normalized character comes
   from exactly one original character.
2. ``join_han_lines``: whitespace between two Han characters is removed, so a term broken by a
   line or page break ("十五\\n\\n五") is found.

Each step is a pure ``str -> (str, OffsetMap)`` function; ``normalize`` chains them and keeps the
maps, so a hit found in the normalized text is reported with its original surface.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_GAP = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
# Characters that carry no text: dropped so that a term with a zero-width space inside still matches.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps positions of a step's output back to positions of its input.

    The output is a sequence of runs. A run starting at output position ``out_starts[i]`` comes
    from input position ``in_starts[i]``; in a ``linear`` run characters correspond one to one,
    otherwise the whole run is the expansion of the single input character at ``in_starts[i]``.
    No runs means the identity.
    """

    out_starts: tuple[int, ...] = ()
    in_starts: tuple[int, ...] = ()
    linear: tuple[bool, ...] = ()

    def to_input(self, pos: int) -> int:
        if not self.out_starts:
            return pos
        i = bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        if self.linear[i]:
            return self.in_starts[i] + (pos - self.out_starts[i])
        return self.in_starts[i]


IDENTITY = OffsetMap()

Step = Callable[[str], tuple[str, OffsetMap]]


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits ``(start, end, replacement)`` and map the result back.

    A replacement is either empty (a deletion) or what one character became (any length).
    """
    pieces: list[str] = []
    out_starts: list[int] = []
    in_starts: list[int] = []
    linear: list[bool] = []
    in_pos = out_pos = 0
    edited = False
    for start, end, replacement in edits:
        edited = True
        if start > in_pos:
            out_starts.append(out_pos), in_starts.append(in_pos), linear.append(True)
            pieces.append(text[in_pos:start])
            out_pos += start - in_pos
        if replacement:
            out_starts.append(out_pos), in_starts.append(start), linear.append(False)
            pieces.append(replacement)
            out_pos += len(replacement)
        in_pos = end
    if not edited:
        return text, IDENTITY
    if in_pos < len(text):
        out_starts.append(out_pos), in_starts.append(in_pos), linear.append(True)
        pieces.append(text[in_pos:])
    return "".join(pieces), OffsetMap(tuple(out_starts), tuple(in_starts), tuple(linear))


@lru_cache(maxsize=65536)
def fold_character(char: str) -> str:
    """NFKC, lower case, invisible characters removed: the normalized form of one character."""
    if char in _INVISIBLE:
        return ""
    return unicodedata.normalize("NFKC", char).lower()


@dataclass(frozen=True, slots=True)
class _FoldTables:
    one_to_one: dict[str, str]  # BMP characters whose folded form is one other character
    changing: re.Pattern  # any of those
    resizing: re.Pattern  # BMP characters that vanish or expand, and every astral character


# BMP blocks that folding leaves alone (no compatibility decomposition, no case): CJK ideographs
# (Extension A and the unified block), Hangul syllables, private use; and the surrogates, which
# are not characters. tests/test_normalize.py checks the tables against every character folded alone.
_UNCHANGED_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xAC00, 0xD7A4), (0xD800, 0xF900))


def _changed_characters() -> list[tuple[str, str]]:
    """Every BMP character that folding changes, with its folded form, as ``fold_character``
    gives it; in one NFKC call over the characters joined by NUL (a starter that nothing composes
    with and no case rule looks across, so each character folds as if alone): ~10 ms, where one
    call per character took 60 ms — at the start of every run."""
    starts = (0x1, *(end for _, end in _UNCHANGED_BLOCKS))  # NUL itself folds to itself
    ends = (*(start for start, _ in _UNCHANGED_BLOCKS), 0x10000)
    chars = "".join(chr(code) for start, end in zip(starts, ends) for code in range(start, end))
    folded = unicodedata.normalize("NFKC", "\0".join(chars)).lower().split("\0")
    return [(char, "" if char in _INVISIBLE else form) for char, form in zip(chars, folded, strict=True)
            if form != char or char in _INVISIBLE]


@lru_cache(maxsize=1)
def _fold_tables() -> _FoldTables:
    """Built once per process: which characters folding changes, and how."""
    one_to_one: dict[str, str] = {}
    resizing: list[str] = []
    for char, folded in _changed_characters():
        if len(folded) == 1:
            one_to_one[char] = folded
        else:
            resizing.append(char)

    def char_class(chars: list[str]) -> str:
        return "".join(re.escape(c) for c in sorted(chars))

    return _FoldTables(
        one_to_one,
        re.compile(f"[{char_class(list(one_to_one))}]"),
        re.compile(f"[{char_class(resizing)}\U00010000-\U0010ffff]"),
    )


def fold_characters(text: str) -> tuple[str, OffsetMap]:
    """Step 1: per-character NFKC + lower case, invisible characters dropped.

    One-to-one changes ("，" → ",", "Ａ" → "a") are a regex substitution, which needs no offset
    map; characters that vanish or expand ("…" → "..."), and astral characters (rare; folded one
    by one), go through ``apply_edits``, which maps the result back."""
    tables = _fold_tables()
    folded = tables.changing.sub(lambda m: tables.one_to_one[m.group()], text)
    edits = (
        (m.start(), m.end(), replacement)
        for m in tables.resizing.finditer(folded)
        if (replacement := fold_character(m.group())) != m.group()
    )
    return apply_edits(folded, edits)


def join_han_lines(text: str) -> tuple[str, OffsetMap]:
    """Step 2: remove whitespace between two Han characters ("平\\n\\n台" → "平台")."""
    return apply_edits(text, ((m.start(), m.end(), "") for m in _HAN_GAP.finditer(text)))


STEPS: tuple[Step, ...] = (fold_characters, join_han_lines)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The normalized text, the original, and the maps between them."""

    text: str
    original: str
    maps: tuple[OffsetMap, ...] = ()

    def to_original(self, pos: int) -> int:
        for offset_map in reversed(self.maps):
            pos = offset_map.to_input(pos)
        return pos

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalized ``[start, end)`` came from."""
        if end <= start:
            at = self.to_original(start)
            return at, at
        return self.to_original(start), self.to_original(end - 1) + 1

    def surface(self, start: int, end: int) -> str:
        orig_start, orig_end = self.original_span(start, end)
        return self.original[orig_start:orig_end]


def normalize(text: str, steps: Iterable[Step] = STEPS) -> NormalizedText:
    current = text
    maps: list[OffsetMap] = []
    for step in steps:
        current, offset_map = step(current)
        if offset_map is not IDENTITY:
            maps.append(offset_map)
    return NormalizedText(current, text, tuple(maps))


def normalize_term(term: str) -> str:
    """The form a vocabulary term or alias is matched in."""
    return normalize(term.strip()).text


def is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()
