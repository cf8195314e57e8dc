"""jieba's user dictionary: ``词语 [词频] [词性]``."""

from __future__ import annotations

import re

from ..vocab import Vocabulary
from .entries import Entries
from .writing import losses, words_of

JIEBA_LINE = re.compile(r"^(?P<word>\S+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[A-Za-z]+))?$")


def read(text: str, entries: Entries, default_category: str) -> None:
    """jieba's user dictionary: ``词语 [词频] [词性]``; frequency and part of speech are jieba's
    segmentation hints, not counts, so only the words are kept (one warning says so)."""
    hints = 0
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        found = JIEBA_LINE.match(item)
        if found is None:
            entries.problem(number, f"expected '词语 [词频] [词性]', found '{item}'")
            continue
        hints += bool(found["freq"] or found["tag"])
        entries.add(found["word"], [default_category] if default_category else [], number)
    if hints:
        entries.warn(None, f"{hints} entries' frequencies and parts of speech are jieba's segmentation hints: "
                           "not used for counting, not kept")


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """A jieba user dictionary (jieba.load_userdict): every term and alias, one per line, no
    frequency, so that jieba suggests one that keeps the word whole."""
    words = [word for term in vocabulary.terms for word in words_of(term)]
    lost = losses(vocabulary, aliases=True, notes=False, metadata=False, categories=False)
    if spaced := [word for word in words if " " in word]:
        lost.append(f"{len(spaced)} entries with a space are left out (jieba's user dictionary separates fields "
                    f"with spaces): {', '.join(spaced[:5])}")
    return "".join(f"{word}\n" for word in words if " " not in word), lost

