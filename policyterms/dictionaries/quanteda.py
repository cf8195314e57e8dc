"""quanteda's YAML dictionaries: ``KEY: [a, b]``, nestable: ``KEY: {SUB: [a, b]}``."""

from __future__ import annotations

import yaml

from ..errors import VocabularyError
from ..vocab import PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .yamlnodes import compose, read_tree
from .writing import by_category, losses


def read(text: str, entries: Entries, default_category: str) -> None:
    root = compose(text, entries)
    if root is not None:
        read_tree(root, (), entries)



def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """quanteda YAML: KEY: [words], nested for category paths."""
    tree: dict = {}
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)  # globs: quanteda's own
    for name, words in by_category(vocabulary).items():
        if not name:
            lost.append(f"{len(words)} words without a category are left out (quanteda needs a key)")
            continue
        *parents, leaf = name.split(PATH_SEPARATOR)
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
            if isinstance(node, list):
                raise VocabularyError([f"category '{parent}' has both words and subcategories, "
                                       "which quanteda's YAML cannot hold"])
        if isinstance(node.get(leaf), dict):
            raise VocabularyError([f"category '{name}' has both words and subcategories, "
                                   "which quanteda's YAML cannot hold"])
        node[leaf] = words
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=1000), lost

