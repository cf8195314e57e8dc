"""What a reader of another tool's dictionary found, before it becomes a ``Vocabulary``: its
entries (word, categories, line, weights), metadata, and the warnings and problems, each as
file:line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import VocabularyError
from ..normalize import normalize_term
from ..vocab import MAX_LEVELS, PATH_SEPARATOR, Term, Vocabulary, is_glob, term_length_problem

Wildcards = Literal["glob", "prefix", "skip"]
WILDCARD_RULES: tuple[str, ...] = ("glob", "prefix", "skip")
__all__ = ["MAX_LEVELS", "WILDCARD_RULES", "Entries", "Wildcards", "build_vocabulary"]


@dataclass
class Entries:
    """What a reader found, before it becomes a Vocabulary: (word, categories, line, weights) in
    file order, the categories it declared (an empty one too), the dictionary's own metadata, and
    the warnings and errors, each as file:line."""

    source: str
    wildcards: Wildcards = "glob"
    words: list[tuple[str, tuple[str, ...], int, tuple[tuple[str, float], ...]]] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    name: str = ""
    description: str = ""
    reference: str = ""
    version: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    globs: list[str] = field(default_factory=list)

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

    def declare(self, path: str) -> None:
        """A category the file names, whether or not a word follows (kept when none does)."""
        if path and path not in self.declared:
            self.declared.append(path)

    def add(self, word: str, categories: Iterable[str], line: int,
            weights: Iterable[tuple[str, float]] = ()) -> None:
        """One entry. A wildcard (``美国*``, ``colo?r``) is kept as a glob (the default), cut to its
        stem (``prefix``: a final * only) or left out (``skip``), with a warning for the last two."""
        word = word.strip()
        categories = tuple(categories)
        if not word:
            return
        if is_glob(word):
            word = self._wildcard(word, line)
            if not word:
                return
        if (why := term_length_problem(word, "entry")) is not None:  # a 100,000-character cell: never built
            self.problem(line, why)
            return
        self.words.append((word, categories, line, tuple(weights)))

    def _wildcard(self, word: str, line: int) -> str:
        stem = word.rstrip("*").strip()
        if self.wildcards == "glob":
            if not stem.strip("*?"):
                self.warn(line, f"'{word}' matches any text; left out")
                return ""
            self.globs.append(word)
            return word
        if self.wildcards == "skip" or is_glob(stem) or not stem:
            self.warn(line, f"'{word}' is a wildcard, left out (--wildcards skip; the default, glob, counts it)"
                      if self.wildcards == "skip" else
                      f"'{word}': --wildcards prefix cuts only a final '*'; left out (the default, glob, counts it)")
            return ""
        self.warn(line, f"'{word}' is a wildcard: counted as the term '{stem}' (--wildcards prefix)")
        return stem


def _at(line: int | None) -> str:
    return f":{line}" if line is not None else ""


def build_vocabulary(entries: Entries) -> Vocabulary:
    """One term per normalized word: a word listed under several categories is one term in all of
    them, with its weight in each (a warning names a second spelling of the same word: 6G and ６Ｇ).
    Weights that are all 1 are marks, not scores: not kept."""
    merged: dict[str, tuple[str, list[str], int, dict[str, float]]] = {}
    for word, categories, line, weights in entries.words:
        key = normalize_term(word)
        if not key:
            entries.problem(line, f"'{word}' is empty after normalization")
            continue
        if key not in merged:
            merged[key] = (word, list(categories), line, dict(weights))
            continue
        first, known, first_line, known_weights = merged[key]
        if word != first:
            entries.warn(line, f"'{word}' is the same term as '{first}' (line {first_line}) after normalization; "
                               f"counted once, as '{first}'")
        known.extend(name for name in categories if name not in known)
        for category, weight in weights:
            known_weights.setdefault(category, weight)
    if entries.problems:
        raise VocabularyError(entries.problems)
    if not merged:
        raise VocabularyError([f"{entries.source}: the dictionary has no terms it can count"])
    scored = any(weight != 1 for *_, weights in merged.values() for weight in weights.values())
    terms = tuple(Term(word, tuple(categories), weights=tuple(weights.items()) if scored else ())
                  for word, categories, _, weights in merged.values())
    if entries.globs:
        shown = ", ".join(entries.globs[:3]) + (" …" if len(entries.globs) > 3 else "")
        entries.warn(None, f"{len(entries.globs)} entries are wildcards ({shown}), counted as glob patterns "
                           "(* any run of characters, ? one; in --match text a final * is a prefix); "
                           "--wildcards skip leaves them out")
    used = {name for term in terms for name in term.categories}
    empty = tuple(name for name in entries.declared if name not in used
                  and not any(other.startswith(f"{name}{PATH_SEPARATOR}") for other in used))
    return Vocabulary(terms, entries.name, entries.source, description=entries.description,
                      reference=entries.reference, version=entries.version, warnings=tuple(entries.warnings),
                      empty_categories=empty)
