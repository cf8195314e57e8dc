"""YAML nodes as the cntext and quanteda readers walk them: composed safely, with their lines."""

from __future__ import annotations

import yaml

from .. import safe_yaml
from ..vocab import PATH_SEPARATOR
from .entries import MAX_LEVELS, Entries


def compose(text: str, entries: Entries) -> yaml.MappingNode | None:
    try:
        root = safe_yaml.compose(text)
    except yaml.YAMLError as exc:
        entries.problem(*safe_yaml.syntax_problem(exc, text))
        return None
    if not isinstance(root, yaml.MappingNode):
        entries.problem(line_of(root) if root is not None else None, "expected a mapping of categories to words")
        return None
    return root


def top_keys(node: yaml.MappingNode) -> list[tuple[str, ...]]:
    return [(key.value,) for key, _ in node.value if isinstance(key, yaml.ScalarNode)]


def read_tree(node: yaml.MappingNode, path: tuple[str, ...], entries: Entries) -> None:
    """category → [words] or category → {subcategory → …}: a nested key is a path a/b."""
    for key, value in node.value:
        name = entries.category(scalar_text(key), line_of(key))
        if not name:
            entries.problem(line_of(key), "empty category name")
            continue
        here = (*path, name)
        if isinstance(value, yaml.MappingNode) and len(here) >= MAX_LEVELS:
            entries.problem(line_of(key), f"categories nested more than {MAX_LEVELS} levels deep")
        elif isinstance(value, yaml.MappingNode):
            read_tree(value, here, entries)
        elif isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode):
                    entries.add(item.value, [PATH_SEPARATOR.join(here)], line_of(item))
                else:
                    entries.problem(line_of(item), f"the words of '{name}' must be strings")
        elif isinstance(value, yaml.ScalarNode) and value.value.strip():
            entries.add(value.value, [PATH_SEPARATOR.join(here)], line_of(value))
        else:
            entries.warn(line_of(key), f"category '{name}' has no words")


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def scalar_text(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == "tag:yaml.org,2002:null" else node.value.strip()
    if isinstance(node, yaml.SequenceNode):  # cntext's Refer is sometimes a list of references
        return "; ".join(scalar_text(item) for item in node.value if scalar_text(item))
    return ""

