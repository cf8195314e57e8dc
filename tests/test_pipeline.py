"""count() end to end on seed text, with numbers read off the text."""

import pytest

from conftest import SEEDS

import policyterms
from policyterms import Term, Vocabulary
from policyterms.batch import InputOptions

# 000, paragraph "第一，加强统筹谋划。…": one sentence names 量子科技 … 第六代移动通信, a later sentence
# of the same paragraph names 未来产业 (in "我国未来产业发展的主攻方向").
PARAGRAPH = (
    "第一，加强统筹谋划。未来产业具有前瞻性、战略性、颠覆性等特点，需要科学谋划、全局统筹。"
    "党的二十届四中全会提出，要推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能、第六代移动通信等成为新的经济增长点。"
    "这些领域是“十五五”时期我国未来产业发展的主攻方向，要聚焦发力、精准施策，确保取得明显进展。\n\n"
    "第二，坚持以科技创新为引领。"
)
VOCAB = Vocabulary.from_terms([Term("量子科技"), Term("核聚变能"), Term("十五五"), Term("未来产业"), Term("科技创新")])


def run(tmp_path, text, **options):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return policyterms.count([path], vocab=VOCAB, **options)


def pairs(result):
    return {(a, b): n for a, b, n in zip(result.cooccurrence.term_a, result.cooccurrence.term_b, result.cooccurrence["count"])}


def test_frequencies(tmp_path):
    result = run(tmp_path, PARAGRAPH)
    freq = dict(zip(result.frequencies.term, result.frequencies["count"]))
    # 未来产业: "未来产业具有…" and "我国未来产业发展" = 2
    assert freq == {"量子科技": 1, "核聚变能": 1, "十五五": 1, "未来产业": 2, "科技创新": 1}


def test_sentence_cooccurrence(tmp_path):
    assert pairs(run(tmp_path, PARAGRAPH)) == {("量子科技", "核聚变能"): 1, ("十五五", "未来产业"): 1}


def test_paragraph_cooccurrence(tmp_path):
    # first paragraph holds 量子科技, 核聚变能, 十五五, 未来产业; 科技创新 is alone in the second
    got = pairs(run(tmp_path, PARAGRAPH, unit="paragraph"))
    assert got == {
        ("量子科技", "核聚变能"): 1, ("量子科技", "十五五"): 1, ("量子科技", "未来产业"): 1,
        ("核聚变能", "十五五"): 1, ("核聚变能", "未来产业"): 1, ("十五五", "未来产业"): 1,
    }


def test_document_cooccurrence(tmp_path):
    got = pairs(run(tmp_path, PARAGRAPH, unit="document"))
    assert len(got) == 10 and set(got.values()) == {1}


def test_window_cooccurrence(tmp_path):
    # tokens: 要/推动/量子科技/、/生物/制造/、/氢能/和/核聚变能 → 量子科技 and 核聚变能 are 7 tokens apart
    text = "要推动量子科技、生物制造、氢能和核聚变能"
    assert pairs(run(tmp_path, text, unit="window", window=7)) == {("量子科技", "核聚变能"): 1}
    assert pairs(run(tmp_path, text, unit="window", window=6)) == {}


def test_documents_table_and_errors(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("---\ntitle: 标题\ndate: 2026-06-01\nsource: 人民日报\n---\n发展未来产业。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = policyterms.count([good, empty, tmp_path / "missing.txt"], vocab=VOCAB)
    assert result.documents.values.tolist() == [[str(good), "标题", "front matter", "2026-06-01", "front matter", "", "人民日报", 7, 1]]
    assert [str(e) for e in result.errors] == [f"{empty}: empty file", f"{tmp_path / 'missing.txt'}: no such file or directory"]


def test_seed_003_counts_its_own_text_only():
    # The front matter's title "求是网：前瞻布局和发展未来产业" is metadata, not text: the
    # body has 求是网 on lines 9 (# heading), 15 (Title:), 20 (setext heading), 57 (page title)
    # and 63 (the byline "求是网") = 5; line 2 (front matter) is not counted.
    result = policyterms.count([SEEDS / "003_9bdf75eb7510f3fc.txt"], vocab=Vocabulary.from_terms(["求是网"]))
    assert result.frequencies["count"].tolist() == [5]


def test_output_is_deterministic():
    one = policyterms.count([SEEDS], group_by="month")
    two = policyterms.count([SEEDS], group_by="month")
    made = [name for name in policyterms.TABLES if name != "scores"]  # scores: only when asked for
    assert list(one.tables()) == made
    for name in made:
        assert one.tables()[name].equals(two.tables()[name])


def _pair_count(result, a, b):
    rows = result.cooccurrence[(result.cooccurrence.term_a == a) & (result.cooccurrence.term_b == b)]
    return int(rows["count"].sum())


def test_seed_000_cooccurrence_per_unit_with_the_default_vocabulary():
    # 000 names 未来产业 and 新兴产业 together in two sentences of the paragraph "第一，加强统筹谋划":
    # "未来产业与传统产业、新兴产业相辅相成…未来产业、新兴产业发展就会有后劲。" and
    # "…推动未来产业同新兴产业、传统产业相得益彰。" (新兴领域 elsewhere is not 新兴产业).
    path = [SEEDS / "000_f7f3963a21b11a20.txt"]
    assert _pair_count(policyterms.count(path), "未来产业", "新兴产业") == 2
    assert _pair_count(policyterms.count(path, unit="paragraph"), "未来产业", "新兴产业") == 1
    assert _pair_count(policyterms.count(path, unit="document"), "未来产业", "新兴产业") == 1
    # the six directions' sentence: 生物制造 with 量子科技 once, 氢能 with 核聚变能 once; pairs are in
    # vocabulary order (生物制造 is filed under 未来制造, which comes before 未来信息's 量子科技)
    sentence = policyterms.count(path)
    assert _pair_count(sentence, "生物制造", "量子科技") == 1 and _pair_count(sentence, "氢能", "核聚变能") == 1
    assert _pair_count(sentence, "量子科技", "生物制造") == 0


def test_seed_003_shadowed_matches_are_reported_not_counted():
    # 003: "人形机器人" is the only 机器人 (hidden), and "生成式人工智能" hides one of its two 人工智能
    # (the other is in the news list: "加快招标投标领域人工智能推广应用", navigation that cleaning
    # drops; it counts only with keep_boilerplate).
    result = policyterms.count([SEEDS / "003_9bdf75eb7510f3fc.txt"], shadowed=True)
    rows = result.frequencies.set_index("term")
    assert rows.loc["机器人", "count"] == 0 and rows.loc["机器人", "shadowed"] == 1
    assert rows.loc["人工智能", "count"] == 0 and rows.loc["人工智能", "shadowed"] == 1
    kept = policyterms.count([SEEDS / "003_9bdf75eb7510f3fc.txt"], shadowed=True,
                             inputs=InputOptions(keep_boilerplate=True)).frequencies.set_index("term")
    assert kept.loc["人工智能", "count"] == 1 and kept.loc["人工智能", "shadowed"] == 1
    assert rows.loc["人形机器人", "count"] == 1 and rows.loc["人形机器人", "shadowed"] == 0


def test_windows_line_endings_count_the_same(tmp_path):
    text = "---\ntitle: 标题\n---\n" + PARAGRAPH
    unix = run(tmp_path, text, unit="paragraph")
    windows = run(tmp_path, text.replace("\n", "\r\n"), unit="paragraph")
    assert windows.documents.title.tolist() == ["标题"]
    assert windows.frequencies.equals(unix.frequencies)
    assert windows.cooccurrence.equals(unix.cooccurrence)


def test_only_the_tables_asked_for_are_built(tmp_path):
    result = run(tmp_path, PARAGRAPH, tables=["frequencies"])
    assert result.cooccurrence is None and result.documents is None
    assert dict(zip(result.frequencies.term, result.frequencies["count"]))["未来产业"] == 2
    import pytest

    with pytest.raises(policyterms.PolicytermsError, match="not computed in this run: totals"):
        result.tables(["frequencies", "totals"])
    with pytest.raises(policyterms.PolicytermsError, match="unknown table"):
        run(tmp_path, PARAGRAPH, tables=["frequency"])


def test_documents_stream_through_memory_does_not_grow_with_their_number(tmp_path):
    """Issue 3: a worker reads, counts and forgets each document; only its counts are kept.
    CSV exports of 1,000 and 3,000 rows of 16 KB each (16 and 47 MB): if the texts were kept (or
    the rows read ahead), the peak of Python's allocations would grow by 16 KB a row; streaming,
    it grows only by what the tables keep of a row (its counts: well under 2 KB)."""
    import csv
    import tracemalloc

    text = PARAGRAPH * 32  # 5,312 characters, 16 KB of UTF-8

    def peak_for(rows: int) -> int:
        export = tmp_path / f"export-{rows}.csv"
        with open(export, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows((f"doc-{number}", text) for number in range(rows))
        tracemalloc.start()
        try:
            result = policyterms.count([export], vocab=VOCAB, tables=["frequencies"], jobs=1)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # every row: 量子科技, 核聚变能, 十五五, 未来产业 (×2) and 科技创新 32 times each
        assert result.summary.documents == rows and result.frequencies["count"].sum() == rows * 32 * 6
        return peak

    small, large = peak_for(1000), peak_for(3000)
    per_row = (large - small) / 2000
    assert per_row < 2000, f"peak grew by {per_row:,.0f} bytes a row ({small:,} → {large:,})"
    assert large < 47_000_000 / 5


# A tiny corpus for the association measures. Document one has 4 sentences: 量子科技 in 2,
# 人工智能 in 2, 生物制造 in 1; 量子科技+人工智能 share 1, 人工智能+生物制造 share 1.
# Document two is one sentence with 量子科技 and 人工智能.
TINY = ("量子科技和人工智能。量子科技。人工智能与生物制造。其他内容。", "量子科技和人工智能。")
TINY_VOCAB = Vocabulary.from_terms([Term("量子科技"), Term("人工智能"), Term("生物制造")])


def tiny_cooc(tmp_path, **options):
    paths = []
    for index, text in enumerate(TINY, 1):
        path = tmp_path / f"d{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return policyterms.cooc(paths, vocab=TINY_VOCAB, **options)


def test_cooc_measures_per_document_and_over_the_corpus(tmp_path):
    result = tiny_cooc(tmp_path)
    first = result.cooccurrence[result.cooccurrence.doc_id.str.endswith("d1.txt")]
    rows = first.drop(columns=["doc_id", "unit"]).to_dict("records")
    assert rows == [  # measures.py's tests work these two out by hand
        {"term_a": "量子科技", "term_b": "人工智能", "count": 1, "units": 4, "count_a": 2, "count_b": 2,
         "jaccard": 0.333333, "dice": 0.5, "pmi": 0.0, "npmi": 0.0, "g2": 0.0},
        {"term_a": "人工智能", "term_b": "生物制造", "count": 1, "units": 4, "count_a": 2, "count_b": 1,
         "jaccard": 0.5, "dice": 0.666667, "pmi": 1.0, "npmi": 0.5, "g2": 1.726092},
    ]
    # Corpus: 5 units; 量子科技 in 3, 人工智能 in 3, both in 2 (table 2 1 / 1 1, expected 1.8 1.2 / 1.2 0.8).
    # PMI = log2(2·5/9) = 0.152003; NPMI = 0.152003 / −log2(2/5) = 0.152003 / 1.321928 = 0.114986;
    # G² = 2(2·ln(2/1.8) + 2·ln(1/1.2) + ln(1/0.8)) = 2(0.210721 − 0.364643 + 0.223144) = 0.138443.
    corpus = result.cooccurrence_totals.drop(columns=["unit"]).to_dict("records")
    assert corpus[0] == {"term_a": "量子科技", "term_b": "人工智能", "count": 2, "documents": 2, "units": 5,
                         "count_a": 3, "count_b": 3, "jaccard": 0.5, "dice": 0.666667, "pmi": 0.152003,
                         "npmi": 0.114986, "g2": 0.138443}


def test_cooc_min_count_sort_and_top(tmp_path):
    assert list(tiny_cooc(tmp_path, min_count=2).cooccurrence_totals.term_b) == ["人工智能"]
    by_pmi = tiny_cooc(tmp_path, sort="pmi", top=1)
    assert list(by_pmi.cooccurrence_totals.term_b) == ["生物制造"]  # PMI log2(5/3) beats 0.152003
    assert list(by_pmi.cooccurrence.term_b) == ["生物制造", "人工智能"]  # the best pair of each document


def test_cooc_refuses_windows_and_unknown_measures(tmp_path):
    for options in ({"unit": "window"}, {"sort": "tscore"}, {"top": 0}):
        with pytest.raises(policyterms.PolicytermsError):
            tiny_cooc(tmp_path, **options)


def test_group_by_month_sums_the_documents_of_each_month():
    # Dates of the seeds' articles (test_readers_articles, README): 003 2026-02-11; 004#2 2026-04-16
    # (光明日报); 000#1, 001#1-#3, 004#1 2026-06-01; 001#4 2026-05-29 and 002#3 2026-01-30 have no hit
    # at all, so no row; 000#2, 000#3, 002#1, 002#2 have no date. 未来产业 per article
    # (test_seed_counts.ARTICLES): 003 36, 004#2 27; 000#1 26, 001#1 26, 001#2 14, 001#3 0, 004#1 63.
    groups = policyterms.count([SEEDS], group_by="month", tables=["groups"]).groups
    future = groups[groups.term == "未来产业"].set_index("group")
    assert list(groups.group.unique()) == ["2026-02", "2026-04", "2026-06", ""]  # no date: last
    assert future.loc["2026-02", ["group_documents", "count", "documents"]].tolist() == [1, 36, 1]
    assert future.loc["2026-04", ["group_documents", "count", "documents"]].tolist() == [1, 27, 1]
    assert future.loc["2026-06", ["group_documents", "count", "documents"]].tolist() == [5, 26 + 26 + 14 + 63, 4]
    year = policyterms.count([SEEDS], group_by="year", tables=["groups"]).groups
    assert year[year.term == "未来产业"].set_index("group").loc["2026", "count"] == 36 + 156


def test_group_by_a_front_matter_field(tmp_path):
    for name, province, text in (("a.md", "北京", "量子科技。"), ("b.md", "上海", "量子科技、量子科技。"),
                                 ("c.md", "北京", "量子科技。")):
        (tmp_path / name).write_text(f"---\nprovince: {province}\n---\n{text}", encoding="utf-8")
    groups = policyterms.count([tmp_path], vocab=VOCAB, group_by="province", tables=["groups"]).groups
    assert groups[["group", "group_documents", "count", "documents"]].values.tolist() == [
        ["上海", 1, 2, 1], ["北京", 2, 2, 2]]  # groups sort by code point: 上 U+4E0A before 北 U+5317
    with pytest.raises(policyterms.PolicytermsError):
        policyterms.count([tmp_path], vocab=VOCAB, tables=["groups"])


def write_documents(tmp_path, *texts):
    paths = []
    for index, text in enumerate(texts, 1):
        path = tmp_path / f"d{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_rates_per_token_share_and_tfidf(tmp_path):
    # jieba with the vocabulary added cuts 量子科技/和/人工智能/。 (3 word tokens) and 量子科技/。 (1).
    vocab = Vocabulary.from_terms([Term("量子科技", "未来信息"), Term("人工智能", "数字技术")])
    paths = write_documents(tmp_path, "量子科技和人工智能。", "量子科技。")
    result = policyterms.count(paths, vocab=vocab, rates=True, tables=["frequencies", "totals"])
    rows = result.frequencies.drop(columns=["doc_id", "category"]).to_dict("records")
    assert rows == [
        # 10 characters, 1 of 3 tokens = 3,333.333 per 10,000; half the document's hits; in both documents: log10(2/2) = 0
        {"term": "量子科技", "count": 1, "per_10k_chars": 1000.0, "per_10k_tokens": 3333.333, "share": 0.5, "tfidf": 0.0},
        # in one document of two: 1 × log10(2) = 0.30103
        {"term": "人工智能", "count": 1, "per_10k_chars": 1000.0, "per_10k_tokens": 3333.333, "share": 0.5, "tfidf": 0.30103},
        {"term": "量子科技", "count": 1, "per_10k_chars": 2000.0, "per_10k_tokens": 10000.0, "share": 1.0, "tfidf": 0.0},
    ]
    totals = result.totals.set_index("term")
    # corpus: 4 tokens, 3 hits; 量子科技 2 of them
    assert totals.loc["量子科技", ["per_10k_tokens", "share"]].tolist() == [5000.0, 0.666667]


def test_category_level_counts_each_hit_for_its_category(tmp_path):
    vocab = Vocabulary.from_terms([Term("量子科技", "未来信息"), Term("第六代移动通信", "未来信息", ("6G",)),
                                   Term("氢能", "未来能源"), Term("核聚变能", "未来能源", ("核聚变",))])
    # Sentence 1: two 未来信息 terms (no pair of categories); sentence 2: one of each category;
    # 核聚变 inside 核聚变能 is one hit, as at term level.
    paths = write_documents(tmp_path, "量子科技和6G。量子科技与氢能和核聚变能。")
    result = policyterms.count(paths, vocab=vocab, level="category")
    assert result.frequencies[["category", "count"]].values.tolist() == [["未来信息", 3], ["未来能源", 2]]
    assert list(result.frequencies.columns) == ["doc_id", "category", "count", "per_10k_chars"]
    assert result.cooccurrence[["category_a", "category_b", "count"]].values.tolist() == [["未来信息", "未来能源", 1]]
    with pytest.raises(policyterms.PolicytermsError):
        policyterms.count(paths, vocab=vocab, level="category", store=tmp_path / "r.db")


def test_category_totals_are_the_sums_of_their_terms_on_the_seeds():
    terms = policyterms.count([SEEDS], tables=["totals"]).totals
    categories = policyterms.count([SEEDS], level="category", tables=["totals"]).totals
    sums = terms.groupby("category", sort=False)["count"].sum()
    assert dict(zip(categories.category, categories["count"])) == sums.to_dict()


def test_cooc_on_seed_004_read_off_the_text():
    # 专精特新 and 独角兽企业 meet in 4 sentences of 004, and neither appears in any other sentence:
    # "专精特新“小巨人”企业和独角兽企业群体加速涌现。"; "累计培育专精特新…集\n\n中涌现出一批优秀独角兽企业…"
    # (one sentence across a page break); "健全优质企业梯度培育体系，…专精特新中小企业…支持独角兽企业、瞪羚企业发展。";
    # "在加快建设全国统一大市场的契机下，…支持专精特新中小企业发展壮大，培育更多独角兽企业。"
    # So n_ab = n_a = n_b = 4: Jaccard = Dice = NPMI = 1 whatever the number of sentences.
    edges = policyterms.cooc([SEEDS / "004_a0e03639a4100763.txt"]).cooccurrence_totals
    pair = edges[(edges.term_a == "专精特新") & (edges.term_b == "独角兽企业")].iloc[0]
    assert (pair["count"], pair.count_a, pair.count_b, pair.jaccard, pair.dice, pair.npmi) == (4, 4, 4, 1.0, 1.0, 1.0)


# A vocabulary with a term in two categories and nested categories (vocab.py), on three sentences:
# 1 量子科技 (未来产业/未来信息) and 核聚变能 (未来产业/未来能源); 2 人工智能 (数字技术 and
# 未来产业/未来信息); 3 数字经济 (数字技术) — 数字化 is no term.
SEVERAL = Vocabulary.from_terms([
    Term("人工智能", ("数字技术", "未来产业/未来信息"), ("AI",)), Term("量子科技", "未来产业/未来信息"),
    Term("核聚变能", "未来产业/未来能源"), Term("数字经济", "数字技术"),
])
SEVERAL_TEXT = "加快发展量子科技等未来产业，推进核聚变能产业化。人工智能赋能智能制造。数字经济规模持续扩大，数字化转型深入推进。"


def test_a_term_in_two_categories_is_one_term_and_counts_in_each_category(tmp_path):
    paths = write_documents(tmp_path, SEVERAL_TEXT)
    terms = policyterms.count(paths, vocab=SEVERAL, tables=["frequencies", "totals"])
    assert terms.frequencies[["term", "category", "count"]].values.tolist() == [
        ["人工智能", "数字技术; 未来产业/未来信息", 1], ["量子科技", "未来产业/未来信息", 1],
        ["核聚变能", "未来产业/未来能源", 1], ["数字经济", "数字技术", 1],
    ]
    assert terms.summary.hits == 4
    categories = policyterms.count(paths, vocab=SEVERAL, level="category")
    # 数字技术: 人工智能 + 数字经济; 未来信息: 人工智能 + 量子科技; 未来能源: 核聚变能.
    assert categories.frequencies[["category", "count"]].values.tolist() == [
        ["数字技术", 2], ["未来产业/未来信息", 2], ["未来产业/未来能源", 1],
    ]
    # Sentence 1 holds 未来信息 and 未来能源; sentence 2's one hit is in 数字技术 and 未来信息.
    assert categories.cooccurrence[["category_a", "category_b", "count"]].values.tolist() == [
        ["数字技术", "未来产业/未来信息", 1], ["未来产业/未来信息", "未来产业/未来能源", 1],
    ]


def test_category_level_n_rolls_nested_categories_up(tmp_path):
    paths = write_documents(tmp_path, SEVERAL_TEXT)
    rolled = policyterms.count(paths, vocab=SEVERAL, level="category:1")
    # 未来产业 (from 未来信息 and 未来能源): 量子科技, 核聚变能, 人工智能; 数字技术: 人工智能, 数字经济.
    assert rolled.frequencies[["category", "count"]].values.tolist() == [["数字技术", 2], ["未来产业", 3]]
    # Sentence 1: only 未来产业 (no pair); sentence 2: 人工智能 is in both.
    assert rolled.cooccurrence[["category_a", "category_b", "count"]].values.tolist() == [["数字技术", "未来产业", 1]]
    assert policyterms.count(paths, vocab=SEVERAL, level="category:2").frequencies["count"].tolist() == [2, 2, 1]


@pytest.mark.parametrize("level", ["categories", "category:0", "category:x", "term:1"])
def test_unknown_levels_are_refused(tmp_path, level):
    with pytest.raises(policyterms.PolicytermsError, match="unknown level"):
        policyterms.count(write_documents(tmp_path, "量子科技。"), vocab=SEVERAL, level=level)
