"""Lexicoder ``.lc3``/``.lcd``: a ``+category`` line, then that category's entries, one a line."""

from __future__ import annotations

import re

from ..vocab import PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .writing import losses, wildcard_losses, words_of

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}$")  # "+negative#FF0000": Lexicoder's colour for the category


def read(text: str, entries: Entries, default_category: str) -> None:
    """A ``+category`` line (its colour code, ``#FF0000``, dropped), then that category's entries."""
    category = None
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item:
            continue
        if item.startswith("+"):
            category = entries.category(_COLOUR.sub("", item[1:]), number)
            entries.declare(category)
            if not category:
                entries.problem(number, "a '+' line must name a category")
        elif category is None:
            entries.problem(number, f"'{item}' comes before any '+category' line")
        else:
            entries.add(item, [category], number)


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """``+category`` and its entries; Lexicoder has no nesting, so a path a/b is the name a／b."""
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True, weights=False)
    lost += wildcard_losses(vocabulary, holds="final", format_name="Lexicoder")
    if any(PATH_SEPARATOR in name for name in vocabulary.categories):
        lost.append("nested categories are written as one name each, a／b (Lexicoder has no nesting)")
    lines = []
    for name in vocabulary.categories:
        if not name:
            lost.append("terms without a category are left out (a Lexicoder entry needs one)")
            continue
        lines.append(f"+{name.replace(PATH_SEPARATOR, '／')}")
        lines += [word for term in vocabulary.terms if name in term.categories for word in words_of(term)]
    return "".join(f"{line}\n" for line in lines), lost
