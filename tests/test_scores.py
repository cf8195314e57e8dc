"""Weighted scores (scores.py): per document and category, the weighted sum of the hits, the number
of scored hits and their mean. Every expected number is worked by hand from the text and weights."""

from collections import Counter

import pytest

import policyterms
from policyterms.errors import PolicytermsError
from policyterms.scores import document_scores, scores_table, category_weights
from policyterms.stats import DocumentCounts
from policyterms.vocab import Term, Vocabulary


def vocabulary() -> Vocabulary:
    return Vocabulary((
        Term("氢能", ("正面", "负面"), weights=(("正面", 2.0), ("负面", -1.5))),
        Term("量子科技", "正面", weights=(("", 0.5),)),
        Term("核聚变能", "正面"),  # no weight: its hits are not scored hits
    ), "scored")


def test_document_scores_sum_weight_times_hits_per_category():
    # 氢能 3 hits: 正面 3 × 2 = 6, 负面 3 × -1.5 = -4.5; 量子科技 2 hits: 正面 2 × 0.5 = 1; 核聚变能: none.
    scores = document_scores(Counter({0: 3, 1: 2, 2: 4}), category_weights(vocabulary()))
    assert scores == {"正面": (7.0, 5), "负面": (-4.5, 3)}


def test_scores_table_rows_and_means():
    results = [DocumentCounts("a.txt", {}, 10, term_counts=Counter({0: 3, 1: 2})),
               DocumentCounts("b.txt", {}, 10, term_counts=Counter({2: 1}))]  # b: no scored hit, no row
    table = scores_table(results, vocabulary())
    assert table.columns == ("doc_id", "category", "score", "scored_hits", "mean")
    assert table.rows == [("a.txt", "正面", 7.0, 5, 1.4), ("a.txt", "负面", -4.5, 3, -1.5)]


def test_count_scores_with_a_cntext_valence_file(tmp_path):
    from pathlib import Path

    text = tmp_path / "t.txt"
    # 人工智能 twice, 氢能 once, 机器学习 once, 大数据 (no score) once.
    text.write_text("人工智能和机器学习。推进氢能。人工智能与大数据。", encoding="utf-8")
    valence = Path(__file__).parent / "fixtures" / "dictionaries" / "valence-cntext.yaml"
    result = policyterms.count([text], vocab=valence, tables=["scores", "frequencies"])
    # valence: 2 × 6.5 + 5.5 + 6.0 = 24.5 over 4 hits, mean 6.125; arousal: 2 × 5.0 + 4.0 + 4.5 = 18.5, 4.625.
    assert result.scores.values.tolist() == [[str(text), "valence", 24.5, 4, 6.125], [str(text), "arousal", 18.5, 4, 4.625]]
    # Weights never change counts.
    assert result.frequencies["count"].tolist() == [2, 1, 1]


def test_scores_are_refused_at_category_level(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("氢能", encoding="utf-8")
    with pytest.raises(PolicytermsError, match="per category already"):
        policyterms.count([text], vocab=vocabulary(), tables=["scores"], level="category")
