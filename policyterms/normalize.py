"""Normalization before matching, with a map back to the original text.

Matching runs on a normalized copy of the text (DESIGN.md, counting rule 1):

1. ``fold_characters``: every character is replaced by its Unicode NFKC form, lower-cased
   (full-width ６Ｇ → 6g, "，" → ","), and invisible characters (zero-width space, BOM, soft
   hyphen) are dropped. NFKC is applied per character so that every normalized character comes
   from exactly one original character.
2. ``join_han_lines``: whitespace between two Han characters is removed, so a term broken by a
   line or page break ("十五\\n\\n五") is found.

Each step is a pure ``str -> (str, OffsetMap)`` function; ``normalize`` chains them and keeps the
maps, so a hit found in the normalized text is reported with its original surface. Their loops
over every character run in C (``_speedups.c``) where it was built, else in Python below. A count that
places no hit in the original asks for no maps (``offsets=False``): the steps then build none.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from .patterns import LazyPattern

try:  # normalize.py's per-character loops in C, built by setup.py where a C compiler is found
    from . import _speedups
except ImportError:  # the same work in Python, below (tests/test_normalize.py runs both)
    _speedups = None

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_GAP = LazyPattern(rf"(?<=[{HAN}])\s+(?=[{HAN}])")  # the definition of a gap; han_gaps is faster on most texts
_SPLIT_AT_MOST = 1_000_000  # characters han_gaps splits into words at once (a 32 MB file of short words would be gigabytes)
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

Step = Callable[..., tuple[str, OffsetMap]]  # (text, *, offsets=True) -> (text, map)


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]], *, offsets: bool = True) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits ``(start, end, replacement)`` and map the result back
    (without ``offsets``, the map is IDENTITY, not built: no one will map back).

    A replacement is either empty (a deletion) or what one character became (any length).
    """
    if not offsets:
        pieces, in_pos = [], 0
        for start, end, replacement in edits:
            pieces += (text[in_pos:start], replacement)
            in_pos = end
        return ("".join(pieces) + text[in_pos:], IDENTITY) if pieces else (text, IDENTITY)
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
    resizing: list[str]  # BMP characters that vanish or expand


FOLD_ALONE = 0xFFFFFFFF  # _speedups.fold_one_to_one: not one character to one other (folded in Python)


@lru_cache(maxsize=1)
def _fold_table() -> bytes:
    """For ``_speedups.fold_one_to_one``: each BMP character's folded code point, 0 for one that
    stays (no character folds to NUL), FOLD_ALONE for those that vanish or expand (65,536 native uint32)."""
    tables = _fold_tables()
    table = array("I", bytes(0x10000 * array("I").itemsize))
    for char, folded in tables.one_to_one.items():
        table[ord(char)] = ord(folded)
    for char in tables.resizing:
        table[ord(char)] = FOLD_ALONE
    return table.tobytes()


@lru_cache(maxsize=1)
def _changing() -> re.Pattern:
    """For Python: the one-to-one characters, those that vanish or expand, and every astral
    character (rare; folded one by one): all a text's characters folding may change, in one class."""
    tables = _fold_tables()
    return re.compile(f"[{_char_class([*tables.one_to_one, *tables.resizing])}\U00010000-\U0010ffff]")


# Full-width punctuation of running Chinese text: "，" alone is one character in 50 of a report.
# str.replace changes these in C; a regex substitution calls back into Python for each one
# (4.6x the time of the whole fold on the benchmark corpus).
_COMMON_FOLDS = "，；：（）！？"


# Which characters folding changes depends only on the Unicode version: computed once
# (``fold_data``) and shipped with the package, so that a process does not spend ~10 ms on it at
# every start (loading them takes a few). Another Unicode version (another Python) computes them.
FOLD_DATA = Path(__file__).with_name("fold_tables.json")


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
    """Which characters folding changes, and how: once per process."""
    return _FoldTables(*(_shipped_fold_data() or fold_data()))


def fold_data() -> tuple[dict[str, str], list[str]]:
    """The BMP characters whose folded form is one other character (→ that character), and
    those that vanish or expand."""
    one_to_one: dict[str, str] = {}
    resizing: list[str] = []
    for char, folded in _changed_characters():
        if len(folded) == 1:
            one_to_one[char] = folded
        else:
            resizing.append(char)
    return one_to_one, resizing


def _shipped_fold_data() -> tuple[dict[str, str], list[str]] | None:
    try:
        data = json.loads(FOLD_DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("unicode") != unicodedata.unidata_version:
        return None
    pairs = data["one_to_one"]
    return dict(zip(pairs[0::2], pairs[1::2])), list(data["resizing"])


def write_fold_data(path: Path = FOLD_DATA) -> None:
    """Writes ``fold_data()`` for this Python's Unicode version (tests/test_normalize.py says when)."""
    one_to_one, resizing = fold_data()
    data = {"unicode": unicodedata.unidata_version, "one_to_one": "".join(k + v for k, v in one_to_one.items()),
            "resizing": "".join(resizing)}
    path.write_text(json.dumps(data, ensure_ascii=True) + "\n", encoding="utf-8")


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class body of ``chars``, consecutive code points as ranges."""
    codes = sorted(map(ord, chars))
    parts = []
    start = 0
    while start < len(codes):
        end = start
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        first, last = re.escape(chr(codes[start])), re.escape(chr(codes[end]))
        parts.append(first if start == end else f"{first}-{last}")
        start = end + 1
    return "".join(parts)


def fold_characters(text: str, *, offsets: bool = True) -> tuple[str, OffsetMap]:
    """Step 1: per-character NFKC + lower case, invisible characters dropped.

    One-to-one changes ("，" → ",", "Ａ" → "a") need no offset map: they are made in one pass,
    which also notes the characters that vanish or expand ("…" → "...") and the astral ones;
    ``apply_edits`` then changes those, mapping the result back."""
    if _speedups is not None:
        folded, alone = _speedups.fold_one_to_one(text, _fold_table())
    else:
        folded, alone = _fold_one_to_one(text)
    resized = [(position, position + 1, replacement) for position in alone
               if (replacement := fold_character(folded[position])) != folded[position]]
    return apply_edits(folded, resized, offsets=offsets)


def _fold_one_to_one(text: str) -> tuple[str, list[int]]:
    """``_speedups.fold_one_to_one`` in Python: the common full-width punctuation through
    ``str.replace``, the rest of the one-to-one changes in one regex pass."""
    tables = _fold_tables()
    for char in _COMMON_FOLDS:
        if char in text:
            text = text.replace(char, tables.one_to_one[char])
    alone: list[int] = []

    def fold(match: re.Match) -> str:
        char = match.group()
        if (folded := tables.one_to_one.get(char)) is not None:
            return folded
        alone.append(match.start())
        return char

    return _changing().sub(fold, text), alone


def join_han_lines(text: str, *, offsets: bool = True) -> tuple[str, OffsetMap]:
    """Step 2: remove whitespace between two Han characters ("平\\n\\n台" → "平台")."""
    return apply_edits(text, ((start, end, "") for start, end in han_gaps(text)), offsets=offsets)


def han_gaps(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each run of whitespace with a Han character on either side."""
    return _speedups.han_gaps(text) if _speedups is not None else _han_gaps(text)


def _han_gaps(text: str) -> list[tuple[int, int]]:
    """``han_gaps`` in Python: from ``str.split``'s words, not a regex with look-behind over every
    character (2.9x slower): consecutive words are separated by exactly one run of whitespace,
    which ends where the next word is first found."""
    if len(text) > _SPLIT_AT_MOST:  # millions of words at once: the regex finds one gap at a time
        return [match.span() for match in _HAN_GAP.finditer(text)]
    gaps = []
    words = text.split()
    end = text.find(words[0]) + len(words[0]) if words else 0
    for before, after in zip(words, islice(words, 1, None)):
        start = text.find(after, end)
        if is_han(before[-1]) and is_han(after[0]):
            gaps.append((end, start))
        end = start + len(after)
    return gaps


def is_han(char: str) -> bool:
    """``char`` is in HAN (compared, not matched: one regex less to compile at every start)."""
    return ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char == "\u3007"
            or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003134f")


STEPS: tuple[Step, ...] = (fold_characters, join_han_lines)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The normalized text, the original, and the maps between them."""

    text: str
    original: str
    maps: tuple[OffsetMap, ...] | None = ()  # None: not kept (normalize(offsets=False))

    def to_original(self, pos: int) -> int:
        return self.to_originals([pos])[0]

    def to_originals(self, positions: list[int]) -> list[int]:
        """``to_original`` of each of ``positions``, the maps gone through once."""
        if self.maps is None:
            raise ValueError("this text was normalized without offsets: normalize(text, offsets=True) maps back")
        for offset_map in reversed(self.maps):
            positions = list(map(offset_map.to_input, positions))
        return positions

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalized ``[start, end)`` came from."""
        if end <= start:
            at = self.to_original(start)
            return at, at
        return self.to_original(start), self.to_original(end - 1) + 1

    def surface(self, start: int, end: int) -> str:
        orig_start, orig_end = self.original_span(start, end)
        return self.original[orig_start:orig_end]


def normalize(text: str, steps: Iterable[Step] = STEPS, *, offsets: bool = True) -> NormalizedText:
    """``text`` through the steps; with ``offsets``, the maps back to the original too (only
    evidence, concordances and sentence or paragraph units place hits in the original)."""
    current = text
    maps: list[OffsetMap] = []
    for step in steps:
        current, offset_map = step(current, offsets=offsets)
        if offset_map is not IDENTITY:
            maps.append(offset_map)
    return NormalizedText(current, text, tuple(maps) if offsets else None)


def normalize_term(term: str) -> str:
    """The form a vocabulary term or alias is matched in."""
    return normalize(term.strip()).text


# Every character str.isspace() (and the regex \\s) takes for whitespace; tests/test_normalize.py
# checks the list against all of Unicode.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@lru_cache(maxsize=1)
def _whitespace_after_folding() -> tuple[str, ...]:
    return tuple(char for char in WHITESPACE if fold_character(char) == char)  # "\u3000" is " " by then


def non_space_length(normalized_text: str) -> int:
    """Characters of normalized text that are not whitespace: counted in C, or one ``str.count``
    per kind of whitespace folding leaves (no copy of the text, no regex pass)."""
    if _speedups is not None:
        return _speedups.non_space_length(normalized_text)
    return len(normalized_text) - sum(map(normalized_text.count, _whitespace_after_folding()))


def is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()
