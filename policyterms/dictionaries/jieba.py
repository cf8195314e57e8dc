"""jieba's user dictionary: ``词语 [词频] [词性]``, read by jieba's own rule."""

from __future__ import annotations

import re

from ..vocab import Vocabulary, is_glob
from .entries import Entries
from .writing import losses, words_of

# jieba.Tokenizer.load_userdict's pattern (jieba/__init__.py, re_userdict): the word is everything
# up to an optional " <digits>" frequency and an optional " <lowercase>" tag at the end of the
# (stripped) line, so a word may hold spaces: "Edu Trust认证 2000" is the word "Edu Trust认证".
JIEBA_LINE = re.compile(r"^(?P<word>.+?)(?P<freq> [0-9]+)?(?P<tag> [a-z]+)?$")


def read(text: str, entries: Entries, default_category: str) -> None:
    """Every line's word as jieba.load_userdict reads it; frequency and part of speech are jieba's
    segmentation hints, not counts, so only the words are kept (one warning says so)."""
    hints = 0
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        found = JIEBA_LINE.match(item)
        hints += bool(found["freq"] or found["tag"])
        entries.add(found["word"], [default_category] if default_category else [], number)
    if hints:
        entries.warn(None, f"{hints} entries' frequencies and parts of speech are jieba's segmentation hints: "
                           "not used for counting, not kept")


def reads_back(word: str) -> bool:
    """Whether jieba reads a line holding only ``word`` as that word ("a lie" is "a", tagged lie)."""
    found = JIEBA_LINE.match(word.strip())
    return found is not None and found["word"] == word.strip()


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """A jieba user dictionary (jieba.load_userdict): every term and alias, one per line, no
    frequency, so that jieba suggests one that keeps the word whole."""
    words = [word for term in vocabulary.terms for word in words_of(term)]
    lost = losses(vocabulary, aliases=True, notes=False, metadata=False, categories=False)
    if misread := [word for word in words if not reads_back(word)]:
        lost.append(f"{len(misread)} entries ending in a space and a number or lowercase word are left out "
                    f"(jieba would read that as a frequency or tag): {', '.join(misread[:5])}")
    if globs := [word for word in words if is_glob(word)]:
        lost.append(f"{len(globs)} wildcard entries are left out (jieba has none): {', '.join(globs[:5])}")
    return "".join(f"{word}\n" for word in words if reads_back(word) and not is_glob(word)), lost
