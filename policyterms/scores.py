"""Weighted scores: per document and per category, the sum of the weights of the hits, the number
of scored hits and their mean — what LIWC-22 and cntext's valence functions report
(``sentiment_by_valence``: the mean score of the scored words).

A term's hit counts once in each category it is in, with its weight there (vocab.Term.weights);
a hit of a term without a weight in a category is not a scored hit there. Weights never change
counts: this table is made from the same per-document term counts as the frequencies.
"""

from __future__ import annotations

from collections.abc import Sequence

from .rows import Rows
from .stats import DocumentCounts
from .vocab import NO_CATEGORY, Vocabulary

SCORE_COLUMNS = ("doc_id", "category", "score", "scored_hits", "mean")


def category_weights(vocabulary: Vocabulary) -> list[list[tuple[str, float]]]:
    """For each term, (category, weight) of every category where it has a weight."""
    return [[(name or NO_CATEGORY, weight) for name in (term.categories or ("",))
             if (weight := term.weight_in(name)) is not None] for term in vocabulary.terms]


def document_scores(term_counts: dict[int, int], weights: list[list[tuple[str, float]]]) -> dict[str, tuple[float, int]]:
    """category → (sum of the weights of its scored hits, number of scored hits) in one document."""
    scores: dict[str, tuple[float, int]] = {}
    for term, hits in term_counts.items():
        for category, weight in weights[term]:
            total, scored = scores.get(category, (0.0, 0))
            scores[category] = (total + weight * hits, scored + hits)
    return scores


def scores_table(results: Sequence[DocumentCounts], vocabulary: Vocabulary) -> Rows:
    """One row per document and category with scored hits, categories in the vocabulary's order."""
    weights = category_weights(vocabulary)
    order = {name or NO_CATEGORY: position for position, name in enumerate(vocabulary.categories)}
    rows = []
    for result in results:
        scores = document_scores(result.term_counts, weights)
        for category in sorted(scores, key=lambda name: order.get(name, len(order))):
            total, scored = scores[category]
            rows.append((result.doc_id, category, round(total, 6), scored, round(total / scored, 6)))
    return Rows(SCORE_COLUMNS, rows)
