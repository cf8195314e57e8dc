"""Lexicoder ``.lc3``/``.lcd``: a ``+category`` line, then that category's entries, one a line."""

from __future__ import annotations

from .entries import Entries


def read(text: str, entries: Entries, default_category: str) -> None:
    """Lexicoder .lc3: a ``+category`` line, then that category's entries, one per line."""
    category = None
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item:
            continue
        if item.startswith("+"):
            category = entries.category(item[1:], number)
            if not category:
                entries.problem(number, "a '+' line must name a category")
        elif category is None:
            entries.problem(number, f"'{item}' comes before any '+category' line")
        else:
            entries.add(item, [category], number)

