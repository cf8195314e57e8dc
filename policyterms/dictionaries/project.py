"""The project's own YAML (``terms:``): read by vocab.parse_vocabulary, written here."""

from __future__ import annotations

import yaml

from ..vocab import Vocabulary, term_entry


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The project's own YAML: keeps everything."""
    head = {key: value for key, value in (("name", vocabulary.name), ("description", vocabulary.description),
                                          ("reference", vocabulary.reference), ("version", vocabulary.version)) if value}
    terms = [term_entry(term) for term in vocabulary.terms]
    text = yaml.safe_dump({**head, "terms": terms}, allow_unicode=True, sort_keys=False, width=1000)
    return text, []

