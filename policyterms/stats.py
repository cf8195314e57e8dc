"""Counts → pandas DataFrames: frequencies, corpus totals, groups, co-occurrence.

Column names are an API (DESIGN.md, output contract): scripts and spreadsheets depend on them.
Rows come out in input order of documents and vocabulary order of terms, so output is
deterministic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations

import numpy as np
import pandas as pd

from .errors import InputWarning, UsageError
from .measures import MEASURES, association
from .vocab import Vocabulary

DOCUMENT_COLUMNS = ["doc_id", "title", "date", "date_from", "source", "chars", "hits"]
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

    @property
    def title(self) -> str:
        return self.metadata.get("title", "")

    @property
    def date(self) -> str:
        return self.metadata.get("date", "")

    @property
    def source(self) -> str:
        return self.metadata.get("source", "")


def unit_pairs(terms_by_unit: Iterable[Iterable[int]]) -> Counter:
    """Co-occurrence over units: (a, b) with a < b → number of units holding both."""
    return unit_counts(terms_by_unit)[1]


def unit_counts(terms_by_unit: Iterable[Iterable[int]]) -> tuple[Counter, Counter]:
    """(term → units holding it, (a, b) with a < b → units holding both), over the units given
    (a unit with no term may be left out: it adds nothing to either)."""
    singles: Counter = Counter()
    pairs: Counter = Counter()
    for terms in terms_by_unit:
        present = sorted(set(terms))
        singles.update(present)
        pairs.update(combinations(present, 2))
    return singles, pairs


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


def rate(count: int, chars: int) -> float:
    """Hits per 10,000 characters, rounded to 3 decimals half up (as a person or Excel's ROUND
    would), computed exactly in integers: no binary-float tie goes the wrong way."""
    return float(rates(np.array([count]), np.array([chars]))[0])


def rates(counts: np.ndarray, chars: np.ndarray) -> np.ndarray:
    """``rate`` over arrays: thousandths = floor((2 · count · 10^7 + chars) / (2 · chars))."""
    counts = counts.astype(np.int64)
    chars = chars.astype(np.int64)
    safe = np.where(chars > 0, chars, 1)
    thousandths = (2 * counts * 10_000 * 10**RATE_DECIMALS + safe) // (2 * safe)
    return np.where(chars > 0, thousandths / 10**RATE_DECIMALS, 0.0)


def documents_frame(results: Sequence[DocumentCounts]) -> pd.DataFrame:
    rows = [
        (r.doc_id, r.title, r.date, r.metadata.get("date_from", ""), r.source, r.chars, sum(r.term_counts.values()))
        for r in results
    ]
    return _frame(rows, DOCUMENT_COLUMNS)


def frequencies_frame(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    zeros: bool = False,
    shadowed: bool = False,
    with_rates: bool = False,
) -> pd.DataFrame:
    """One row per (document, term) with hits (every term when ``zeros``).

    Built column by column with numpy: 200 MB of news make half a million rows."""
    every_term = range(len(vocabulary.terms))
    # Term indices are vocabulary order; a document has a few dozen of them, the vocabulary
    # may have hundreds: walk only those it has unless every term is asked for.
    term_lists = [
        every_term if zeros else sorted(r.term_counts.keys() | (r.shadowed_counts.keys() if shadowed else ()))
        for r in results
    ]
    rows = sum(len(terms) for terms in term_lists)
    document = np.repeat(np.arange(len(results)), [len(terms) for terms in term_lists])
    term = np.fromiter(chain.from_iterable(term_lists), dtype=np.int64, count=rows)
    counts = np.fromiter(
        (r.term_counts.get(i, 0) for r, terms in zip(results, term_lists) for i in terms), dtype=np.int64, count=rows
    )
    chars = np.fromiter((r.chars for r in results), dtype=np.int64, count=len(results))[document]
    columns = {
        "doc_id": _strings([r.doc_id for r in results], document),
        "term": _strings([t.name for t in vocabulary.terms], term),
        "category": _strings([t.category for t in vocabulary.terms], term),
        "count": counts,
        "per_10k_chars": rates(counts, chars),
    }
    if with_rates:
        hits = np.fromiter((sum(r.term_counts.values()) for r in results), dtype=np.int64, count=len(results))
        columns.update(rate_columns(counts, _tokens(results)[document], hits[document]))
        document_frequency = np.zeros(len(vocabulary.terms), dtype=np.int64)
        for r in results:
            document_frequency[list(r.term_counts)] += 1
        columns["tfidf"] = tfidf(counts, document_frequency[term], len(results))
    if shadowed:
        columns[SHADOWED_COLUMN] = np.fromiter(
            (r.shadowed_counts.get(i, 0) for r, terms in zip(results, term_lists) for i in terms),
            dtype=np.int64, count=rows,
        )
    return pd.DataFrame(columns)


RATE_COLUMNS = ["per_10k_tokens", "share"]


def rate_columns(counts: np.ndarray, tokens: np.ndarray, hits: np.ndarray) -> dict[str, np.ndarray]:
    """Hits per 10,000 word tokens (segment.count_words), and the share of all hits
    (of the document, or of the corpus), 0 where there are none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(hits > 0, counts / np.where(hits > 0, hits, 1), 0.0)
    return {"per_10k_tokens": rates(counts, tokens), "share": np.round(share, SHARE_DECIMALS) + 0.0}


def tfidf(counts: np.ndarray, document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """count × log10(N / df), quanteda's dfm_tfidf default (count weights, inverse document
    frequency, base 10): 0 for a term in every document, and where df is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        idf = np.where(document_frequency > 0, np.log10(documents / np.where(document_frequency > 0, document_frequency, 1)), 0.0)
    return np.round(counts * idf, SHARE_DECIMALS) + 0.0


def _tokens(results: Sequence[DocumentCounts]) -> np.ndarray:
    if any(r.tokens is None for r in results):
        raise ValueError("rates per token need every document's token count (count(rates=True))")
    return np.fromiter((r.tokens for r in results), dtype=np.int64, count=len(results))


def category_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A table counted at category level (Vocabulary.by_category): its "term" is the category."""
    if "term" in frame.columns and "category" in frame.columns:
        frame = frame.drop(columns="term")
    return frame.rename(columns={"term": "category", "term_a": "category_a", "term_b": "category_b"})


def _strings(values: list[str], picks: np.ndarray) -> pd.Index:
    """``values[picks]`` as a string column; taken from an Index of the distinct values, this is
    several times faster than converting one Python string per row."""
    return pd.Index(values, dtype="str").take(picks)


def totals_frame(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    zeros: bool = False,
    shadowed: bool = False,
    with_rates: bool = False,
) -> pd.DataFrame:
    """One row per term over the corpus: hits, documents with a hit, rate over all characters."""
    chars = sum(r.chars for r in results)
    counts: Counter = Counter()
    documents: Counter = Counter()
    hidden: Counter = Counter()
    for r in results:
        counts.update(r.term_counts)
        documents.update(r.term_counts.keys())
        hidden.update(r.shadowed_counts)
    rows = []
    for index, term in enumerate(vocabulary.terms):
        if counts[index] or zeros or (shadowed and hidden[index]):
            row = (term.name, term.category, counts[index], documents[index], rate(counts[index], chars))
            rows.append((*row, hidden[index]) if shadowed else row)
    frame = _frame(rows, TOTAL_COLUMNS + ([SHADOWED_COLUMN] if shadowed else []))
    if with_rates:  # after the rate per characters, before the shadowed column, as in frequencies
        found = frame["count"].to_numpy()
        columns = rate_columns(found, np.full(len(found), _tokens(results).sum()), np.full(len(found), sum(counts.values())))
        for offset, (name, values) in enumerate(columns.items()):
            frame.insert(TOTAL_COLUMNS.index("per_10k_chars") + 1 + offset, name, values)
    return frame


def group_of(result: DocumentCounts, group_by: str) -> str:
    """The group a document falls in: its year or month (from an ISO date; "" when the date is
    missing or less precise), else the metadata field ``group_by`` (source, or any front matter
    key or table column kept as metadata)."""
    if group_by in PERIODS:
        date = result.date
        width = PERIODS[group_by]
        return date[:width] if _ISO_DATE.fullmatch(date) and len(date) >= width else ""
    return result.metadata.get(group_by, "")


def check_group_by(results: Sequence[DocumentCounts], group_by: str) -> InputWarning | None:
    """A warning that says how many documents have no value for ``group_by`` (they form the
    group ""), or None; ``UsageError`` when no document has the field at all, listing those there are."""
    if not results:
        return None
    missing = sum(not group_of(r, group_by) for r in results)
    if group_by not in PERIODS and missing == len(results):
        fields = sorted({key for r in results for key, value in r.metadata.items() if value})
        raise UsageError(f"--group-by {group_by}: no document has this field; the fields are: {', '.join([*PERIODS, *fields])}")
    if not missing:
        return None
    what = f"date with a {group_by}" if group_by in PERIODS else group_by
    return InputWarning(f"--group-by {group_by}", f"{missing:,} of {len(results):,} documents have no {what}; they are the group \"\"")


def groups_frame(
    results: Sequence[DocumentCounts], vocabulary: Vocabulary, *, group_by: str, zeros: bool = False
) -> pd.DataFrame:
    """A term × group table, long form: hits, documents with a hit and the rate per 10,000 of the
    group's characters, for each group (ascending; documents without a group last, as "")."""
    groups: dict[str, list[DocumentCounts]] = {}
    for r in results:
        groups.setdefault(group_of(r, group_by), []).append(r)
    # Each group's rows are the corpus totals of its documents.
    frames = [
        totals_frame(groups[group], vocabulary, zeros=zeros).assign(
            group_by=group_by, group=group, group_documents=len(groups[group])
        )
        for group in sorted(groups, key=lambda g: (g == "", g))
    ]
    return _frame([], GROUP_COLUMNS) if not frames else pd.concat(frames, ignore_index=True)[GROUP_COLUMNS]


def cooccurrence_frame(
    results: Sequence[DocumentCounts], vocabulary: Vocabulary, *, unit: str, measures: bool = False
) -> pd.DataFrame:
    """One row per pair of terms in a document; with ``measures``, the contingency figures of the
    document's units and the association measures (measures.py)."""
    names = [term.name for term in vocabulary.terms]
    rows = [
        (r.doc_id, names[a], names[b], unit, count, r.units, r.term_units[a], r.term_units[b])
        for r in results
        for (a, b), count in sorted(r.pair_counts.items())
    ]
    return _with_measures(rows, COOCCURRENCE_COLUMNS, measures=measures)


def cooccurrence_totals_frame(
    results: Sequence[DocumentCounts], vocabulary: Vocabulary, *, unit: str, measures: bool = False
) -> pd.DataFrame:
    """One row per pair of terms over the corpus, whose units are all the documents' units."""
    names = [term.name for term in vocabulary.terms]
    counts: Counter = Counter()
    documents: Counter = Counter()
    term_units: Counter = Counter()
    for r in results:
        counts.update(r.pair_counts)
        documents.update(r.pair_counts.keys())
        term_units.update(r.term_units)
    units = sum(r.units for r in results)
    rows = [
        (names[a], names[b], unit, counts[(a, b)], documents[(a, b)], units, term_units[a], term_units[b])
        for a, b in sorted(counts)
    ]
    return _with_measures(rows, COOCCURRENCE_TOTAL_COLUMNS, measures=measures)


def _with_measures(rows: list[tuple], columns: list[str], *, measures: bool) -> pd.DataFrame:
    """Rows ending in (units, count_a, count_b) → the frame, with the measures when asked for."""
    frame = _frame(rows, columns + list(CONTINGENCY_COLUMNS))
    if not measures:
        return frame[columns]
    values = association(frame["count"], frame["count_a"], frame["count_b"], frame["units"]) if len(frame) else {
        name: np.zeros(0) for name in MEASURES
    }
    return frame.assign(**values)


def top_pairs(
    frame: pd.DataFrame, *, min_count: int = 1, top: int | None = None, sort: str = "count"
) -> pd.DataFrame:
    """Pairs seen at least ``min_count`` times, best first by ``sort`` (ties: count, then the
    terms' order), at most ``top`` of them — per document when the frame has a doc_id column."""
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


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in columns:
        if column in ("count", "hits", "chars", "documents", "group_documents", SHADOWED_COLUMN, *CONTINGENCY_COLUMNS):
            frame[column] = frame[column].astype("int64")
        elif column == "per_10k_chars":
            frame[column] = frame[column].astype("float64")
    return frame
