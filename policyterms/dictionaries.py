"""Dictionaries made for other tools, read into the same ``Vocabulary`` and written back.

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

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from . import safe_yaml
from .errors import VocabularyError
from .normalize import normalize_term
from .vocab import PATH_SEPARATOR, Term, Vocabulary, parse_vocabulary, term_entry, term_length_problem

Wildcards = Literal["skip", "prefix"]
WILDCARD_RULES: tuple[str, ...] = ("skip", "prefix")
ExportFormat = Literal["yaml", "liwc", "dicx", "cntext", "quanteda", "jieba"]
EXPORT_FORMATS: tuple[str, ...] = ("yaml", "liwc", "dicx", "cntext", "quanteda", "jieba")
FORMAT_BY_SUFFIX = {
    ".dic": "liwc", ".dicx": "dicx", ".cat": "wordstat", ".lc3": "lexicoder", ".lcd": "lexicoder",
}
_WEIGHT = re.compile(r"^(?P<entry>.*?)\s*\((?P<weight>[-+]?\d+(?:\.\d+)?)\)$")  # WordStat: "ECONOMY (1)"
MAX_LEVELS = 32  # nested categories: deeper is a hostile file, not a taxonomy
_TOP_LEVEL_KEY = re.compile(r"^([^\s#%\-+{\[][^:\n]*?)\s*:(?:\s|$)", flags=re.MULTILINE)
_JIEBA_LINE = re.compile(r"^(?P<word>\S+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[A-Za-z]+))?$")


@dataclass
class Entries:
    """What a reader found, before it becomes a Vocabulary: (word, categories, line) in file
    order, the dictionary's own metadata, and the warnings and errors, each as file:line."""

    source: str
    wildcards: Wildcards = "skip"
    words: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)
    name: str = ""
    description: str = ""
    reference: str = ""
    version: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.source}{_at(line)}: {message}")

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(f"{self.source}{_at(line)}: {message}")

    def category(self, name: str, line: int | None) -> str:
        """A category's name as the dictionary gives it; a '/' in it (which separates the levels
        of nested categories here) is read as '／', with a warning."""
        name = name.strip()
        if PATH_SEPARATOR in name:
            kept = name.replace(PATH_SEPARATOR, "／")
            self.warn(line, f"category '{name}' holds '{PATH_SEPARATOR}', which separates nested categories here; "
                            f"read as '{kept}'")
            return kept
        return name

    def add(self, word: str, categories: Iterable[str], line: int) -> None:
        """One entry; a wildcard is left out or cut to its stem, with a warning either way."""
        word = word.strip()
        categories = tuple(categories)
        if not word:
            return
        if "*" in word.rstrip("*"):
            self.warn(line, f"'{word}': a '*' inside an entry cannot be matched exactly; left out")
            return
        if word.endswith("*"):
            stem = word.rstrip("*").strip()
            if self.wildcards == "skip" or not stem:
                self.warn(line, f"'{word}' is a wildcard (any ending), which exact matching cannot honour; "
                                "left out (--wildcards prefix counts its stem as a term)")
                return
            self.warn(line, f"'{word}' is a wildcard: counted as the term '{stem}' (--wildcards prefix)")
            word = stem
        if (why := term_length_problem(word, "entry")) is not None:
            self.problem(line, why)
            return
        self.words.append((word, categories, line))


def _at(line: int | None) -> str:
    return f":{line}" if line is not None else ""


# ── reading ──────────────────────────────────────────────────────────────────────────────────

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
    if any(line.startswith("\t") for line in lines) and any(_WEIGHT.match(line.strip()) for line in lines):
        return "wordstat"
    if suffix != ".txt" and ":" in first and _yaml_kind(text, fallback="") in ("cntext", "quanteda"):
        return _yaml_kind(text)
    if any((m := _JIEBA_LINE.match(line.strip())) and (m["freq"] or m["tag"]) for line in lines):
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
    text: str, *, source: str, suffix: str = "", wildcards: Wildcards = "skip", category: str | None = None
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


def read_cntext(text: str, entries: Entries, default_category: str) -> None:
    root = _compose(text, entries)
    if root is None:
        return
    fields = {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
    for key, _ in root.value:
        if _scalar_text(key) not in ("Name", "Desc", "Refer", "Category", "Dictionary", "Version"):
            entries.warn(_line(key), f"key '{_scalar_text(key)}' is not part of a cntext dictionary; ignored")
    entries.name = _scalar_text(fields.get("Name"))
    entries.description = _scalar_text(fields.get("Desc"))
    entries.reference = _scalar_text(fields.get("Refer"))
    entries.version = _scalar_text(fields.get("Version"))
    dictionary = fields.get("Dictionary")
    if not isinstance(dictionary, yaml.MappingNode):
        entries.problem(_line(dictionary or root), "'Dictionary' must map each category to its list of words")
        return
    _read_tree(dictionary, (), entries)
    listed = fields.get("Category")
    if isinstance(listed, yaml.SequenceNode):
        named = {_scalar_text(node) for node in listed.value}
        found = {PATH_SEPARATOR.join(path) for path in _top_keys(dictionary)}
        for missing in sorted(named - found):
            entries.warn(_line(listed), f"category '{missing}' is listed under 'Category' but has no words")


def read_quanteda(text: str, entries: Entries, default_category: str) -> None:
    root = _compose(text, entries)
    if root is not None:
        _read_tree(root, (), entries)


def _compose(text: str, entries: Entries) -> yaml.MappingNode | None:
    try:
        root = safe_yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        entries.problem(mark.line + 1 if mark is not None else None, f"YAML syntax error: {reason}")
        return None
    if not isinstance(root, yaml.MappingNode):
        entries.problem(_line(root) if root is not None else None, "expected a mapping of categories to words")
        return None
    return root


def _top_keys(node: yaml.MappingNode) -> list[tuple[str, ...]]:
    return [(key.value,) for key, _ in node.value if isinstance(key, yaml.ScalarNode)]


def _read_tree(node: yaml.MappingNode, path: tuple[str, ...], entries: Entries) -> None:
    """category → [words] or category → {subcategory → …}: a nested key is a path a/b."""
    for key, value in node.value:
        name = entries.category(_scalar_text(key), _line(key))
        if not name:
            entries.problem(_line(key), "empty category name")
            continue
        here = (*path, name)
        if isinstance(value, yaml.MappingNode) and len(here) >= MAX_LEVELS:
            entries.problem(_line(key), f"categories nested more than {MAX_LEVELS} levels deep")
        elif isinstance(value, yaml.MappingNode):
            _read_tree(value, here, entries)
        elif isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode):
                    entries.add(item.value, [PATH_SEPARATOR.join(here)], _line(item))
                else:
                    entries.problem(_line(item), f"the words of '{name}' must be strings")
        elif isinstance(value, yaml.ScalarNode) and value.value.strip():
            entries.add(value.value, [PATH_SEPARATOR.join(here)], _line(value))
        else:
            entries.warn(_line(key), f"category '{name}' has no words")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar_text(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == "tag:yaml.org,2002:null" else node.value.strip()
    if isinstance(node, yaml.SequenceNode):  # cntext's Refer is sometimes a list of references
        return "; ".join(_scalar_text(item) for item in node.value if _scalar_text(item))
    return ""


def read_liwc(text: str, entries: Entries, default_category: str) -> None:
    """LIWC 2007/2015 .dic: the category block between two % lines, then the entries."""
    lines = text.splitlines()
    markers = [number for number, line in enumerate(lines, 1) if line.strip() == "%"]
    if len(markers) < 2:
        entries.problem(markers[0] if markers else 1,
                        "a LIWC dictionary starts with a block of categories between two '%' lines")
        return
    opening, closing = markers[:2]
    categories: dict[str, str] = {}  # id → path
    parents: list[tuple[int, str]] = []  # (depth, path) of the open nesting (LIWC2015: leading tabs)
    for number in range(opening + 1, closing):
        line = lines[number - 1]
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.split()
        if len(fields) < 2:
            entries.problem(number, f"expected 'id<TAB>category', found '{line.strip()}'")
            continue
        category_id, name = _liwc_id(fields[0]), entries.category(" ".join(fields[1:]), number)
        if category_id in categories:
            entries.problem(number, f"category id {category_id} given twice")
            continue
        while parents and parents[-1][0] >= depth:
            parents.pop()
        path = f"{parents[-1][1]}{PATH_SEPARATOR}{name}" if parents else name
        categories[category_id] = path
        parents.append((depth, path))
    for number in range(closing + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")] if "\t" in line else line.split()
        word, assigned = fields[0], [f for f in fields[1:] if f]
        chosen = []
        for token in assigned:
            if _liwc_id(token) in categories:
                chosen.append(categories[_liwc_id(token)])
            elif "(" in token or "/" in token:
                entries.warn(number, f"'{word}': the conditional assignment '{token}' cannot be honoured; "
                                     "the entry counts for its other categories")
            else:
                entries.problem(number, f"'{word}': unknown category id '{token}'")
        if not assigned:
            entries.problem(number, f"'{word}' names no category")
        elif chosen:
            entries.add(word, chosen, number)


def _liwc_id(token: str) -> str:
    """LIWC2007 writes ids as 01 in one place and 1 in another: the same id."""
    return str(int(token)) if token.isdigit() else token


def read_dicx(text: str, entries: Entries, default_category: str) -> None:
    """LIWC-22 .dicx: a CSV whose first column is the entry and each further column a category."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or len(header) < 2:
        entries.problem(1, "expected a header 'Entry,Category 1,Category 2,…'")
        return
    # LIWC-22 has no nesting; a "/" in a column name is a path, as ``export_dictionary`` writes one.
    names = [PATH_SEPARATOR.join(level.strip() for level in name.split(PATH_SEPARATOR)) for name in header[1:]]
    for position, name in enumerate(names):
        if not all(name.split(PATH_SEPARATOR)):
            entries.problem(1, f"column {position + 2} has no category name" if not name else
                               f"column {position + 2}: category '{name}' has an empty level")
    for row in reader:
        number = reader.line_num
        if not row or not row[0].strip():
            continue
        marked = [names[i] for i, cell in enumerate(row[1:len(names) + 1]) if cell.strip() and names[i]]
        if len(row) > len(names) + 1 and any(cell.strip() for cell in row[len(names) + 1:]):
            entries.problem(number, f"'{row[0]}': more cells than the header has categories")
        if not marked:
            entries.warn(number, f"'{row[0]}' is marked in no category; counted without one")
        entries.add(row[0], marked, number)


def read_wordstat(text: str, entries: Entries, default_category: str) -> None:
    """WordStat .cat: categories and entries in a tree of tab indents; entries end in " (n)"."""
    lines = text.splitlines()
    stack: list[tuple[int, str]] = []  # (depth, path) of the categories above
    numbered = [(number, line) for number, line in enumerate(lines, 1) if line.strip()]
    for position, (number, line) in enumerate(numbered):
        depth = len(line) - len(line.lstrip("\t"))
        item = line.strip()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        category = stack[-1][1] if stack else ""
        if item.startswith("@"):
            entries.warn(number, f"the rule '{item}' cannot be honoured by exact matching; left out")
            continue
        weighted = _WEIGHT.match(item)
        deeper = position + 1 < len(numbered) and \
            len(numbered[position + 1][1]) - len(numbered[position + 1][1].lstrip("\t")) > depth
        if weighted is None and deeper:  # a category: the lines under it are deeper
            item = entries.category(item, number)
            stack.append((depth, f"{category}{PATH_SEPARATOR}{item}" if category else item))
            continue
        word = weighted["entry"] if weighted else item
        if weighted and float(weighted["weight"]) != 1:
            entries.warn(number, f"'{word}': the weight {weighted['weight']} cannot be honoured; each hit counts 1")
        entries.add(_wordstat_phrase(word), [category] if category else [], number)


def _wordstat_phrase(word: str) -> str:
    """WordStat writes the spaces of a phrase as underscores: ECONOMIC_POLICY."""
    return word.replace("_", " ") if re.fullmatch(r"[A-Za-z0-9_'\-]+", word) else word


def read_lexicoder(text: str, entries: Entries, default_category: str) -> None:
    """Lexicoder .lc3: a ``+category`` line, then that category's entries, one per line."""
    category = None
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item:
            continue
        if item.startswith("+"):
            category = entries.category(item[1:], number)
            if not category:
                entries.problem(number, "a '+' line must name a category")
        elif category is None:
            entries.problem(number, f"'{item}' comes before any '+category' line")
        else:
            entries.add(item, [category], number)


def read_jieba(text: str, entries: Entries, default_category: str) -> None:
    """jieba's user dictionary: ``词语 [词频] [词性]``; frequency and part of speech are jieba's
    segmentation hints, not counts, so only the words are kept (one warning says so)."""
    hints = 0
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        found = _JIEBA_LINE.match(item)
        if found is None:
            entries.problem(number, f"expected '词语 [词频] [词性]', found '{item}'")
            continue
        hints += bool(found["freq"] or found["tag"])
        entries.add(found["word"], [default_category] if default_category else [], number)
    if hints:
        entries.warn(None, f"{hints} entries' frequencies and parts of speech are jieba's segmentation hints: "
                           "not used for counting, not kept")


def read_wordlist(text: str, entries: Entries, default_category: str) -> None:
    """One word (or phrase) per line; blank lines and lines starting with # are skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if item and not item.startswith("#"):
            entries.add(item, [default_category] if default_category else [], number)


READERS = {
    "cntext": read_cntext, "quanteda": read_quanteda, "liwc": read_liwc, "dicx": read_dicx,
    "wordstat": read_wordstat, "lexicoder": read_lexicoder, "jieba": read_jieba, "wordlist": read_wordlist,
}


def build_vocabulary(entries: Entries) -> Vocabulary:
    """One term per normalized word: a word listed under several categories is one term in all of
    them (a warning names a second spelling of the same word: 6G and ６Ｇ)."""
    merged: dict[str, tuple[str, list[str], int]] = {}
    for word, categories, line in entries.words:
        key = normalize_term(word)
        if not key:
            entries.problem(line, f"'{word}' is empty after normalization")
            continue
        if key not in merged:
            merged[key] = (word, list(categories), line)
            continue
        first, known, first_line = merged[key]
        if word != first:
            entries.warn(line, f"'{word}' is the same term as '{first}' (line {first_line}) after normalization; "
                               f"counted once, as '{first}'")
        known.extend(name for name in categories if name not in known)
    if entries.problems:
        raise VocabularyError(entries.problems)
    if not merged:
        raise VocabularyError([f"{entries.source}: the dictionary has no terms exact matching can count"])
    terms = tuple(Term(word, tuple(categories)) for word, categories, _ in merged.values())
    return Vocabulary(terms, entries.name, entries.source, description=entries.description,
                      reference=entries.reference, version=entries.version, warnings=tuple(entries.warnings))


# ── writing ──────────────────────────────────────────────────────────────────────────────────

def export_dictionary(vocabulary: Vocabulary, *, to: ExportFormat) -> tuple[str, list[str]]:
    """The vocabulary in another format, and what that format could not keep (one line each)."""
    if to not in WRITERS:
        raise VocabularyError([f"cannot write '{to}' (choose from {', '.join(EXPORT_FORMATS)})"])
    return WRITERS[to](vocabulary)


def _losses(vocabulary: Vocabulary, *, aliases: bool, notes: bool, metadata: bool, categories: bool) -> list[str]:
    lost = []
    if not aliases and (n := sum(bool(t.aliases) for t in vocabulary.terms)):
        lost.append(f"the aliases of {n} terms are written as entries of their own (the format has no aliases)")
    if not notes and (n := sum(bool(t.note) for t in vocabulary.terms)):
        lost.append(f"the notes of {n} terms are not kept (the format has no notes)")
    if not metadata and any((vocabulary.description, vocabulary.reference, vocabulary.version)):
        lost.append("the description, reference and version are not kept (the format has no place for them)")
    if not categories and any(t.categories for t in vocabulary.terms):
        lost.append("categories are not kept (a jieba user dictionary has none)")
    return lost


def _words(term: Term) -> tuple[str, ...]:
    return term.surfaces


def _ordered_categories(vocabulary: Vocabulary) -> list[str]:
    """Every category and every level above it (a/b needs a), in order of first appearance."""
    found: dict[str, None] = {}
    for name in vocabulary.categories:
        if name:
            parts = name.split(PATH_SEPARATOR)
            for depth in range(1, len(parts) + 1):
                found.setdefault(PATH_SEPARATOR.join(parts[:depth]), None)
    return list(found)


def write_yaml(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The project's own YAML: keeps everything."""
    head = {key: value for key, value in (("name", vocabulary.name), ("description", vocabulary.description),
                                          ("reference", vocabulary.reference), ("version", vocabulary.version)) if value}
    terms = [term_entry(term) for term in vocabulary.terms]
    text = yaml.safe_dump({**head, "terms": terms}, allow_unicode=True, sort_keys=False, width=1000)
    return text, []


def write_liwc(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """LIWC .dic; nested categories as LIWC2015 writes them (a leading tab per level)."""
    names = _ordered_categories(vocabulary)
    ids = {name: number for number, name in enumerate(names, 1)}
    lines = ["%"]
    lines += ["\t" * name.count(PATH_SEPARATOR) + f"{ids[name]}\t{name.rsplit(PATH_SEPARATOR, 1)[-1]}" for name in names]
    lines.append("%")
    lost = _losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)
    for term in vocabulary.terms:
        if not term.categories:
            lost.append(f"'{term.name}' has no category, which a LIWC entry needs; left out")
            continue
        for word in _words(term):
            lines.append("\t".join([word, *(str(ids[name]) for name in term.categories)]))
    return "\n".join(lines) + "\n", lost


def write_dicx(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """LIWC-22 .dicx: one column per category (full path), X where the entry belongs."""
    names = [name for name in vocabulary.categories if name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["DicTerm", *names])
    for term in vocabulary.terms:
        for word in _words(term):
            writer.writerow([word, *("X" if name in term.categories else "" for name in names)])
    return buffer.getvalue(), _losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)


def _by_category(vocabulary: Vocabulary) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {name: [] for name in vocabulary.categories}
    for term in vocabulary.terms:
        for name in term.categories or ("",):
            grouped.setdefault(name, []).extend(_words(term))
    return grouped


def write_cntext(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """cntext YAML: Name, Desc, Refer, Category, Dictionary (category → words)."""
    grouped = _by_category(vocabulary)
    lost = _losses(vocabulary, aliases=False, notes=False, metadata=True, categories=True)
    if "" in grouped:
        lost.append(f"{len(grouped.pop(''))} words without a category are left out (cntext needs one)")
    if vocabulary.version:
        lost.append("the version is not kept (cntext has no place for it)")
    data = {"Name": vocabulary.name, "Desc": vocabulary.description, "Refer": vocabulary.reference,
            "Category": list(grouped), "Dictionary": grouped}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), lost


def write_quanteda(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """quanteda YAML: KEY: [words], nested for category paths."""
    tree: dict = {}
    lost = _losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)
    for name, words in _by_category(vocabulary).items():
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


def write_jieba(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """A jieba user dictionary (jieba.load_userdict): every term and alias, one per line, no
    frequency, so that jieba suggests one that keeps the word whole."""
    words = [word for term in vocabulary.terms for word in _words(term)]
    lost = _losses(vocabulary, aliases=True, notes=False, metadata=False, categories=False)
    if spaced := [word for word in words if " " in word]:
        lost.append(f"{len(spaced)} entries with a space are left out (jieba's user dictionary separates fields "
                    f"with spaces): {', '.join(spaced[:5])}")
    return "".join(f"{word}\n" for word in words if " " not in word), lost


WRITERS = {
    "yaml": write_yaml, "liwc": write_liwc, "dicx": write_dicx, "cntext": write_cntext,
    "quanteda": write_quanteda, "jieba": write_jieba,
}
