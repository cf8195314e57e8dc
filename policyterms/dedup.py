"""Near-duplicate documents: MinHash signatures of character shingles, clusters by estimated Jaccard.

The same article reposted elsewhere differs in layout (line breaks, indentation, full- or
half-width punctuation), not in its words. So a document's *comparable text* keeps only letters and
digits, NFKC-folded and lower-cased; its *shingles* are the set of every run of ``SHINGLE``
characters of it; the similarity of two documents is the Jaccard index of their shingle sets
(shared shingles / shingles in either).

Texts are not kept (documents stream through worker processes), so each document is reduced in
its worker to a ``signature``: for each of ``PERMUTATIONS`` seeded hash functions, the least hash
of any of its shingles (MinHash, Broder 1997). Two signatures agree at a position with
probability equal to the Jaccard index, so the share of agreeing positions estimates it (standard
error sqrt(J(1-J)/128): ±0.035 at J = 0.8). ``clusters`` groups documents whose estimate reaches
a threshold; the first document of a cluster in input order is the one kept.

Pure numpy: a shingle's hash is a polynomial over its code points mixed by splitmix64's
finalizer; the permutations are ``a * hash + b`` modulo 2^64 with random odd ``a`` (docs/analysis.md,
"Near-duplicates", says why not datasketch, and what was measured).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from functools import cache
from typing import TYPE_CHECKING

from .batch import Batch, InputOptions, Progress, each_document
from .defaults import DEFAULT_THRESHOLD  # defined there: --help shows it without importing this module
from .errors import InputError, InputWarning, PolicytermsError
from .normalize import normalize
from .readers import Document

if TYPE_CHECKING:  # numpy and pandas are imported when a signature is made: not by a plain count run
    import numpy as np
    import pandas as pd

SHINGLE = 5  # characters per shingle: Chinese words are 1-4 characters, so 5 spans word boundaries
PERMUTATIONS = 128
DUPLICATE_COLUMNS = ["cluster", "doc_id", "kept", "similarity", "chars"]
SIMILARITY_DECIMALS = 3
_CHUNK = 2048  # shingles permuted at a time: bounds memory at PERMUTATIONS x _CHUNK x 8 bytes (2 MiB)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_EMPTY = 2**64 - 1  # the signature of a text with no letter or digit: all positions
_POLY = 0x100000001B3  # FNV-1a's 64-bit prime, as the polynomial's base


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """(multipliers, addends) of the PERMUTATIONS hash permutations a·h + b mod 2^64; fixed
    seed: signatures are the same in every process and run."""
    import numpy as np

    random = np.random.default_rng(20260601)
    multipliers = random.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)  # odd
    return multipliers, random.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)


def comparable_text(text: str) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: what the similarity looks at.

    Layout and punctuation go before NFKC too (3x faster: NFKC is slow on full-width
    punctuation), and again after it, for what it unfolds ("㈠" → "(一)")."""
    letters_and_digits = _NOT_LETTER_OR_DIGIT.sub("", text)
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", letters_and_digits).lower())


def shingle_hashes(text: str, *, size: int = SHINGLE) -> np.ndarray:
    """The distinct 64-bit hashes of the ``size``-character shingles of ``comparable_text(text)``
    (one shingle, the whole of it, when it is shorter; none when it is empty)."""
    import numpy as np

    codes = np.frombuffer(comparable_text(text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if codes.size == 0:
        return codes
    size = min(size, codes.size)
    count = codes.size - size + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(size):  # sum of code[i + offset] * POLY^(size-1-offset), modulo 2^64
        hashes = hashes * np.uint64(_POLY) + codes[offset : offset + count]
    hashes = np.sort(_mix(hashes))
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]  # np.unique, 10x faster here


def signature(text: str, *, size: int = SHINGLE) -> np.ndarray:
    """The MinHash signature of ``text``: ``PERMUTATIONS`` unsigned 64-bit integers (1 KiB)."""
    import numpy as np

    multipliers, addends = _permutations()
    hashes = shingle_hashes(text, size=size)
    least = np.full(PERMUTATIONS, _EMPTY, dtype=np.uint64)
    buffer = np.empty((PERMUTATIONS, min(_CHUNK, hashes.size)), dtype=np.uint64)
    for start in range(0, hashes.size, _CHUNK):
        chunk = hashes[start : start + _CHUNK]
        permuted = buffer[:, : chunk.size]
        # a * hash + b, modulo 2^64, in place: fresh arrays for each chunk made this 6x slower
        np.multiply(chunk, multipliers[:, np.newaxis], out=permuted)
        np.add(permuted, addends[:, np.newaxis], out=permuted)
        np.minimum(least, permuted.min(axis=1), out=least)
    return least


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: a bijection of 64-bit integers that spreads every input bit."""
    import numpy as np

    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def is_empty(sig: np.ndarray) -> bool:
    """True for the signature of a text without letters or digits (never a duplicate)."""
    return bool((sig == _EMPTY).all())


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard index of two documents' shingle sets, from their signatures."""
    import numpy as np

    return float(np.mean(a == b))


def jaccard(text_a: str, text_b: str, *, size: int = SHINGLE) -> float:
    """The exact Jaccard index of two texts' shingle sets (what ``similarity`` estimates)."""
    import numpy as np

    a, b = shingle_hashes(text_a, size=size), shingle_hashes(text_b, size=size)
    union = np.union1d(a, b).size
    return np.intersect1d(a, b).size / union if union else 0.0


@dataclass(frozen=True, slots=True)
class Cluster:
    """Near-duplicate documents, by their positions in the input: the one kept and the ones
    folded into it, each with its estimated similarity to the kept one."""

    kept: int
    folded: tuple[tuple[int, float], ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.kept, *(index for index, _ in self.folded))


def clusters(signatures: Sequence[np.ndarray], threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of two or more documents whose estimated similarity reaches ``threshold``, in
    input order of their kept documents.

    Documents are taken in input order. One that is at least ``threshold`` similar to the kept
    document of an earlier cluster joins the most similar of them (the earliest on a tie); any
    other starts a cluster and is kept. So every folded document is close to the one kept in its
    place (no chains of small differences), and adding documents after the others never changes
    which of them is kept.

    A document is compared only with the kept ones that agree with it on a whole *band* of its
    signature (locality-sensitive hashing). The bands are as long as they can be while any two
    signatures whose similarity reaches the threshold must still agree on a whole band (too few
    disagreements to break every band): so the bands lose no pair, they only spare comparisons.
    """
    import numpy as np

    check_threshold(threshold)
    width = band_width(threshold)
    buckets: list[dict[bytes, list[int]]] = [{} for _ in range(0, PERMUTATIONS, width)]
    leaders: list[int] = []  # positions in the input of the kept documents
    leader_rows = np.empty((len(signatures), PERMUTATIONS), dtype=np.uint64)
    folded: dict[int, list[tuple[int, float]]] = {}
    for index, sig in enumerate(signatures):
        if is_empty(sig):
            continue
        bands = [sig[start : start + width].tobytes() for start in range(0, PERMUTATIONS, width)]
        candidates = sorted({k for bucket, band in zip(buckets, bands) for k in bucket.get(band, ())})
        if candidates:
            scores = (leader_rows[candidates] == sig).mean(axis=1)
            best = int(np.argmax(scores))  # the first of the highest
            if scores[best] >= threshold:
                folded.setdefault(leaders[candidates[best]], []).append((index, float(scores[best])))
                continue
        leader_rows[len(leaders)] = sig
        for bucket, band in zip(buckets, bands):
            bucket.setdefault(band, []).append(len(leaders))
        leaders.append(index)
    return [Cluster(kept, tuple(members)) for kept, members in sorted(folded.items())]


def band_width(threshold: float) -> int:
    """The longest band (a power of two) such that two signatures ``threshold`` similar always
    agree on at least one whole band: their disagreements are fewer than the bands."""
    least_agreeing = next(m for m in range(PERMUTATIONS + 1) if m / PERMUTATIONS >= threshold)
    width = PERMUTATIONS
    while PERMUTATIONS // width <= PERMUTATIONS - least_agreeing:
        width //= 2
    return width


def check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise PolicytermsError(f"the similarity threshold is a Jaccard index above 0 and at most 1, not {threshold}")


class Fold(NamedTuple):
    """A document counted as a near-duplicate of another (the kept one)."""

    doc_id: str
    kept: str
    similarity: float  # estimated Jaccard index of their shingle sets


def fold(
    signatures: Sequence[np.ndarray], doc_ids: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> tuple[list[Fold], list[int]]:
    """(the folded documents in input order, the positions of the documents kept)."""
    folds: list[tuple[int, Fold]] = [
        (index, Fold(doc_ids[index], doc_ids[cluster.kept], score))
        for cluster in clusters(signatures, threshold)
        for index, score in cluster.folded
    ]
    gone = {index for index, _ in folds}
    return [f for _, f in sorted(folds)], [index for index in range(len(signatures)) if index not in gone]


# In worker processes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentSignature:
    """What ``dupes`` keeps of a document."""

    doc_id: str
    chars: int  # characters that are not whitespace in the normalized text, as in count's tables
    signature: np.ndarray


def document_signature(document: Document) -> DocumentSignature:
    chars = len("".join(normalize(document.text).text.split()))  # pipeline.count_chars
    return DocumentSignature(document.doc_id, chars, signature(document.text))


class Signing:
    """An analysis for ``batch.each_document``: a document → its ``DocumentSignature``."""

    def __call__(self, document: Document) -> DocumentSignature:
        return document_signature(document)


class WithSignature:
    """Wraps another analysis (built in the worker): a document → (its result, its signature)."""

    def __init__(self, analysis: Callable[[], Callable[[Document], object]]) -> None:
        self.analysis = analysis()

    def __call__(self, document: Document) -> tuple[object, np.ndarray]:
        return self.analysis(document), signature(document.text)


# The report ------------------------------------------------------------------------------------


@dataclass
class Duplicates:
    """The near-duplicate clusters found under some paths, and the inputs that could not be read."""

    duplicates: pd.DataFrame  # DUPLICATE_COLUMNS, one row per document of a cluster of two or more
    documents: int = 0  # documents compared
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)

    def __str__(self) -> str:
        clusters = self.duplicates["cluster"].nunique()
        folded = len(self.duplicates) - clusters
        return (
            f"{self.documents:,} document{'s' * (self.documents != 1)} compared, {len(self.errors):,} skipped, "
            f"{clusters:,} cluster{'s' * (clusters != 1)} of near-duplicates ({folded:,} document{'s' * (folded != 1)} "
            "count --dedup would fold)"
        )


def find_duplicates(
    paths: Iterable[str | os.PathLike],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> Duplicates:
    """The clusters of near-duplicate documents under ``paths`` (estimated Jaccard index of their
    5-character shingles at least ``threshold``), as ``count(dedup=threshold)`` folds them.

    >>> find_duplicates(["seeds/"], threshold=0.2).duplicates     # doctest: +SKIP
    """
    check_threshold(threshold)
    batch = Batch()
    signed = list(each_document(paths, Signing, batch=batch, inputs=inputs, jobs=jobs, strict=strict, progress=progress))
    rows = []
    for number, cluster in enumerate(clusters([d.signature for d in signed], threshold), start=1):
        kept = signed[cluster.kept]
        rows.append((number, kept.doc_id, True, 1.0, kept.chars))
        rows.extend(
            (number, signed[index].doc_id, False, round(score, SIMILARITY_DECIMALS), signed[index].chars)
            for index, score in cluster.folded
        )
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=DUPLICATE_COLUMNS).astype(
        {"cluster": "int64", "kept": "bool", "similarity": "float64", "chars": "int64"}  # also when empty
    )
    return Duplicates(frame, len(signed), batch.errors, batch.warnings)
