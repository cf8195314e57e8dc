"""The vocabulary: YAML loading, validation with file:line messages, the in-memory ``Vocabulary``.

Accepted shape (DESIGN.md)::

    name: future-industries          # optional
    description: ...                 # optional
    terms:
      - {term: 第六代移动通信, aliases: [6G], category: 未来信息}
      - term: 核聚变能
        category: 未来能源
        note: free text for curators  # optional
      - 新质生产力                    # a bare string is a term without aliases or category

The YAML is parsed with PyYAML's safe loader into nodes (not objects), so that every problem can
name its line, and anchors/aliases are refused (they are the way to a "billion laughs" file).

This module is the model and the project's own YAML only: files of every format (this one
included) are found, size-checked and read into a ``Vocabulary`` by ``policyterms.dictionaries``,
which imports this module and is imported by none of it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from . import safe_yaml
from .errors import VocabularyError
from .normalize import normalize_term

DEFAULT_VOCABULARY = "future-industries.yaml"
TOP_LEVEL_KEYS = ("name", "description", "reference", "version", "terms")
TERM_KEYS = ("term", "aliases", "category", "note", "weight")
NO_CATEGORY = "(none)"
# A term in several categories shows them so joined in the tables' ``category`` column.
CATEGORY_SEPARATOR = "; "
PATH_SEPARATOR = "/"  # 未来产业/未来信息: a category inside a category
MAX_LEVELS = 32  # nested categories: deeper is a hostile file, not a taxonomy
WILDCARD_CHARACTERS = "*?"  # glob: * any run of characters, ? one (quanteda's valuetype = "glob")
_NULL_TAG = "tag:yaml.org,2002:null"
# A term or alias may have at most this many characters, as written and once normalized (NFKC
# makes some characters several): the matcher's automaton is built in time that grows with the
# square of a pattern's length, so this bounds it, and a 1 MB vocabulary builds in well under a
# second (some 0.2 s for 3,200 terms of 200 characters).
MAX_TERM_CHARS = 200


def term_length_problem(text: str, what: str = "term") -> str | None:
    """Why ``text`` cannot be a term or alias (too long), or None."""
    length = len(text)
    if length <= MAX_TERM_CHARS:
        length = len(normalize_term(text))
        if length <= MAX_TERM_CHARS:
            return None
        return (f"{what} of {length:,} characters once normalized (NFKC), more than the {MAX_TERM_CHARS} "
                "a term or alias may have")
    return f"{what} of {length:,} characters, more than the {MAX_TERM_CHARS} a term or alias may have"


@dataclass(frozen=True, slots=True)
class Term:
    """A term. ``category`` may be given as one name or a tuple of several (each a path such as
    未来产业/未来信息); afterwards ``categories`` holds them all and ``category`` is their label,
    joined with "; " (what the tables' ``category`` column shows).

    ``weights``: the term's scores, (category, weight) pairs, category "" for a weight that holds in
    every category (LIWC-22, WordStat and cntext scores); they feed the scores table, never counts."""

    name: str
    category: str | tuple[str, ...] = ""
    aliases: tuple[str, ...] = ()
    note: str = ""
    categories: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        given = self.categories or ((self.category,) if isinstance(self.category, str) else tuple(self.category))
        chosen = tuple(name for name in dict.fromkeys(given) if name)
        object.__setattr__(self, "categories", chosen)
        object.__setattr__(self, "category", CATEGORY_SEPARATOR.join(chosen))
        for surface in (self.name, *self.aliases):  # files are checked with their lines; this, for the library
            if (why := term_length_problem(surface)) is not None:
                raise VocabularyError([f"{surface[:20]}…: {why}"])

    def weight_in(self, category: str) -> float | None:
        """The term's weight in a category (its weight for all categories where none is given)."""
        found = dict(self.weights)
        return found.get(category, found.get(""))

    @property
    def is_wildcard(self) -> bool:
        return any(is_glob(surface) for surface in self.surfaces)

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The term itself and its aliases: every form that counts for it."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...]
    name: str = ""
    source: str = ""
    digest: str = field(default="", compare=False)
    description: str = ""
    reference: str = ""  # the citation of the dictionary, for a paper's methods section
    version: str = ""
    # What reading a dictionary of another format could not honour (file:line: message).
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # Categories the dictionary declares that hold no term (WordStat's empty ones): kept as categories.
    empty_categories: tuple[str, ...] = ()

    @property
    def metadata(self) -> dict[str, str]:
        """What a paper cites: name, description, reference, version, the file and its digest."""
        return {"name": self.name, "description": self.description, "reference": self.reference,
                "version": self.version, "source": self.source, "sha256": self.digest}

    @classmethod
    def from_terms(cls, terms: list[Term | str], *, name: str = "") -> Vocabulary:
        """Build a vocabulary in code (tests, scripts); validated like a file."""
        entries = [{"term": t} if isinstance(t, str) else term_entry(t) for t in terms]
        text = yaml.safe_dump({"name": name, "terms": entries}, allow_unicode=True, sort_keys=False)
        return parse_vocabulary(text, source="<terms>")

    def patterns(self) -> Iterator[tuple[str, int]]:
        """Every normalized surface with the index of the term it counts for."""
        for index, term in enumerate(self.terms):
            for surface in term.surfaces:
                yield normalize_term(surface), index

    def by_category(self, depth: int | None = None) -> tuple[Vocabulary, list[tuple[int, ...]]]:
        """The categories as a vocabulary of their own (to name counts made at category level) and,
        for each term, the indices of its categories there. ``depth`` cuts category paths to their
        first levels (1: 未来产业/未来信息 counts for 未来产业); a term whose categories meet there
        counts once for it. Terms without a category fall in "(none)"."""
        per_term = [category_labels(term, depth) for term in self.terms]
        names = _first_categories_first(per_term)
        index = {name: position for position, name in enumerate(names)}
        names += [name for name in self.empty_categories if depth is None and name not in names]
        categories = dataclasses.replace(self, terms=tuple(Term(name, name) for name in names), warnings=(),
                                         empty_categories=())
        return categories, [tuple(index[name] for name in labels) for labels in per_term]

    @property
    def categories(self) -> list[str]:
        """Every category (a term's several count apart), in order of first appearance."""
        found = _first_categories_first([term.categories or ("",) for term in self.terms])
        return [*found, *(name for name in self.empty_categories if name not in found)]

    @property
    def weighted(self) -> bool:
        return any(term.weights for term in self.terms)

    def __len__(self) -> int:
        return len(self.terms)


def _first_categories_first(per_term: list[tuple[str, ...]]) -> list[str]:
    """Categories in order of first appearance, a term's first category before its others: the
    order of a file that lists each category's words (cntext, LIWC) with the term first met there."""
    return list(dict.fromkeys([*(labels[0] for labels in per_term), *(name for labels in per_term for name in labels)]))


def category_labels(term: Term, depth: int | None = None) -> tuple[str, ...]:
    """The names a term counts for at category level, paths cut to ``depth`` levels."""
    if not term.categories:
        return (NO_CATEGORY,)
    if depth is None:
        return term.categories
    return tuple(dict.fromkeys(PATH_SEPARATOR.join(name.split(PATH_SEPARATOR)[:depth]) for name in term.categories))


def term_entry(term: Term) -> dict:
    """A term as an entry of the project's YAML ``terms:`` list."""
    entry: dict = {"term": term.name}
    if term.aliases:
        entry["aliases"] = list(term.aliases)
    if term.categories:
        entry["category"] = term.categories[0] if len(term.categories) == 1 else list(term.categories)
    if term.note:
        entry["note"] = term.note
    if term.weights:
        weights = dict(term.weights)
        entry["weight"] = weights[""] if set(weights) == {""} else weights
    return entry


def is_glob(surface: str) -> bool:
    """An entry with * (any run of characters) or ? (one character): a glob, not a literal."""
    return "*" in surface or "?" in surface  # WILDCARD_CHARACTERS, tested the fast way


def parse_vocabulary(text: str, *, source: str) -> Vocabulary:
    problems: list[str] = []

    def problem(node: yaml.Node | None, message: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        problems.append(f"{source}{line}: {message}")

    try:
        root = safe_yaml.compose(text)  # libyaml when present; no aliases
    except safe_yaml.AliasError as exc:
        raise VocabularyError([f"{source}: {exc}"]) from None
    except yaml.YAMLError as exc:
        line, reason = safe_yaml.syntax_problem(exc, text)
        raise VocabularyError([f"{source}{f':{line}' if line is not None else ''}: {reason}"]) from None
    if root is None:
        raise VocabularyError([f"{source}: empty vocabulary file (expected a 'terms:' list)"])
    if not isinstance(root, yaml.MappingNode):
        raise VocabularyError([f"{source}:{root.start_mark.line + 1}: expected a mapping with a 'terms:' list"])

    top = _mapping(root, TOP_LEVEL_KEYS, problem)
    name, description, reference, version = (
        _text(top[key], key, problem, allow_empty=True) if key in top else "" for key in TOP_LEVEL_KEYS[:4]
    )
    terms_node = top.get("terms")
    terms: list[Term] = []
    if terms_node is None:
        problem(root, "missing 'terms:' list")
    elif not isinstance(terms_node, yaml.SequenceNode):
        problem(terms_node, "'terms' must be a list")
    else:
        claimed: dict[str, tuple[int, str, int]] = {}  # normalized surface -> (entry, term, line)
        categories_of: dict[str, tuple[str, ...]] = {}  # term -> its categories (for a hint)
        for entry_number, entry in enumerate(terms_node.value):
            term = _parse_term(entry, problem)
            if term is None:
                continue
            line = entry.start_mark.line + 1
            fresh = True
            for surface in term.surfaces:
                key = normalize_term(surface)
                kind = "term" if surface == term.name else "alias"
                if not key:
                    problem(entry, f"{kind} '{surface}' is empty after normalization")
                    fresh = False
                elif key in claimed:
                    owner_entry, owner, owner_line = claimed[key]
                    if owner_entry == entry_number:
                        problem(entry, f"alias '{surface}' repeats '{owner}' within the same entry")
                    elif kind == "term" and normalize_term(owner) == key:
                        spelling = f", the same as '{owner}' after normalization" if surface != owner else ""
                        both = (*categories_of[owner], *(c for c in term.categories if c not in categories_of[owner]))
                        hint = (f"; a term in several categories is one entry: category: [{', '.join(both)}]"
                                if categories_of[owner] and term.categories and both != categories_of[owner] else "")
                        problem(entry, f"duplicate term '{surface}'{spelling} (first at line {owner_line}{hint})")
                    else:
                        problem(entry, f"{kind} '{surface}' is already claimed by term '{owner}' (line {owner_line})")
                    fresh = False
                else:
                    claimed[key] = (entry_number, term.name, line)
                    categories_of.setdefault(term.name, term.categories)
            if fresh:
                terms.append(term)
    if problems:
        raise VocabularyError(problems)
    if not terms:
        raise VocabularyError([f"{source}: the vocabulary has no terms"])
    return Vocabulary(tuple(terms), name, source, description=description, reference=reference, version=version)


_LIST_SEPARATOR = re.compile("[,，、;；]")  # "低空飞行, 低空旅游": several aliases written as one


def _parse_term(entry: yaml.Node, problem) -> Term | None:
    if isinstance(entry, yaml.ScalarNode):
        name = _text(entry, "term", problem)
        return Term(name) if name else None
    if not isinstance(entry, yaml.MappingNode):
        problem(entry, "a term must be a mapping like {term: 量子科技, category: 未来信息} or a string")
        return None
    fields = _mapping(entry, TERM_KEYS, problem)
    if "term" not in fields:
        problem(entry, "missing 'term'")
        return None
    name = _text(fields["term"], "term", problem)
    if not name:
        return None
    aliases: list[str] = []
    aliases_node = fields.get("aliases")
    if isinstance(aliases_node, yaml.ScalarNode) and aliases_node.tag != _NULL_TAG:
        aliases_node = yaml.SequenceNode("tag:yaml.org,2002:seq", [aliases_node])  # aliases: 6G
    if isinstance(aliases_node, yaml.SequenceNode):
        for alias_node in aliases_node.value:
            alias = _text(alias_node, "alias", problem)
            if alias and _LIST_SEPARATOR.search(alias):  # it would only match with the comma in the text
                parts = [part.strip() for part in _LIST_SEPARATOR.split(alias) if part.strip()]
                problem(alias_node, f"alias '{alias}' is one string holding a list: write aliases: [{', '.join(parts)}]")
            elif alias:
                aliases.append(alias)
    elif aliases_node is not None and aliases_node.tag != _NULL_TAG:
        problem(aliases_node, "'aliases' must be a list of strings")
    categories = _categories(fields["category"], problem) if "category" in fields else ()
    note = _text(fields["note"], "note", problem, allow_empty=True) if "note" in fields else ""
    weights = _weights(fields["weight"], categories, problem) if "weight" in fields else ()
    return Term(name, categories, tuple(aliases), note or "", weights=weights)


def _weights(node: yaml.Node, categories: tuple[str, ...], problem) -> tuple[tuple[str, float], ...]:
    """``weight: 1.5`` (in every category) or ``weight: {valence: 5.4, arousal: 3.1}``."""
    if isinstance(node, yaml.ScalarNode):
        value = parse_weight(node.value)
        if value is None:
            problem(node, f"weight '{node.value}' is not a number")
            return ()
        return (("", value),)
    if not isinstance(node, yaml.MappingNode):
        problem(node, "'weight' must be a number or a mapping of categories to numbers")
        return ()
    found = []
    for key, value in node.value:
        category = key.value.strip() if isinstance(key, yaml.ScalarNode) else ""
        number = parse_weight(value.value) if isinstance(value, yaml.ScalarNode) else None
        if number is None:
            problem(value, f"the weight of '{category}' is not a number")
        elif category not in categories:
            problem(key, f"weight for '{category}', which is not one of the term's categories")
        else:
            found.append((category, number))
    return tuple(found)


def parse_weight(text: str) -> float | None:
    """A weight or score as a file writes it ('2', '-0.5', '5.4'), or None."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _categories(node: yaml.Node, problem) -> tuple[str, ...]:
    """``category: 未来信息``, ``category: [数字技术, 未来产业/未来信息]``: names or paths a/b."""
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    chosen: list[str] = []
    for item in nodes:
        category = _text(item, "category", problem, allow_empty=not isinstance(node, yaml.SequenceNode))
        if not category:
            continue
        levels = [level.strip() for level in category.split(PATH_SEPARATOR)]
        if len(levels) > MAX_LEVELS:
            problem(item, f"category '{category[:40]}…' is nested more than {MAX_LEVELS} levels deep")
            continue
        if not all(levels):
            problem(item, f"category '{category}' has an empty level (a path is like 未来产业/未来信息)")
            continue
        path = PATH_SEPARATOR.join(levels)
        if path in chosen:
            problem(item, f"category '{path}' given twice for the same term")
            continue
        chosen.append(path)
    return tuple(chosen)


def _mapping(node: yaml.MappingNode, allowed: tuple[str, ...], problem) -> dict[str, yaml.Node]:
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            problem(key_node, f"unknown key '{key}' (allowed: {', '.join(allowed)})")
        elif key in fields:
            problem(key_node, f"key '{key}' given twice")
        else:
            fields[key] = value_node
    return fields


def _text(node: yaml.Node | None, what: str, problem, *, allow_empty: bool = False) -> str:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        if not allow_empty:
            problem(node, f"empty {what}")
        return ""
    if not isinstance(node, yaml.ScalarNode):
        problem(node, f"{what} must be a string")
        return ""
    value = node.value.strip()
    if not value and not allow_empty:
        problem(node, f"empty {what}")
    if what in ("term", "alias") and (why := term_length_problem(value, what)) is not None:
        problem(node, why)
        return ""
    return value
