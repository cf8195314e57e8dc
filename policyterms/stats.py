"""Counts → tables: frequencies, corpus totals, groups, co-occurrence; and the additive partials.

A document's counts (``DocumentCounts``) give its own rows: frequencies, co-occurrence, its row of
the documents table. The corpus tables — totals, co-occurrence totals, groups, and the document
frequencies of tf-idf — come from a ``Partial``: the sums over documents, closed under ``+``.
Workers sum the partials of their partition; the parent adds the partitions' partials. Any split
of the documents into partitions gives the same merged partial, so the tables cannot depend on
the number of workers or on the engine.

Tables are ``rows.Rows`` (plain tuples), built without pandas or numpy; the library API turns them
into DataFrames when asked. Column names are an API (DESIGN.md, output contract): scripts and
spreadsheets depend on them. Rows come out in input order of documents and vocabulary order of
terms, so output is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from .errors import InputWarning, UsageError
from .rows import Rows
from .vocab import Vocabulary

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

DOCUMENT_COLUMNS = ["doc_id", "title", "title_from", "date", "date_from", "published", "source", "chars", "hits"]
FREQUENCY_COLUMNS = ["doc_id", "term", "category", "count", "per_10k_chars"]
TOTAL_COLUMNS = ["term", "category", "count", "documents", "per_10k_chars"]
COOCCURRENCE_COLUMNS = ["doc_id", "term_a", "term_b", "unit", "count"]
COOCCURRENCE_TOTAL_COLUMNS = ["term_a", "term_b", "unit", "count", "documents"]
CONTINGENCY_COLUMNS = ("units", "count_a", "count_b")  # N, n_a, n_b of measures.py's table
GROUP_COLUMNS = ["group_by", "group", "group_documents", "term", "category", "count", "documents", "per_10k_chars"]
PERIODS = {"year": 4, "month": 7}  # group_by → characters of an ISO date (readers.metadata.iso_date)
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
SHADOWED_COLUMN = "shadowed"
RATE_DECIMALS = 3
SHARE_DECIMALS = 6
RATE_COLUMNS = ["per_10k_tokens", "share"]


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    """Everything counted in one document; the unit of work of the pipeline."""

    doc_id: str
    metadata: dict[str, str]  # title, date, source and whatever else the input says (readers)
    chars: int
    term_counts: Counter = field(default_factory=Counter)  # term index -> hits
    shadowed_counts: Counter = field(default_factory=Counter)  # term index -> shadowed matches
    pair_counts: Counter = field(default_factory=Counter)  # (term index a, term index b), a < b -> units
    units: int = 0  # units of the co-occurrence scope in the document (0 for windows, or not counted)
    term_units: Counter = field(default_factory=Counter)  # term index -> units holding it
    tokens: int | None = None  # word tokens, when a per-token rate is asked for
    evidence: tuple = ()  # evidence.PlacedHit of every hit, when asked for (never stored)
    length: int = 0  # characters of the text as read, which evidence offsets index (with evidence only)
    offset: int = 0  # where the text starts in its file (an article of a page): evidence offsets are the file's

    @property
    def title(self) -> str:
        return self.metadata.get("title", "")

    @property
    def date(self) -> str:
        return self.metadata.get("date", "")

    @property
    def source(self) -> str:
        return self.metadata.get("source", "")

    @property
    def hits(self) -> int:
        return sum(self.term_counts.values())


# Partials ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Sums:
    """Sums of term counts over some documents: the corpus, or one group of ``--group-by``."""

    documents: int = 0
    chars: int = 0
    tokens: int | None = 0  # None once a document without a token count is added
    term_counts: Counter = field(default_factory=Counter)  # term → hits
    term_documents: Counter = field(default_factory=Counter)  # term → documents with a hit
    shadowed_counts: Counter = field(default_factory=Counter)  # term → shadowed matches

    def add(self, other: Sums) -> None:
        self.documents += other.documents
        self.chars += other.chars
        self.tokens = None if self.tokens is None or other.tokens is None else self.tokens + other.tokens
        self.term_counts.update(other.term_counts)
        self.term_documents.update(other.term_documents)
        self.shadowed_counts.update(other.shadowed_counts)

    def add_document(self, counts: DocumentCounts) -> None:
        self.documents += 1
        self.chars += counts.chars
        self.tokens = None if self.tokens is None or counts.tokens is None else self.tokens + counts.tokens
        if counts.term_counts:  # (Counter.update is a Python loop, and an empty one still costs)
            self.term_counts.update(counts.term_counts)
            self.term_documents.update(counts.term_counts.keys())
        if counts.shadowed_counts:
            self.shadowed_counts.update(counts.shadowed_counts)

    @property
    def hits(self) -> int:
        return sum(self.term_counts.values())


@dataclass(slots=True)
class Partial:
    """The additive part of a run: everything the corpus tables need, summed over documents.

    ``a + b`` is the partial of a's documents and b's together; ``Partial()`` is the zero. Addition
    is associative and commutative, so partitions may be merged in any grouping (the local pool
    merges in input order, a cluster in whatever order its tasks end)."""

    corpus: Sums = field(default_factory=Sums)
    pair_counts: Counter = field(default_factory=Counter)  # (a, b) → units holding both
    pair_documents: Counter = field(default_factory=Counter)  # (a, b) → documents with the pair
    units: int = 0
    term_units: Counter = field(default_factory=Counter)  # term → units holding it
    groups: dict[str, Sums] = field(default_factory=dict)  # group → its sums, with group_by
    fields: set[str] = field(default_factory=set)  # with group_by: the metadata fields the documents have

    def add(self, other: Partial) -> Partial:
        """Add ``other`` into this partial (in place) and return it."""
        self.corpus.add(other.corpus)
        self.pair_counts.update(other.pair_counts)
        self.pair_documents.update(other.pair_documents)
        self.units += other.units
        self.term_units.update(other.term_units)
        for group, sums in other.groups.items():
            self.groups.setdefault(group, Sums()).add(sums)
        self.fields.update(other.fields)
        return self

    def __add__(self, other: Partial) -> Partial:
        return Partial().add(self).add(other)

    def add_document(self, counts: DocumentCounts, *, group_by: str | None = None) -> Partial:
        self.corpus.add_document(counts)
        if counts.pair_counts:
            self.pair_counts.update(counts.pair_counts)
            self.pair_documents.update(counts.pair_counts.keys())
        self.units += counts.units
        if counts.term_units:
            self.term_units.update(counts.term_units)
        if group_by is not None:
            self.groups.setdefault(group_of(counts, group_by), Sums()).add_document(counts)
            self.fields.update(key for key, value in counts.metadata.items() if value)
        return self


def partial_of(documents: Iterable[DocumentCounts], *, group_by: str | None = None) -> Partial:
    """The partial of these documents' counts."""
    partial = Partial()
    for counts in documents:
        partial.add_document(counts, group_by=group_by)
    return partial


def unit_pairs(terms_by_unit: Iterable[Iterable[int]]) -> Counter:
    """Co-occurrence over units: (a, b) with a < b → number of units holding both."""
    return unit_counts(terms_by_unit)[1]


def unit_counts(terms_by_unit: Iterable[Iterable[int]]) -> tuple[Counter, Counter]:
    """(term → units holding it, (a, b) with a < b → units holding both), over the units given
    (a unit with no term may be left out: it adds nothing to either)."""
    singles: list[int] = []
    pairs: list[tuple[int, int]] = []
    for terms in terms_by_unit:
        present = sorted(set(terms))
        singles += present
        pairs += combinations(present, 2)
    return Counter(singles), Counter(pairs)  # counted once: a Counter.update per unit costs more than the counting


def window_pairs(term_positions: Sequence[tuple[int, int]], window: int) -> Counter:
    """Co-occurrence in a window: (a, b) with a < b → number of pairs of hits, one of a and one of
    b, at most ``window`` tokens apart. ``term_positions`` is (token index, term), sorted."""
    pairs: Counter = Counter()
    for i, (position, term) in enumerate(term_positions):
        for other_position, other in term_positions[i + 1 :]:
            if other_position - position > window:
                break
            if other != term:
                pairs[(min(term, other), max(term, other))] += 1
    return pairs


# Numbers -------------------------------------------------------------------------------------


def rate(count: int, chars: int) -> float:
    """Hits per 10,000 characters, rounded to 3 decimals half up (as a person or Excel's ROUND
    would), computed exactly in integers: no binary-float tie goes the wrong way.
    thousandths = floor((2 · count · 10^7 + chars) / (2 · chars))."""
    if chars <= 0:
        return 0.0
    return (2 * count * 10_000 * 10**RATE_DECIMALS + chars) // (2 * chars) / 10**RATE_DECIMALS


def rates(counts: np.ndarray, chars: np.ndarray) -> np.ndarray:
    """``rate`` over numpy arrays (for the charts: a few hundred cells)."""
    import numpy as np

    counts, chars = np.broadcast_arrays(np.asarray(counts, dtype=np.int64), np.asarray(chars, dtype=np.int64))
    values = map(rate, counts.ravel().tolist(), chars.ravel().tolist())
    return np.fromiter(values, dtype=np.float64, count=counts.size).reshape(counts.shape)


def round_half_even(value: float, decimals: int) -> float:
    """numpy's ``round(value, decimals)``, to the bit: rint(value · 10^d) / 10^d (and no -0.0)."""
    scale = 10.0**decimals
    return round(value * scale) / scale + 0.0


def share(count: int, hits: int) -> float:
    """The share of all hits (of a document, or of the corpus), 0 where there are none."""
    return round_half_even(count / hits, SHARE_DECIMALS) if hits > 0 else 0.0


def tfidf(count: int, document_frequency: int, documents: int) -> float:
    """count × log10(N / df), quanteda's dfm_tfidf default (count weights, inverse document
    frequency, base 10): 0 for a term in every document, and where df is 0."""
    idf = math.log10(documents / document_frequency) if document_frequency > 0 else 0.0
    return round_half_even(count * idf, SHARE_DECIMALS)


def _require_tokens(tokens: int | None) -> int:
    if tokens is None:
        raise ValueError("rates per token need every document's token count (count(rates=True))")
    return tokens


# Per-document rows ---------------------------------------------------------------------------


def frequency_columns(*, shadowed: bool = False, with_rates: bool = False) -> list[str]:
    return FREQUENCY_COLUMNS + (RATE_COLUMNS + ["tfidf"] if with_rates else []) + ([SHADOWED_COLUMN] if shadowed else [])


def document_row(r: DocumentCounts) -> tuple:
    return (r.doc_id, r.title, r.metadata.get("title_from", ""), r.date, r.metadata.get("date_from", ""),
            r.metadata.get("published", ""), r.source, r.chars, r.hits)


def frequency_rows(
    r: DocumentCounts,
    vocabulary: Vocabulary,
    *,
    zeros: bool = False,
    shadowed: bool = False,
    corpus: Sums | None = None,
) -> list[tuple]:
    """A document's rows of the frequencies table: one per term with hits (every term when
    ``zeros``); with ``corpus`` (the merged sums: tf-idf needs every document's terms), the
    rate columns per_10k_tokens, share and tfidf."""
    terms = vocabulary.terms
    indices = range(len(terms)) if zeros else sorted(r.term_counts.keys() | (r.shadowed_counts.keys() if shadowed else ()))
    hits = r.hits
    tokens = _require_tokens(r.tokens) if corpus is not None else 0
    rows = []
    for index in indices:
        found = r.term_counts.get(index, 0)
        row: tuple = (r.doc_id, terms[index].name, terms[index].category, found, rate(found, r.chars))
        if corpus is not None:
            row += (rate(found, tokens), share(found, hits),
                    tfidf(found, corpus.term_documents.get(index, 0), corpus.documents))
        if shadowed:
            row += (r.shadowed_counts.get(index, 0),)
        rows.append(row)
    return rows


def cooccurrence_rows(r: DocumentCounts, vocabulary: Vocabulary, *, unit: str) -> list[tuple]:
    """A document's pairs, each with the contingency figures of the document's units
    (units, count_a, count_b: dropped unless association measures are asked for)."""
    names = [term.name for term in vocabulary.terms]
    return [
        (r.doc_id, names[a], names[b], unit, count, r.units, r.term_units[a], r.term_units[b])
        for (a, b), count in sorted(r.pair_counts.items())
    ]


def documents_table(results: Sequence[DocumentCounts]) -> Rows:
    return Rows(tuple(DOCUMENT_COLUMNS), [document_row(r) for r in results])


def frequencies_table(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    zeros: bool = False,
    shadowed: bool = False,
    corpus: Sums | None = None,
) -> Rows:
    """Every document's frequency rows; ``corpus`` adds the rate columns (see frequency_rows)."""
    rows: list[tuple] = []
    for r in results:
        rows.extend(frequency_rows(r, vocabulary, zeros=zeros, shadowed=shadowed, corpus=corpus))
    return Rows(tuple(frequency_columns(shadowed=shadowed, with_rates=corpus is not None)), rows)


def cooccurrence_table(
    results: Sequence[DocumentCounts], vocabulary: Vocabulary, *, unit: str, measures: bool = False
) -> Rows | pd.DataFrame:
    rows: list[tuple] = []
    for r in results:
        rows.extend(cooccurrence_rows(r, vocabulary, unit=unit))
    return _with_measures(rows, COOCCURRENCE_COLUMNS, measures=measures)


# Corpus tables, from the merged partial ------------------------------------------------------


def totals_table(
    sums: Sums, vocabulary: Vocabulary, *, zeros: bool = False, shadowed: bool = False, with_rates: bool = False
) -> Rows:
    """One row per term over the documents summed: hits, documents with a hit, rate over all
    their characters; ``with_rates``: per_10k_tokens and share of all hits."""
    counts, documents, hidden = sums.term_counts, sums.term_documents, sums.shadowed_counts
    tokens = _require_tokens(sums.tokens) if with_rates else 0
    hits = sums.hits
    rows = []
    for index, term in enumerate(vocabulary.terms):
        found = counts.get(index, 0)
        if found or zeros or (shadowed and hidden.get(index, 0)):
            row: tuple = (term.name, term.category, found, documents.get(index, 0), rate(found, sums.chars))
            if with_rates:
                row += (rate(found, tokens), share(found, hits))
            rows.append((*row, hidden.get(index, 0)) if shadowed else row)
    columns = TOTAL_COLUMNS + (RATE_COLUMNS if with_rates else []) + ([SHADOWED_COLUMN] if shadowed else [])
    return Rows(tuple(columns), rows)


def group_of(result: DocumentCounts, group_by: str) -> str:
    """The group a document falls in: its year or month (from an ISO date; "" when the date is
    missing or less precise), else the metadata field ``group_by`` (source, or any front matter
    key or table column kept as metadata)."""
    if group_by in PERIODS:
        date = result.date
        width = PERIODS[group_by]
        return date[:width] if _ISO_DATE.fullmatch(date) and len(date) >= width else ""
    return result.metadata.get(group_by, "")


TREND_YEARS = 3  # dated documents spanning more years than this are shown by year, else by month


def trend_period(dates: Iterable[str]) -> str:
    """The period a trend is drawn by: "year" when the dates (ISO, as DocumentCounts.date) span
    more than TREND_YEARS years, else "month" (a corpus of 70 years by month shows only the
    documents with a day or month to their date)."""
    years = [int(date[:4]) for date in dates if date and _ISO_DATE.fullmatch(date)]
    return "year" if years and max(years) - min(years) > TREND_YEARS else "month"


def undated_documents(partial: Partial) -> int:
    """Documents in the group "" (no value for the grouping) of a partial counted with group_by."""
    return partial.groups[""].documents if "" in partial.groups else 0


def unknown_field(name: str, fields: Iterable[str], *, option: str = "--group-by") -> UsageError:
    """The usage error for a grouping field no document has, listing those they have."""
    return UsageError(f"{option} {name}: no document has this field; the fields are: {', '.join([*PERIODS, *sorted(fields)])}")


def check_group_by(partial: Partial, group_by: str, *, option: str = "--group-by") -> InputWarning | None:
    """A warning that says how many documents have no value for ``group_by`` (they form the
    group ""), or None; ``UsageError`` when no document has the field at all, listing those there are.
    ``option``: the option that named the grouping, as the command at hand calls it (report's --period)."""
    documents = partial.corpus.documents
    if not documents:
        return None
    missing = undated_documents(partial)
    if group_by not in PERIODS and missing == documents:
        raise unknown_field(group_by, partial.fields, option=option)
    if not missing:
        return None
    what = f"date with a {group_by}" if group_by in PERIODS else group_by
    return InputWarning(f"{option} {group_by}", f"{missing:,} of {documents:,} documents have no {what}; they are the group \"\"")


def groups_table(partial: Partial, vocabulary: Vocabulary, *, group_by: str, zeros: bool = False) -> Rows:
    """A term × group table, long form: hits, documents with a hit and the rate per 10,000 of the
    group's characters, for each group (ascending; documents without a group last, as "").
    Each group's rows are the totals of its documents."""
    rows: list[tuple] = []
    for group in sorted(partial.groups, key=lambda g: (g == "", g)):
        sums = partial.groups[group]
        for term, category, found, documents, per_10k in totals_table(sums, vocabulary, zeros=zeros).rows:
            rows.append((group_by, group, sums.documents, term, category, found, documents, per_10k))
    return Rows(tuple(GROUP_COLUMNS), rows)


def cooccurrence_totals_table(
    partial: Partial, vocabulary: Vocabulary, *, unit: str, measures: bool = False
) -> Rows | pd.DataFrame:
    """One row per pair of terms over the corpus, whose units are all the documents' units."""
    names = [term.name for term in vocabulary.terms]
    rows = [
        (names[a], names[b], unit, count, partial.pair_documents[(a, b)], partial.units,
         partial.term_units[a], partial.term_units[b])
        for (a, b), count in sorted(partial.pair_counts.items())
    ]
    return _with_measures(rows, COOCCURRENCE_TOTAL_COLUMNS, measures=measures)


def category_columns(table: Rows | pd.DataFrame) -> Rows | pd.DataFrame:
    """A table counted at category level (Vocabulary.by_category): its "term" is the category."""
    names = {"term": "category", "term_a": "category_a", "term_b": "category_b"}
    columns = list(table.columns)
    if "term" in columns and "category" in columns:
        table = table.select([c for c in columns if c != "term"]) if isinstance(table, Rows) else table.drop(columns="term")
    return table.rename(names) if isinstance(table, Rows) else table.rename(columns=names)


def _with_measures(rows: list[tuple], columns: list[str], *, measures: bool) -> Rows | pd.DataFrame:
    """Rows ending in (units, count_a, count_b) → the table, with the association measures
    (numpy, pandas) when asked for."""
    table = Rows(tuple(columns) + CONTINGENCY_COLUMNS, rows)
    if not measures:
        return table.select(columns)
    import numpy as np

    from .measures import MEASURES, association

    frame = table.to_frame()
    values = association(frame["count"], frame["count_a"], frame["count_b"], frame["units"]) if len(frame) else {
        name: np.zeros(0) for name in MEASURES
    }
    return frame.assign(**values)


def top_pairs(
    frame: pd.DataFrame, *, min_count: int = 1, top: int | None = None, sort: str = "count"
) -> pd.DataFrame:
    """Pairs seen at least ``min_count`` times, best first by ``sort`` (ties: count, then the
    terms' order), at most ``top`` of them — per document when the frame has a doc_id column."""
    import numpy as np
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        frame = frame.to_frame()
    kept = frame[frame["count"] >= min_count]
    order = kept.assign(_term_order=np.arange(len(kept)))
    keys = [sort, "count", "_term_order"] if sort != "count" else ["count", "_term_order"]
    ascending = [False] * (len(keys) - 1) + [True]
    if "doc_id" in order.columns:
        order = order.assign(_document_order=pd.factorize(order["doc_id"])[0])
        keys, ascending = ["_document_order", *keys], [True, *ascending]
    order = order.sort_values(keys, ascending=ascending, kind="stable")
    if top is not None:
        order = order.groupby("doc_id", sort=False).head(top) if "doc_id" in order.columns else order.head(top)
    return order.drop(columns=[c for c in order.columns if c.startswith("_")]).reset_index(drop=True)
