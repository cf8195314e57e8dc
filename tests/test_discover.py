import dataclasses
import io
import json
import math
from collections import Counter

import pandas as pd
import pytest

from conftest import ROOT, SEEDS

from policyterms import Term, Vocabulary, load_vocabulary
from policyterms.discover import (
    EDGE, Background, CorpusNgrams, DocumentNgrams, VocabularyTerritory, best_category, cohesion, collapse,
    combined_score, count_ngrams, entropy, is_break, jieba_background, joined, log_likelihood, rank_candidates,
    score, sentence_company, suggest, vocabulary_file, add_to_vocabulary, list_items, list_siblings, sibling_category, Siblings, head_category, vocabulary_heads,
)
from policyterms.errors import PolicytermsError, VocabularyError
from policyterms.vocab import parse_vocabulary

DEFAULT_VOCAB = ROOT / "vocab" / "future-industries.yaml"


def h(*counts: int) -> float:
    """Entropy in bits, written out for the hand computations below."""
    total = sum(counts)
    return sum(c / total * math.log2(total / c) for c in counts)


# A tiny made-up text, already in tokens: four sentences.
TINY = [
    ["数字", "孪生", "技术", "。"],
    ["发展", "数字", "孪生", ","],
    ["数字", "孪生", "的", "应用"],
    ["数字", "经济"],
]


# Breaks and n-grams ----------------------------------------------------------------------------


def test_breaks_are_punctuation_numbers_function_words_and_vocabulary_tokens():
    assert is_break("。") and is_break(",") and is_break("“") and is_break("###")
    assert is_break("2026") and is_break("3.5") and is_break("十五") and is_break("一")
    assert is_break("的") and is_break("和") and is_break("我们")
    assert is_break("未来产业", frozenset({"未来产业"}))
    assert not is_break("未来产业") and not is_break("布局") and not is_break("5g") and not is_break("ai")


def test_ngrams_do_not_run_through_breaks():
    counts = count_ngrams(TINY)
    # Runs: 数字 孪生 技术 | 发展 数字 孪生 | 数字 孪生 | 应用 | 数字 经济: 3 + 3 + 2 + 1 + 2 = 11 tokens.
    assert counts.tokens == 11
    assert counts.counts[("数字",)] == 4 and counts.counts[("孪生",)] == 3
    assert counts.counts[("数字", "孪生")] == 3
    assert counts.counts[("数字", "孪生", "技术")] == 1 and counts.counts[("发展", "数字", "孪生")] == 1
    assert counts.counts[("孪生", "的")] == 0 and counts.counts[("的", "应用")] == 0  # 的 breaks
    assert counts.counts[("技术", "。")] == 0
    # The longest n-gram is the run of three; 4-grams would need a run of four.
    assert max(len(ngram) for ngram in counts.counts) == 3
    assert counts.first[("数字", "孪生")] == 0 and counts.first[("数字", "经济")] == 3


def test_neighbours_are_the_tokens_around_each_occurrence_edge_at_sentence_ends():
    counts = count_ngrams(TINY)
    left = {n: c for (g, n), c in counts.left.items() if g == ("数字", "孪生")}
    right = {n: c for (g, n), c in counts.right.items() if g == ("数字", "孪生")}
    assert left == {EDGE: 2, "发展": 1}  # sentences 1 and 3 start with it
    assert right == {"技术": 1, ",": 1, "的": 1}  # a break is a neighbour like any token


def test_max_n_and_no_context():
    counts = count_ngrams(TINY, max_n=2, context=False)
    assert max(len(ngram) for ngram in counts.counts) == 2
    assert counts.tokens == 11 and not counts.left and not counts.right and not counts.first


def test_cohesion_entropy_and_score_by_hand():
    counts = count_ngrams(TINY)
    # PMI(数字, 孪生) = log2(3 · 11 / (4 · 3)) = log2(2.75)
    assert cohesion(("数字", "孪生"), counts.counts, counts.tokens) == pytest.approx(1.459432, abs=1e-6)
    # 数字孪生技术: cuts 数字|孪生技术 log2(1·11/(4·1)) = 1.459; 数字孪生|技术 log2(1·11/(3·1)) = 1.874 → min
    assert cohesion(("数字", "孪生", "技术"), counts.counts, counts.tokens) == pytest.approx(math.log2(11 / 4))
    assert entropy([2, 1]) == pytest.approx(0.918296, abs=1e-6)  # left of 数字孪生: EDGE ×2, 发展
    assert entropy([1, 1, 1]) == pytest.approx(math.log2(3))  # right: 技术, ",", 的
    assert entropy([5]) == 0.0 and entropy([]) == 0.0 and entropy([1, 1, 1, 1]) == 2.0
    assert math.copysign(1, entropy([5])) == 1  # 0.0, not -0.0 in the output
    # log2(3) × min(0.91830, 1.58496) × log2(1 + 1.45943) = 1.58496 × 0.91830 × 1.29833
    assert score(3, math.log2(2.75), h(2, 1), h(1, 1, 1)) == pytest.approx(1.88967, abs=1e-5)
    assert score(3, -0.5, 1.0, 1.0) == 0.0  # parts that avoid each other: no score
    assert score(1, 5.0, 1.0, 1.0) == 0.0


def test_log_likelihood_by_hand():
    # 10 in 1,000 tokens against 5 in 2,000: expected 5 and 10; G² = 2(10 ln 2 + 5 ln ½) = 10 ln 2
    assert log_likelihood(10, 5, 1000, 2000) == pytest.approx(10 * math.log(2))
    assert log_likelihood(5, 10, 2000, 1000) == pytest.approx(-10 * math.log(2))  # more frequent in the reference
    # 4 in 100 against 0 in 100: expected 2; G² = 2 · 4 ln 2
    assert log_likelihood(4, 0, 100, 100) == pytest.approx(8 * math.log(2))
    assert log_likelihood(3, 3, 100, 100) == 0.0


def test_joined_puts_a_space_only_between_ascii_words():
    assert joined(("数字", "孪生")) == "数字孪生"
    assert joined(("open", "source", "社区")) == "open source社区"
    assert joined(("5g", "a")) == "5g a" and joined(("5g", "网络")) == "5g网络"


def test_collapse_joins_lines_inside_chinese_and_squeezes_other_whitespace():
    assert collapse("  领导班子成\n员作为谈话人,\n  采取 个别  谈话。 ") == "领导班子成员作为谈话人, 采取个别谈话。"
    assert collapse("AI  芯片\n\n产业") == "AI 芯片产业"


# Ranking ---------------------------------------------------------------------------------------


def corpus_of(*documents: tuple[str, list[list[str]]]) -> CorpusNgrams:
    corpus = CorpusNgrams()
    for doc_id, sentences in documents:
        ngrams = count_ngrams(sentences)
        texts = {i: "".join(tokens) for i, tokens in enumerate(sentences)}
        corpus.add(DocumentNgrams(doc_id, ngrams, texts))
    return corpus


def test_rank_candidates_on_the_tiny_text():
    corpus = corpus_of(("a.txt", TINY[:2]), ("b.txt", TINY[2:]))
    frame = rank_candidates(corpus, min_count=2)
    assert list(frame.columns) == [
        "candidate", "score", "count", "documents", "cohesion", "left_entropy", "right_entropy", "doc_id", "example",
    ]
    # Only 数字孪生 is seen twice or more (3 times, in both documents).
    assert frame.to_dict(orient="records") == [{
        "candidate": "数字孪生", "score": 1.89, "count": 3, "documents": 2, "cohesion": 1.459,
        "left_entropy": 0.918, "right_entropy": 1.585, "doc_id": "a.txt", "example": "数字孪生技术。",
    }]
    everything = rank_candidates(corpus, min_count=1, top=None)
    assert set(everything.candidate) == {"数字孪生", "孪生技术", "数字孪生技术", "发展数字", "发展数字孪生", "数字经济"}


def test_rank_candidates_excludes_ties_by_candidate_and_top():
    corpus = corpus_of(("a.txt", TINY))
    everything = rank_candidates(corpus, min_count=1, top=None)
    # Seen once: log2(1) = 0, so every score but 数字孪生's is 0, and ties go by candidate.
    assert list(everything.candidate) == ["数字孪生", *sorted(["孪生技术", "数字孪生技术", "发展数字", "发展数字孪生", "数字经济"])]
    assert list(rank_candidates(corpus, min_count=1, top=2).candidate) == ["数字孪生", sorted(everything.candidate[1:])[0]]
    kept = rank_candidates(corpus, min_count=1, top=None, excluded=lambda c: "孪生" in c)
    assert list(kept.candidate) == ["发展数字", "数字经济"]


def test_keyness_against_a_reference_ranks_and_adds_columns():
    target = corpus_of(("a.txt", TINY))
    reference = corpus_of(("r.txt", [["数字", "经济"], ["数字", "经济"], ["数字", "孪生"]]))
    frame = rank_candidates(target, min_count=1, top=None, reference=reference)
    assert list(frame.columns)[-4:] == ["keyness", "reference_count", "doc_id", "example"]
    rows = frame.set_index("candidate")
    # Target: 11 tokens; reference: 6. 数字孪生 3 against 1: pooled 4/17;
    # G² = 2(3 ln(3/(11·4/17)) + 1 ln(1/(6·4/17))), positive (3/11 > 1/6).
    expected = 2 * (3 * math.log(3 / (11 * 4 / 17)) + math.log(1 / (6 * 4 / 17)))
    assert rows.loc["数字孪生", "keyness"] == round(expected, 3) and rows.loc["数字孪生", "reference_count"] == 1
    assert rows.loc["数字孪生", "keyness"] == 0.196
    # Seen once and not in the reference: G² = 2 · 1 · ln(1 / (11 · 1/17)) = 2 ln(17/11) = 0.871.
    assert rows.loc["发展数字", "keyness"] == 0.871 and rows.loc["发展数字", "reference_count"] == 0
    # 数字经济 1 against 2: relatively more frequent in the reference → negative:
    # E = 11·3/17 = 1.941 and 6·3/17 = 1.059; G² = 2(ln(1/1.941) + 2 ln(2/1.059)) = 1.217.
    assert rows.loc["数字经济", "keyness"] == -1.217
    assert (frame.score == frame.keyness).all()
    absent = sorted(["孪生技术", "数字孪生技术", "发展数字", "发展数字孪生"])  # tied at 0.871
    assert list(frame.candidate) == [*absent, "数字孪生", "数字经济"]


def test_vocabulary_territory():
    vocabulary = Vocabulary.from_terms([Term("量子科技", aliases=("量子技术",)), Term("6G")])
    territory = VocabularyTerritory(vocabulary)
    assert "量子科技" in territory and "量子技术" in territory  # the term, an alias
    assert "发展量子科技" in territory  # contains one
    assert "量子" in territory and "科技" in territory  # part of one
    assert "6g网络" in territory and "16g" not in territory  # the matcher's ASCII boundaries
    assert "科技创新" not in territory and "量子计算" not in territory


# The background and the company of categories ------------------------------------------------


def test_background_probability_of_a_dictionary_word_or_of_independent_tokens():
    background = Background({"数字": 29, "孪生": 4, "数字经济": 2, "经济": 9}, total=100)
    # 数字孪生 is no dictionary word: (29 + 0.5)/100 × (4 + 0.5)/100 = 0.295 × 0.045 = 0.013275
    assert background.probability(("数字", "孪生")) == pytest.approx(0.013275)
    # 数字经济 is one: 2 / 100
    assert background.probability(("数字", "经济")) == pytest.approx(0.02)
    # a token the dictionary lacks counts half an occurrence: 0.295 × 0.5/100
    assert background.probability(("数字", "具身")) == pytest.approx(0.001475)
    # 3 of 11 tokens here: log2((3/11) / 0.013275) = log2(20.544…) = 4.360
    assert round(background.log_ratio(("数字", "孪生"), 3, 11), 3) == 4.361


def test_jiebas_dictionary_is_the_default_background():
    background = jieba_background()
    # dict.txt: 349,045 lines, whose frequencies add up to 60,101,967 (a few words are listed twice)
    assert len(background.frequencies) == 349_045 and background.total == 60_101_967
    # 发展 is an everyday word (68,664 in dict.txt); 具身 is not in it
    assert background.frequencies["发展"] == 68_664 and "具身" not in background.frequencies


def test_sentence_company_of_candidates_and_categories():
    ngrams = count_ngrams(TINY)
    # sentence 0 holds a term of 数字技术, sentence 1 of 数字技术 and 政策, sentence 3 of 政策
    categories = [frozenset({"数字技术"}), frozenset({"数字技术", "政策"}), frozenset(), frozenset({"政策"})]
    company = sentence_company(ngrams, categories)
    assert company.sentences == 4
    assert company.with_category == {"数字技术": 2, "政策": 2}
    # 数字孪生 is in sentences 0, 1, 2; 数字经济 in 3
    assert company.with_candidate[("数字", "孪生")] == 3 and company.with_candidate[("数字", "经济")] == 1
    assert company.both[("数字", "孪生"), "数字技术"] == 2 and company.both[("数字", "孪生"), "政策"] == 1
    assert company.both[("数字", "经济"), "政策"] == 1 and company.both[("数字", "经济"), "数字技术"] == 0
    # NPMI of 数字孪生 with 数字技术: p(both) = 2/4, p(a) = 3/4, p(b) = 2/4: PMI = log2(0.5 / 0.375) = 0.415,
    # over −log2(0.5) = 1 → 0.415; with 政策: log2(0.25 / 0.375) = −0.585 over 2 → −0.292
    category, npmi, shared = best_category(("数字", "孪生"), company, ["政策", "数字技术"])
    assert (category, round(npmi, 3), shared) == ("数字技术", 0.415, 2)
    # 数字经济 and 政策: p(both) = 1/4 = p(a), p(b) = 1/2: PMI = 1, over 2 → 0.5
    assert best_category(("数字", "经济"), company, ["数字技术", "政策"]) == ("政策", 0.5, 1)
    assert best_category(("孪生", "技术"), company, ["政策"]) == ("", 0.0, 0)  # shares no sentence with 政策


def test_combined_score_by_hand():
    row = {"phrase": 2.0, "log_ratio": 10.0, "association": 0.5, "documents": 3}
    # 2 × 10 × (0.1 + 0.5) × log2(4) = 24
    assert combined_score(row) == pytest.approx(24.0)
    # no company (NPMI ≤ 0) keeps a tenth; more frequent in general language (log ratio < 0) scores 0
    assert combined_score({**row, "association": -0.2}) == pytest.approx(2 * 10 * 0.1 * 2)
    assert combined_score({**row, "log_ratio": -1.0}) == 0.0


def test_held_out_emerging_terms_come_back_at_the_top():
    """具身智能 (10 hits in the seeds) and 脑机接口 (13) taken out of the default vocabulary, as a
    curator who lacks them: they come back 2nd and 1st of 495 candidates, standing in 7 and 11
    lists beside vocabulary terms. Ranked as phrases only (the ``phrase`` column, the ranking
    before the background, the company and the lists), they were 12th and 37th. Their category is
    wrong: the lists they stand in are mostly the six 十五五 directions (量子科技、生物制造、
    氢能和核聚变能、脑机接口、具身智能、第六代移动通信), one term of 未来制造, two of 未来信息
    and two of 未来能源 beside 具身智能; its votes come to 未来信息 3, 未来能源 7/3, 未来制造 1."""
    vocabulary = load_vocabulary(DEFAULT_VOCAB)
    held_out = Vocabulary.from_terms([t for t in vocabulary.terms if t.name not in ("具身智能", "脑机接口")])
    found = suggest([SEEDS], vocab=held_out, top=None).candidates
    assert len(found) == 495
    rank = {candidate: index + 1 for index, candidate in enumerate(found.candidate)}
    assert (rank["具身智能"], rank["脑机接口"]) == (2, 1)
    by_phrase = found.sort_values(["phrase", "candidate"], ascending=[False, True], kind="stable").candidate.tolist()
    assert (by_phrase.index("具身智能") + 1, by_phrase.index("脑机接口") + 1) == (12, 37)
    rows = found.set_index("candidate")
    assert (rows.loc["具身智能", "lists"], rows.loc["脑机接口", "lists"]) == (7, 11)
    assert rows.loc["具身智能", "category"] == rows.loc["脑机接口", "category"] == "未来信息"
    # both tokens of each are rare in general Chinese (具身 and 脑机 are not in jieba's dictionary)
    assert rows.loc["具身智能", "log_ratio"] > 30 and rows.loc["脑机接口", "log_ratio"] > 30


def test_held_out_policy_terms_come_back_under_their_category():
    """专精特新 (7 hits, 企业培育) and 关键核心技术 (12, 科技创新) held out: 2nd and 3rd, each under
    its own category (by its sentence company: NPMI 0.743 with 企业培育, 0.495 with 科技创新; they
    stand in no list beside a term). First: 专精特新企业, an item of "培育一大批科技型中小企业、
    专精特新企业、单项冠军企业、独角兽企业" (3 times in the seeds), beside three 企业培育 terms."""
    vocabulary = load_vocabulary(DEFAULT_VOCAB)
    held_out = Vocabulary.from_terms([t for t in vocabulary.terms if t.name not in ("专精特新", "关键核心技术")])
    found = suggest([SEEDS], vocab=held_out, top=10).candidates.set_index("candidate")
    assert list(found.index[:3]) == ["专精特新企业", "专精特新", "关键核心技术"]
    assert found.loc["专精特新", "category"] == "企业培育" and found.loc["关键核心技术", "category"] == "科技创新"
    assert (found.loc["专精特新企业", "category"], found.loc["专精特新企业", "lists"]) == ("企业培育", 3)
    assert found.loc["专精特新企业", "siblings"] == "单项冠军企业、独角兽企业、科技型中小企业"


def test_yaml_file_puts_each_candidate_under_its_category():
    frame = pd.DataFrame.from_records([
        {"candidate": "具身智能", "count": 10, "documents": 5, "doc_id": "a.txt", "example": "…", "category": "未来制造"},
        {"candidate": "前瞻布局", "count": 23, "documents": 5, "doc_id": "a.txt", "example": "…", "category": ""},
        {"candidate": "人形机器人", "count": 4, "documents": 2, "doc_id": "b.txt", "example": "…", "category": "未来制造"},
    ])
    lines = vocabulary_file(frame, category="待审").splitlines()
    entries = [line for line in lines if line.startswith("  - ") or line.startswith("  # ──")]
    assert entries == [
        "  # ── 未来制造 ──", "  - {term: 具身智能, category: 未来制造}", "  - {term: 人形机器人, category: 未来制造}",
        "  # ── 待审 ──", "  - {term: 前瞻布局, category: 待审}",
    ]


# YAML ------------------------------------------------------------------------------------------


def test_yaml_file_loads_with_the_vocabulary_loader(tmp_path):
    frame = pd.DataFrame.from_records([
        {"candidate": "前瞻布局", "count": 23, "documents": 5, "doc_id": "seeds/000.txt", "example": "前瞻布局和发展未来产业"},
        {"candidate": "a: b #c", "count": 3, "documents": 1, "doc_id": "x.txt", "example": "x" * 200},
    ])
    fragment = vocabulary_file(frame, category="待审/candidates", source="seeds/")
    assert "  - {term: 前瞻布局, category: 待审/candidates}" in fragment.splitlines()
    assert "  # 23× in 5 documents, e.g. seeds/000.txt: 前瞻布局和发展未来产业" in fragment.splitlines()
    assert max(len(line) for line in fragment.splitlines()) < 120  # the long example is shortened
    path = tmp_path / "candidates.yaml"
    path.write_text(fragment, encoding="utf-8")
    vocabulary = load_vocabulary(path)
    assert [(t.name, t.category) for t in vocabulary.terms] == [("前瞻布局", "待审/candidates"), ("a: b #c", "待审/candidates")]


# On the seeds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_suggestions():
    """Every candidate of the seeds (segmenting them is the slow part: done once here)."""
    return suggest([SEEDS], top=None, min_count=3)


@pytest.fixture(scope="module")
def seed_candidates(seed_suggestions) -> pd.DataFrame:
    return seed_suggestions.candidates.set_index("candidate")


def test_real_candidates_in_the_seeds(seed_candidates):
    rows = seed_candidates
    # grep -o 前瞻布局 seeds/* finds 24: 000 ×2, 001 ×4, 002 ×2, 003 ×9, 004 ×7; one of 003's is the
    # title in its front matter (line 2), which is metadata, not text → 23, in 6 articles: 000#1 ×2,
    # 001#1 ×2 and 001#2 ×2 (the speech and the summary: title and first line each), 002#1, 003, 004#1.
    assert (rows.loc["前瞻布局", "count"], rows.loc["前瞻布局", "documents"]) == (23, 6)
    # 习近平总书记: 27 in all five, in 8 articles (000#1, 001#1-#3, 002#1 ×17, 002#2 ×2, 003, 004#1 ×3);
    # 集体学习: 12 in all five, in their first articles (…第二十四次集体学习…).
    assert (rows.loc["习近平总书记", "count"], rows.loc["习近平总书记", "documents"]) == (27, 8)
    assert (rows.loc["集体学习", "count"], rows.loc["集体学习", "documents"]) == (12, 5)
    # 防汛抗旱物资: 13, all in 000's news column about Wuhan's flood-relief stores.
    assert (rows.loc["防汛抗旱物资", "count"], rows.loc["防汛抗旱物资", "documents"]) == (13, 1)
    # 谈话人, a new word (jieba knows no such word and cuts it 谈话/人): 17 times in 002's rules
    # for 监督谈话 (grep); in two jieba cuts otherwise: "提出被谈话人选的" 谈话/人选 (the persons
    # chosen) and "被谈话人作表态" 谈话/人作 → 15.
    assert (rows.loc["谈话人", "count"], rows.loc["谈话人", "documents"]) == (15, 1)


def test_neighbour_entropy_of_a_seed_candidate_by_reading(seed_candidates):
    # 技术路线 occurs 11 times (grep), in 000 ×2, 001 ×3, 002 ×1, 004 ×5:
    #   000/001 "科学论证技术路线。" ×2, 001 "科学论证技术路线，提升", 002 "科学论证技术路线”",
    #   000/001/004 "加强多元技术路线探索" ×3, 004 "起步期，技术路线、", "自身技术路线嵌入",
    #   "未来产业的技术路线非常", "支持多个技术路线的".
    # In articles: 000#1 ×2, 001#1 ×2, 001#2 ×1 (the summary), 002#1, 004#1 ×3, 004#2 ×2 → 6 documents.
    row = seed_candidates.loc["技术路线"]
    assert (row["count"], row["documents"]) == (11, 6)
    # left: 论证 ×4, 多元 ×3, "，" 自身 的 多个 ×1 each
    assert row["left_entropy"] == round(h(4, 3, 1, 1, 1, 1), 3)
    # right: 探索 ×3, 。 ×2, "，" ” 、 嵌入 非常 的 ×1 each
    assert row["right_entropy"] == round(h(3, 2, 1, 1, 1, 1, 1, 1), 3)


def test_industry_development_counts_only_outside_vocabulary_hits(seed_candidates):
    # 产业发展 is 59 times in the seeds (grep), 45 of them in 未来产业发展 and 2 in 新兴产业发展,
    # where a vocabulary term holds 产业: those are not candidates' occurrences → 12.
    assert seed_candidates.loc["产业发展", "count"] == 12


def test_no_candidate_touches_the_vocabulary(seed_candidates):
    vocabulary = load_vocabulary(DEFAULT_VOCAB)
    surfaces = [surface for surface, _ in vocabulary.patterns()]
    frequent = {"未来产业", "新质生产力", "科技创新", "量子科技", "产业创新", "十五五"}
    assert frequent <= {t.name for t in vocabulary.terms}
    for candidate in seed_candidates.index:
        assert not any(surface in candidate or candidate in surface for surface in surfaces), candidate
    assert not any("未来产业" in candidate for candidate in seed_candidates.index)


def test_example_sentence_is_the_first_occurrence(seed_candidates):
    # 000 starts with the title line "前瞻布局和发展未来产业", a sentence (paragraph) of its own.
    row = seed_candidates.loc["前瞻布局"]
    assert (row["doc_id"], row["example"]) == (f"{SEEDS}/000_f7f3963a21b11a20.txt#1", "前瞻布局和发展未来产业")


def test_seed_candidates_added_into_the_default_vocabulary(seed_suggestions):
    top = seed_suggestions.candidates.head(20)
    original = DEFAULT_VOCAB.read_text(encoding="utf-8")
    merged = add_to_vocabulary(original, top, source="future-industries.yaml")
    added = {t.name: t.category for t in parse_vocabulary(merged, source="merged").terms}
    assert len(added) == len(load_vocabulary(DEFAULT_VOCAB)) + 20
    expected = dict(zip(top.candidate, top["category"].where(top["category"] != "", "待审")))
    assert {name: added[name] for name in expected} == expected
    # every line of the file is still there, in order (comments included)
    kept = iter(merged.splitlines())
    assert all(any(line == other for other in kept) for line in original.splitlines())


def test_ranking_is_deterministic_with_workers(seed_suggestions):
    two = suggest([SEEDS], top=None, jobs=2).candidates
    pd.testing.assert_frame_equal(seed_suggestions.candidates, two)


def test_bad_limits():
    with pytest.raises(PolicytermsError, match="--min-count"):
        suggest([SEEDS], min_count=0)
    with pytest.raises(PolicytermsError, match="--top"):
        suggest([SEEDS], top=0)


# Command line ----------------------------------------------------------------------------------


def invoke(*args):
    from typer.testing import CliRunner

    from policyterms.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


SEED_000 = SEEDS / "000_f7f3963a21b11a20.txt"


def test_cli_csv_when_piped_and_summary_on_stderr():
    result = invoke("vocab", "suggest", SEED_000, "--top", "5")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns) == [
        "candidate", "score", "count", "documents", "cohesion", "left_entropy", "right_entropy", "phrase", "log_ratio",
        "category", "association", "shared", "lists", "siblings", "doc_id", "example",
    ]
    assert len(frame) == 5 and frame.doc_id.str.startswith(f"{SEED_000}#").all()  # 000's articles
    assert frame.score.is_monotonic_decreasing
    # 000 alone: 防汛抗旱物资 13 times (grep -c counts 7 lines; grep -o 13).
    assert frame.set_index("candidate").loc["防汛抗旱物资", "count"] == 13
    assert result.stderr == "policyterms: 3 documents read, 0 skipped, 5 candidates\n"  # 000's 3 articles


@pytest.fixture
def fake_suggest(monkeypatch, seed_suggestions):
    """The command with the seeds' suggestions already made: these tests are about the options
    and the output, not the (slow) segmentation. Records what the command asked for."""
    calls = []

    def fake(paths, *, top, min_count, **options):
        calls.append({"paths": paths, "top": top, "min_count": min_count, **options})
        kept = seed_suggestions.candidates[seed_suggestions.candidates["count"] >= min_count].head(top)
        return dataclasses.replace(seed_suggestions, candidates=kept.reset_index(drop=True))

    monkeypatch.setattr("policyterms.discover.suggest", fake)
    return calls


@pytest.mark.parametrize("fmt", ["json", "jsonl", "tsv", "table"])
def test_cli_every_format(fmt, fake_suggest, seed_suggestions):
    result = invoke("vocab", "suggest", SEEDS, "--top", "3", "--min-count", "5", "--format", fmt, "-q")
    assert fake_suggest[0]["top"] == 3 and fake_suggest[0]["min_count"] == 5
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    expected = seed_suggestions.candidates[seed_suggestions.candidates["count"] >= 5].head(3)
    if fmt == "json":
        rows = json.loads(result.stdout)["candidates"]
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    elif fmt == "tsv":
        rows = pd.read_csv(io.StringIO(result.stdout), sep="\t", keep_default_na=False).to_dict(orient="records")
    else:
        assert result.stdout.startswith("Candidate terms not in the vocabulary")
        # a long candidate may wrap in its cell (16 columns in 200 cells): its start is on one line
        assert all(candidate[:6] in result.stdout for candidate in expected.candidate)
        return
    assert rows == expected.to_dict(orient="records")


def test_cli_yaml_file_passes_vocab_check(tmp_path, fake_suggest):
    fragment = tmp_path / "new-terms.yaml"
    out = tmp_path / "candidates.json"
    result = invoke("vocab", "suggest", SEEDS, "--top", "7", "--yaml", fragment, "--category", "待审/candidates", "-o", out)
    assert result.exit_code == 0, result.stderr
    table = json.loads(out.read_text(encoding="utf-8"))["candidates"]
    wrapped = fragment  # a whole vocabulary file: vocab check takes it as it is
    check = invoke("vocab", "check", wrapped)
    categories = {row["category"] or "待审/candidates" for row in table}
    assert check.exit_code == 0 and f"ok, 7 terms in {len(categories)} categories" in check.stdout
    terms = load_vocabulary(wrapped).terms
    assert sorted(t.name for t in terms) == sorted(row["candidate"] for row in table)
    # --category is for candidates that share no sentence with a vocabulary term
    named = {row["candidate"]: row["category"] or "待审/candidates" for row in table}
    assert {t.name: t.category for t in terms} == named


def test_cli_reference_adds_keyness(tmp_path):
    result = invoke("vocab", "suggest", SEED_000, "--reference", SEEDS / "003_9bdf75eb7510f3fc.txt", "-f", "csv", "-n", "10")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns)[-4:] == ["keyness", "reference_count", "doc_id", "example"]
    assert (frame.score == frame.keyness).all() and frame.keyness.is_monotonic_decreasing
    # 防汛抗旱物资 is not in 003 (grep) and 13 times in 000: among the most characteristic.
    rows = frame.set_index("candidate")
    assert rows.loc["防汛抗旱物资", "reference_count"] == 0 and rows.loc["防汛抗旱物资", "keyness"] > 0


def test_cli_errors():
    assert invoke("vocab", "suggest", SEED_000, "--min-count", "0").exit_code == 2
    missing = invoke("vocab", "suggest", "no/such/dir")
    assert missing.exit_code == 1 and "policyterms: error: no/such/dir" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_partition_merged_in_order_equals_its_documents_added_one_by_one():
    """What a worker sends for a partition (CorpusNgrams.merge): the same sums, in the same
    first-seen order, and the same first examples, as adding every document in turn."""
    documents = [("a.txt", TINY[:2]), ("b.txt", TINY[2:3]), ("c.txt", [TINY[3], TINY[0]])]
    one_by_one = corpus_of(*documents)
    merged = corpus_of(documents[0])
    merged.merge(corpus_of(*documents[1:]))
    assert merged == one_by_one
    assert list(merged.counts) == list(one_by_one.counts) and list(merged.examples) == list(one_by_one.examples)
    # 数字孪生: twice in a.txt, once in b.txt, once in c.txt's second sentence; its example is a.txt's first.
    assert merged.counts[("数字", "孪生")] == 4 and merged.documents[("数字", "孪生")] == 3
    assert merged.examples[("数字", "孪生")] == ("a.txt", "数字孪生技术。")
    # 数字经济 only in c.txt
    assert merged.examples[("数字", "经济")] == ("c.txt", "数字经济")


@pytest.mark.parametrize("size", [2, 5])
def test_suggestions_are_the_same_for_any_partition_size(seed_suggestions, monkeypatch, size):
    monkeypatch.setattr("policyterms.batch.partition_size", lambda total, jobs: size)
    again = suggest([SEEDS], top=None, min_count=3).candidates
    pd.testing.assert_frame_equal(seed_suggestions.candidates, again)


# Lists: siblings --------------------------------------------------------------------------------

# The sentence of the issue, and one of 2026 安徽 (benchmarks/documents, rl-wr-2026-anhui), in the
# tokens the project's segmenter gives them with the default vocabulary (its terms are one token).
ISSUE_SENTENCE = ["积极支持", "智能网", "联", "新能源汽车", "、", "海洋", "经济", "、", "低空经济", "、", "航空航天", "、",
                  "卫星互联网", "等", "产业", "发展"]
ANHUI = ["加速", "布局", "量子科技", "、", "生物制造", "、", "氢能", "和", "核聚变能", "、", "脑机接口", "等", "十大", "未来产业",
         "，", "加强", "与", "长三角", "、", "粤港澳", "大湾区", "在", "具身", "智能", "、", "低空经济", "、", "科技", "服务", "等", "领域"]


def test_list_items_are_trimmed_at_the_verb_that_opens_and_the_deng_that_closes():
    assert list_items(ISSUE_SENTENCE) == [[("智能网", "联", "新能源汽车"), ("海洋", "经济"), ("低空经济",), ("航空航天",), ("卫星互联网",)]]
    # 和 joins two items of a list; a part with a break (在) ends one list and starts the next
    assert list_items(ANHUI) == [
        [("量子科技",), ("生物制造",), ("氢能",), ("核聚变能",), ("脑机接口",)],
        [("长三角",), ("粤港澳", "大湾区")],
        [("具身", "智能"), ("低空经济",), ("科技", "服务")],
    ]
    assert list_items(["发展", "数字", "经济", "和", "实体", "经济"]) == []  # no 、: not a list
    assert list_items(["稳", "增长", "、", "防", "风险"]) == [[("增长",), ("防", "风险")]]  # a list of verbs: no vocabulary term will stand in it


def test_siblings_from_lists_and_category_by_siblings():
    known = {"新能源汽车": ("新能源汽车", ("新兴产业",)), "低空经济": ("低空经济", ("新兴产业",)),
             "卫星互联网": ("卫星互联网", ("未来信息",)), "量子科技": ("量子科技", ("未来信息",))}
    siblings = list_siblings([*list_items(ISSUE_SENTENCE), [("量子科技",), ("深空", "探测")]], known)
    # 智能网联新能源汽车 holds a vocabulary token: it is that term's item, not a candidate
    assert set(siblings.items) == {("海洋", "经济"), ("航空航天",), ("深空", "探测")}
    assert siblings.lists[("航空航天",)] == 1 and siblings.lists[("深空", "探测")] == 1
    # the issue's list: 3 terms beside 航空航天 (2 新兴产业, 1 未来信息): its one vote, shared
    assert siblings.votes[("航空航天",), "新兴产业"] == pytest.approx(2 / 3)
    assert siblings.votes[("航空航天",), "未来信息"] == pytest.approx(1 / 3)
    categories = ["新兴产业", "未来信息"]
    assert sibling_category(("航空航天",), siblings, categories) == "新兴产业"
    assert sibling_category(("深空", "探测"), siblings, categories) == "未来信息"
    assert sibling_category(("不在", "列表"), siblings, categories) == ""
    assert siblings.terms[("海洋", "经济"), "卫星互联网"] == 1
    # a clause that ends with a term is not the term's item: 党中央 has no sibling here
    clause = list_siblings([[("党中央",), ("国务院", "高度重视", "未来产业")]], {"未来产业": ("未来产业", ("政策概念",))})
    assert clause.items[("党中央",)] == 1 and clause.lists[("党中央",)] == 0 and not clause.votes


# Eight different words before and after each slogan and verb phrase, so that they are free at
# both ends, as in real reports (the same sentence repeated would give them no phrase score).
BEFORE = ["深入贯彻", "认真落实", "全面领会", "坚决维护", "始终牢记", "自觉践行", "持续深化", "努力完成"]
AFTER = ["重要指示", "殷切嘱托", "重要论述", "战略部署", "决策部署", "工作要求", "关心关怀", "光辉思想"]
LISTS = [
    "大力发展新能源汽车、海洋牧场、人工智能等产业。",
    "积极培育生物医药、海洋牧场、新材料等新兴产业。",
    "布局人工智能、新能源汽车、海洋牧场和生物医药。",
    "推动新材料、海洋牧场、新能源汽车等加快发展。",
]


def slogan_document(index: int) -> str:
    lines = []
    for k in (2 * index, 2 * index + 1):
        before, after = BEFORE[k], AFTER[k]
        lines.append(f"{before}习近平总书记{after}。{before}多措并举{after}。{before}加快构建{after}。")
    return "\n".join([lines[0], LISTS[index], lines[1]]) + "\n"


def test_slogans_and_generic_verbs_rank_below_a_domain_noun_of_the_lists(tmp_path, monkeypatch):
    """A fixture written for the purpose: four documents, each with one list sentence and each
    slogan and verb phrase twice, so 习近平总书记, 多措并举 and 加快构建 are seen 8 times, each time
    between other words, and 海洋牧场 4 times, always in a list beside vocabulary terms. Its
    category by reading: the lists' votes for 新兴产业 are 1/2 (新能源汽车 | 人工智能), 1 (生物医药,
    新材料), 2/3 (新能源汽车, 生物医药 | 人工智能) and 1; for 数字技术 1/2 + 1/3."""
    for index in range(4):
        (tmp_path / f"{index}.txt").write_text(slogan_document(index), encoding="utf-8")
    vocabulary = Vocabulary.from_terms([
        Term("新能源汽车", "新兴产业"), Term("生物医药", "新兴产业"), Term("新材料", "新兴产业"), Term("人工智能", "数字技术"),
    ])
    found = suggest([tmp_path], vocab=vocabulary, top=None, min_count=2).candidates.set_index("candidate")
    row = found.loc["海洋牧场"]
    assert (row["count"], row["documents"], row["lists"], row["category"]) == (4, 4, 4, "新兴产业")
    ranked = list(found.index)
    assert ranked[0] == "海洋牧场"
    for slogan in ("习近平总书记", "多措并举", "加快构建"):
        assert found.loc[slogan, "count"] == 8 and found.loc[slogan, "lists"] == 0 and found.loc[slogan, "phrase"] > 0
    # Without the lists' evidence 海洋牧场 scores 0 as a phrase (its neighbours are always 、: no
    # entropy) and the slogans, twice as frequent, lead: the lists do the work.
    assert found.loc["海洋牧场", "phrase"] == 0.0
    monkeypatch.setattr("policyterms.discover.LIST_WEIGHT", 0.0)
    monkeypatch.setattr("policyterms.discover.WORD_PHRASE", 0.0)
    monkeypatch.setattr("policyterms.discover.VERB_LED", 1.0)
    without = list(suggest([tmp_path], vocab=vocabulary, top=None, min_count=2).candidates.candidate)
    assert without[:3] == ["多措并举", "习近平总书记", "加快构建"]


def test_into_adds_under_categories_and_refuses_terms_already_there(tmp_path):
    original = (
        "# my vocabulary\n"
        "name: mine\n"
        "terms:\n"
        "  # ── 新兴产业 ──\n"
        "  - {term: 新能源汽车, category: 新兴产业}\n"
        "  - term: 生物医药   # keep this comment\n"
        "    category: 新兴产业\n"
        "\n"
        "  # ── 数字技术 ──\n"
        "  - {term: 人工智能, category: 数字技术, aliases: [AI]}\n"
    )
    frame = pd.DataFrame.from_records([
        {"candidate": "海洋牧场", "count": 4, "documents": 4, "lists": 4, "siblings": "新能源汽车", "doc_id": "0.txt", "example": "…", "category": "新兴产业"},
        {"candidate": "深空探测", "count": 3, "documents": 2, "lists": 1, "siblings": "卫星互联网", "doc_id": "1.txt", "example": "…", "category": "未来空间"},
        {"candidate": "前瞻布局", "count": 5, "documents": 3, "lists": 0, "siblings": "", "doc_id": "2.txt", "example": "…", "category": ""},
    ])
    merged = add_to_vocabulary(original, frame, source="mine.yaml")
    assert merged.splitlines() == [
        "# my vocabulary", "name: mine", "terms:", "  # ── 新兴产业 ──", "  - {term: 新能源汽车, category: 新兴产业}",
        "  - term: 生物医药   # keep this comment", "    category: 新兴产业",
        "  # 4× in 4 documents, beside 新能源汽车 in 4 lists, e.g. 0.txt: …", "  - {term: 海洋牧场, category: 新兴产业}",
        "", "  # ── 数字技术 ──", "  - {term: 人工智能, category: 数字技术, aliases: [AI]}",
        "  # ── 未来空间 (from vocab suggest) ──", "  # 3× in 2 documents, beside 卫星互联网 in 1 list, e.g. 1.txt: …",
        "  - {term: 深空探测, category: 未来空间}",
        "  # ── 待审 (from vocab suggest) ──", "  # 5× in 3 documents, e.g. 2.txt: …", "  - {term: 前瞻布局, category: 待审}",
    ]
    path = tmp_path / "mine.yaml"
    path.write_text(merged, encoding="utf-8")
    assert [(t.name, t.category) for t in load_vocabulary(path).terms][-3:] == [("人工智能", "数字技术"), ("深空探测", "未来空间"), ("前瞻布局", "待审")]
    clash = frame.assign(candidate=["海洋牧场", "ai", "新能源汽车"])
    with pytest.raises(VocabularyError) as error:
        add_to_vocabulary(original, clash, source="mine.yaml")
    assert error.value.problems == ["mine.yaml: ai is already there (as 人工智能)", "mine.yaml: 新能源汽车 is already there (as 新能源汽车)"]


def test_cli_into_refuses_a_term_already_there_and_leaves_the_file(tmp_path, fake_suggest, seed_suggestions):
    first = seed_suggestions.candidates.candidate[0]
    target = tmp_path / "mine.yaml"
    text = f"name: mine\nterms:\n  - {{term: {first}, category: 已有}}\n"
    target.write_text(text, encoding="utf-8")
    result = invoke("vocab", "suggest", SEEDS, "--top", "3", "--into", target, "-q")
    assert result.exit_code == 1
    assert f"{target}: {first} is already there (as {first})" in result.stderr
    assert target.read_text(encoding="utf-8") == text
    target.write_text("name: mine\nterms:\n  - {term: 未来产业X, category: 已有}\n", encoding="utf-8")
    assert invoke("vocab", "suggest", SEEDS, "--top", "3", "--into", target, "-q").exit_code == 0
    assert len(load_vocabulary(target)) == 4


def test_cli_yaml_and_into_write_nothing_without_candidates(tmp_path):
    text = tmp_path / "one.txt"
    text.write_text("没有列表的文本。\n", encoding="utf-8")  # no phrase seen 3 times: no candidate
    mine = tmp_path / "mine.yaml"
    mine.write_text("terms:\n  - {term: 未来产业, category: 政策概念}\n", encoding="utf-8")
    result = invoke("vocab", "suggest", text, "--yaml", tmp_path / "new.yaml", "--into", mine, "-q")
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "new.yaml").exists()
    assert mine.read_text(encoding="utf-8") == "terms:\n  - {term: 未来产业, category: 政策概念}\n"
    assert result.stderr == (f"policyterms: warning: {tmp_path / 'new.yaml'}: no candidates, nothing written\n"
                             f"policyterms: warning: {mine}: no candidates, nothing written\n")


def test_a_candidate_s_head_names_its_category_where_the_vocabulary_s_names_agree():
    vocabulary = Vocabulary.from_terms([
        Term("核聚变能", "未来能源"), Term("生物质能", "未来能源"), Term("人工智能", "数字技术"),
        Term("类脑智能", "未来信息"), Term("智能制造", "未来制造"), Term("纳米制造", "未来制造"),
        Term("太空制造", "未来空间"), Term("数字经济", "政策概念"),
    ])
    heads = vocabulary_heads(vocabulary)
    assert heads["制造"] == Counter({"未来制造": 2, "未来空间": 1}) and heads["能"]["未来能源"] == 2
    assert head_category("生物制造", heads) == "未来制造"  # 制造: 2 of 未来制造 against 1
    assert head_category("氢能", heads) == "未来能源"  # 能: 核聚变能, 生物质能 (人工智能, 类脑智能: one each)
    assert head_category("新型储能", heads) == ""  # no name ends in 储能 (能 of a longer name says too little)
    assert head_category("专精特新", heads) == ""
    assert head_category("具身智能", heads) == ""  # 智能: one name in each of two categories
    assert head_category("低空经济", heads) == ""  # 经济: one name only
    assert head_category("脑机接口", heads) == ""  # no name ends in 接口 or 口
