"""Segmentation audit: which hits in the text a token-based tool would miss, and why.

A script that counts terms over jieba's tokens finds a hit only when one token is exactly the
term. Against the hits the matcher finds in the text, each hit gets a verdict:

- ``whole``: one token is exactly the hit — a token-based count finds it;
- ``split``: no token holds the whole hit: jieba cut it apart (脑机接口 → 脑机/接口), or cut
  across its edges (未来产业 in 未来/产业创新);
- ``swallowed``: a longer token strictly contains it (算力 in 算力券).

Two tokenizers are judged: plain jieba (its own dictionary, as ``jieba.lcut`` in a user's
script) and the tool's own ``Segmenter`` (the vocabulary's words added), which shows what is left
when the words are added.

Both segment the *normalized* text, where the hits are: the audit asks how jieba cuts the
words, and keeps apart what normalization already repairs (a term broken by a line break, ６Ｇ);
the tool's own tokens (``--unit window``) come from the normalized text too. Tokens are shown
with the original text's characters.

The first part is pure functions (spans in, verdicts out); then the per-document analysis
(built once per worker) and ``audit()``, the library entry point.
"""

from __future__ import annotations

import functools
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args


from .batch import Batch, InputOptions, Progress, each_document
from .errors import InputError, InputWarning, PolicytermsError
from .match import Hit, Matcher, paragraph_starts, sentence_starts, unit_index
from .normalize import NormalizedText, join_han_lines, normalize
from .readers import Document
from .segment import Segmenter, SegmenterName
from .dictionaries import load_vocabulary
from .vocab import Vocabulary

if TYPE_CHECKING:  # pandas is imported when a table is made
    import pandas as pd

Verdict = Literal["whole", "split", "swallowed"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
Span = tuple[int, int]
CONTEXT_TOKENS = 2  # tokens shown on either side of a hit
TABLES = ("audit", "audit_hits")
COUNT_COLUMNS = ("hits", "whole", "split", "swallowed", "split_with_vocab", "swallowed_with_vocab")
TERM_COLUMNS = ["term", "category", *COUNT_COLUMNS, "example", "example_with_vocab", "sentence"]
HIT_COLUMNS = [
    "doc_id", "term", "surface", "start", "end", "verdict", "tokens", "verdict_with_vocab", "tokens_with_vocab",
    "sentence",
]


# Pure functions: spans → verdicts ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token spans of one text, in order and not overlapping (whitespace left out)."""

    spans: tuple[Span, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, spans: Iterable[Span]) -> Tokens:
        spans = tuple(spans)
        return cls(spans, tuple(s for s, _ in spans), tuple(e for _, e in spans))

    def covering(self, start: int, end: int) -> range:
        """Indices of the tokens that share a character with ``[start, end)``."""
        return range(bisect_right(self.ends, start), bisect_left(self.starts, end))


def verdict(tokens: Tokens, start: int, end: int) -> Verdict:
    """How the tokens treat the hit ``[start, end)``: whole, split or swallowed."""
    # Only the last token that starts at or before the hit can contain it.
    i = bisect_right(tokens.starts, start) - 1
    if i >= 0 and end <= tokens.ends[i]:
        return "whole" if tokens.spans[i] == (start, end) else "swallowed"
    return "split"


def token_context(
    tokens: Tokens, start: int, end: int, show: Callable[[int, int], str], *, context: int = CONTEXT_TOKENS
) -> str:
    """The tokens around a hit, "/" between tokens and the tokens that hold the hit in brackets:
    ``推动/[脑机/接口]/、/具身``. ``show(start, end)`` gives a token's text."""
    inside = tokens.covering(start, end)
    if not inside:  # a hit on nothing but whitespace: cannot happen with the matcher's hits
        return ""
    before = range(max(0, inside.start - context), inside.start)
    after = range(inside.stop, min(len(tokens.spans), inside.stop + context))

    def joined(indices: range) -> str:
        return "/".join(show(*tokens.spans[i]) for i in indices)

    return "/".join(filter(None, [joined(before), f"[{joined(inside)}]", joined(after)]))


# One document ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HitAudit:
    """One hit and how both tokenizers cut it. ``start``/``end``: offsets in the original text."""

    term: int
    surface: str
    start: int
    end: int
    verdict: Verdict
    tokens: str
    verdict_with_vocab: Verdict
    tokens_with_vocab: str
    sentence: str


@dataclass(frozen=True, slots=True)
class DocumentAudit:
    doc_id: str
    hits: list[HitAudit]


class Auditor:
    """The analysis of ``audit``, built once per worker: a document → its hits with verdicts.

    Holds the matcher and two tokenizers of its own — plain jieba (nothing added: jieba's global
    instance is never touched) and the vocabulary's ``Segmenter``."""

    def __init__(self, vocabulary: Vocabulary, *, segmenter: SegmenterName = "jieba") -> None:
        self.matcher = Matcher(vocabulary)
        self.plain = Segmenter(None, engine=segmenter)
        self.with_vocab = Segmenter(vocabulary, engine=segmenter)

    def __call__(self, document: Document) -> DocumentAudit:
        normalized = normalize(document.text)
        hits = self.matcher.find(normalized.text).hits
        if not hits:  # nothing to judge: no segmentation
            return DocumentAudit(document.doc_id, [])
        plain = Tokens.of(self.plain.token_spans(normalized.text))
        with_vocab = Tokens.of(self.with_vocab.token_spans(normalized.text))
        return DocumentAudit(document.doc_id, audit_hits(normalized, hits, plain, with_vocab))


def audit_hits(normalized: NormalizedText, hits: Sequence[Hit], plain: Tokens, with_vocab: Tokens) -> list[HitAudit]:
    """Each hit (normalized offsets) judged against both token spans of ``normalized.text``."""
    show = functools.partial(original_token, normalized)
    sentences = sentence_starts(normalized.original, paragraph_starts(normalized.original))
    audited = []
    for hit in hits:
        start, end = normalized.original_span(hit.start, hit.end)
        audited.append(HitAudit(
            term=hit.term,
            surface=normalized.original[start:end],
            start=start,
            end=end,
            verdict=verdict(plain, hit.start, hit.end),
            tokens=token_context(plain, hit.start, hit.end, show),
            verdict_with_vocab=verdict(with_vocab, hit.start, hit.end),
            tokens_with_vocab=token_context(with_vocab, hit.start, hit.end, show),
            sentence=sentence_at(normalized.original, sentences, start),
        ))
    return audited


def original_token(normalized: NormalizedText, start: int, end: int) -> str:
    """A token of the normalized text in the original's characters (6G, not 6g), without the
    line breaks normalization removed from inside it."""
    orig_start, orig_end = normalized.original_span(start, end)
    return "".join(normalized.original[orig_start:orig_end].split())


def sentence_at(original: str, starts: list[int], position: int) -> str:
    """The sentence (match.py's units) holding ``position``, on one line."""
    index = unit_index(starts, position)
    begin = starts[index - 1] if index else 0
    finish = starts[index] if index < len(starts) else len(original)
    return " ".join(join_han_lines(original[begin:finish])[0].split())


# The corpus ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditSummary:
    documents: int = 0
    skipped: int = 0
    hits: int = 0
    missed: int = 0  # split or swallowed by plain jieba
    missed_with_vocab: int = 0

    def __str__(self) -> str:
        def share(n: int) -> str:
            return f"{n:,} ({n / self.hits:.1%})" if self.hits else "0"

        return (
            f"{self.documents:,} document{'s' * (self.documents != 1)} read, {self.skipped:,} skipped, "
            f"{self.hits:,} hit{'s' * (self.hits != 1)}: plain jieba's tokens miss {share(self.missed)}, "
            f"with the vocabulary's words {share(self.missed_with_vocab)}"
        )


@dataclass
class AuditResult:
    """``terms``: one row per term (TERM_COLUMNS); ``hits``: one row per hit (HIT_COLUMNS), or
    None when ``audit(tables=...)`` did not ask for it."""

    terms: pd.DataFrame
    hits: pd.DataFrame | None
    vocabulary: Vocabulary
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    summary: AuditSummary = field(default_factory=AuditSummary)

    def tables(self, names: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
        frames = {"audit": self.terms, "audit_hits": self.hits}
        chosen = {name: frames.get(name) for name in check_tables(names)}
        missing = [name for name, frame in chosen.items() if frame is None]
        if missing:
            raise PolicytermsError(f"not computed in this run: {', '.join(missing)} (pass tables=... to audit)")
        return chosen


def check_tables(names: Iterable[str]) -> list[str]:
    names = list(names)
    unknown = [name for name in names if name not in TABLES]
    if unknown:
        raise PolicytermsError(f"unknown table(s) {', '.join(unknown)} (choose from {', '.join(TABLES)})")
    return names


def audit(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | Path | Vocabulary | None = None,
    tables: Iterable[str] = TABLES,
    segmenter: SegmenterName = "jieba",
    zeros: bool = False,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> AuditResult:
    """Judge every hit under ``paths`` against plain jieba's tokens and the vocabulary's.

    >>> from policyterms.audit import audit
    >>> result = audit(["seeds/"])     # doctest: +SKIP
    >>> result.terms                   # term, category, hits, whole, split, swallowed, …

    The per-term table is tallied as documents come; the hits themselves are kept only when
    ``tables`` holds ``audit_hits`` (else ``result.hits`` is None), so memory does not grow with
    the corpus. Inputs, ``jobs``, ``strict`` and ``progress`` work as in ``policyterms.count``.
    """
    keep_hits = "audit_hits" in check_tables(tables)
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    if segmenter != "jieba":
        Segmenter(None, engine=segmenter)  # fail now, in this process, if it is not installed
    batch = Batch()
    tally = Tally(vocabulary)
    kept: list[DocumentAudit] = []
    analysis = functools.partial(Auditor, vocabulary, segmenter=segmenter)
    for document in each_document(paths, analysis, batch=batch, inputs=inputs, jobs=jobs, strict=strict,
                                  progress=progress):
        tally.add(document)
        if keep_hits:
            kept.append(document)
    summary = AuditSummary(
        documents=tally.documents, skipped=len(batch.errors), hits=tally.total("hits"),
        missed=tally.total("split", "swallowed"), missed_with_vocab=tally.total("split_with_vocab", "swallowed_with_vocab"),
    )
    return AuditResult(
        tally.frame(zeros=zeros), hits_frame(kept, vocabulary) if keep_hits else None, vocabulary,
        errors=batch.errors, warnings=batch.warnings, summary=summary,
    )


class Tally:
    """Per term: hits by verdict, and the first missed hits as examples, added document by document."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.documents = 0
        self.counts = {column: [0] * len(vocabulary) for column in COUNT_COLUMNS}
        self.example: list[HitAudit | None] = [None] * len(vocabulary)
        self.example_with_vocab: list[HitAudit | None] = [None] * len(vocabulary)

    def add(self, document: DocumentAudit) -> None:
        self.documents += 1
        for hit in document.hits:
            t = hit.term
            self.counts["hits"][t] += 1
            self.counts[hit.verdict][t] += 1
            if hit.verdict != "whole" and self.example[t] is None:
                self.example[t] = hit
            if hit.verdict_with_vocab != "whole":
                self.counts[f"{hit.verdict_with_vocab}_with_vocab"][t] += 1
                if self.example_with_vocab[t] is None:
                    self.example_with_vocab[t] = hit

    def total(self, *columns: str) -> int:
        return sum(sum(self.counts[column]) for column in columns)

    def frame(self, *, zeros: bool = False) -> pd.DataFrame:
        """One row per term with hits (every term with ``zeros``), in vocabulary order. ``example``
        shows the tokens around the first hit plain jieba misses and ``sentence`` its sentence;
        ``example_with_vocab`` the first hit the vocabulary's tokens miss. Empty when there is none."""
        rows = []
        for t, term in enumerate(self.vocabulary.terms):
            if not self.counts["hits"][t] and not zeros:
                continue
            example, example_with_vocab = self.example[t], self.example_with_vocab[t]
            rows.append((
                term.name, term.category, *(self.counts[column][t] for column in COUNT_COLUMNS),
                example.tokens if example else "",
                example_with_vocab.tokens_with_vocab if example_with_vocab else "",
                example.sentence if example else "",
            ))
        import pandas as pd

        return pd.DataFrame.from_records(rows, columns=TERM_COLUMNS)


def terms_frame(documents: Iterable[DocumentAudit], vocabulary: Vocabulary, *, zeros: bool = False) -> pd.DataFrame:
    """The per-term table of these documents (see ``Tally.frame``)."""
    tally = Tally(vocabulary)
    for document in documents:
        tally.add(document)
    return tally.frame(zeros=zeros)


def hits_frame(documents: Iterable[DocumentAudit], vocabulary: Vocabulary) -> pd.DataFrame:
    """One row per hit, documents in input order, hits in text order."""
    rows = [
        (document.doc_id, vocabulary.terms[hit.term].name, hit.surface, hit.start, hit.end, hit.verdict, hit.tokens,
         hit.verdict_with_vocab, hit.tokens_with_vocab, hit.sentence)
        for document in documents
        for hit in document.hits
    ]
    import pandas as pd

    return pd.DataFrame.from_records(rows, columns=HIT_COLUMNS)
