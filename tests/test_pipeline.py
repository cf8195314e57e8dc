"""count() end to end on seed text, with numbers read off the text."""

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
    assert result.documents.values.tolist() == [[str(good), "标题", "2026-06-01", "人民日报", 7, 1]]
    assert [str(e) for e in result.errors] == [f"{empty}: empty file", f"{tmp_path / 'missing.txt'}: no such file or directory"]


def test_seed_003_counts_its_own_text_only():
    # The front matter's title "求是网：前瞻布局和发展未来产业" is metadata, not text: the
    # body has 求是网 on lines 9 (# heading), 15 (Title:), 20 (setext heading), 57 (page title)
    # and 63 (the byline "求是网") = 5; line 2 (front matter) is not counted.
    result = policyterms.count([SEEDS / "003_9bdf75eb7510f3fc.txt"], vocab=Vocabulary.from_terms(["求是网"]))
    assert result.frequencies["count"].tolist() == [5]


def test_output_is_deterministic():
    one = policyterms.count([SEEDS])
    two = policyterms.count([SEEDS])
    for name in policyterms.TABLES:
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
