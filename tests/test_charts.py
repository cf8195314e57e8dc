"""charts.py: the numbers the pictures show, on small tables whose answers are worked out by hand."""

import pandas as pd
import pytest

from policyterms import charts
from policyterms.errors import PolicytermsError

DOCUMENTS = pd.DataFrame({
    "doc_id": ["a.txt", "b.txt", "c.txt", "d.txt"],
    "title": ["A", "B", "C", "D"],
    "date": ["2026-01-05", "2026-01-20", "2026-02-01", ""],
    "source": ["", "", "", ""],
    "chars": [10_000, 5_000, 20_000, 1_000],
    "hits": [4, 2, 1, 1],
})
FREQUENCIES = pd.DataFrame({
    "doc_id": ["a.txt", "a.txt", "b.txt", "c.txt", "d.txt"],
    "term": ["未来产业", "量子科技", "量子科技", "未来产业", "脑机接口"],
    "category": ["政策", "未来信息", "未来信息", "政策", "未来健康"],
    "count": [3, 1, 2, 1, 1],
})
TOTALS = pd.DataFrame({  # vocabulary order: 未来产业, 量子科技, 脑机接口, 氢能 (no hit)
    "term": ["未来产业", "量子科技", "脑机接口", "氢能"],
    "category": ["政策", "未来信息", "未来健康", "未来能源"],
    "count": [4, 3, 1, 0],
    "documents": [2, 2, 1, 0],
})
PAIRS = pd.DataFrame({
    "term_a": ["未来产业", "未来产业", "量子科技"],
    "term_b": ["量子科技", "脑机接口", "脑机接口"],
    "unit": ["sentence"] * 3,
    "count": [1, 3, 3],
    "documents": [1, 1, 1],
    "npmi": [0.9, 0.2, 0.5],
})


def test_matrix_has_every_document_in_input_order_and_rates_per_10k_chars():
    matrix = charts.term_matrix(FREQUENCIES, DOCUMENTS, ["未来产业", "量子科技"])
    assert list(matrix.counts.index) == ["a.txt", "b.txt", "c.txt", "d.txt"]  # d has neither term: a row of zeros
    assert matrix.counts.to_numpy().tolist() == [[3, 1], [0, 2], [1, 0], [0, 0]]
    # 3 in 10,000 chars = 3.0; 2 in 5,000 = 4.0; 1 in 20,000 = 0.5
    assert matrix.rates.to_numpy().tolist() == [[3.0, 1.0], [0.0, 4.0], [0.5, 0.0], [0.0, 0.0]]


def test_top_terms_keeps_vocabulary_order_and_drops_terms_without_hits():
    assert charts.top_terms(TOTALS, None) == ["未来产业", "量子科技", "脑机接口"]
    assert charts.top_terms(TOTALS, 2) == ["未来产业", "量子科技"]
    ties = TOTALS.assign(count=[1, 2, 2, 0])
    assert charts.top_terms(ties, 1) == ["量子科技"]  # 量子科技 and 脑机接口 tie at 2: the earlier term wins


def test_check_measure():
    charts.check_measure("npmi", "sentence")
    charts.check_measure("count", "window")
    with pytest.raises(PolicytermsError, match="windows overlap"):
        charts.check_measure("g2", "window")
    with pytest.raises(PolicytermsError, match="unknown measure 'mi'"):
        charts.check_measure("mi", "sentence")


def test_network_nodes_are_the_terms_found_and_edges_the_pairs_given():
    graph = charts.network(TOTALS, PAIRS.head(2), measure="count")
    assert sorted(graph.nodes) == sorted(["未来产业", "量子科技", "脑机接口"])  # 氢能 has no hit: no node
    assert graph.nodes["未来产业"]["count"] == 4 and graph.nodes["未来产业"]["category"] == "政策"
    assert graph.nodes["未来产业"]["size"] == charts.NODE_SIZE[1] and graph.nodes["脑机接口"]["size"] == charts.NODE_SIZE[0]
    assert graph.edges["未来产业", "脑机接口"]["width"] == charts.EDGE_WIDTH[1]  # count 3: the widest
    assert graph.edges["未来产业", "量子科技"]["width"] == charts.EDGE_WIDTH[0]  # count 1: the thinnest
    assert graph.nodes["未来产业"]["colour"] != graph.nodes["量子科技"]["colour"]  # two categories, two colours


def test_network_without_isolated_terms_and_a_stable_layout():
    pairs = PAIRS.head(1)  # 未来产业–量子科技 only
    graph = charts.network(TOTALS, pairs, measure="count", isolated=False)
    assert sorted(graph.nodes) == sorted(["未来产业", "量子科技"])
    again = charts.network(TOTALS, pairs, measure="count", isolated=False)
    assert dict(graph.nodes(data="pos")) == dict(again.nodes(data="pos"))


GROUPS = pd.DataFrame({  # count(group_by="month")'s groups table for DOCUMENTS and FREQUENCIES
    "group_by": ["month"] * 5,
    "group": ["2026-01", "2026-01", "2026-02", "", ""],
    "group_documents": [2, 2, 1, 1, 1],
    "term": ["未来产业", "量子科技", "未来产业", "脑机接口", "未来产业"],
    "category": ["政策", "未来信息", "政策", "未来健康", "政策"],
    "count": [3, 3, 1, 1, 1],
    "documents": [1, 2, 1, 1, 1],
    "per_10k_chars": [2.0, 2.0, 0.5, 10.0, 10.0],
})


def test_trend_table_leaves_out_undated_documents_and_orders_the_terms():
    table = charts.trend_table(GROUPS, ["量子科技", "未来产业", "脑机接口"])
    assert list(zip(table.group, table.term)) == [("2026-01", "量子科技"), ("2026-01", "未来产业"), ("2026-02", "未来产业")]
    assert charts.trend_table(GROUPS, ["脑机接口"]).empty  # its only hit is in the undated group ""


def test_trend_from_counts_groups_table(tmp_path):
    """The groups table of a real count has what trend_table reads: dates from front matter."""
    import policyterms

    (tmp_path / "a.md").write_text("---\ndate: 2026-01-10\n---\n未来产业和量子科技。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ndate: 2026-03-02\n---\n未来产业。未来产业。\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("量子科技。\n", encoding="utf-8")
    vocab = policyterms.Vocabulary.from_terms([policyterms.Term("未来产业", "政策"), policyterms.Term("量子科技", "未来信息")])
    result = policyterms.count([tmp_path], vocab=vocab, group_by="month")
    table = charts.trend_table(result.groups, ["未来产业", "量子科技"])
    assert list(zip(table.group, table.term, table["count"])) == [
        ("2026-01", "未来产业", 1), ("2026-01", "量子科技", 1), ("2026-03", "未来产业", 2),
    ]


def test_document_labels_are_unique():
    frame = pd.DataFrame({"doc_id": ["a.txt", "b.txt", "a.txt"]})
    assert charts.document_labels(frame) == ["a.txt", "b.txt", "a.txt #2"]


def test_category_colours_follow_the_vocabulary_order():
    colours = charts.category_colours(["政策", "未来信息", "政策"])
    assert colours == {"政策": charts.PALETTE[0], "未来信息": charts.PALETTE[1]}


# x-ray -------------------------------------------------------------------------------------


def test_xray_points_are_each_hits_start_over_the_documents_length():
    from pathlib import Path

    import policyterms
    from policyterms import InputOptions, TableColumns

    fixtures = Path(__file__).parent / "fixtures" / "indices"
    result = policyterms.count([str(fixtures / "reports.csv")], vocab=fixtures / "epu.yaml", evidence=True,
                               inputs=InputOptions(columns=TableColumns(id="id")))
    points = charts.xray_points(result.counts, result.vocabulary, ["经济", "政策", "不确定性", "人工智能"])
    rows = [tuple(r) for r in points[points["doc_id"].isin(["d1", "d2"])][["doc_id", "term", "start", "position"]].itertuples(index=False)]
    assert rows == [
        # d1 "经济运行总体平稳。政策不确定性有所上升。", 20 characters: 经济 at 0, 政策 at 9, 不确定性 at 11
        ("d1", "经济", 0, 0.0), ("d1", "政策", 9, 0.45), ("d1", "不确定性", 11, 0.55),
        # d2 "经济政策不确定性加大。发展人工智能。", 18 characters: 0, 2, 4 and 13 (发展 at 11)
        ("d2", "经济", 0, 0.0), ("d2", "政策", 2, 0.111111), ("d2", "不确定性", 4, 0.222222), ("d2", "人工智能", 13, 0.722222),
    ]
    # 量子科技 was not asked for: d4 ("量子科技加快突破。") has no point
    assert "d4" not in set(points["doc_id"])


def test_short_document_labels_drop_the_shared_folders_and_cut_long_names_in_the_middle():
    ids = ["/data/2026/2026_新疆维吾尔自治区人民政府办公厅_政府工作报告.txt", "/data/2026/news.html#2", "/data/2026/news.html#2"]
    # 31 characters → the first 13, "…", the last 14; the repeated id made unique as document_labels does
    assert charts.short_document_labels(ids) == ["2026_新疆维吾尔自治区…办公厅_政府工作报告.txt", "news.html#2", "news.html#2 #2"]
    assert charts.short_document_labels(["a/x.txt", "b/x.txt"]) == ["a/x.txt", "b/x.txt"]  # no shared folder
    assert charts.short_document_labels(["-"]) == ["-"]
    # a cut that would make two labels alike is not made
    alike = ["d/报告甲乙丙丁戊己庚之一的文件啊.txt", "d/报告甲乙丙丁戊己庚之二的文件啊.txt"]  # both would be 报告甲乙丙…件啊.txt
    assert charts.short_document_labels(alike, limit=12) == ["报告甲乙丙丁戊己庚之一的文件啊.txt", "报告甲乙丙丁戊己庚之二的文件啊.txt"]
    assert charts.short_document_labels(alike[:1], limit=12) == ["报告甲乙丙…件啊.txt"]


def test_top_documents_by_hits_listed_in_input_order():
    points = pd.DataFrame({"doc_id": ["a", "a", "b", "c", "c", "c", "d", "d"]})  # hits: a 2, b 1, c 3, d 2
    assert charts.top_documents(points, 2) == ["a", "c"]  # c (3), then a before d (2 each: input order)
    assert charts.top_documents(points, 3) == ["a", "c", "d"]
    assert charts.top_documents(points, None) == charts.top_documents(points, 10) == ["a", "b", "c", "d"]
