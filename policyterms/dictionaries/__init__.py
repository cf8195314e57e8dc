"""Dictionaries made for other tools, read into the one ``Vocabulary`` (vocab.py) and written back:
one module per format, each with ``read(text, entries, default_category)`` and, where the format
can be written, ``write(vocabulary) -> (text, losses)``. vocab.py imports none of them.

Formats (detected by suffix, then by content; README: "Dictionaries from other tools"):

| format | suffix | shape |
|---|---|---|
| project YAML | .yaml .yml | ``terms:`` list (vocab.py) |
| cntext YAML | .yaml .yml | ``Name``, ``Desc``, ``Refer``, ``Category``, ``Dictionary`` (category → words) |
| quanteda YAML | .yaml .yml | ``KEY: [a, b]``, nestable: ``KEY: {SUB: [a, b]}`` |
| LIWC | .dic | ``%``, ``id<TAB>category`` lines (a leading tab nests, as in LIWC2015), ``%``, ``word<TAB>id…`` |
| LIWC-22 | .dicx | CSV: ``Entry,Cat1,Cat2…``, a mark where the entry belongs to the category |
| WordStat | .cat | a tab-indented tree; entries end in `` (n)`` weights; ``@NAME [rule]`` lines are rules |
| Lexicoder | .lc3 .lcd | ``+category`` lines, then one entry per line |
| jieba user dictionary | .txt | ``词语 [词频] [词性]`` |
| word list | .txt | one word per line |

What exact matching cannot honour is never changed silently: a wildcard (``econom*``), a rule, a
weight other than 1, a conditional LIWC assignment: each is a ``file:line`` warning in
``Vocabulary.warnings``. Wildcard entries are left out unless ``wildcards="prefix"``, which counts
the stem as a term. Problems that make a file unusable are ``VocabularyError``s, ``file:line`` too.
"""

from __future__ import annotations

from .entries import WILDCARD_RULES, Wildcards
from .export import EXPORT_FORMATS, ExportFormat, export_dictionary
from .files import MAX_VOCABULARY_MB, check_vocabulary, default_vocabulary_path, load_vocabulary, read_dictionary_file
from .reading import FORMAT_BY_SUFFIX, detect_format, parse_dictionary

__all__ = [
    "EXPORT_FORMATS", "FORMAT_BY_SUFFIX", "MAX_VOCABULARY_MB", "WILDCARD_RULES", "ExportFormat", "Wildcards",
    "check_vocabulary", "default_vocabulary_path", "detect_format", "export_dictionary", "load_vocabulary",
    "parse_dictionary", "read_dictionary_file",
]
