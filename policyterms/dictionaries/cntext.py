"""cntext's YAML dictionaries: ``Name``, ``Desc``, ``Refer``, ``Category``, ``Dictionary``
(category → words)."""

from __future__ import annotations

import yaml

from ..vocab import PATH_SEPARATOR, Vocabulary, parse_weight
from .entries import Entries
from .yamlnodes import compose, line_of, read_tree, scalar_text, top_keys
from .writing import by_category, losses, wildcard_losses, words_of


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
    if is_scores(dictionary):
        read_scores(dictionary, entries)
        return
    read_tree(dictionary, (), entries)
    listed = fields.get("Category")
    if isinstance(listed, yaml.SequenceNode):
        named = {scalar_text(node) for node in listed.value}
        found = {PATH_SEPARATOR.join(path) for path in top_keys(dictionary)}
        for missing in sorted(named - found):
            entries.warn(line_of(listed), f"category '{missing}' is listed under 'Category' but has no words")



def is_scores(dictionary: yaml.MappingNode) -> bool:
    """A valence dictionary (zh_valence_ChineseEmoBank.yaml): its values are mappings of numbers,
    word → {valence: 5.4, arousal: 3.1} (or dimension → {word: score}), not lists of words."""
    values = [value for _, value in dictionary.value]
    return bool(values) and all(isinstance(value, yaml.MappingNode) and value.value and all(
        isinstance(score, yaml.ScalarNode) and parse_weight(score.value) is not None for _, score in value.value)
        for value in values)


def read_scores(dictionary: yaml.MappingNode, entries: Entries) -> None:
    """Each word with its score in each dimension: the dimension is the category, the score the
    word's weight there. Word → {dimension: score} when there are more words than dimensions, as
    cntext writes them; else dimension → {word: score}."""
    outer = len(dictionary.value)
    inner = len(dictionary.value[0][1].value)
    for key, value in dictionary.value:
        for inner_key, score in value.value:
            word, dimension = (key, inner_key) if outer >= inner else (inner_key, key)
            category = entries.category(scalar_text(dimension), line_of(dimension))
            entries.declare(category)
            entries.add(scalar_text(word), [category], line_of(word), [(category, parse_weight(score.value))])


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """cntext YAML: Name, Desc, Refer, Category, Dictionary (category → words); a vocabulary with
    weights as cntext's valence files: Dictionary: word → {category: score}."""
    grouped = by_category(vocabulary)
    lost = losses(vocabulary, aliases=False, notes=False, metadata=True, categories=True,
                  weights=vocabulary.weighted)
    lost += wildcard_losses(vocabulary, holds="none", format_name="cntext")
    if vocabulary.weighted:
        return _write_scores(vocabulary, lost)
    if "" in grouped:
        lost.append(f"{len(grouped.pop(''))} words without a category are left out (cntext needs one)")
    if vocabulary.version:
        lost.append("the version is not kept (cntext has no place for it)")
    data = {"Name": vocabulary.name, "Desc": vocabulary.description, "Refer": vocabulary.reference,
            "Category": list(grouped), "Dictionary": grouped}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), lost



def _write_scores(vocabulary: Vocabulary, lost: list[str]) -> tuple[str, list[str]]:
    scores: dict[str, dict[str, float]] = {}
    unscored = 0
    for term in vocabulary.terms:
        found = {name: weight for name in term.categories if (weight := term.weight_in(name)) is not None}
        if not found:
            unscored += 1
        for word in words_of(term):
            if found:
                scores.setdefault(word, {}).update(found)
    if unscored:
        lost.append(f"{unscored} terms without a score are left out (a cntext valence file holds scores)")
    data = {"Name": vocabulary.name, "Desc": vocabulary.description, "Refer": vocabulary.reference,
            "Category": [name for name in vocabulary.categories if name], "Dictionary": scores}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), lost
