"""What a reader of another tool's dictionary found, before it becomes a ``Vocabulary``: its
entries (word, categories, line), metadata, and the warnings and problems, each as file:line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import VocabularyError
from ..normalize import normalize_term
from ..vocab import PATH_SEPARATOR, Term, Vocabulary

Wildcards = Literal["skip", "prefix"]
WILDCARD_RULES: tuple[str, ...] = ("skip", "prefix")
MAX_LEVELS = 32  # nested categories: deeper is a hostile file, not a taxonomy


@dataclass
class Entries:
    """What a reader found, before it becomes a Vocabulary: (word, categories, line) in file
    order, the dictionary's own metadata, and the warnings and errors, each as file:line."""

    source: str
    wildcards: Wildcards = "skip"
    words: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)
    name: str = ""
    description: str = ""
    reference: str = ""
    version: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.source}{_at(line)}: {message}")

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(f"{self.source}{_at(line)}: {message}")

    def category(self, name: str, line: int | None) -> str:
        """A category's name as the dictionary gives it; a '/' in it (which separates the levels
        of nested categories here) is read as '／', with a warning."""
        name = name.strip()
        if PATH_SEPARATOR in name:
            kept = name.replace(PATH_SEPARATOR, "／")
            self.warn(line, f"category '{name}' holds '{PATH_SEPARATOR}', which separates nested categories here; "
                            f"read as '{kept}'")
            return kept
        return name

    def add(self, word: str, categories: Iterable[str], line: int) -> None:
        """One entry; a wildcard is left out or cut to its stem, with a warning either way."""
        word = word.strip()
        categories = tuple(categories)
        if not word:
            return
        if "*" in word.rstrip("*"):
            self.warn(line, f"'{word}': a '*' inside an entry cannot be matched exactly; left out")
            return
        if word.endswith("*"):
            stem = word.rstrip("*").strip()
            if self.wildcards == "skip" or not stem:
                self.warn(line, f"'{word}' is a wildcard (any ending), which exact matching cannot honour; "
                                "left out (--wildcards prefix counts its stem as a term)")
                return
            self.warn(line, f"'{word}' is a wildcard: counted as the term '{stem}' (--wildcards prefix)")
            word = stem
        self.words.append((word, categories, line))


def _at(line: int | None) -> str:
    return f":{line}" if line is not None else ""


def build_vocabulary(entries: Entries) -> Vocabulary:
    """One term per normalized word: a word listed under several categories is one term in all of
    them (a warning names a second spelling of the same word: 6G and ６Ｇ)."""
    merged: dict[str, tuple[str, list[str], int]] = {}
    for word, categories, line in entries.words:
        key = normalize_term(word)
        if not key:
            entries.problem(line, f"'{word}' is empty after normalization")
            continue
        if key not in merged:
            merged[key] = (word, list(categories), line)
            continue
        first, known, first_line = merged[key]
        if word != first:
            entries.warn(line, f"'{word}' is the same term as '{first}' (line {first_line}) after normalization; "
                               f"counted once, as '{first}'")
        known.extend(name for name in categories if name not in known)
    if entries.problems:
        raise VocabularyError(entries.problems)
    if not merged:
        raise VocabularyError([f"{entries.source}: the dictionary has no terms exact matching can count"])
    terms = tuple(Term(word, tuple(categories)) for word, categories, _ in merged.values())
    return Vocabulary(terms, entries.name, entries.source, description=entries.description,
                      reference=entries.reference, version=entries.version, warnings=tuple(entries.warnings))

