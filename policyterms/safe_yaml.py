"""YAML from files a user did not write: libyaml when present, no aliases, only YAML errors.

PyYAML's safe loader is safe from code execution, not from cost or surprise:

- an alias bomb ("billion laughs": nine aliases of nine aliases …) composes in microseconds into
  shared nodes, but anything that walks the result (``str()``, a loop) meets 9⁹ items;
- nesting a few thousand levels deep overflows the pure-Python composer's recursion
  (libyaml refuses it with a YAML error);
- the constructor raises ``ValueError`` for a date like 2026-02-30 or an integer of 5,000 digits.

``compose`` and ``load`` turn all of these into ``yaml.YAMLError``; the C parser (libyaml, in
PyYAML's wheels) is used when present: it composes 4x faster than the pure-Python one.
"""

from __future__ import annotations

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasError(yaml.YAMLError):
    """The document uses anchors and aliases (&name, *name)."""

    def __init__(self) -> None:
        super().__init__("YAML anchors and aliases (&name, *name) are not allowed")


def compose(text: str, *, aliases: bool = False) -> yaml.Node | None:
    """The document's node tree (None for an empty document); ``yaml.YAMLError`` for bad YAML,
    for nesting too deep, and for aliases unless ``aliases``."""
    loader = Loader(text)
    try:
        return _compose(loader, aliases=aliases or "&" not in text)
    finally:
        loader.dispose()


def load(text: str) -> object:
    """``yaml.safe_load`` without aliases, raising nothing but ``yaml.YAMLError``."""
    loader = Loader(text)
    try:
        node = _compose(loader, aliases="&" not in text)
        if node is None:
            return None
        try:
            return loader.construct_document(node)
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            raise yaml.YAMLError(f"cannot read a value ({exc})") from None
    finally:
        loader.dispose()


def _compose(loader: yaml.BaseLoader, *, aliases: bool) -> yaml.Node | None:
    """(Callers pass ``aliases=True`` for a text without "&": no anchor, no alias, no walk.)"""
    try:
        node = loader.get_single_node()
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
    if node is not None and not aliases and uses_aliases(node):
        raise AliasError()
    return node


def syntax_problem(error: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """Where (1-based line, None when unknown) and what a YAML syntax error is, for a message
    FILE:LINE: … A tab where YAML wants spaces is named as one: the parsers say only "found
    character that cannot start any token" (libyaml) or name it as '\\t', and a tab looks like spaces."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return None, f"YAML syntax error: {reason}"
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    if line[mark.column : mark.column + 1] == "\t" or "tab character" in reason:
        return mark.line + 1, f"YAML syntax error: a tab at column {mark.column + 1}; indent with spaces, not tabs"
    return mark.line + 1, f"YAML syntax error: {reason}"


def uses_aliases(root: yaml.Node) -> bool:
    """True when any node is reachable twice (what an alias produces)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return False
