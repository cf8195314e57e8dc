"""The library entry point: ``count(paths, ...) -> Result``, one partition of documents at a time.

find inputs → read → normalize → (segment, only for window co-occurrence) → match → count.
Each step lives in its own module; this one wires them together. Documents stream through:
a worker reads, counts and forgets each one, and only its counts (a few dozen numbers) are kept
for the tables, with the partition's additive partial (stats.Partial) for the corpus tables.
Finding, reading and spreading partitions over worker processes is ``batch.each_partition``'s;
they come back in input order, so the tables are the same for any ``jobs``.
With a ``store`` (``--db``), counts already made for the same text and settings are reused.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Literal, get_args

from typing import TYPE_CHECKING

from . import stats
from .batch import Batch, InputOptions, Progress, each_document, each_partition
from .errors import InputError, InputWarning, PolicytermsError, StoreError, UsageError
from .evidence import DEFAULT_WIDTH, PlacedHit, evidence_table, kwic_table, place_hits, select_terms
from .match import Hit, Matcher, Matches, TokenMatcher, paragraph_starts, sentence_starts, unit_index
from .measures import MEASURES
from .normalize import NormalizedText, non_space_length, normalize
from .readers import Document
from .segment import Segmenter, SegmenterName, count_words
from .store import Settings, Store, Stored, content_hash
from .rows import Rows
from .dictionaries import load_vocabulary
from .vocab import Vocabulary

if TYPE_CHECKING:
    import pandas as pd

    from .dedup import Fold

Unit = Literal["document", "paragraph", "sentence", "window"]
UNITS: tuple[str, ...] = get_args(Unit)
Level = Literal["term", "category"]  # or "category:N" (category_depth)
LEVELS: tuple[str, ...] = get_args(Level)
TABLES = ("documents", "frequencies", "totals", "groups", "cooccurrence", "cooccurrence_totals", "scores")
COOCCURRENCE_TABLES = ("cooccurrence", "cooccurrence_totals")
DOCUMENT_TABLES = ("documents", "frequencies", "cooccurrence")  # one row or more per document
STORE_BATCH_DOCUMENTS = 200  # documents per transaction of the results store


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did, for the one line on stderr."""

    documents: int = 0
    skipped: int = 0
    from_store: int = 0
    hits: int = 0
    terms: int = 0  # distinct terms (with level "category": categories) with at least one hit
    level: Level = "term"
    left_out: int = 0  # new_only: documents the store already held, read but not in the tables

    def __str__(self) -> str:
        stored = f" ({self.from_store:,} from the store)" if self.from_store else ""
        if self.left_out:
            stored = f" (and {self.left_out:,} unchanged since the store had them, left out by --new-only)"
        counted = ("term", "terms") if self.level == "term" else ("category", "categories")  # category or category:N
        counted = counted[self.terms != 1]
        return (
            f"{self.documents:,} document{'s' * (self.documents != 1)} read{stored}, {self.skipped:,} skipped, "
            f"{self.hits:,} hit{'s' * (self.hits != 1)} of {self.terms:,} {counted}"
        )


Table = "Rows | pd.DataFrame"  # a table as built (annotation only)


def _table(name: str) -> property:
    """A table of the result as a pandas DataFrame, built from its rows when first asked for."""

    def get(self: Result) -> pd.DataFrame | None:
        value = self._tables.get(name)
        if isinstance(value, Rows):
            value = self._tables[name] = value.to_frame()
        return value

    def put(self: Result, value: pd.DataFrame | Rows | None) -> None:
        self._tables[name] = value

    return property(get, put, doc=f"The {name} table (a DataFrame), or None when it was not computed.")


class Result:
    """The tables of one run, plus the inputs that could not be read.

    Each table is a pandas DataFrame when read as an attribute (``result.frequencies``), built on
    first access; ``rows(name)`` gives it as plain rows, which is how the CLI writes it without
    pandas. A table that was not asked for (``count(tables=...)``) is None."""

    documents = _table("documents")
    frequencies = _table("frequencies")
    totals = _table("totals")
    groups = _table("groups")  # with group_by: a term × group (year, month, source …) table
    cooccurrence = _table("cooccurrence")
    cooccurrence_totals = _table("cooccurrence_totals")
    scores = _table("scores")  # tables=["scores"]: weighted sums per document and category (scores.py)
    evidence = _table("evidence")  # count(evidence=True): one row per hit
    kwic = _table("kwic")  # kwic(), or count(concordance=N): one concordance line per hit

    def __init__(
        self,
        tables: dict[str, Table | None],
        *,
        vocabulary: Vocabulary,
        errors: list[InputError] | None = None,
        warnings: list[InputWarning] | None = None,
        summary: Summary | None = None,
        folded: list[Fold] | None = None,
        counts: list[stats.DocumentCounts] | None = None,
    ) -> None:
        self._tables = dict(tables)
        self.vocabulary = vocabulary
        self.errors = errors if errors is not None else []
        self.warnings = warnings if warnings is not None else []
        self.summary = summary if summary is not None else Summary()
        self.folded = folded if folded is not None else []  # count(dedup=...): not in the tables
        # count(): the per-document counts the per-document tables came from (indices.py); empty
        # when every per-document table was streamed
        self.counts = counts if counts is not None else []

    def tables(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """The tables named, or (None) every table this run computed, as DataFrames."""
        return {name: getattr(self, name) for name in self._names(names)}

    def rows(self, name: str) -> Table:
        """A table as it was built: plain ``Rows`` (or a DataFrame, for the association measures)."""
        return self._tables[name]

    def output_tables(self, names: Iterable[str]) -> dict[str, Table]:
        """The tables named, as built: what the CLI writes (no DataFrame is made for them)."""
        return {name: self._tables[name] for name in self._names(names)}

    def _names(self, names: Iterable[str] | None) -> list[str]:
        if names is None:
            return [name for name in TABLES if self._tables.get(name) is not None]
        names = list(names)
        missing = [name for name in names if self._tables.get(name) is None]
        if missing:
            raise PolicytermsError(f"not computed in this run: {', '.join(missing)} (pass tables=... to count)")
        return names


_TERM = operator.attrgetter("term")
_UNIT = operator.itemgetter(0)


class DocumentCounter:
    """Counts one document at a time with a matcher (and a segmenter, built only when needed)."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        unit: Unit = "sentence",
        window: int = 5,
        cooccurrence: bool = True,
        segmenter: SegmenterName = "jieba",
        evidence: int | None = None,
        tokens: bool = False,
        labels: Sequence[tuple[int, ...]] | None = None,
        shadowed: bool = False,
        match: MatchMode = "text",
    ) -> None:
        """``evidence``: keep every hit placed in the original text, with this many characters of
        context (None: keep none). ``labels``: each term's index in the vocabulary counts are made
        for, when that is not ``vocabulary`` itself (its categories, Vocabulary.by_category).
        ``shadowed``: count the matches that lost their characters to another term's hit too
        (finding them takes the matcher's slower way). ``match``: "text" (substrings of the
        normalized text, the default) or "tokens" (whole jieba tokens, match.TokenMatcher)."""
        check_unit(unit, window)
        check_match(match)
        self.vocabulary = vocabulary
        self.unit = unit
        self.window = window
        self.cooccurrence = cooccurrence
        self.evidence = evidence
        self.tokens = tokens
        self.labels = labels
        self.shadowed = shadowed
        self.matcher = Matcher(vocabulary) if match == "text" else \
            TokenMatcher(vocabulary, segmenter=Segmenter(vocabulary, engine=segmenter))
        # Hits with their places: for units, evidence, categories and shadowed matches.
        self._needs_hits = cooccurrence or evidence is not None or labels is not None or shadowed
        # Places in the original text: for evidence, and for sentences and paragraphs (found in its layout).
        self._needs_offsets = evidence is not None or (cooccurrence and unit in ("sentence", "paragraph"))
        needs_tokens = tokens or (cooccurrence and unit == "window")
        self.segmenter = Segmenter(vocabulary, engine=segmenter) if needs_tokens else None

    def count_document(self, document: Document) -> stats.DocumentCounts:
        normalized = normalize(document.text, offsets=self._needs_offsets)
        if self._needs_hits:
            matches = self.matcher.find(normalized.text, shadowed=self.shadowed)
            if self.labels is not None:  # hits are found with every term, then counted for their category
                matches = relabel(matches, self.labels)
            term_counts, shadowed_counts = Counter(map(_TERM, matches.hits)), Counter(map(_TERM, matches.shadowed))
        else:  # frequencies alone: counts, no places
            matches = Matches([], [])
            term_counts, shadowed_counts = self.matcher.term_counts(normalized.text), Counter()
        # One segmentation serves both the windows and the token count.
        token_spans = self.segmenter.token_spans(normalized.text) if self.segmenter is not None else []
        units, term_units, pairs = (
            self._units(normalized, matches.hits, token_spans) if self.cooccurrence else (0, Counter(), Counter())
        )
        return stats.DocumentCounts(
            doc_id=document.doc_id,
            metadata=document.metadata,
            chars=count_chars(normalized),
            term_counts=term_counts,
            shadowed_counts=shadowed_counts,
            pair_counts=pairs,
            units=units,
            term_units=term_units,
            evidence=tuple(place_hits(normalized, matches.hits, width=self.evidence, offset=document.offset))
            if self.evidence is not None else (),
            length=len(document.text) if self.evidence is not None else 0,
            offset=document.offset,
            tokens=count_words(normalized.text, token_spans) if self.tokens else None,
        )

    def _units(
        self, normalized: NormalizedText, hits: list[Hit], token_spans: list[tuple[int, int]]
    ) -> tuple[int, Counter, Counter]:
        """(units in the document, term → units holding it, pair → units holding both)."""
        if self.unit == "document":
            return (1, *stats.unit_counts([[hit.term for hit in hits]]))
        if self.unit == "window":
            # Tokens come from the normalized text, where the hits are. Windows overlap, so
            # there is no number of units: only pairs of hits are counted.
            token_starts = [start for start, _ in token_spans]
            positions = [(unit_index(token_starts, hit.start) - 1, hit.term) for hit in hits]
            return 0, Counter(), stats.window_pairs(positions, self.window)
        # Sentences and paragraphs come from the original text's layout (see match.py).
        starts = paragraph_starts(normalized.original)
        if self.unit == "sentence":
            starts = sentence_starts(normalized.original, starts)
        # Hits come leftmost first and map back in order, so each unit's hits are consecutive.
        units = map(functools.partial(unit_index, starts), normalized.to_originals([hit.start for hit in hits]))
        by_unit = ([term for _, term in group] for _, group in groupby(zip(units, map(_TERM, hits)), key=_UNIT))
        return (len(starts) + 1, *stats.unit_counts(by_unit))


def relabel(matches: Matches, labels: Sequence[tuple[int, ...]]) -> Matches:
    """Each hit once for each label of its term (a term in two categories counts in both)."""
    return Matches(
        [Hit(label, hit.start, hit.end) for hit in matches.hits for label in labels[hit.term]],
        [Hit(label, hit.start, hit.end) for hit in matches.shadowed for label in labels[hit.term]],
    )


MatchMode = Literal["text", "tokens"]
MATCH_MODES: tuple[str, ...] = get_args(MatchMode)


def check_match(match: str) -> None:
    if match not in MATCH_MODES:
        raise PolicytermsError(f"unknown match mode '{match}' (choose from {', '.join(MATCH_MODES)})")


def check_level(level: str) -> None:
    category_depth(level)


def category_depth(level: str) -> int | None:
    """``category:N`` counts categories cut to their first N levels (None: the whole path)."""
    name, _, depth = level.partition(":")
    if name not in LEVELS or (depth and (name != "category" or not depth.isdigit() or int(depth) < 1)):
        raise PolicytermsError(f"unknown level '{level}' (choose from {', '.join(LEVELS)}, or category:N for "
                               "the first N levels of nested categories)")
    return int(depth) if depth else None


def check_unit(unit: str, window: int) -> None:
    if unit not in UNITS:
        raise PolicytermsError(f"unknown unit '{unit}' (choose from {', '.join(UNITS)})")
    if window < 1:
        raise PolicytermsError(f"the window must be at least 1 token, not {window}")


def count_chars(normalized: NormalizedText) -> int:
    """Characters that are not whitespace: the base of the per-10,000-characters rate."""
    return non_space_length(normalized.text)


@dataclass(slots=True)
class CountedPartition:
    """What a worker sends back for a partition of ``count``: each document's counts (and where
    they came from), their additive partial, and their near-duplicate signatures (with dedup)."""

    counted: list[Stored]  # empty when the parent needs none of them (every per-document table streamed)
    partial: stats.Partial
    signatures: list = field(default_factory=list)
    # Streamed table → its rows of these documents as the stream's format made them (RowFormat:
    # UTF-8 bytes; on a cluster, cluster.PartFormat: a part file).
    formatted: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentTables:
    """Which per-document tables are made, and how (picklable: workers make them for streaming)."""

    vocabulary: Vocabulary  # the vocabulary the counts are for (its categories, at category level)
    unit: str
    zeros: bool = False
    shadowed: bool = False
    by_category: bool = False

    def make(self, results: Sequence[stats.DocumentCounts], names: Iterable[str], *, corpus: stats.Sums | None = None,
             measures: bool = False) -> dict[str, Table]:
        """The tables named (documents, frequencies, cooccurrence) of these documents' counts;
        ``corpus`` adds the frequencies' rate columns, ``measures`` the co-occurrence measures."""
        builders = {
            "documents": lambda: stats.documents_table(results),
            "frequencies": lambda: stats.frequencies_table(
                results, self.vocabulary, zeros=self.zeros, shadowed=self.shadowed, corpus=corpus
            ),
            "cooccurrence": lambda: stats.cooccurrence_table(results, self.vocabulary, unit=self.unit, measures=measures),
        }
        tables = {name: builders[name]() for name in names}
        return {name: stats.category_columns(table) for name, table in tables.items()} if self.by_category else tables

    def columns(self, name: str) -> tuple[str, ...]:
        return self.make([], [name])[name].columns


@dataclass(frozen=True, slots=True)
class RowStream:
    """Per-document tables written as the partitions come (count(stream=...)): the workers format
    their rows (``formats``: table → render.RowFormat) and the parent hands them to ``write`` in
    input order; such a table is None in the result."""

    formats: dict[str, object]
    start: Callable[[str, tuple[str, ...]], None]  # (table, its columns): before any row
    write: Callable[[str, bytes], None]  # (table, its rows as the format made them: UTF-8 bytes)


class Counting:
    """The analysis of ``count``, built once per worker: a document → its counts, looked up in
    the results store first when there is one; a partition's counts → their partial."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        unit: Unit,
        window: int,
        segmenter: SegmenterName,
        cooccurrence: bool,
        evidence: int | None,
        tokens: bool,
        labels: Sequence[tuple[int, ...]] | None,
        shadowed: bool = False,
        match: MatchMode = "text",
        store_path: str | None,
        settings_id: str,
        group_by: str | None = None,
        signed: bool = False,
        tables: DocumentTables | None = None,
        stream: dict[str, object] | None = None,
        keep_counts: bool = True,
    ) -> None:
        """``stream``: per-document tables (made as ``tables`` says) whose rows the worker formats
        (table → render.RowFormat); ``keep_counts``: send each document's counts to the parent
        too (False when it needs only the partial and the text)."""
        self.counter = DocumentCounter(
            vocabulary, unit=unit, window=window, cooccurrence=cooccurrence, segmenter=segmenter, evidence=evidence,
            tokens=tokens, labels=labels, shadowed=shadowed, match=match,
        )
        self.store = Store(store_path, readonly=True) if store_path else None
        self.settings_id = settings_id
        self.group_by = group_by
        self.signed = signed  # with dedup: each document's signature too (made from the text in every run)
        self.tables = tables
        self.stream = stream or {}
        self.keep_counts = keep_counts

    def __call__(self, document: Document) -> Stored | tuple[Stored, object]:
        stored = self._counts(document)
        if not self.signed:
            return stored
        from .dedup import signature

        return stored, signature(document.text)

    def _counts(self, document: Document) -> Stored:
        if self.store is None:
            return Stored(self.counter.count_document(document), "", new=True)
        digest = content_hash(document.text)
        # The store keeps counts, not hits: evidence needs the text matched again.
        stored = None if self.counter.evidence is not None else self.store.lookup(
            self.settings_id, digest, with_pairs=self.counter.cooccurrence, with_tokens=self.counter.tokens
        )
        if stored is None:
            return Stored(self.counter.count_document(document), digest, new=True)
        return Stored(dataclasses.replace(stored, doc_id=document.doc_id, metadata=document.metadata), digest, new=False)

    def partition(self, results: list) -> CountedPartition:
        signatures = []
        if self.signed:
            signatures = [signature for _, signature in results]
            results = [stored for stored, _ in results]
        counts = [stored.counts for stored in results]
        partial = stats.partial_of(counts, group_by=self.group_by)
        formatted = {}
        if self.stream:
            made = self.tables.make(counts, self.stream)
            formatted = {name: row_format.rows(made[name]) for name, row_format in self.stream.items()}
        return CountedPartition(results if self.keep_counts else [], partial, signatures, formatted)


def count(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | Path | Vocabulary | None = None,
    unit: Unit = "sentence",
    window: int = 5,
    zeros: bool = False,
    shadowed: bool = False,
    measures: bool = False,
    evidence: bool = False,
    concordance: int | None = None,
    group_by: str | None = None,
    level: Level = "term",
    rates: bool = False,
    tables: Iterable[str] | None = None,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    segmenter: SegmenterName = "jieba",
    store: str | Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    dedup: float | None = None,
    new_only: bool = False,
    stream: RowStream | None = None,
    engine: Callable[..., Iterable[CountedPartition]] | None = None,
    match: MatchMode = "text",
) -> Result:
    """Count the vocabulary's terms in every document under ``paths``.

    >>> result = policyterms.count(["seeds/"])              # doctest: +SKIP
    >>> result.frequencies.head()                            # doc_id, term, category, count, per_10k_chars

    Only the ``tables`` named are built (the others are None in the result): without the
    co-occurrence tables no sentence, paragraph or token is looked for, and without the
    documents table no title, date or source (``tables=["frequencies", "totals"]`` counts a
    10 MB corpus in a third of the time all tables take). ``inputs`` says how to
    find and read them (encoding, globs, table columns, what ``-`` means). ``jobs`` worker
    processes share the documents (None: one per core). ``store`` names an SQLite file that keeps
    counts between runs. Inputs that cannot be read do not stop the run: they are in
    ``result.errors`` — unless ``strict``, which raises the first as an ``InputError``.
    ``progress(done, total)`` is called after each partition of documents. ``measures`` adds the
    association measures (measures.py) to the co-occurrence tables; ``cooc`` is the short way to them.
    ``evidence`` adds ``result.evidence``: one row per hit, placed in the original text.
    ``concordance`` (characters of context) adds ``result.kwic``, every hit's concordance line, in
    the same pass.
    ``group_by`` (year, month, source or a metadata field) adds the term × group table ``groups``.
    ``level="category"`` counts categories instead of terms (a category's count is the sum of its
    terms' hits; a term in several categories counts in each; columns say category, category_a,
    category_b); ``level="category:N"`` rolls nested categories (a/b) up to their first N
    levels. ``rates`` adds per_10k_tokens,
    share (of the document's hits) and tfidf (count × log10(documents / documents with the term))
    to the frequencies, per_10k_tokens and share to the totals; it segments every document.
    With ``dedup`` (a Jaccard threshold, e.g. 0.8), near-duplicate documents are counted once:
    the first of each cluster in input order (``result.folded`` says which documents were folded
    into which; see ``policyterms.dedup``).
    ``new_only`` (with a ``store``): the tables hold only the documents counted in this run, not
    those whose text the store already had counts for — the daily "what is new" file.

    Documents go to the workers in partitions; each partition comes back with its documents'
    counts and their additive partial (stats.Partial), and the corpus tables are made from the
    merged partial (batch.each_partition). With ``stream``, the per-document tables it names (of
    those ``streamable_tables`` allows) are formatted by the workers and written as they come,
    and are None in the result. ``engine`` runs the partitions instead of the local pool: a
    function with ``batch.each_partition``'s arguments (cluster.py's Dask engine).
    ``match="tokens"`` counts whole jieba tokens (as cntext and quanteda's ``tokens_lookup``) instead
    of substrings of the text; for general dictionaries, never the default (DESIGN.md, rule 2).
    ``match="tokens"`` counts whole jieba tokens (as cntext and quanteda's ``tokens_lookup``) instead
    of substrings of the text; for general dictionaries, never the default (DESIGN.md, rule 2).
    """
    wanted = check_tables(tables, group_by=group_by)
    check_unit(unit, window)
    check_level(level)
    check_match(match)
    if match != "text" and (store is not None or shadowed):
        raise UsageError("--match tokens is not kept in a results store (--db) and has no shadowed matches")
    if dedup is not None:
        from . import dedup as near_duplicates

        near_duplicates.check_threshold(dedup)
    if new_only and store is None:
        raise UsageError("--new-only needs --db: new means not yet in the results database")
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    counted, labels = vocabulary.by_category(category_depth(level)) if level != "term" else (vocabulary, None)
    if labels is not None and "scores" in wanted:
        raise PolicytermsError("the scores table is per category already: count it with --level term")
    if labels is not None and store is not None:
        raise PolicytermsError("--level category is not kept in a results store (--db): count terms with --db, "
                               "or categories without it")
    # With a store, co-occurrence is counted too (not for windows: they would need jieba), so that
    # db export --what all has it; it costs less than reading the text does.
    cooccurrence = not wanted.isdisjoint(COOCCURRENCE_TABLES) or (store is not None and unit != "window")
    settings = Settings(vocabulary, unit, window, segmenter)
    if segmenter != "jieba" and (rates or (cooccurrence and unit == "window")):
        Segmenter(vocabulary, engine=segmenter)  # fail now, in this process, if it is not installed

    # Hits placed in the text serve both the evidence rows and the concordance lines.
    placed_context = concordance if concordance is not None else (0 if evidence else None)
    streamed = dict(stream.formats) if stream is not None else {}
    refused = set(streamed).difference(streamable_tables(wanted, rates=rates, dedup=dedup is not None or new_only))
    if refused:
        raise PolicytermsError(f"cannot be written as the documents are counted: {', '.join(sorted(refused))}")
    per_document = DocumentTables(counted, unit, zeros=zeros, shadowed=shadowed, by_category=labels is not None)
    needs_counts = (store is not None or placed_context is not None or dedup is not None
                    or "scores" in wanted or any(name in wanted and name not in streamed for name in DOCUMENT_TABLES))
    if not ({"documents", "groups"} & wanted or group_by or store is not None):  # no table shows a title, date or source
        inputs = dataclasses.replace(inputs, metadata=False)
    for name in streamed:
        stream.start(name, per_document.columns(name))
    batch = Batch()
    analysis = functools.partial(
        Counting, vocabulary, unit=unit, window=window, segmenter=segmenter, cooccurrence=cooccurrence,
        evidence=placed_context, tokens=rates, labels=labels, shadowed=shadowed or store is not None,  # the store keeps them
        match=match,
        store_path=str(store) if store is not None else None,
        settings_id=settings.id, group_by=group_by, signed=dedup is not None,
        tables=per_document, stream=streamed, keep_counts=needs_counts,
    )
    outcomes, signatures, partial = collect_counts(
        (engine or each_partition)(paths, analysis, batch=batch, inputs=inputs, jobs=jobs, strict=strict,
                                   progress=progress),
        store=store, settings=settings, with_pairs=cooccurrence, write=stream.write if stream is not None else None,
    )
    folded = []
    if dedup is not None:  # the folded documents' counts are dropped before any table is built
        folded, kept = near_duplicates.fold(signatures, [o.counts.doc_id for o in outcomes], dedup)
        outcomes = [outcomes[index] for index in kept]
    left_out = sum(not outcome.new for outcome in outcomes) if new_only else 0
    if new_only:  # stored first (above), then only this run's documents go to the tables
        outcomes = [outcome for outcome in outcomes if outcome.new]
    if dedup is not None or new_only:  # the partial of the documents that remain
        partial = stats.partial_of((o.counts for o in outcomes), group_by=group_by)
    results = [outcome.counts for outcome in outcomes]
    if group_by and (group_warning := stats.check_group_by(partial, group_by)):
        batch.warnings.append(group_warning)
    built = build_tables(results, partial, per_document, tables=wanted.difference(streamed), measures=measures,
                         group_by=group_by, rates=rates)
    placed = [(r.doc_id, r.evidence) for r in results] if placed_context is not None else []
    built["evidence"] = evidence_table(placed, counted) if evidence else None
    built["kwic"] = kwic_table(placed, counted) if concordance is not None else None
    if "scores" in wanted:
        from .scores import scores_table

        built["scores"] = scores_table(results, vocabulary)
    summary = summarize(partial, skipped=len(batch.errors), from_store=sum(not o.new for o in outcomes))
    return Result(built, vocabulary=vocabulary, errors=batch.errors, warnings=batch.warnings,
                  summary=dataclasses.replace(summary, level=level, left_out=left_out), folded=folded, counts=results)


def collect_counts(
    partitions: Iterable[CountedPartition],
    *,
    store: str | Path | None,
    settings: Settings,
    with_pairs: bool,
    write: Callable[[str, str], None] | None = None,
) -> tuple[list[Stored], list, stats.Partial]:
    """The documents' counts in input order, their near-duplicate signatures (with dedup) and
    the merged partial; the counts saved to the results ``store`` as they come, one transaction
    per STORE_BATCH_DOCUMENTS documents: a run killed half way keeps what it saved. The
    partitions' formatted rows go to ``write(table, rows)`` as they come."""
    kept: list[Stored] = []
    signatures: list = []
    merged = stats.Partial()
    database = Store(store) if store is not None else None
    unsaved: list[Stored] = []
    try:
        if database is not None:
            database.register(settings)
        for part in partitions:
            for name, rows in part.formatted.items():
                write(name, rows)
            kept.extend(part.counted)
            signatures.extend(part.signatures)
            merged.add(part.partial)
            if database is not None:
                unsaved.extend(part.counted)
                while len(unsaved) >= STORE_BATCH_DOCUMENTS:
                    database.save(settings.id, unsaved[:STORE_BATCH_DOCUMENTS], with_pairs=with_pairs)
                    del unsaved[:STORE_BATCH_DOCUMENTS]
    finally:
        if database is not None:
            database.save(settings.id, unsaved, with_pairs=with_pairs)
            database.close()
    return kept, signatures, merged


def cooc(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | Path | Vocabulary | None = None,
    unit: Unit = "sentence",
    min_count: int = 1,
    top: int | None = None,
    sort: str = "count",
    **options,
) -> Result:
    """Co-occurrence with association measures, per document and over the corpus: ``count``'s
    co-occurrence tables with the columns units, count_a, count_b, jaccard, dice, pmi, npmi and
    g2, pairs seen fewer than ``min_count`` times left out, best first by ``sort``, at most
    ``top`` pairs (per document in the per-document table). ``options`` go to ``count``.

    >>> policyterms.cooc(["seeds/"], sort="g2", top=10).cooccurrence_totals   # doctest: +SKIP
    """
    if unit == "window":
        raise PolicytermsError("association measures need units to count (document, paragraph or sentence); "
                               "windows overlap and have none")
    if sort not in ("count", *MEASURES):
        raise PolicytermsError(f"cannot sort by '{sort}' (choose from count, {', '.join(MEASURES)})")
    if min_count < 1 or (top is not None and top < 1):
        raise PolicytermsError("min_count and top must be at least 1")
    result = count(paths, vocab=vocab, unit=unit, measures=True, tables=COOCCURRENCE_TABLES, **options)
    for name in COOCCURRENCE_TABLES:
        setattr(result, name, stats.top_pairs(getattr(result, name), min_count=min_count, top=top, sort=sort))
    return result


class Concording:
    """The analysis of ``kwic``, built once per worker: a document → its chosen terms' hits with
    context. Matching runs with the whole vocabulary, so a concordance shows exactly the hits
    ``count`` counts (核聚变 inside 核聚变能 is not a hit of 核聚变)."""

    def __init__(self, vocabulary: Vocabulary, *, terms: frozenset[int], width: int) -> None:
        self.matcher = Matcher(vocabulary)
        self.terms = terms
        self.width = width

    def __call__(self, document: Document) -> tuple[str, list[PlacedHit]]:
        normalized = normalize(document.text)
        hits = [hit for hit in self.matcher.find(normalized.text).hits if hit.term in self.terms]
        return document.doc_id, place_hits(normalized, hits, width=self.width, offset=document.offset)


def kwic(
    paths: Iterable[str | os.PathLike],
    *,
    term: str | None = None,
    category: str | None = None,
    vocab: str | Path | Vocabulary | None = None,
    width: int = DEFAULT_WIDTH,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> Result:
    """Keyword in context: ``result.kwic`` has one line per hit of ``term`` (a term's name or any
    alias), of the terms of ``category``, or (neither given) of every term — doc_id, term, category,
    start, end (offsets in the original text), ``width`` characters left and right, the surface.

    >>> policyterms.kwic(["seeds/"], term="6G").kwic                      # doctest: +SKIP
    """
    if width < 0:
        raise PolicytermsError(f"the context width must be 0 or more characters, not {width}")
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    try:
        chosen = select_terms(vocabulary, term=term, category=category)
    except KeyError as exc:
        raise PolicytermsError(f"{exc.args[0]} ({vocabulary.source or 'the vocabulary'})") from None
    batch = Batch()
    analysis = functools.partial(Concording, vocabulary, terms=chosen, width=width)
    lines = list(each_document(paths, analysis, batch=batch, inputs=inputs, jobs=jobs, strict=strict, progress=progress))
    hits = sum(len(placed) for _, placed in lines)
    found = {h.term for _, placed in lines for h in placed}
    summary = Summary(documents=len(lines), skipped=len(batch.errors), hits=hits, terms=len(found))
    return Result({"kwic": kwic_table(lines, vocabulary)}, vocabulary=vocabulary, errors=batch.errors,
                  warnings=batch.warnings, summary=summary)


def check_tables(tables: Iterable[str] | None, *, group_by: str | None = None) -> set[str]:
    """The tables to build: those named, or (None) every table that applies."""
    if tables is None:
        return set(TABLES) - {"scores"} if group_by else set(TABLES) - {"groups", "scores"}
    wanted = set(tables)
    unknown = wanted.difference(TABLES)
    if unknown:
        raise PolicytermsError(f"unknown table(s) {', '.join(sorted(unknown))} (choose from {', '.join(TABLES)})")
    if "groups" in wanted and not group_by:
        raise PolicytermsError("the groups table needs group_by (year, month, source or a metadata field)")
    return wanted


def streamable_tables(tables: Iterable[str], *, rates: bool = False, dedup: bool = False) -> tuple[str, ...]:
    """The tables of these that can be written as the documents are counted: the per-document
    ones, except the frequencies with rates (tf-idf needs every document) and none with dedup or
    new_only (which documents the tables hold is known only at the end)."""
    if dedup:
        return ()
    return tuple(name for name in DOCUMENT_TABLES if name in set(tables) and not (rates and name == "frequencies"))


def build_tables(
    results: list[stats.DocumentCounts],
    partial: stats.Partial,
    per_document: DocumentTables,
    *,
    tables: Iterable[str] = TABLES,
    measures: bool = False,
    group_by: str | None = None,
    rates: bool = False,
) -> dict[str, Table | None]:
    """The tables named (the others None): per-document tables from each document's counts,
    corpus tables from the merged partial of them all."""
    wanted = set(tables)
    vocabulary, zeros, shadowed, unit = per_document.vocabulary, per_document.zeros, per_document.shadowed, per_document.unit
    corpus_builders = {
        "totals": lambda: stats.totals_table(partial.corpus, vocabulary, zeros=zeros, shadowed=shadowed, with_rates=rates),
        "groups": lambda: stats.groups_table(partial, vocabulary, group_by=group_by, zeros=zeros),
        "cooccurrence_totals": lambda: stats.cooccurrence_totals_table(partial, vocabulary, unit=unit, measures=measures),
    }
    built: dict[str, Table | None] = {name: None for name in TABLES}
    for name, builder in corpus_builders.items():
        if name in wanted:
            table = builder()
            built[name] = stats.category_columns(table) if per_document.by_category else table
    built.update(per_document.make(results, [name for name in DOCUMENT_TABLES if name in wanted],
                                   corpus=partial.corpus if rates else None, measures=measures))
    return built


def summarize(partial: stats.Partial, *, skipped: int, from_store: int = 0) -> Summary:
    corpus = partial.corpus
    return Summary(
        documents=corpus.documents, skipped=skipped, from_store=from_store, hits=corpus.hits,
        terms=sum(1 for hits in corpus.term_counts.values() if hits),
    )


def export(
    store: str | Path,
    *,
    tables: Iterable[str] | None = None,
    zeros: bool = False,
    shadowed: bool = False,
    group_by: str | None = None,
    settings: str | None = None,
) -> Result:
    """The tables of everything a results store (``count(store=...)``) holds, documents ordered
    by doc_id; ``settings`` picks a settings id (``policyterms db info``), default the latest used."""
    wanted = check_tables(tables, group_by=group_by)
    if not Path(store).is_file():
        raise StoreError(f"{store}: no such results database")
    with Store(store) as database:
        vocabulary, unit, results, without_pairs = database.load(settings)
    warnings = []
    if without_pairs and not wanted.isdisjoint(COOCCURRENCE_TABLES):
        missing = (f"{without_pairs:,} stored document(s) have no co-occurrence counts (counted for frequencies "
                   "only); run count again with --db and --what cooccurrence to add them")
        if wanted <= set(COOCCURRENCE_TABLES):
            raise StoreError(f"{store}: {missing}")
        wanted -= set(COOCCURRENCE_TABLES)  # what is stored is written; what is not is said
        warnings.append(InputWarning(str(store), f"{missing}; the co-occurrence tables are not written"))
    partial = stats.partial_of(results, group_by=group_by)
    if group_by and (group_warning := stats.check_group_by(partial, group_by)):
        warnings.append(group_warning)
    built = build_tables(results, partial, DocumentTables(vocabulary, unit, zeros=zeros, shadowed=shadowed),
                         tables=wanted, group_by=group_by)
    return Result(built, vocabulary=vocabulary, warnings=warnings,
                  summary=summarize(partial, skipped=0, from_store=len(results)))
