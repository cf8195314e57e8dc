"""What a document is, measured on real text against the truth written by reading (issue 22):
single documents wrongly split, items of multi-article pages found, titles and dates right —
per genre and overall, for the development part and for the fifth set aside — and the time per
MB that splitting and metadata add to reading.

    python benchmarks/documents/fill.py          # the texts, once
    python benchmarks/documents/evaluate.py      # the table (Markdown) on stdout
    python benchmarks/documents/evaluate.py --errors dev   # every miss of the development part, to read

Scoring:
- a single document is wrongly split when it is read as more than one document;
- a page's item is found when the page is split exactly at its start and at its end (a start may
  be up to two short lines above the truth's: a kicker or a column tag over a title);
  a boundary drawn is right when it is an item's start;
- a title is right when it equals the truth's (or one of ``title_alt``) once blanks are removed
  and full-width forms folded (NFKC); only texts marked ``read`` are scored, and on pages only
  the items found;
- a date is exact when it is the truth's at the same precision (2026 is not 2026-01-01); right
  to the year when the years agree (and both have none when the truth has none).
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from manifest import Entry, load_manifest  # noqa: E402

from policyterms.batch import InputOptions  # noqa: E402
from policyterms.errors import InputError  # noqa: E402
from policyterms.readers import read_document, read_documents  # noqa: E402
from policyterms.readers.feeds import is_feed  # noqa: E402
from policyterms.readers.tables import is_table, iter_table_documents  # noqa: E402

MARKUP_BEFORE = "#*>-_ \t\u3000<>/pstrongb"  # what may stand before a title on its line: Markdown, a tag
KICKER_LINES = 2  # a boundary drawn this many short lines above the truth's start is still right
SHORT_LINE = 60


@dataclass
class Tally:
    singles: int = 0
    split_singles: int = 0
    pages: int = 0
    items: int = 0
    items_found: int = 0
    boundaries_drawn: int = 0
    boundaries_right: int = 0
    titles: int = 0
    titles_right: int = 0
    dates: int = 0
    dates_exact: int = 0
    dates_year: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if name != "errors":
                setattr(self, name, getattr(self, name) + value)
        self.errors.extend(other.errors)


def fold(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def line_starts(text: str) -> list[int]:
    starts, offset = [], 0
    for line in text.split("\n"):
        starts.append(offset)
        offset += len(line) + 1
    return starts


def line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def first_text_line(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def truth_lines(entry: Entry, text: str, starts: list[int]) -> list[int | None]:
    """The line where each article starts; None where its ``start`` is not found (and for the
    first article, when it has no ``start``: the page's top). A start is looked for at the
    start of a line (past markup), so that a contents list above the articles (``1.习近平…``)
    is not taken for them; such a list above the first article may be a document of its own."""
    found: list[int | None] = []
    position = 0
    for article in entry.articles:
        at = text.find(article.start, position) if article.start else -1
        while at >= 0 and text[text.rfind("\n", 0, at) + 1 : at].strip(MARKUP_BEFORE):
            at = text.find(article.start, at + 1)
        found.append(line_of(starts, at) if at >= 0 else None)
        position = at + len(article.start) if at >= 0 else position
    return found


def near(drawn: int, truth: int, lines: list[str]) -> bool:
    """A boundary drawn at the truth's line, or over it by at most KICKER_LINES short lines."""
    if drawn == truth:
        return True
    if drawn > truth:
        return False
    between = [line for line in lines[drawn:truth] if line.strip()]
    return len(between) <= KICKER_LINES and all(len(line.strip()) <= SHORT_LINE for line in between)


def score_title(entry: Entry, truth_index: int, title: str, tally: Tally, label: str) -> None:
    article = entry.articles[truth_index]
    tally.titles += 1
    if fold(title) in {fold(article.title), *map(fold, article.title_alt)}:
        tally.titles_right += 1
    else:
        tally.errors.append(f"{label}: title {title!r}, truth {article.title!r}")


def score_date(entry: Entry, truth_index: int, metadata: dict[str, str], tally: Tally, label: str) -> None:
    article = entry.articles[truth_index]
    date = metadata.get("date", "")
    tally.dates += 1
    if date == article.date:
        tally.dates_exact += 1
    else:
        tally.errors.append(f"{label}: date {date!r} ({metadata.get('date_from', '')}), truth {article.date!r}")
    if date[:4] == article.date[:4]:
        tally.dates_year += 1


def evaluate(entry: Entry, options: InputOptions) -> Tally:
    tally = Tally()
    path = str(entry.text_path)
    label = f"{entry.id} ({entry.genre})"
    try:
        if is_table(path):  # one document a row, as `count` reads a table
            documents = [d for d in iter_table_documents(path) if not isinstance(d, InputError)]
        else:
            documents = read_documents(path, clean=options.cleaner())
    except InputError as error:
        tally.errors.append(f"{label}: not read: {error}")
        documents = []
    if not entry.is_page:
        tally.singles += 1
        if len(documents) > 1:
            tally.split_singles += 1
            tally.errors.append(f"{label}: split into {len(documents)}: "
                                + " | ".join(d.title[:20] for d in documents[:6]))
        if entry.read and documents:
            score_title(entry, 0, documents[0].metadata.get("title", ""), tally, label)
            score_date(entry, 0, documents[0].metadata, tally, label)
        return tally
    tally.pages += 1
    tally.items += len(entry.articles)
    if is_feed(path, entry.text_path.read_bytes()):
        return score_feed(entry, documents, tally, label)
    text = read_document(path, clean=options.cleaner()).text  # line for line the page the offsets index
    lines = text.split("\n")
    starts = line_starts(text)
    truth = truth_lines(entry, text, starts)
    if None in truth[1:]:
        tally.errors.append(f"{label}: {truth[1:].count(None)} article starts not found in the text: fix the manifest")
    drawn = [first_text_line(lines, line_of(starts, d.offset)) for d in documents[1:]]
    matched: dict[int, int] = {}  # truth article index → document index
    header = False  # a document above the first article (its page's contents list): neither right nor wrong
    for number, line in enumerate(drawn, 1):
        hit = next((i for i, t in enumerate(truth) if t is not None and i not in matched and near(line, t, lines)), None)
        if hit == 0 and number == 1:
            header = True
        else:
            tally.boundaries_drawn += 1
        if hit is not None:
            matched[hit] = number
            tally.boundaries_right += hit != 0 or number != 1
        else:
            tally.errors.append(f"{label}: wrong boundary at line {line + 1}: {lines[line][:30]!r}")
    if len(documents) > 1 and 0 not in matched:
        matched[0] = 0
    for index in range(len(entry.articles)):
        document = matched.get(index)
        ends_right = (document == len(documents) - 1 if index == len(entry.articles) - 1
                      else document is not None and matched.get(index + 1) == document + 1)
        if document is not None and ends_right:
            tally.items_found += 1
            if entry.read:
                where = f"{label}#{document + 1}"
                score_title(entry, index, documents[document].metadata.get("title", ""), tally, where)
                score_date(entry, index, documents[document].metadata, tally, where)
        else:
            tally.errors.append(f"{label}: item {index + 1} not found: {entry.articles[index].title[:30]!r}")
    return tally


def score_feed(entry: Entry, documents: list, tally: Tally, label: str) -> Tally:
    """A feed's items are documents by the feed's own markup: each truth article is the next
    document whose top holds its ``start``; a document no article matches is a boundary drawn
    wrong."""
    position = 0
    for index, article in enumerate(entry.articles):
        keys = {fold(article.start), fold(article.title)[:20]} - {""}
        hit = next((k for k in range(position, len(documents))
                    if any(key in fold(documents[k].text[:400] + documents[k].metadata.get("title", "")) for key in keys)),
                   None)
        if hit is None:
            tally.errors.append(f"{label}: item {index + 1} not found: {article.title[:30]!r}")
            continue
        for skipped in range(position, hit):
            tally.errors.append(f"{label}: an item the truth does not hold: {documents[skipped].doc_id}")
        tally.boundaries_drawn += hit - position + (index > 0)
        tally.boundaries_right += index > 0
        tally.items_found += 1
        position = hit + 1
        if entry.read:
            score_title(entry, index, documents[hit].metadata.get("title", ""), tally, documents[hit].doc_id)
            score_date(entry, index, documents[hit].metadata, tally, documents[hit].doc_id)
    tally.boundaries_drawn += len(documents) - position
    return tally


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "–"


def table(tallies: dict[str, Tally]) -> str:
    head = ("| genre | single documents wrongly split | page items found | boundaries drawn right "
            "| titles right | dates exact | dates right to the year |\n|---|---:|---:|---:|---:|---:|---:|")
    rows = [head]
    for genre, t in tallies.items():
        rows.append(f"| {genre} | {percent(t.split_singles, t.singles)} | {percent(t.items_found, t.items)} "
                    f"| {percent(t.boundaries_right, t.boundaries_drawn)} | {percent(t.titles_right, t.titles)} "
                    f"| {percent(t.dates_exact, t.dates)} | {percent(t.dates_year, t.dates)} |")
    return "\n".join(rows)


def reading_cost(entries: list[Entry], options: InputOptions) -> str:
    """Seconds per MB that splitting and metadata add to reading (median of three rounds each)."""
    paths = [str(e.text_path) for e in entries]
    size = sum(Path(p).stat().st_size for p in paths) / 1e6

    def timed(**kwargs) -> float:
        rounds = []
        for _ in range(3):
            start = time.perf_counter()
            for path in paths:
                try:
                    read_documents(path, clean=options.cleaner(), **kwargs)
                except InputError:
                    pass
            rounds.append(time.perf_counter() - start)
        return sorted(rounds)[1]

    bare = timed(split=False, metadata=False)
    full = timed(split=True, metadata=True)
    return (f"Reading {len(paths)} files ({size:.1f} MB): {bare:.2f} s without splitting and metadata, {full:.2f} s "
            f"with them: {(full - bare) / size * 1000:.0f} ms per MB added.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", choices=("dev", "aside", "all"), help="print every miss of that part to stderr")
    parser.add_argument("--part", choices=("dev", "aside", "all"), default="all", help="which parts the table shows")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    entries = [e for e in load_manifest() if e.text_path.exists()]
    missing = len(load_manifest()) - len(entries)
    if missing:
        print(f"{missing} texts are missing: run benchmarks/documents/fill.py", file=sys.stderr)
    options = InputOptions()
    parts = {"dev": [e for e in entries if not e.set_aside], "aside": [e for e in entries if e.set_aside]}
    wanted = ("dev", "aside") if args.part == "all" else (args.part,)
    for part in wanted:
        tallies: dict[str, Tally] = defaultdict(Tally)
        overall = Tally()
        for entry in parts[part]:
            tally = evaluate(entry, options)
            tallies[entry.genre].add(tally)
            overall.add(tally)
        tallies = dict(sorted(tallies.items()))
        tallies["**all**"] = overall
        name = "Development part" if part == "dev" else "Set aside (a fifth, by id)"
        print(f"\n{name}: {len(parts[part])} files\n")
        print(table(tallies))
        if args.errors in (part, "all"):
            for line in overall.errors:
                print(line, file=sys.stderr)
    if not args.no_timing:
        print("\n" + reading_cost(entries, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
