"""WordStat ``.cat``: a tab-indented tree; entries end in `` (n)`` weights; ``@NAME [rule]`` lines
are rules."""

from __future__ import annotations

import re

from ..vocab import MAX_LEVELS, PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .writing import losses, ordered_categories, wildcard_losses, words_of

WEIGHT = re.compile(r"^(?P<entry>.*?)\s*\((?P<weight>[-+]?\d+(?:\.\d+)?)\)$")  # WordStat: "ECONOMY (1)"
_LATIN_PHRASE = re.compile(r"[A-Za-z0-9_'\-*?]+")


def read(text: str, entries: Entries, default_category: str) -> None:
    """Categories and entries in a tree of tab indents. An entry ends in " (n)", its weight; a line
    without one is a category, also when nothing is under it (Loughran–McDonald's empty
    ``MODAL WORDS WEAK``) — unless no line of the file has a weight, where leaves are entries."""
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    weighted_file = any(WEIGHT.match(line.strip()) for _, line in numbered)
    stack: list[tuple[int, str]] = []  # (depth, path) of the categories above
    for position, (number, line) in enumerate(numbered):
        depth = _depth(line)
        item = line.strip()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        category = stack[-1][1] if stack else ""
        if item.startswith("@"):
            entries.warn(number, f"the rule '{item}' cannot be honoured by exact matching; left out")
            continue
        weighted = WEIGHT.match(item)
        deeper = position + 1 < len(numbered) and _depth(numbered[position + 1][1]) > depth
        if weighted is None and (deeper or weighted_file):  # a category, with lines under it or none
            if len(stack) >= MAX_LEVELS:
                entries.problem(number, f"categories nested more than {MAX_LEVELS} levels deep")
                return
            item = entries.category(item, number)
            path = f"{category}{PATH_SEPARATOR}{item}" if category else item
            stack.append((depth, path))
            entries.declare(path)
            continue
        word = weighted["entry"] if weighted else item
        if not category:
            entries.warn(number, f"'{word}' is under no category; counted without one")
        weights = [(category, float(weighted["weight"]))] if weighted and category else []
        entries.add(_phrase(word), [category] if category else [], number, weights)


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip("\t"))


def _phrase(word: str) -> str:
    """WordStat writes the spaces of a phrase as underscores: ECONOMIC_POLICY."""
    return word.replace("_", " ") if _LATIN_PHRASE.fullmatch(word) else word


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The tree of categories, a tab per level, each entry under its category with its weight there
    (1 where it has none); a Latin phrase's spaces as underscores."""
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True, weights=True)
    lost += wildcard_losses(vocabulary, holds="final", format_name="WordStat")
    under: dict[str, list[str]] = {name: [] for name in ordered_categories(vocabulary)}
    lines = []  # entries without a category first, at the top level (as the reader reads them)
    for term in vocabulary.terms:
        for name in term.categories or ("",):
            weight = term.weight_in(name)
            for word in words_of(term):
                shown = word.replace(" ", "_") if _LATIN_PHRASE.fullmatch(word.replace(" ", "_")) else word
                entry = f"{shown} ({1 if weight is None else f'{weight:g}'})"
                lines.append(entry) if not name else under[name].append(entry)
    under.update((name, []) for name in vocabulary.empty_categories if name not in under)
    for name, words in under.items():
        depth = name.count(PATH_SEPARATOR)
        lines.append("\t" * depth + name.rsplit(PATH_SEPARATOR, 1)[-1])
        lines += ["\t" * (depth + 1) + word for word in words]
    return "".join(f"{line}\n" for line in lines), lost
