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


def test_frequencies_table():
    table = stats.frequencies_table(RESULTS, VOCAB)
    assert list(table.columns) == ["doc_id", "term", "category", "count", "per_10k_chars"]
    assert table.rows == [
        ("a.txt", "甲", "x", 2, 200.0),
        ("a.txt", "乙", "y", 1, 100.0),
        ("b.txt", "甲", "x", 1, 33.333),
    ]
    with_zeros = stats.frequencies_table(RESULTS, VOCAB, zeros=True, shadowed=True).to_frame()
    assert len(with_zeros) == 6
    assert with_zeros.loc[with_zeros.term == "丙", "shadowed"].tolist() == [1, 0]


def test_totals_table_from_the_partial():
    table = stats.totals_table(stats.partial_of(RESULTS).corpus, VOCAB)
    assert list(table.columns) == ["term", "category", "count", "documents", "per_10k_chars"]
    # 甲: 2 + 1 hits in 2 documents of 400 characters; 乙: 1 hit
    assert table.rows == [("甲", "x", 3, 2, 75.0), ("乙", "y", 1, 1, 25.0)]


def test_cooccurrence_tables():
    table = stats.cooccurrence_table(RESULTS, VOCAB, unit="sentence")
    assert table.rows == [("a.txt", "甲", "乙", "sentence", 1)]
    totals = stats.cooccurrence_totals_table(stats.partial_of(RESULTS), VOCAB, unit="sentence")
    assert list(totals.columns) == ["term_a", "term_b", "unit", "count", "documents"]
    assert totals.rows == [("甲", "乙", "sentence", 1, 1)]


def test_empty_tables_keep_their_columns():
    assert list(stats.frequencies_table([], VOCAB).columns) == stats.FREQUENCY_COLUMNS
    assert list(stats.frequencies_table([], VOCAB).to_frame().columns) == stats.FREQUENCY_COLUMNS
    assert len(stats.cooccurrence_table([], VOCAB, unit="document")) == 0


# Partials: closed under +, associative, the same whatever the partitions ---------------------

MORE = [
    DocumentCounts("c.txt", {"date": "2026-03-01"}, 50, Counter({1: 4, 2: 1}), Counter({0: 2}), Counter({(1, 2): 1}),
                   units=3, term_units=Counter({1: 2, 2: 1}), tokens=20),
    DocumentCounts("d.txt", {"date": "2025-12-31"}, 70, Counter({0: 1}), Counter(), Counter(), units=2,
                   term_units=Counter({0: 1}), tokens=30),
    DocumentCounts("e.txt", {}, 10, Counter(), Counter(), Counter(), units=1, tokens=5),
]


def test_partials_add_up_to_the_partial_of_all_documents_for_any_split():
    every = [*RESULTS, *MORE]
    whole = stats.partial_of(every, group_by="year")
    for cut in range(len(every) + 1):
        left = stats.partial_of(every[:cut], group_by="year")
        right = stats.partial_of(every[cut:], group_by="year")
        assert left + right == whole
        assert right + left == whole  # the order of merging does not matter either
    a, b, c = (stats.partial_of(every[i : i + 2], group_by="year") for i in (0, 2, 4))
    assert (a + b) + c == a + (b + c) == whole
    assert stats.Partial() + whole == whole  # the zero


def test_a_partial_holds_the_sums_the_corpus_tables_need():
    partial = stats.partial_of(MORE, group_by="year")
    # c.txt: 乙 4, 丙 1; d.txt: 甲 1; e.txt: none
    assert partial.corpus.documents == 3 and partial.corpus.chars == 130 and partial.corpus.hits == 6
    assert partial.corpus.term_documents == Counter({0: 1, 1: 1, 2: 1})
    assert partial.units == 6 and partial.pair_counts == Counter({(1, 2): 1})
    assert partial.corpus.tokens == 55
    # groups by year: 2026 (c.txt), 2025 (d.txt), and e.txt without a date in ""
    assert {group: sums.documents for group, sums in partial.groups.items()} == {"2026": 1, "2025": 1, "": 1}
    assert partial.groups["2026"].term_counts == Counter({1: 4, 2: 1})


def test_tokens_are_unknown_once_a_document_has_no_token_count():
    assert stats.partial_of([*MORE, RESULTS[0]]).corpus.tokens is None


def test_share_and_tfidf_round_as_numpy_does():
    import numpy as np

    for count, hits in [(1, 3), (2, 3), (1, 7), (5, 9), (123, 1000)]:
        assert stats.share(count, hits) == float(np.round(count / hits, 6) + 0.0)
    # 3 documents of 10 have the term: 2 × log10(10 / 3) = 1.045757…
    assert stats.tfidf(2, 3, 10) == 1.045757
    assert stats.tfidf(2, 10, 10) == 0.0 and stats.tfidf(2, 0, 10) == 0.0


def test_a_trend_is_by_year_when_the_dates_span_more_than_three_years():
    assert stats.trend_period(["2021-03-01", "2024-12-31", ""]) == "month"  # 3 years apart
    assert stats.trend_period(["2020", "2024-01"]) == "year"  # 4
    assert stats.trend_period(["1956-01-25", "2026"]) == "year"
    assert stats.trend_period(["", "no date"]) == "month"  # nothing dated: the default
