"""Entries that are not plain strings, as the matcher finds them: globs (``美国*``, ``colo?r``,
quanteda's ``valuetype = "glob"``: ``*`` any run of characters, ``?`` one) and entries with
whitespace inside (``a lie``), which match any run of whitespace in the text, line breaks too.

Pure functions from a normalized surface to what the matcher needs:

- ``text_form``: in ``--match text`` (substrings of the text, which has no word boundaries in
  Chinese), a final (or initial) ``*`` next to a Han character is a prefix (suffix): ``美国*`` is
  the plain string 美国, found by the automaton with the other terms. Next to a Latin letter or
  digit ``*`` runs over the rest of the word (``econom*`` is all of ``economy``, so the
  ASCII-boundary rule holds); inside a Han entry it is the shortest run of word characters
  (``中*国``); ``?`` is one character that is not whitespace.
- ``token_form``: in ``--match tokens``, a glob matched against a whole token (``fnmatch``'s
  rule without its ``[]`` classes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import is_ascii_alnum
from .vocab import is_glob

_ASCII_RUN = "[a-z0-9]*"
_WORD_RUN = r"[^\W_]*?"


@dataclass(frozen=True, slots=True)
class TextForm:
    """How the text matcher finds a surface: a plain string for the automaton, or a regex."""

    literal: str | None = None
    regex: str | None = None


def text_form(surface: str) -> TextForm:
    """The form of a normalized surface for ``--match text``."""
    if not is_glob(surface) and not any(char.isspace() for char in surface):
        return TextForm(literal=surface)
    stem = surface.strip("*")
    if stem and not is_glob(stem) and not any(char.isspace() for char in stem) \
            and not (surface.endswith("*") and is_ascii_alnum(stem[-1])) \
            and not (surface.startswith("*") and is_ascii_alnum(stem[0])):
        return TextForm(literal=stem)  # 美国*: the prefix 美国
    parts = []
    for position, char in enumerate(surface):
        before = surface[position - 1] if position else ""
        after = surface[position + 1] if position + 1 < len(surface) else ""
        if char == "*":
            if is_ascii_alnum(before) or is_ascii_alnum(after):
                parts.append(_ASCII_RUN)
            elif before and after:
                parts.append(_WORD_RUN)
            # else: a prefix's or suffix's end, next to a Han character: nothing more to match
        elif char == "?":
            parts.append(r"\S")
        elif char.isspace():
            if not (before.isspace()):
                parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    first, last = stem[:1], stem[-1:]
    start = r"(?<![a-z0-9])" if is_ascii_alnum(first) or (surface[0] in "*?" and is_ascii_alnum(first)) else ""
    end = r"(?![a-z0-9])" if is_ascii_alnum(last) or (surface[-1] in "*?" and is_ascii_alnum(last)) else ""
    return TextForm(regex=start + "".join(parts) + end)


def token_form(surface: str) -> str | None:
    """A regex a whole token must match, for a glob; None for a plain surface."""
    if not is_glob(surface):
        return None
    return "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in surface)


def find_regex(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of the longest match of ``pattern`` at every position where it matches
    (overlapping ones included: the leftmost-longest choice among all terms is the matcher's)."""
    found = []
    position = 0
    search = pattern.search
    while (match := search(text, position)) is not None:
        if match.end() > match.start():
            found.append((match.start(), match.end()))
        position = match.start() + 1
    return found
