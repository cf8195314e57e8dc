"""The library entry point: ``count(paths, ...) -> Result``, one document at a time.

find inputs → read → normalize → (segment, only for window co-occurrence) → match → count.
Each step lives in its own module; this one wires them together. Documents stream through:
a worker reads, counts and forgets each one, and only its counts (a few dozen numbers) are kept
for the tables. Finding, reading and spreading documents over worker processes is
``batch.each_document``'s; results come in input order, so the tables are the same for any ``jobs``.
With a ``store`` (``--db``), counts already made for the same text and settings are reused.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from . import dedup as near_duplicates
from . import stats
from .batch import Batch, InputOptions, Progress, each_document
from .errors import InputError, InputWarning, PolicytermsError, StoreError
from .evidence import DEFAULT_WIDTH, PlacedHit, evidence_frame, kwic_frame, place_hits, select_terms
from .match import Hit, Matcher, Matches, paragraph_starts, sentence_starts, unit_index
from .measures import MEASURES
from .normalize import NormalizedText, normalize
from .readers import Document
from .segment import Segmenter, SegmenterName, count_words
from .store import Settings, Store, Stored, content_hash
from .vocab import Vocabulary, load_vocabulary

Unit = Literal["document", "paragraph", "sentence", "window"]
UNITS: tuple[str, ...] = get_args(Unit)
Level = Literal["term", "category"]
LEVELS: tuple[str, ...] = get_args(Level)
TABLES = ("documents", "frequencies", "totals", "groups", "cooccurrence", "cooccurrence_totals")
COOCCURRENCE_TABLES = ("cooccurrence", "cooccurrence_totals")
STORE_BATCH_DOCUMENTS = 200  # documents per transaction of the results store
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did, for the one line on stderr."""

    documents: int = 0
    skipped: int = 0
    from_store: int = 0
    hits: int = 0
    terms: int = 0  # distinct terms with at least one hit

    def __str__(self) -> str:
        stored = f" ({self.from_store:,} from the store)" if self.from_store else ""
        return (
            f"{self.documents:,} document{'s' * (self.documents != 1)} read{stored}, {self.skipped:,} skipped, "
            f"{self.hits:,} hit{'s' * (self.hits != 1)} of {self.terms:,} term{'s' * (self.terms != 1)}"
        )


@dataclass
class Result:
    """The tables of one run, as pandas DataFrames, plus the inputs that could not be read.

    A table that was not asked for (``count(tables=...)``) is None."""

    documents: pd.DataFrame | None
    frequencies: pd.DataFrame | None
    totals: pd.DataFrame | None
    groups: pd.DataFrame | None  # with group_by: a term × group (year, month, source …) table
    cooccurrence: pd.DataFrame | None
    cooccurrence_totals: pd.DataFrame | None
    vocabulary: Vocabulary
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    evidence: pd.DataFrame | None = None  # count(evidence=True): one row per hit
    kwic: pd.DataFrame | None = None  # kwic(), or count(concordance=N): one concordance line per hit
    folded: list[near_duplicates.Fold] = field(default_factory=list)  # count(dedup=...): not in the tables

    def tables(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """The tables named, or (None) every table this run computed."""
        if names is None:
            return {name: frame for name in TABLES if (frame := getattr(self, name)) is not None}
        chosen = {name: getattr(self, name) for name in names}
        missing = [name for name, frame in chosen.items() if frame is None]
        if missing:
            raise PolicytermsError(f"not computed in this run: {', '.join(missing)} (pass tables=... to count)")
        return chosen


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
        labels: Sequence[int] | None = None,
    ) -> None:
        """``evidence``: keep every hit placed in the original text, with this many characters of
        context (None: keep none). ``labels``: each term's index in the vocabulary counts are made
        for, when that is not ``vocabulary`` itself (its categories, Vocabulary.by_category)."""
        check_unit(unit, window)
        self.vocabulary = vocabulary
        self.unit = unit
        self.window = window
        self.cooccurrence = cooccurrence
        self.evidence = evidence
        self.tokens = tokens
        self.labels = labels
        self.matcher = Matcher(vocabulary)
        needs_tokens = tokens or (cooccurrence and unit == "window")
        self.segmenter = Segmenter(vocabulary, engine=segmenter) if needs_tokens else None

    def count_document(self, document: Document) -> stats.DocumentCounts:
        normalized = normalize(document.text)
        matches = self.matcher.find(normalized.text)
        if self.labels is not None:  # hits are found with every term, then counted for their category
            matches = relabel(matches, self.labels)
        # One segmentation serves both the windows and the token count.
        token_spans = self.segmenter.token_spans(normalized.text) if self.segmenter is not None else []
        units, term_units, pairs = (
            self._units(normalized, matches.hits, token_spans) if self.cooccurrence else (0, Counter(), Counter())
        )
        return stats.DocumentCounts(
            doc_id=document.doc_id,
            metadata=document.metadata,
            chars=count_chars(normalized),
            term_counts=Counter(hit.term for hit in matches.hits),
            shadowed_counts=Counter(hit.term for hit in matches.shadowed),
            pair_counts=pairs,
            units=units,
            term_units=term_units,
            evidence=tuple(place_hits(normalized, matches.hits, width=self.evidence, offset=document.offset))
            if self.evidence is not None else (),
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
        by_unit: dict[int, list[int]] = {}
        for hit in hits:
            by_unit.setdefault(unit_index(starts, normalized.to_original(hit.start)), []).append(hit.term)
        return (len(starts) + 1, *stats.unit_counts(by_unit.values()))


def relabel(matches: Matches, labels: Sequence[int]) -> Matches:
    return Matches(
        [Hit(labels[hit.term], hit.start, hit.end) for hit in matches.hits],
        [Hit(labels[hit.term], hit.start, hit.end) for hit in matches.shadowed],
    )


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise PolicytermsError(f"unknown level '{level}' (choose from {', '.join(LEVELS)})")


def check_unit(unit: str, window: int) -> None:
    if unit not in UNITS:
        raise PolicytermsError(f"unknown unit '{unit}' (choose from {', '.join(UNITS)})")
    if window < 1:
        raise PolicytermsError(f"the window must be at least 1 token, not {window}")


def count_chars(normalized: NormalizedText) -> int:
    """Characters that are not whitespace: the base of the per-10,000-characters rate.
    (One copy of the text, not a list of its words: 200 MB of short words would be gigabytes.)"""
    return len(_WHITESPACE.sub("", normalized.text))


class Counting:
    """The analysis of ``count``, built once per worker: a document → its counts, looked up in
    the results store first when there is one."""

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
        labels: Sequence[int] | None,
        store_path: str | None,
        settings_id: str,
    ) -> None:
        self.counter = DocumentCounter(
            vocabulary, unit=unit, window=window, cooccurrence=cooccurrence, segmenter=segmenter, evidence=evidence,
            tokens=tokens, labels=labels,
        )
        self.store = Store(store_path, readonly=True) if store_path else None
        self.settings_id = settings_id

    def __call__(self, document: Document) -> Stored:
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
) -> Result:
    """Count the vocabulary's terms in every document under ``paths``.

    >>> result = policyterms.count(["seeds/"])              # doctest: +SKIP
    >>> result.frequencies.head()                            # doc_id, term, category, count, per_10k_chars

    Only the ``tables`` named are built (the others are None in the result): without the
    co-occurrence tables no sentence, paragraph or token is looked for. ``inputs`` says how to
    find and read them (encoding, globs, table columns, what ``-`` means). ``jobs`` worker
    processes share the documents (None: one per core). ``store`` names an SQLite file that keeps
    counts between runs. Inputs that cannot be read do not stop the run: they are in
    ``result.errors`` — unless ``strict``, which raises the first as an ``InputError``.
    ``progress(done, total)`` is called after each document. ``measures`` adds the association
    measures (measures.py) to the co-occurrence tables; ``cooc`` is the short way to them.
    ``evidence`` adds ``result.evidence``: one row per hit, placed in the original text.
    ``concordance`` (characters of context) adds ``result.kwic``, every hit's concordance line, in
    the same pass.
    ``group_by`` (year, month, source or a metadata field) adds the term × group table ``groups``.
    ``level="category"`` counts categories instead of terms (a category's count is the sum of its
    terms' hits; columns say category, category_a, category_b). ``rates`` adds per_10k_tokens,
    share (of the document's hits) and tfidf (count × log10(documents / documents with the term))
    to the frequencies, per_10k_tokens and share to the totals; it segments every document.
    With ``dedup`` (a Jaccard threshold, e.g. 0.8), near-duplicate documents are counted once:
    the first of each cluster in input order (``result.folded`` says which documents were folded
    into which; see ``policyterms.dedup``).
    """
    wanted = check_tables(tables, group_by=group_by)
    check_unit(unit, window)
    check_level(level)
    if dedup is not None:
        near_duplicates.check_threshold(dedup)
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    counted, labels = vocabulary.by_category() if level == "category" else (vocabulary, None)
    if labels is not None and store is not None:
        raise PolicytermsError("--level category is not kept in a results store (--db): count terms with --db, "
                               "or categories without it")
    cooccurrence = not wanted.isdisjoint(COOCCURRENCE_TABLES)
    settings = Settings(vocabulary, unit, window, segmenter)
    if segmenter != "jieba" and (rates or (cooccurrence and unit == "window")):
        Segmenter(vocabulary, engine=segmenter)  # fail now, in this process, if it is not installed

    # Hits placed in the text serve both the evidence rows and the concordance lines.
    placed_context = concordance if concordance is not None else (0 if evidence else None)
    batch = Batch()
    analysis = functools.partial(
        Counting, vocabulary, unit=unit, window=window, segmenter=segmenter, cooccurrence=cooccurrence,
        evidence=placed_context, tokens=rates, labels=labels, store_path=str(store) if store is not None else None,
        settings_id=settings.id,
    )
    if dedup is not None:  # signatures are made from the text in every run, never stored
        analysis = functools.partial(near_duplicates.WithSignature, analysis)
    outcomes, signatures = collect_counts(
        each_document(paths, analysis, batch=batch, inputs=inputs, jobs=jobs, strict=strict, progress=progress),
        store=store, settings=settings, with_pairs=cooccurrence, signed=dedup is not None,
    )
    folded = []
    if dedup is not None:  # the folded documents' counts are dropped before any table is built
        folded, kept = near_duplicates.fold(signatures, [o.counts.doc_id for o in outcomes], dedup)
        outcomes = [outcomes[index] for index in kept]
    results = [outcome.counts for outcome in outcomes]
    if group_by and (group_warning := stats.check_group_by(results, group_by)):
        batch.warnings.append(group_warning)
    from_store = sum(not outcome.new for outcome in outcomes)
    built = build_tables(results, counted, unit=unit, tables=wanted, zeros=zeros, shadowed=shadowed,
                         measures=measures, group_by=group_by, rates=rates)
    if labels is not None:
        built = {name: None if frame is None else stats.category_columns(frame) for name, frame in built.items()}
    return Result(**built, vocabulary=vocabulary, errors=batch.errors, warnings=batch.warnings,
                  summary=summarize(results, skipped=len(batch.errors), from_store=from_store),
                  evidence=evidence_frame([(r.doc_id, r.evidence) for r in results], counted) if evidence else None,
                  kwic=kwic_frame([(r.doc_id, r.evidence) for r in results], counted) if concordance is not None else None,
                  folded=folded)


def collect_counts(
    outcomes: Iterable,
    *,
    store: str | Path | None,
    settings: Settings,
    with_pairs: bool,
    signed: bool,
) -> tuple[list[Stored], list]:
    """The documents' counts in input order (and, when ``signed``, their near-duplicate
    signatures), saved to the results ``store`` as they come, one transaction per
    STORE_BATCH_DOCUMENTS documents: a run killed half way keeps what it saved."""
    kept: list[Stored] = []
    signatures: list = []
    database = Store(store) if store is not None else None
    unsaved: list[Stored] = []
    try:
        if database is not None:
            database.register(settings)
        for outcome in outcomes:
            if signed:
                outcome, signature = outcome
                signatures.append(signature)
            kept.append(outcome)
            if database is not None:
                unsaved.append(outcome)
                if len(unsaved) >= STORE_BATCH_DOCUMENTS:
                    database.save(settings.id, unsaved, with_pairs=with_pairs)
                    unsaved.clear()
    finally:
        if database is not None:
            database.save(settings.id, unsaved, with_pairs=with_pairs)
            database.close()
    return kept, signatures


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
    return Result(None, None, None, None, None, None, vocabulary=vocabulary, errors=batch.errors, warnings=batch.warnings,
                  summary=summary, kwic=kwic_frame(lines, vocabulary))


def check_tables(tables: Iterable[str] | None, *, group_by: str | None = None) -> set[str]:
    """The tables to build: those named, or (None) every table that applies."""
    if tables is None:
        return set(TABLES) if group_by else set(TABLES) - {"groups"}
    wanted = set(tables)
    unknown = wanted.difference(TABLES)
    if unknown:
        raise PolicytermsError(f"unknown table(s) {', '.join(sorted(unknown))} (choose from {', '.join(TABLES)})")
    if "groups" in wanted and not group_by:
        raise PolicytermsError("the groups table needs group_by (year, month, source or a metadata field)")
    return wanted


def build_tables(
    results: list[stats.DocumentCounts],
    vocabulary: Vocabulary,
    *,
    unit: str,
    tables: Iterable[str] = TABLES,
    zeros: bool = False,
    shadowed: bool = False,
    measures: bool = False,
    group_by: str | None = None,
    rates: bool = False,
) -> dict[str, pd.DataFrame | None]:
    """Per-document counts → the tables named (the others None)."""
    builders = {
        "documents": lambda: stats.documents_frame(results),
        "frequencies": lambda: stats.frequencies_frame(results, vocabulary, zeros=zeros, shadowed=shadowed, with_rates=rates),
        "totals": lambda: stats.totals_frame(results, vocabulary, zeros=zeros, shadowed=shadowed, with_rates=rates),
        "groups": lambda: stats.groups_frame(results, vocabulary, group_by=group_by, zeros=zeros),
        "cooccurrence": lambda: stats.cooccurrence_frame(results, vocabulary, unit=unit, measures=measures),
        "cooccurrence_totals": lambda: stats.cooccurrence_totals_frame(
            results, vocabulary, unit=unit, measures=measures
        ),
    }
    wanted = set(tables)
    return {name: builders[name]() if name in wanted else None for name in TABLES}


def summarize(results: list[stats.DocumentCounts], *, skipped: int, from_store: int = 0) -> Summary:
    found: set[int] = set()
    for r in results:
        found.update(r.term_counts)
    return Summary(
        documents=len(results), skipped=skipped, from_store=from_store,
        hits=sum(sum(r.term_counts.values()) for r in results), terms=len(found),
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
    if without_pairs and not wanted.isdisjoint(COOCCURRENCE_TABLES):
        raise StoreError(
            f"{store}: {without_pairs:,} stored document(s) have no co-occurrence counts (they were counted for "
            "frequencies only); run count again with --db and --what cooccurrence to add them"
        )
    group_warning = stats.check_group_by(results, group_by) if group_by else None
    built = build_tables(results, vocabulary, unit=unit, tables=wanted, zeros=zeros, shadowed=shadowed,
                         group_by=group_by)
    return Result(**built, vocabulary=vocabulary, summary=summarize(results, skipped=0, from_store=len(results)),
                  warnings=[group_warning] if group_warning else [])
