"""The library entry point: ``count(paths, ...) -> Result``, one document at a time.

read → normalize → (segment, only for window co-occurrence) → match → count. Each step lives
in its own module; this one only wires them together and collects per-document counts.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from . import stats
from .documents import Document, iter_sources, read_document
from .errors import InputError, PolicytermsError
from .match import Hit, Matcher, paragraph_starts, sentence_starts, unit_index
from .normalize import NormalizedText, normalize
from .segment import Segmenter
from .vocab import Vocabulary, load_vocabulary

Unit = Literal["document", "paragraph", "sentence", "window"]
UNITS: tuple[str, ...] = get_args(Unit)
TABLES = ("documents", "frequencies", "totals", "cooccurrence", "cooccurrence_totals")
COOCCURRENCE_TABLES = ("cooccurrence", "cooccurrence_totals")


@dataclass
class Result:
    """The tables of one run, as pandas DataFrames, plus the inputs that could not be read.

    A table that was not asked for (``count(tables=...)``) is None."""

    documents: pd.DataFrame | None
    frequencies: pd.DataFrame | None
    totals: pd.DataFrame | None
    cooccurrence: pd.DataFrame | None
    cooccurrence_totals: pd.DataFrame | None
    vocabulary: Vocabulary
    errors: list[InputError] = field(default_factory=list)

    def tables(self, names: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
        chosen = {name: getattr(self, name) for name in names}
        missing = [name for name, frame in chosen.items() if frame is None]
        if missing:
            raise PolicytermsError(f"not computed in this run: {', '.join(missing)} (pass tables=... to count)")
        return chosen


class DocumentCounter:
    """Counts one document at a time with a matcher (and a segmenter, built only when needed)."""

    def __init__(
        self, vocabulary: Vocabulary, *, unit: Unit = "sentence", window: int = 5, cooccurrence: bool = True
    ) -> None:
        if unit not in UNITS:
            raise PolicytermsError(f"unknown unit '{unit}' (choose from {', '.join(UNITS)})")
        if window < 1:
            raise PolicytermsError(f"the window must be at least 1 token, not {window}")
        self.vocabulary = vocabulary
        self.unit = unit
        self.window = window
        self.cooccurrence = cooccurrence
        self.matcher = Matcher(vocabulary)
        self.segmenter = Segmenter(vocabulary) if cooccurrence and unit == "window" else None

    def count_document(self, document: Document) -> stats.DocumentCounts:
        normalized = normalize(document.text)
        matches = self.matcher.find(normalized.text)
        return stats.DocumentCounts(
            doc_id=document.doc_id,
            title=document.title,
            date=document.metadata.get("date", ""),
            source=document.metadata.get("source", ""),
            chars=count_chars(normalized),
            term_counts=Counter(hit.term for hit in matches.hits),
            shadowed_counts=Counter(hit.term for hit in matches.shadowed),
            pair_counts=self._pairs(normalized, matches.hits) if self.cooccurrence else Counter(),
        )

    def _pairs(self, normalized: NormalizedText, hits: list[Hit]) -> Counter:
        if self.unit == "document":
            return stats.unit_pairs([[hit.term for hit in hits]])
        if self.unit == "window":
            # Tokens come from the normalized text, where the hits are.
            token_starts = [start for start, _ in self.segmenter.token_spans(normalized.text)]
            positions = [(unit_index(token_starts, hit.start) - 1, hit.term) for hit in hits]
            return stats.window_pairs(positions, self.window)
        # Sentences and paragraphs come from the original text's layout (see match.py).
        starts = paragraph_starts(normalized.original)
        if self.unit == "sentence":
            starts = sentence_starts(normalized.original, starts)
        by_unit: dict[int, list[int]] = {}
        for hit in hits:
            by_unit.setdefault(unit_index(starts, normalized.to_original(hit.start)), []).append(hit.term)
        return stats.unit_pairs(by_unit.values())


def count_chars(normalized: NormalizedText) -> int:
    """Characters that are not whitespace: the base of the per-10,000-characters rate."""
    return len("".join(normalized.text.split()))


def count(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | Path | Vocabulary | None = None,
    unit: Unit = "sentence",
    window: int = 5,
    zeros: bool = False,
    shadowed: bool = False,
    encoding: str | None = None,
    tables: Iterable[str] = TABLES,
) -> Result:
    """Count the vocabulary's terms in every document under ``paths``.

    >>> result = policyterms.count(["seeds/"])              # doctest: +SKIP
    >>> result.frequencies.head()                            # doc_id, term, category, count, per_10k_chars

    Only the ``tables`` named are built (the others are None in the result): without the
    co-occurrence tables no sentence, paragraph or token is looked for.
    Inputs that cannot be read do not stop the run: they are in ``result.errors``.
    """
    wanted = set(tables)
    unknown = wanted.difference(TABLES)
    if unknown:
        raise PolicytermsError(f"unknown table(s) {', '.join(sorted(unknown))} (choose from {', '.join(TABLES)})")
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    counter = DocumentCounter(
        vocabulary, unit=unit, window=window, cooccurrence=not wanted.isdisjoint(COOCCURRENCE_TABLES)
    )
    results: list[stats.DocumentCounts] = []
    errors: list[InputError] = []
    for source in iter_sources(paths):
        if isinstance(source, InputError):
            errors.append(source)
            continue
        try:
            document = read_document(source, encoding=encoding)
        except InputError as error:
            errors.append(error)
            continue
        results.append(counter.count_document(document))
    builders = {
        "documents": lambda: stats.documents_frame(results),
        "frequencies": lambda: stats.frequencies_frame(results, vocabulary, zeros=zeros, shadowed=shadowed),
        "totals": lambda: stats.totals_frame(results, vocabulary, zeros=zeros, shadowed=shadowed),
        "cooccurrence": lambda: stats.cooccurrence_frame(results, vocabulary, unit=unit),
        "cooccurrence_totals": lambda: stats.cooccurrence_totals_frame(results, vocabulary, unit=unit),
    }
    built = {name: builders[name]() if name in wanted else None for name in TABLES}
    return Result(**built, vocabulary=vocabulary, errors=errors)
