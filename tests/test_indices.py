"""indices.py: attention, first seen, change and EPU share against values worked by hand.

The end-to-end fixture is tests/fixtures/indices/reports.csv (vocabulary: epu.yaml, whose five
terms are 经济/经济, 政策/政策, 不确定性/不确定, 人工智能 and 量子科技/未来产业). Read by hand:

    id region date       text                                   hits               chars tokens sentences
    d1 江苏   2023-03-01 经济运行总体平稳。政策不确定性有所上升。 经济 政策 不确定性  9+11=20  7      2
    d2 江苏   2024-02-01 经济政策不确定性加大。发展人工智能。     经济 政策 不确定性 人工智能  11+7=18  6  2
    d3 浙江   2023-05-01 发展人工智能和量子科技。                 人工智能 量子科技   12       4      1
    d4 浙江   2024-06-01 量子科技加快突破。                       量子科技            9        3      1
    d5 浙江   2024-07-01 经济平稳。财政政策发力。                 经济 政策           5+7=12   4      2

Tokens (jieba with the vocabulary's terms added; punctuation not counted, as count --rates):
d1 经济运行/总体/平稳/政策/不确定性/有所/上升 = 7 (经济 is found in the text, inside the token
经济运行); d2 经济/政策/不确定性/加大/发展/人工智能 = 6; d3 发展/人工智能/和/量子科技 = 4;
d4 量子科技/加快/突破 = 3; d5 经济/平稳/财政政策/发力 = 4.
"""

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyterms import indices, plots
from policyterms.cli import app
from policyterms.errors import PolicytermsError
from policyterms.evidence import PlacedHit
from policyterms.stats import DocumentCounts
from policyterms.vocab import Term, Vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "indices"
REPORTS = str(FIXTURES / "reports.csv")
EPU_VOCAB = str(FIXTURES / "epu.yaml")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [*map(str, args)], catch_exceptions=False)


def index_json(name, *args):
    result = invoke("index", name, REPORTS, "-v", EPU_VOCAB, "--id-column", "id", "-f", "json", "-q", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[name.replace("-", "_")]


@pytest.fixture
def vocabulary():
    return Vocabulary.from_terms([
        Term("经济", "经济"), Term("政策", "政策"),
        Term("不确定性", "不确定"), Term("人工智能", "未来产业/未来信息"),
    ])


def document(doc_id, date, counts, *, chars=100, tokens=50, region="", units=0, evidence=()):
    metadata = {"date": date, **({"region": region} if region else {})}
    return DocumentCounts(doc_id, metadata, chars, term_counts=Counter(counts), tokens=tokens, units=units,
                          evidence=tuple(evidence))


def placed(term, sentence):
    return PlacedHit(term, "", 0, 0, 1, sentence, "", "", "")


# Attention -----------------------------------------------------------------------------------


def test_attention_per_document_is_hits_per_10000_tokens_and_characters(vocabulary):
    results = [document("a", "2024-01-05", {0: 2, 3: 1}, chars=300, tokens=120), document("b", "2024-02-01", {}, chars=50, tokens=20)]
    frame = indices.attention_documents(results, vocabulary, group_by="year")
    assert list(frame.columns) == ["doc_id", "year", "hits", "tokens", "chars", "per_10k_tokens", "per_10k_chars"]
    # a: 3 hits; 3 / 120 × 10,000 = 250.0; 3 / 300 × 10,000 = 100.0. b: no hit, 0.0.
    assert frame.to_dict("records") == [
        {"doc_id": "a", "year": "2024", "hits": 3, "tokens": 120, "chars": 300, "per_10k_tokens": 250.0, "per_10k_chars": 100.0},
        {"doc_id": "b", "year": "2024", "hits": 0, "tokens": 20, "chars": 50, "per_10k_tokens": 0.0, "per_10k_chars": 0.0},
    ]


def test_attention_of_a_group_pools_its_documents(vocabulary):
    results = [
        document("a", "2024-01-05", {0: 2}, chars=300, tokens=120, region="江苏"),
        document("b", "2024-06-01", {1: 1}, chars=100, tokens=30, region="江苏"),
        document("c", "2023-03-01", {1: 3}, chars=900, tokens=400, region="江苏"),
        document("d", "", {0: 1}, chars=70, tokens=35, region="浙江"),
    ]
    frame = indices.attention_groups(results, vocabulary, group_by="region,year")
    rows = [(r["region"], r["year"], r["documents"], r["hits"], r["per_10k_tokens"], r["per_10k_chars"])
            for r in frame.to_dict("records")]
    assert rows == [
        ("江苏", "2023", 1, 3, 75.0, 33.333),  # 3 / 400 × 10^4 = 75; 3 / 900 × 10^4 = 33.333…
        # a + b: 3 hits / 150 tokens × 10^4 = 200 (the mean of a's 166.667 and b's 333.333 would be 250)
        ("江苏", "2024", 2, 3, 200.0, 75.0),  # 3 / 400 characters × 10^4 = 75
        ("浙江", "", 1, 1, 285.714, 142.857),  # no date: the group "" sorts last; 1/35, 1/70
    ]


def test_attention_of_a_category_counts_its_terms_and_the_terms_under_it(vocabulary):
    results = [document("a", "2024", {0: 2, 3: 1}, chars=100, tokens=40)]
    # 未来产业 holds 人工智能 (未来产业/未来信息): 1 hit / 40 tokens × 10^4 = 250
    frame = indices.attention_documents(results, vocabulary, categories=["未来产业"])
    assert frame.loc[0, ["hits", "per_10k_tokens"]].tolist() == [1, 250.0]
    with pytest.raises(PolicytermsError, match="no category '不存在'"):
        indices.attention_documents(results, vocabulary, categories=["不存在"])


def test_attention_needs_token_counts(vocabulary):
    with pytest.raises(PolicytermsError, match="token counts"):
        indices.attention_documents([document("a", "2024", {0: 1}, tokens=None)], vocabulary)


def test_index_attention_of_the_fixture_by_region_and_year():
    rows = index_json("attention", "--group-by", "region,year")
    assert rows == [
        # d1: 3 hits, 7 tokens, 20 chars: 30000/7 = 4285.714; 30000/20 = 1500
        {"region": "江苏", "year": "2023", "documents": 1, "hits": 3, "tokens": 7, "chars": 20, "per_10k_tokens": 4285.714, "per_10k_chars": 1500.0},
        # d2: 4 hits, 6 tokens, 18 chars: 40000/6 = 6666.667; 40000/18 = 2222.222
        {"region": "江苏", "year": "2024", "documents": 1, "hits": 4, "tokens": 6, "chars": 18, "per_10k_tokens": 6666.667, "per_10k_chars": 2222.222},
        # d3: 2 hits, 4 tokens, 12 chars: 5000; 1666.667
        {"region": "浙江", "year": "2023", "documents": 1, "hits": 2, "tokens": 4, "chars": 12, "per_10k_tokens": 5000.0, "per_10k_chars": 1666.667},
        # d4 + d5: 1 + 2 hits, 3 + 4 tokens, 9 + 12 chars: 30000/7 = 4285.714; 30000/21 = 1428.571
        {"region": "浙江", "year": "2024", "documents": 2, "hits": 3, "tokens": 7, "chars": 21, "per_10k_tokens": 4285.714, "per_10k_chars": 1428.571},
    ]


def test_index_attention_per_document_in_csv():
    result = invoke("index", "attention", REPORTS, "-v", EPU_VOCAB, "--id-column", "id", "-G", "region", "--per-document",
                    "-f", "csv", "-q")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "doc_id,region,hits,tokens,chars,per_10k_tokens,per_10k_chars"
    assert lines[4] == "d4,浙江,1,3,9,3333.333,1111.111"  # 1/3 and 1/9 × 10^4


# First seen ----------------------------------------------------------------------------------


def test_first_seen_takes_the_earliest_date_and_the_first_document_of_it(vocabulary):
    results = [
        document("late", "2025-01-01", {0: 4, 1: 1}),
        document("undated", "", {3: 9}),  # no date: not in the table
        document("first", "2024-05-01", {0: 1}),
        document("same-day", "2024-05-01", {0: 7, 2: 2}),  # the same date as "first", later in input order
        document("year-only", "2024", {1: 2}),  # "2024" < "2024-05-01" as text: the earlier
    ]
    frame = indices.first_seen(results, vocabulary)
    assert frame.to_dict("records") == [
        {"term": "政策", "category": "政策", "first_date": "2024", "doc_id": "year-only", "count": 2, "documents": 2},
        {"term": "经济", "category": "经济", "first_date": "2024-05-01", "doc_id": "first", "count": 1, "documents": 3},
        {"term": "不确定性", "category": "不确定", "first_date": "2024-05-01", "doc_id": "same-day", "count": 2, "documents": 1},
    ]


def test_first_seen_by_year_counts_new_terms_and_every_year_between():
    table = {"first_date": ["2021-03-01", "2021-07-01", "2023-01-01"]}
    import pandas as pd

    counts = indices.first_seen_by_period(pd.DataFrame(table))
    # 2022 has none new but is listed: the cumulative line stays flat there
    assert counts.to_dict("list") == {"period": ["2021", "2022", "2023"], "new_terms": [2, 0, 1], "terms_seen": [2, 2, 3]}


def test_index_first_seen_of_the_fixture():
    rows = index_json("first-seen")
    # 经济, 政策, 不确定性 first in d1 (2023-03-01); 人工智能 and 量子科技 in d3 (2023-05-01), before d2
    # (2024-02-01). Documents: 经济 d1 d2 d5, 政策 d1 d2 d5, 不确定性 d1 d2, 人工智能 d2 d3, 量子科技 d3 d4.
    assert [(r["term"], r["first_date"], r["doc_id"], r["count"], r["documents"]) for r in rows] == [
        ("经济", "2023-03-01", "d1", 1, 3), ("政策", "2023-03-01", "d1", 1, 3), ("不确定性", "2023-03-01", "d1", 1, 2),
        ("人工智能", "2023-05-01", "d3", 1, 2), ("量子科技", "2023-05-01", "d3", 1, 2),
    ]


# Change --------------------------------------------------------------------------------------


def test_previous_period_is_the_calendar_one():
    assert indices.previous_period("2024") == "2023"
    assert indices.previous_period("2024-01") == "2023-12"
    assert indices.previous_period("2024-10") == "2024-09"
    with pytest.raises(PolicytermsError, match="neither"):
        indices.previous_period("江苏")


def test_change_is_against_the_year_before_and_empty_after_a_gap(vocabulary):
    results = [
        document("a", "2021-04-01", {0: 1}, tokens=100),  # 100.0 per 10k tokens
        document("b", "2022-04-01", {0: 3}, tokens=200),  # 150.0
        document("c", "2024-04-01", {0: 1}, tokens=50),  # 200.0; no 2023: no change
        document("d", "", {0: 5}, tokens=10),  # undated: left out
    ]
    groups = indices.attention_groups(results, vocabulary, group_by="year")
    frame = indices.change(groups, group_by=["year"])
    assert frame.to_dict("records") == [
        {"year": "2021", "measure": "per_10k_tokens", "attention": 100.0, "previous": None, "change": None, "change_pct": None},
        # 150 − 100 = 50; 50 / 100 = 50 %
        {"year": "2022", "measure": "per_10k_tokens", "attention": 150.0, "previous": 100.0, "change": 50.0, "change_pct": 50.0},
        {"year": "2024", "measure": "per_10k_tokens", "attention": 200.0, "previous": None, "change": None, "change_pct": None},
    ]


def test_change_after_a_year_of_zero_has_no_percentage(vocabulary):
    results = [document("a", "2021", {}, tokens=100), document("b", "2022", {0: 1}, tokens=100)]
    frame = indices.change(indices.attention_groups(results, vocabulary, group_by="year"), group_by="year")
    assert frame.loc[1, ["previous", "change", "change_pct"]].tolist() == [0.0, 100.0, None]


def test_index_change_of_the_fixture_per_region_in_characters():
    rows = index_json("change", "--group-by", "region,year", "--measure", "per_10k_chars")
    assert [(r["region"], r["year"], r["attention"], r["previous"], r["change"], r["change_pct"]) for r in rows] == [
        ("江苏", "2023", 1500.0, None, None, None),
        # 2222.222 − 1500 = 722.222; 722.222 / 1500 = 48.148 %
        ("江苏", "2024", 2222.222, 1500.0, 722.222, 48.148),
        ("浙江", "2023", 1666.667, None, None, None),
        # 1428.571 − 1666.667 = −238.096; −238.096 / 1666.667 = −14.286 %
        ("浙江", "2024", 1428.571, 1666.667, -238.096, -14.286),
    ]


def test_change_needs_a_period_last():
    result = invoke("index", "change", REPORTS, "-v", EPU_VOCAB, "--id-column", "id", "-G", "year,region", "-q")
    assert result.exit_code == 1
    assert "'江苏' is neither" in result.stderr


# EPU share -----------------------------------------------------------------------------------


def test_epu_share_of_documents_holding_every_category(vocabulary):
    results = [
        document("a", "2024-01-01", {0: 1, 1: 1, 2: 1}),  # all three
        document("b", "2024-03-01", {0: 1, 1: 2}),  # no 不确定
        document("c", "2024-05-01", {0: 1, 1: 1, 2: 0}),  # a 0 count is not a hit
        document("d", "2025-02-01", {0: 2, 1: 1, 2: 1, 3: 4}),  # all three
    ]
    frame = indices.epu_share(results, vocabulary, all_of="经济，政策，不确定")
    # 2024: 1 of 3 = 0.333333; 2025: 1 of 1 = 1. Mean of the shares: (1/3 + 1) / 2 = 2/3;
    # scaled: 100 × (1/3) / (2/3) = 50, 100 × 1 / (2/3) = 150
    assert frame.to_dict("records") == [
        {"year": "2024", "units": 3, "matching": 1, "share": 0.333333, "scaled": 50.0},
        {"year": "2025", "units": 1, "matching": 1, "share": 1.0, "scaled": 150.0},
    ]


def test_epu_share_of_sentences(vocabulary):
    results = [
        # sentence 1 holds 经济 政策 不确定性; sentence 2 holds 经济 only; 4 sentences
        document("a", "2024", {0: 2, 1: 1, 2: 1}, units=4, evidence=[placed(0, 1), placed(1, 1), placed(2, 1), placed(0, 2)]),
        # the three categories, but in different sentences: no sentence matches; 2 sentences
        document("b", "2024", {0: 1, 1: 1, 2: 1}, units=2, evidence=[placed(0, 1), placed(1, 1), placed(2, 2)]),
    ]
    frame = indices.epu_share(results, vocabulary, all_of=["经济", "政策", "不确定"], unit="sentence")
    assert frame.to_dict("records") == [{"year": "2024", "units": 6, "matching": 1, "share": 0.166667, "scaled": 100.0}]


def test_index_epu_of_the_fixture_by_document_and_by_sentence():
    # documents: 2023 d1 (all three) and d3 (none of them) → 1/2; 2024 d2 (all three), d4, d5 (no 不确定) → 1/3.
    # mean (1/2 + 1/3) / 2 = 5/12: scaled 100 × (1/2) / (5/12) = 120 and 100 × (1/3) / (5/12) = 80
    assert index_json("epu", "--all-of", "经济,政策,不确定") == [
        {"year": "2023", "units": 2, "matching": 1, "share": 0.5, "scaled": 120.0},
        {"year": "2024", "units": 3, "matching": 1, "share": 0.333333, "scaled": 80.0},
    ]
    # sentences: 2023 d1's two (经济 | 政策 不确定性: neither has all) + d3's one = 0 of 3;
    # 2024 d2's 经济政策不确定性加大 matches, of d2's 2 + d4's 1 + d5's 2 = 1 of 5. Mean 0.1: scaled 0 and 200
    assert index_json("epu", "--all-of", "经济,政策,不确定", "--share-unit", "sentence") == [
        {"year": "2023", "units": 3, "matching": 0, "share": 0.0, "scaled": 0.0},
        {"year": "2024", "units": 5, "matching": 1, "share": 0.2, "scaled": 200.0},
    ]


def test_epu_without_all_of_or_with_an_unknown_category_is_one_line():
    missing = invoke("index", "epu", REPORTS, "-v", EPU_VOCAB, "-q")
    assert missing.exit_code == 1 and "--all-of" in missing.stderr and "Traceback" not in missing.stderr
    unknown = invoke("index", "epu", REPORTS, "-v", EPU_VOCAB, "--all-of", "经济,风险", "-q")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip().splitlines() == [
        "policyterms: error: no category '风险' in the vocabulary (categories: 经济, 政策, 不确定, 未来产业)"
    ]


def test_index_tables_in_every_format(tmp_path):
    for suffix in ("csv", "tsv", "json", "jsonl", "xlsx", "parquet"):
        target = tmp_path / f"epu.{suffix}"
        result = invoke("index", "epu", REPORTS, "-v", EPU_VOCAB, "--all-of", "经济,政策,不确定", "-o", target, "-q")
        assert result.exit_code == 0, (suffix, result.output)
        assert target.stat().st_size > 0
    import pandas as pd

    assert pd.read_parquet(tmp_path / "epu.parquet")["matching"].tolist() == [1, 1]
    assert pd.read_excel(tmp_path / "epu.xlsx", dtype={"year": str})["share"].tolist() == [0.5, 0.333333]


# Plots -----------------------------------------------------------------------------------------


def test_the_attention_plot_draws_the_table_values():
    table = indices.attention_groups(
        [document("a", "2023-01-01", {0: 1}, tokens=100, region="江苏"), document("b", "2024-01-01", {0: 3}, tokens=100, region="江苏"),
         document("c", "2024-02-01", {0: 2}, tokens=400, region="浙江")],
        Vocabulary.from_terms([Term("经济", "经济")]), group_by="region,year",
    )
    figure, _ = plots.make_index_plot(table, index="attention", group_by="region,year")
    lines = {line.get_label(): list(line.get_ydata()) for line in figure.axes[0].get_lines()}
    # 江苏: 1/100 and 3/100 × 10^4; 浙江: no 2023 (a gap), 2/400 × 10^4 = 50
    assert lines["江苏"] == [100.0, 300.0]
    assert lines["浙江"][1] == 50.0 and lines["浙江"][0] != lines["浙江"][0]  # NaN: not drawn


def test_plot_trend_index_writes_an_image(tmp_path):
    target = tmp_path / "epu.svg"
    result = invoke("plot", "trend", REPORTS, "-v", EPU_VOCAB, "--id-column", "id", "--index", "epu",
                    "--all-of", "经济,政策,不确定", "-o", target, "-q")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    wrong = invoke("plot", "network", REPORTS, "-v", EPU_VOCAB, "--index", "epu", "-o", tmp_path / "x.png", "-q")
    assert wrong.exit_code == 2 and "plot trend --index" in wrong.stderr


@pytest.mark.parametrize("command", [
    ["index", "attention", REPORTS, "-G", "regoin,year"],
    ["index", "change", REPORTS, "-G", "regoin,year"],
    ["plot", "trend", REPORTS, "--index", "attention", "-G", "regoin,year", "-o", "never.png"],
])
def test_a_grouping_field_no_document_has_is_a_usage_error_listing_the_fields(command, tmp_path):
    if "-o" in command:
        command[command.index("-o") + 1] = str(tmp_path / "never.png")
    result = invoke(*command, "-v", EPU_VOCAB, "--id-column", "id")
    assert result.exit_code == 2 and result.stdout == ""
    # reports.csv: id, region, date and text columns; the date gives year and month, the text a title
    assert result.stderr == ("policyterms: error: --group-by regoin: no document has this field; "
                             "the fields are: year, month, date, date_from, region, title, title_from\n")
    assert not (tmp_path / "never.png").exists()


def test_plot_refuses_a_group_by_without_an_index(tmp_path):
    result = invoke("plot", "trend", REPORTS, "-G", "region", "-o", tmp_path / "t.png", "-v", EPU_VOCAB)
    assert result.exit_code == 2 and not (tmp_path / "t.png").exists()
    assert result.stderr == ("policyterms: error: --group-by groups an index: add --index NAME, "
                             "or give the trend's period with --period\n")
