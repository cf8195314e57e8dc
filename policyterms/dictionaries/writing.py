"""What every writer shares: the categories in order, the words of a term, what a format loses."""

from __future__ import annotations

from ..vocab import PATH_SEPARATOR, Term, Vocabulary


def losses(vocabulary: Vocabulary, *, aliases: bool, notes: bool, metadata: bool, categories: bool) -> list[str]:
    lost = []
    if not aliases and (n := sum(bool(t.aliases) for t in vocabulary.terms)):
        lost.append(f"the aliases of {n} terms are written as entries of their own (the format has no aliases)")
    if not notes and (n := sum(bool(t.note) for t in vocabulary.terms)):
        lost.append(f"the notes of {n} terms are not kept (the format has no notes)")
    if not metadata and any((vocabulary.description, vocabulary.reference, vocabulary.version)):
        lost.append("the description, reference and version are not kept (the format has no place for them)")
    if not categories and any(t.categories for t in vocabulary.terms):
        lost.append("categories are not kept (a jieba user dictionary has none)")
    return lost


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

