from collections import Counter

from policyterms import Term, Vocabulary
from policyterms import stats
from policyterms.stats import DocumentCounts


def test_unit_pairs_count_units_holding_both_terms_once():
    # unit 1: a, b, a; unit 2: a, c; unit 3: b, a
    pairs = stats.unit_pairs([[0, 1, 0], [0, 2], [1, 0]])
    assert pairs == Counter({(0, 1): 2, (0, 2): 1})


def test_window_pairs_count_hit_pairs_within_n_tokens():
    # tokens: a@0, b@2, a@5, c@9 ; window 3 → (a@0,b@2) and (b@2,a@5): 2 pairs of (a, b); c too far
    positions = [(0, 0), (2, 1), (5, 0), (9, 2)]
    assert stats.window_pairs(positions, 3) == Counter({(0, 1): 2})
    assert stats.window_pairs(positions, 4) == Counter({(0, 1): 2, (0, 2): 1})


def test_rate_per_10k_characters():
    assert stats.rate(3, 20_000) == 1.5
    assert stats.rate(1, 3) == 3333.333
    assert stats.rate(1, 0) == 0.0
    # ties round half up, as a person (or Excel's ROUND) would: 1 × 10,000 / 32,000 = 0.3125
    assert stats.rate(1, 32_000) == 0.313 and stats.rate(3, 32_000) == 0.938  # 0.9375
    # 2 / 3 = 0.6666… → 0.667; exact in integers, whatever the float division gives
    assert stats.rate(2, 30_000) == 0.667


VOCAB = Vocabulary.from_terms([Term("甲", "x"), Term("乙", "y"), Term("丙", "y")])
RESULTS = [
    DocumentCounts("a.txt", {"title": "A"}, 100, Counter({0: 2, 1: 1}), Counter({2: 1}), Counter({(0, 1): 1})),
    DocumentCounts("b.txt", {"title": "B"}, 300, Counter({0: 1}), Counter(), Counter()),
]


def test_frequencies_frame():
    frame = stats.frequencies_frame(RESULTS, VOCAB)
    assert list(frame.columns) == ["doc_id", "term", "category", "count", "per_10k_chars"]
    assert frame.values.tolist() == [
        ["a.txt", "甲", "x", 2, 200.0],
        ["a.txt", "乙", "y", 1, 100.0],
        ["b.txt", "甲", "x", 1, 33.333],
    ]
    with_zeros = stats.frequencies_frame(RESULTS, VOCAB, zeros=True, shadowed=True)
    assert len(with_zeros) == 6
    assert with_zeros.loc[with_zeros.term == "丙", "shadowed"].tolist() == [1, 0]


def test_totals_frame():
    frame = stats.totals_frame(RESULTS, VOCAB)
    assert list(frame.columns) == ["term", "category", "count", "documents", "per_10k_chars"]
    assert frame.values.tolist() == [["甲", "x", 3, 2, 75.0], ["乙", "y", 1, 1, 25.0]]


def test_cooccurrence_frames():
    frame = stats.cooccurrence_frame(RESULTS, VOCAB, unit="sentence")
    assert frame.values.tolist() == [["a.txt", "甲", "乙", "sentence", 1]]
    totals = stats.cooccurrence_totals_frame(RESULTS, VOCAB, unit="sentence")
    assert list(totals.columns) == ["term_a", "term_b", "unit", "count", "documents"]
    assert totals.values.tolist() == [["甲", "乙", "sentence", 1, 1]]


def test_empty_frames_keep_their_columns():
    assert list(stats.frequencies_frame([], VOCAB).columns) == stats.FREQUENCY_COLUMNS
    assert stats.cooccurrence_frame([], VOCAB, unit="document").empty
