"""WordStat ``.cat``: a tab-indented tree; entries end in `` (n)`` weights; ``@NAME [rule]`` lines
are rules."""

from __future__ import annotations

import re

from ..vocab import PATH_SEPARATOR
from .entries import Entries

WEIGHT = re.compile(r"^(?P<entry>.*?)\s*\((?P<weight>[-+]?\d+(?:\.\d+)?)\)$")  # WordStat: "ECONOMY (1)"


def read(text: str, entries: Entries, default_category: str) -> None:
    """WordStat .cat: categories and entries in a tree of tab indents; entries end in " (n)"."""
    lines = text.splitlines()
    stack: list[tuple[int, str]] = []  # (depth, path) of the categories above
    numbered = [(number, line) for number, line in enumerate(lines, 1) if line.strip()]
    for position, (number, line) in enumerate(numbered):
        depth = len(line) - len(line.lstrip("\t"))
        item = line.strip()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        category = stack[-1][1] if stack else ""
        if item.startswith("@"):
            entries.warn(number, f"the rule '{item}' cannot be honoured by exact matching; left out")
            continue
        weighted = WEIGHT.match(item)
        deeper = position + 1 < len(numbered) and \
            len(numbered[position + 1][1]) - len(numbered[position + 1][1].lstrip("\t")) > depth
        if weighted is None and deeper:  # a category: the lines under it are deeper
            item = entries.category(item, number)
            stack.append((depth, f"{category}{PATH_SEPARATOR}{item}" if category else item))
            continue
        word = weighted["entry"] if weighted else item
        if weighted and float(weighted["weight"]) != 1:
            entries.warn(number, f"'{word}': the weight {weighted['weight']} cannot be honoured; each hit counts 1")
        entries.add(_wordstat_phrase(word), [category] if category else [], number)


def _wordstat_phrase(word: str) -> str:
    """WordStat writes the spaces of a phrase as underscores: ECONOMIC_POLICY."""
    return word.replace("_", " ") if re.fullmatch(r"[A-Za-z0-9_'\-]+", word) else word

