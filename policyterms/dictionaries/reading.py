"""Which reader a dictionary file needs (its suffix, else its content), and the dispatch to it."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import VocabularyError
from ..vocab import Vocabulary, parse_vocabulary
from . import cntext, dicx, jieba, lexicoder, liwc, quanteda, wordlist, wordstat
from .entries import WILDCARD_RULES, Entries, Wildcards, build_vocabulary

FORMAT_BY_SUFFIX = {
    ".dic": "liwc", ".dicx": "dicx", ".cat": "wordstat", ".lc3": "lexicoder", ".lcd": "lexicoder",
}
_TOP_LEVEL_KEY = re.compile(r"^([^\s#%\-+{\[][^:\n]*?)\s*:(?:\s|$)", flags=re.MULTILINE)
READERS = {
    "cntext": cntext.read, "quanteda": quanteda.read, "liwc": liwc.read, "dicx": dicx.read,
    "wordstat": wordstat.read, "lexicoder": lexicoder.read, "jieba": jieba.read, "wordlist": wordlist.read,
}
def detect_format(text: str, *, suffix: str) -> str:
    """The reader for a file: by its suffix, else by its content."""
    suffix = suffix.lower()
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    if suffix in (".yaml", ".yml"):
        return _yaml_kind(text)
    if suffix == ".csv":
        return "dicx"
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "yaml" if suffix not in (".txt", "") else "wordlist"
    first = lines[0].strip()
    if first == "%":
        return "liwc"
    if first.startswith("+"):
        return "lexicoder"
    if re.search(r"^terms\s*:", text, flags=re.MULTILINE) or (suffix != ".txt" and first.startswith(("---", "#", "{"))):
        return _yaml_kind(text)
    if any(line.startswith("\t") for line in lines) and any(wordstat.WEIGHT.match(line.strip()) for line in lines):
        return "wordstat"
    if suffix != ".txt" and ":" in first and _yaml_kind(text, fallback="") in ("cntext", "quanteda"):
        return _yaml_kind(text)
    if any((m := jieba.JIEBA_LINE.match(line.strip())) and (m["freq"] or m["tag"]) for line in lines):
        return "jieba"
    return "wordlist"


def _yaml_kind(text: str, *, fallback: str = "yaml") -> str:
    """project YAML (``terms:``), cntext (``Dictionary:``) or quanteda (any other mapping), told by
    the keys of the unindented lines: composing the YAML to find out would double the time a large
    vocabulary takes to load. No such key (a list, flow style, not YAML): ``fallback``."""
    keys = {key.strip("'\" ") for key in _TOP_LEVEL_KEY.findall(text)}
    if not keys:
        return fallback
    if keys & {"terms", "name", "description", "reference", "version"}:
        return "yaml"
    if "Dictionary" in keys:
        return "cntext"
    return "quanteda"


def parse_dictionary(
    text: str, *, source: str, suffix: str = "", wildcards: Wildcards = "glob", category: str | None = None
) -> Vocabulary:
    """A dictionary file's text as a Vocabulary (``warnings`` says what could not be honoured).
    ``category`` (else the file's name) is the category of formats that have none."""
    if wildcards not in WILDCARD_RULES:
        raise VocabularyError([f"unknown --wildcards rule '{wildcards}' (choose from {', '.join(WILDCARD_RULES)})"])
    kind = detect_format(text, suffix=suffix)
    if kind == "yaml":
        return parse_vocabulary(text, source=source)
    entries = Entries(source, wildcards)
    default_category = category if category is not None else Path(source).stem
    READERS[kind](text, entries, default_category)
    if kind in ("cntext", "quanteda") and not entries.words and not entries.problems:
        return parse_vocabulary(text, source=source)  # most likely the project's YAML, broken: say how
    return build_vocabulary(entries)



