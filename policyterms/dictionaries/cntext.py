"""cntext's YAML dictionaries: ``Name``, ``Desc``, ``Refer``, ``Category``, ``Dictionary``
(category → words)."""

from __future__ import annotations

import yaml

from ..vocab import PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .yamlnodes import compose, line_of, read_tree, scalar_text, top_keys
from .writing import by_category, losses


def read(text: str, entries: Entries, default_category: str) -> None:
    root = compose(text, entries)
    if root is None:
        return
    fields = {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
    for key, _ in root.value:
        if scalar_text(key) not in ("Name", "Desc", "Refer", "Category", "Dictionary", "Version"):
            entries.warn(line_of(key), f"key '{scalar_text(key)}' is not part of a cntext dictionary; ignored")
    entries.name = scalar_text(fields.get("Name"))
    entries.description = scalar_text(fields.get("Desc"))
    entries.reference = scalar_text(fields.get("Refer"))
    entries.version = scalar_text(fields.get("Version"))
    dictionary = fields.get("Dictionary")
    if not isinstance(dictionary, yaml.MappingNode):
        entries.problem(line_of(dictionary or root), "'Dictionary' must map each category to its list of words")
        return
    read_tree(dictionary, (), entries)
    listed = fields.get("Category")
    if isinstance(listed, yaml.SequenceNode):
        named = {scalar_text(node) for node in listed.value}
        found = {PATH_SEPARATOR.join(path) for path in top_keys(dictionary)}
        for missing in sorted(named - found):
            entries.warn(line_of(listed), f"category '{missing}' is listed under 'Category' but has no words")



def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """cntext YAML: Name, Desc, Refer, Category, Dictionary (category → words)."""
    grouped = by_category(vocabulary)
    lost = losses(vocabulary, aliases=False, notes=False, metadata=True, categories=True)
    if "" in grouped:
        lost.append(f"{len(grouped.pop(''))} words without a category are left out (cntext needs one)")
    if vocabulary.version:
        lost.append("the version is not kept (cntext has no place for it)")
    data = {"Name": vocabulary.name, "Desc": vocabulary.description, "Refer": vocabulary.reference,
            "Category": list(grouped), "Dictionary": grouped}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), lost

