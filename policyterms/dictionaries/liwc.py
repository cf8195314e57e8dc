"""LIWC 2007/2015 ``.dic``: a block of ``id category`` lines between two ``%`` lines, then
``word id id…``."""

from __future__ import annotations

from ..vocab import PATH_SEPARATOR, Vocabulary
from .entries import Entries
from .writing import losses, ordered_categories, words_of


def read(text: str, entries: Entries, default_category: str) -> None:
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


def write(vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """LIWC .dic; nested categories as LIWC2015 writes them (a leading tab per level)."""
    names = ordered_categories(vocabulary)
    ids = {name: number for number, name in enumerate(names, 1)}
    lines = ["%"]
    lines += ["\t" * name.count(PATH_SEPARATOR) + f"{ids[name]}\t{name.rsplit(PATH_SEPARATOR, 1)[-1]}" for name in names]
    lines.append("%")
    lost = losses(vocabulary, aliases=False, notes=False, metadata=False, categories=True)
    for term in vocabulary.terms:
        if not term.categories:
            lost.append(f"'{term.name}' has no category, which a LIWC entry needs; left out")
            continue
        for word in words_of(term):
            lines.append("\t".join([word, *(str(ids[name]) for name in term.categories)]))
    return "\n".join(lines) + "\n", lost

