"""LIWC-22 ``.dicx``: a CSV ``Entry,Cat1,Cat2…``, a mark where the entry belongs to the category."""

from __future__ import annotations

import csv
import io

from ..errors import VocabularyError
from ..vocab import PATH_SEPARATOR, Term, Vocabulary, parse_weight
from .entries import Entries
from .writing import losses, wildcard_losses, words_of


def read(text: str, entries: Entries, default_category: str) -> None:
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
        marks = [(names[i], cell.strip()) for i, cell in enumerate(row[1:len(names) + 1]) if _is_mark(cell) and names[i]]
        marked = [name for name, _ in marks]
        weights = [(name, weight) for name, cell in marks if (weight := parse_weight(cell)) is not None]
        if len(row) > len(names) + 1 and any(cell.strip() for cell in row[len(names) + 1:]):
            entries.problem(number, f"'{row[0]}': more cells than the header has categories")
        if not marked:
            entries.warn(number, f"'{row[0]}' is marked in no category; counted without one")
        entries.add(row[0], marked, number, weights)


def _is_mark(cell: str) -> bool:
    """X, 1, 0.5 mark the entry in the category; an empty cell, 0 and 0.0 do not (LIWC-22's
    weighted dictionaries write a weight in every cell, 0 where the entry is not in the category)."""
    cell = cell.strip()
    return bool(cell) and parse_weight(cell) != 0


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """LIWC-22 .dicx: one column per category (full path), X where the entry belongs, or its
    weight there when the vocabulary has weights (a weight of 0 would read as no mark: refused)."""
    names = [name for name in vocabulary.categories if name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["DicTerm", *names])
    for term in vocabulary.terms:
        for word in words_of(term):
            writer.writerow([word, *(_cell(term, name) for name in names)])
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True, weights=True)
    return buffer.getvalue(), lost + wildcard_losses(vocabulary, holds="final", format_name="LIWC-22")



def _cell(term: Term, name: str) -> str:
    if name not in term.categories:
        return ""
    weight = term.weight_in(name)
    if weight is None:
        return "X"
    if weight == 0:
        raise VocabularyError([f"'{term.name}' has the weight 0 in '{name}', which a .dicx cell reads as no mark"])
    return f"{weight:g}"
