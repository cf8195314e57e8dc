"""LIWC 2007/2015 ``.dic``: a block of ``id category`` lines between two ``%`` lines, then
``word id id…``."""

from __future__ import annotations

import re

from ..vocab import MAX_LEVELS, PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .writing import losses, ordered_categories, wildcard_losses, words_of

_FIELD = re.compile(r"\([^)]*\)\S*|\S+")  # an id, or a conditional assignment "(02 134)125/464" whole


def read(text: str, entries: Entries, default_category: str) -> None:
    """The category block (between two ``%`` lines, or, as some files write it, from the top down
    to the first ``%``), then the entries. Categories nest by indentation, tabs (LIWC2015) or
    spaces; an entry's ids follow its word, separated by tabs or spaces (MFD: ``word<TAB>01 02``)."""
    lines = text.splitlines()
    markers = [number for number, line in enumerate(lines, 1) if line.strip() == "%"]
    first = next((number for number, line in enumerate(lines, 1) if line.strip()), 1)
    if len(markers) >= 2 and markers[0] == first:
        opening, closing = markers[:2]
    elif markers and markers[0] > first:  # no opening '%': the categories start the file
        opening, closing = 0, markers[0]
    else:
        entries.problem(markers[0] if markers else 1,
                        "a LIWC dictionary starts with a block of categories ending in a '%' line")
        return
    categories = _categories(lines, opening, closing, entries)
    if categories is None:  # nested too deep: the entries' ids would only repeat it
        return
    for number in range(closing + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and line.strip() != "%":
            _entry(line, number, categories, entries)


def _categories(lines: list[str], opening: int, closing: int, entries: Entries) -> dict[str, str] | None:
    """id → category path; a line indented deeper than the one above nests under it (None: deeper
    than MAX_LEVELS, a problem said)."""
    categories: dict[str, str] = {}
    parents: list[tuple[int, str]] = []  # (indentation, path) of the open nesting
    for number in range(opening + 1, closing):
        line = lines[number - 1].expandtabs(4)
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
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
        if len(parents) >= MAX_LEVELS:
            entries.problem(number, f"categories nested more than {MAX_LEVELS} levels deep")
            return None
        path = f"{parents[-1][1]}{PATH_SEPARATOR}{name}" if parents else name
        categories[category_id] = path
        entries.declare(path)
        parents.append((depth, path))
    return categories


def _entry(line: str, number: int, categories: dict[str, str], entries: Entries) -> None:
    """``word id id…``: the ids are the fields after the first tab (separated by tabs or spaces)
    or, in a line without a tab, the fields at its end; the word is what comes before them,
    spaces and all (a phrase: ``kind of``)."""
    if "\t" in line:
        word, _, rest = line.partition("\t")
        fields = _FIELD.findall(rest)
    else:
        fields = _FIELD.findall(line)
        cut = len(fields)
        while cut > 1 and _is_assignment(fields[cut - 1]):
            cut -= 1
        word, fields = " ".join(fields[:cut]), fields[cut:]
    word = word.strip()
    chosen = []
    for token in fields:
        if _liwc_id(token) in categories:
            chosen.append(categories[_liwc_id(token)])
        elif "(" in token or "/" in token:
            entries.warn(number, f"'{word}': the conditional assignment '{token}' cannot be honoured; "
                                 "the entry counts for its other categories")
        else:
            entries.problem(number, f"'{word}': unknown category id '{token}'")
    if not fields:
        entries.problem(number, f"'{word}' names no category")
    elif chosen:
        entries.add(word, chosen, number)


def _is_assignment(token: str) -> bool:
    """A category id (``12``) or a piece of a conditional assignment (``(02 134)125/464``)."""
    return token.isdigit() or (any(char.isdigit() for char in token) and set(token) <= set("0123456789()/"))


def _liwc_id(token: str) -> str:
    """LIWC2007 writes ids as 01 in one place and 1 in another: the same id."""
    return str(int(token)) if token.isdigit() else token


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """LIWC .dic; nested categories as LIWC2015 writes them (a leading tab per level)."""
    names = ordered_categories(vocabulary)
    ids = {name: number for number, name in enumerate(names, 1)}
    lines = ["%"]
    lines += ["\t" * name.count(PATH_SEPARATOR) + f"{ids[name]}\t{name.rsplit(PATH_SEPARATOR, 1)[-1]}" for name in names]
    lines.append("%")
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)
    lost += wildcard_losses(vocabulary, holds="final", format_name="LIWC")
    for term in vocabulary.terms:
        if not term.categories:
            lost.append(f"'{term.name}' has no category, which a LIWC entry needs; left out")
            continue
        for word in words_of(term):
            lines.append("\t".join([word, *(str(ids[name]) for name in term.categories)]))
    return "\n".join(lines) + "\n", lost

