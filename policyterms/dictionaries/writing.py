"""What every writer shares: the categories in order, the words of a term, what a format loses."""

from __future__ import annotations

from typing import Literal

from ..vocab import PATH_SEPARATOR, Term, Vocabulary, is_glob


def losses(vocabulary: Vocabulary, *, aliases: bool, notes: bool, metadata: bool, categories: bool,
           weights: bool = False) -> list[str]:
    """What a format cannot hold of this vocabulary, one line each (each keyword: the format holds it)."""
    lost = []
    if not aliases and (n := sum(bool(t.aliases) for t in vocabulary.terms)):
        lost.append(f"the aliases of {n} terms are written as entries of their own (the format has no aliases)")
    if not notes and (n := sum(bool(t.note) for t in vocabulary.terms)):
        lost.append(f"the notes of {n} terms are not kept (the format has no notes)")
    if not metadata and any((vocabulary.description, vocabulary.reference, vocabulary.version)):
        lost.append("the description, reference and version are not kept (the format has no place for them)")
    if not categories and any(t.categories for t in vocabulary.terms):
        lost.append("categories are not kept (a jieba user dictionary has none)")
    if not weights and (n := sum(bool(t.weights) for t in vocabulary.terms)):
        lost.append(f"the weights of {n} terms are not kept (the format has no weights)")
    if vocabulary.empty_categories and not categories:
        lost.append(f"{len(vocabulary.empty_categories)} empty categories are not kept")
    return lost


def wildcard_losses(vocabulary: Vocabulary, *, holds: Literal["glob", "final", "none"], format_name: str) -> list[str]:
    """What becomes of the glob entries in a format: ``glob`` holds * and ? anywhere (quanteda),
    ``final`` a final * only (LIWC, WordStat, Lexicoder), ``none`` no wildcard (cntext)."""
    words = [word for term in vocabulary.terms for word in words_of(term) if is_glob(word)]
    if holds == "final":
        words = [word for word in words if is_glob(word.rstrip("*"))]
    if not words or holds == "glob":
        return []
    shown = ", ".join(words[:3]) + (" …" if len(words) > 3 else "")
    held = "a wildcard" if holds == "none" else "a wildcard other than a final '*'"
    return [f"{len(words)} entries hold {held}, which {format_name} cannot: written as they are, "
            f"{format_name} reads them literally ({shown})"]


def words_of(term: Term) -> tuple[str, ...]:
    return term.surfaces


def ordered_categories(vocabulary: Vocabulary) -> list[str]:
    """Every category and every level above it (a/b needs a), in order of first appearance."""
    found: dict[str, None] = {}
    for name in vocabulary.categories:
        if name:
            parts = name.split(PATH_SEPARATOR)
            for depth in range(1, len(parts) + 1):
                found.setdefault(PATH_SEPARATOR.join(parts[:depth]), None)
    return list(found)


def by_category(vocabulary: Vocabulary) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {name: [] for name in vocabulary.categories}
    for term in vocabulary.terms:
        for name in term.categories or ("",):
            grouped.setdefault(name, []).extend(words_of(term))
    return grouped

