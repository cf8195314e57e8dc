"""readers/articles.py: pages holding several articles are read as one document per article."""

import pytest

import policyterms
from policyterms import Term, Vocabulary
from policyterms.batch import InputOptions
from policyterms.readers import read_document, read_documents
from policyterms.readers.articles import article_spans

VOCAB = Vocabulary((
    Term("量子科技", "未来信息"), Term("未来产业", "政策"), Term("具身智能", "未来制造"), Term("低空经济", "未来空间"),
))

# A newspaper's page as its e-paper site gives it: breadcrumbs, then three articles, each a
# title and a byline (■…记者, 新华社…电, 本报记者).
NEWSPAPER_PAGE = """当前位置：首页 > 数字报 > 第3版：要闻

武汉加快布局未来产业
■长江日报记者王明 通讯员李华
本报讯 近日，武汉市出台行动方案，提出加快发展量子科技、生物制造和具身智能等未来产业。
方案明确，到2027年，全市未来产业规模突破千亿元。

光谷量子科技园开园
新华社武汉5月31日电（记者张强）31日，光谷量子科技园正式开园，首批入驻企业20家。
园区负责人介绍，量子科技是未来产业的重要方向。

江城推进低空经济发展
本报记者 赵丽
2026年5月30日，记者从市发改委获悉，武汉将建设低空经济示范区，推动低空经济与未来产业融合发展。
"""

# A magazine issue converted from .docx: its cover and table of contents, then two articles,
# each at a [bookmark: _Toc…] with the author under the title; page numbers between pages.
MAGAZINE_ISSUE = """求是
2026年第11期（总第1012期）

目　录

前瞻布局和发展未来产业………………………………习近平（4）
加快培育量子科技产业……………………………………李明（9）

—　1　—

[bookmark: _Toc101]前瞻布局和发展未来产业
习近平
今天进行集体学习，内容是前瞻布局和发展未来产业。
当前，量子科技、具身智能等前沿技术不断涌现。

—　2　—

要把准发展方向，加强统筹谋划。

[bookmark: _Toc102]加快培育量子科技产业
李明
量子科技是未来产业的重要方向。
要加快量子科技成果转化。

—　3　—
"""

# A provincial government's report page with its tool bar: one document, however long.
REPORT_PAGE = """下载
您的位置: 首页 > 政务公开 > 政府工作报告
分享:
2026年湖北省政府工作报告
——2026年1月24日在湖北省第十四届人民代表大会第五次会议上
湖北省省长　李殿勋
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。
一、2025年工作回顾
过去一年，我们培育发展未来产业，量子科技、具身智能等领域取得突破。
二、2026年工作安排
加快发展低空经济，前瞻布局未来产业。
来源：湖北省人民政府
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_newspaper_page_is_three_articles_each_with_its_own_metadata(tmp_path):
    page = write(tmp_path, "2026-06-01_cjrb_03.txt", NEWSPAPER_PAGE)
    articles = read_documents(str(page))
    assert [a.doc_id for a in articles] == [f"{page}#1", f"{page}#2", f"{page}#3"]
    assert [a.metadata for a in articles] == [
        # no date in the article: the file's name gives it; the breadcrumbs are no title
        {"title": "武汉加快布局未来产业", "title_from": "text", "date": "2026-06-01", "date_from": "file name"},
        # "新华社武汉5月31日电" names the source, without a year
        {"title": "光谷量子科技园开园", "title_from": "text", "source": "新华社", "date": "2026-06-01",
         "date_from": "file name"},
        # the first full date, two lines down
        {"title": "江城推进低空经济发展", "title_from": "text", "date": "2026-05-30", "date_from": "text"},
    ]
    # every character of the page is in one article, in order
    assert "".join(a.text for a in articles) == NEWSPAPER_PAGE
    assert [a.offset for a in articles] == [NEWSPAPER_PAGE.index(t) for t in ("当前位置", "光谷量子", "江城推进")]


def test_a_run_that_shows_no_metadata_splits_the_page_alike_without_reading_it(tmp_path):
    page = write(tmp_path, "2026-06-01_cjrb_03.txt", NEWSPAPER_PAGE)
    with_metadata = read_documents(str(page))
    without = read_documents(str(page), metadata=False)
    assert [(a.doc_id, a.text, a.offset) for a in without] == [(a.doc_id, a.text, a.offset) for a in with_metadata]
    assert [a.metadata for a in without] == [{}, {}, {}]  # no title, date or source looked for


def test_each_article_is_counted_and_the_page_total_is_unchanged(tmp_path):
    page = write(tmp_path, "cjrb.txt", NEWSPAPER_PAGE)
    split = policyterms.count([page], vocab=VOCAB)
    counts = {(row.doc_id[-2:], row.term): row.count for row in split.frequencies.itertuples()}
    assert counts == {
        # 1: 未来产业 in the title, "具身智能等未来产业", "全市未来产业"; 量子科技 and 具身智能 once each
        ("#1", "量子科技"): 1, ("#1", "未来产业"): 3, ("#1", "具身智能"): 1,
        # 2: 量子科技 in the title, "光谷量子科技园正式开园", "量子科技是未来产业"; 未来产业 once
        ("#2", "量子科技"): 3, ("#2", "未来产业"): 1,
        # 3: 低空经济 in the title, "低空经济示范区", "推动低空经济与未来产业"
        ("#3", "未来产业"): 1, ("#3", "低空经济"): 3,
    }
    whole = policyterms.count([page], vocab=VOCAB, inputs=InputOptions(split=False))
    assert whole.documents.doc_id.tolist() == [str(page)]
    pd_totals = ["term", "count"]
    assert split.totals[pd_totals].values.tolist() == whole.totals[pd_totals].values.tolist() == [
        ["量子科技", 4], ["未来产业", 5], ["具身智能", 1], ["低空经济", 3],
    ]


def test_a_magazine_issue_splits_at_its_bookmarks_and_keeps_the_table_of_contents_apart(tmp_path):
    issue = write(tmp_path, "qiushi_2026_11.txt", MAGAZINE_ISSUE)
    articles = read_documents(str(issue))
    assert [a.metadata["title"] for a in articles] == ["求是", "前瞻布局和发展未来产业", "加快培育量子科技产业"]
    # no date in the text: the year in the file's name, a year and no more
    assert {(a.metadata["date"], a.metadata["date_from"]) for a in articles} == {("2026", "file name")}
    # the page number "—　2　—" inside the first article is no boundary: a paragraph follows it
    assert "要把准发展方向" in articles[1].text
    result = policyterms.count([issue], vocab=VOCAB)
    counts = {(row.doc_id[-2:], row.term): row.count for row in result.frequencies.itertuples()}
    assert counts == {
        ("#1", "量子科技"): 1, ("#1", "未来产业"): 1,  # the two lines of the table of contents
        # title, "发展未来产业。"; "量子科技、具身智能等"
        ("#2", "量子科技"): 1, ("#2", "未来产业"): 2, ("#2", "具身智能"): 1,
        # title, "量子科技是未来产业", "加快量子科技成果转化"
        ("#3", "量子科技"): 3, ("#3", "未来产业"): 1,
    }


def test_a_report_page_with_its_tool_bar_is_one_document(tmp_path):
    page = write(tmp_path, "2026_湖北省.txt", REPORT_PAGE)
    assert article_spans(REPORT_PAGE) == [(0, len(REPORT_PAGE))]
    [document] = read_documents(str(page))
    assert document.doc_id == str(page)
    assert document.metadata == {
        "title": "2026年湖北省政府工作报告", "title_from": "text", "date": "2026-01-24", "date_from": "delivery line",
        "source": "湖北省人民政府",
    }


def test_one_boundary_is_not_enough(tmp_path):
    # a report that ends with a 来源 line and a related link: one boundary, no split
    text = "关于加快发展未来产业的意见\n各地要发展量子科技。\n来源：《人民日报》（2026年06月01日01版）\n相关阅读\n"
    assert article_spans(text) == [(0, len(text))]


def test_evidence_offsets_are_offsets_into_the_file(tmp_path):
    page = write(tmp_path, "cjrb.txt", NEWSPAPER_PAGE)
    result = policyterms.count([page], vocab=VOCAB, evidence=True)
    rows = result.evidence[result.evidence.doc_id == f"{page}#3"]
    assert [(NEWSPAPER_PAGE[r.start : r.end], r.surface) for r in rows.itertuples()] == [
        ("低空经济", "低空经济"), ("低空经济", "低空经济"), ("低空经济", "低空经济"), ("未来产业", "未来产业"),
    ]
    # the first hit of article 3, its title, is where the title is in the file
    assert rows.start.iloc[0] == NEWSPAPER_PAGE.index("江城推进低空经济") + 4


def test_read_document_reads_a_page_whole(tmp_path):
    page = write(tmp_path, "cjrb.txt", NEWSPAPER_PAGE)
    assert read_document(str(page)).doc_id == str(page)
    assert [d.doc_id for d in read_documents(str(page), split=False)] == [str(page)]


@pytest.mark.parametrize("command", ["count", "kwic", "dupes"])
def test_no_split_is_an_option_of_every_command_that_reads_documents(tmp_path, command):
    from typer.testing import CliRunner

    from policyterms.cli import app

    page = write(tmp_path, "cjrb.txt", NEWSPAPER_PAGE)
    vocab = write(tmp_path, "v.yaml", "terms:\n  - {term: 量子科技, category: 未来信息}\n")
    args = {"count": ["count", str(page), "-v", str(vocab), "--what", "documents", "-f", "csv"],
            "kwic": ["kwic", "量子科技", str(page), "-v", str(vocab), "-f", "csv"],
            "dupes": ["dupes", str(page), "-f", "csv"]}[command]
    split = CliRunner().invoke(app, args)
    whole = CliRunner().invoke(app, [*args, "--no-split"])
    assert split.exit_code == whole.exit_code == 0, (split.stderr, whole.stderr)
    if command == "dupes":  # three articles, none like another; the page alone
        assert "3 documents compared" in split.stderr and "1 document compared" in whole.stderr
    else:
        assert f"{page}#2" in split.stdout
        assert "#" not in whole.stdout.replace(str(page), "")


# Issue 22: layouts seen in real text, each written here for the purpose. ------------------------

# Text converted from Wikisource: every linked word on a line of its own, mid-sentence, and the
# licence footer the same way. Short lines, none with a byline under it: one document.
WIKISOURCE_TEXT = """第十四届全国人民代表大会第三次会议
政府工作报告
各位代表：
今年是我国第一部《
国防法
》开始实施二十五周年，也是《
会计法
》修订之年。
习近平
总书记指出，要加快发展新质生产力。同
印度
等国的合作稳步推进。
一是
加快发展量子科技。
二是
培育具身智能。
本作品是中华人民共和国的
法律
、
法规
，依据著作权法不受著作权保护。
"""

# A planning document's indicator table as text: numbered headings with 定量/定性 cells under them.
TABLE_CELLS = """“十五五”规划主要指标
1. 研发经费投入强度
定量
2. 数字经济核心产业增加值占比
定性
3. 未来产业营业收入
定量
""" * 3

# A day's TV news as a scraper keeps it: the day's contents, then each item's title over
# 央视网消息（新闻联播）：, many titles led by a column tag.
TV_NEWS_DAY = """# 《新闻联播》 (20260301)

## 新闻摘要

本期节目主要内容：

1.【“十五五”开好局起好步】加快建设制造强国；

2.未来产业发展提速；

3.国内联播快讯。

## 详细新闻

### 【“十五五”开好局起好步】加快建设制造强国

<p><strong>央视网消息</strong>（新闻联播）：各地加快发展具身智能、量子科技等未来产业。</p>

[查看原文](https://tv.example/1.shtml)

### 未来产业发展提速

<p><strong>央视网消息</strong>（新闻联播）：记者从工业和信息化部获悉，未来产业发展提速。</p>

[查看原文](https://tv.example/2.shtml)

### 国内联播快讯

<p><strong>央视网消息</strong>（新闻联播）：低空经济示范区建设加快。</p>
"""


def test_lines_of_wikisource_text_and_its_licence_footer_start_no_article():
    assert article_spans(WIKISOURCE_TEXT) == [(0, len(WIKISOURCE_TEXT))]


def test_table_cells_and_enumerators_start_no_article():
    assert article_spans(TABLE_CELLS) == [(0, len(TABLE_CELLS))]


def test_a_title_that_goes_on_from_the_line_above_starts_no_article():
    # "国防法" over a byline-like line, but the line above ends in 《 and the one under starts with 》
    text = "今年是我国第一部《\n国防法\n本报记者 张三\n》开始实施。\n" * 3
    assert article_spans(text) == [(0, len(text))]


def test_a_day_of_tv_news_is_one_document_per_item_with_its_column_tag_kept(tmp_path):
    page = write(tmp_path, "20260301.md", TV_NEWS_DAY)
    documents = read_documents(str(page), clean=InputOptions().cleaner())
    # the day's contents stay a document of their own (a run of titles, no byline under them)
    assert [d.metadata["title"] for d in documents] == [
        "《新闻联播》 (20260301)", "【“十五五”开好局起好步】加快建设制造强国", "未来产业发展提速", "国内联播快讯",
    ]
    assert [d.metadata["title_from"] for d in documents] == ["text"] * 4
    assert {d.metadata["date"] for d in documents} == {"2026-03-01"}  # the file's name: no date in the items
    # the "查看原文" link under an item is navigation: cleaned away, never the next item's title
    assert "查看原文" not in "".join(d.text for d in documents)
    assert "央视网消息（新闻联播）：各地加快发展具身智能" in documents[1].text


def test_splitting_is_linear_in_the_page(monkeypatch):
    """10,000 byline-like lines (130 s before) and 10,000 closing lines (51 s): each line is
    classified once and looked at a bounded number of times, counted, not timed."""
    from policyterms.readers import articles

    looks = 0
    kind = articles._Page._kind

    def counted(self, index):
        nonlocal looks
        looks += 1
        return kind(self, index)

    monkeypatch.setattr(articles._Page, "_kind", counted)
    for line in ("新华社北京5月31日电 张三 摄", "来源：《人民日报》版权所有", "标题", ""):
        looks = 0
        text = f"{line}\n" * 10_000
        assert article_spans(text) == [(0, len(text))]
        assert looks <= 3 * 10_001, (line, looks)
