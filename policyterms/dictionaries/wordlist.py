"""A word list: one word (or phrase) a line; ``#`` lines are comments."""

from __future__ import annotations

from .entries import Entries


def read(text: str, entries: Entries, default_category: str) -> None:
    """One word (or phrase) per line; blank lines and lines starting with # are skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if item and not item.startswith("#"):
            entries.add(item, [default_category] if default_category else [], number)

