"""readers/metadata.py: date and source from bylines, else from the file's name."""

import pytest

from conftest import SEEDS

from policyterms import read_document
from policyterms.readers.metadata import complete_metadata, date_in_name, iso_date, read_bylines


@pytest.mark.parametrize(
    "seed, expected",
    [
        # line 29: "(刊载于2026年第11期《求是》杂志)" — 《求是》 issue 11 appears on June 1
        ("000_f7f3963a21b11a20.txt", {"title": "前瞻布局和发展未来产业", "title_from": "text", "source": "求是", "date": "2026-06-01", "date_from": "byline"}),
        # line 16: "来源：《求是》2026/11" comes before line 29's "来源：《人民日报》（2026年06月01日01版）"
        ("001_8594340499d60f29.txt", {"title": "前瞻布局和发展未来产业", "title_from": "text", "source": "求是", "date": "2026-06-01", "date_from": "byline"}),
        # lines 115 and 143: "新华社北京2月12日电" — its only bylines, with no year: no date; its
        # first date (line 149) is far from the top. Line 3 is a paragraph (it ends with 。): no
        # title, so the file's name is the title
        ("002_9ee848c3295ff6b6.txt", {"title": "002_9ee848c3295ff6b6", "title_from": "file name", "source": "新华社"}),
        # front matter says it all; "**来源**: [NewsNow 微博]…" is not needed
        ("003_9bdf75eb7510f3fc.txt", {
            "title": "求是网：前瞻布局和发展未来产业", "title_from": "front matter", "url": "https://www.cls.cn/detail/2286386",
            "source": "NewsNow 微博", "date": "2026-02-11", "date_from": "front matter", "score": "100.0",
        }),
        # line 84: "（载2026年6月1日《人民日报》作者为工业和信息化部党组书记、部长）"; line 9's
        # "6月1日出版的第11期《求是》" has no year and is not a byline
        ("004_a0e03639a4100763.txt", {"title": "加快前瞻布局和发展未来产业", "title_from": "text", "source": "人民日报", "date": "2026-06-01", "date_from": "byline"}),
    ],
)
def test_seed_metadata(seed, expected):
    assert read_document(str(SEEDS / seed)).metadata == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("来源：《人民日报》（2026年06月01日01版）", {"source": "人民日报", "date": "2026-06-01"}),
        ("来源：《光明日报》", {"source": "光明日报"}),
        ("来源：新华网 | 编辑：张三", {"source": "新华网"}),
        ("新华社北京5月31日电 在“六一”……", {"source": "新华社"}),
        ("2026年第12期《求是》", {"source": "求是", "date": "2026-06-16"}),  # even issue: the 16th
        ("2025年第3期《经济日报》", {"source": "经济日报", "date": "2025"}),  # not semimonthly: the year
        ("本报讯 记者某某", {}),
        # a 来源： line gives the source, else the first byline; the first one with a date gives the date
        ("新华社北京5月31日电\n……\n来源：《人民日报》（2026年06月01日01版）", {"source": "人民日报", "date": "2026-06-01"}),
        ("新华社北京5月31日电\n……\n（载2026年6月1日《人民日报》）", {"source": "新华社", "date": "2026-06-01"}),
        ("来源：《人民日报》（2026年13月01日01版）", {"source": "人民日报"}),  # no 13th month
    ],
)
def test_bylines(text, expected):
    assert read_bylines(text) == expected


def test_date_in_the_file_name_is_the_last_resort():
    assert date_in_name("news/2026-06-01-renmin.txt") == "2026-06-01"
    assert date_in_name("20260601.txt") == "2026-06-01"
    assert date_in_name("2026-06/article.txt") == ""  # directories are not the file's name
    assert date_in_name("1234567890.txt") == ""
    named = complete_metadata({}, "标题\n正文", name="2026_06_01.txt")
    assert named == {"title": "标题", "title_from": "text", "date": "2026-06-01", "date_from": "file name"}
    # what the input says outright wins over bylines and names; a 来源 line is no title
    stated = complete_metadata({"date": "2026-02-11"}, "来源：《求是》2026/11", name="news/2020-01-01.txt")
    assert stated == {"date": "2026-02-11", "date_from": "front matter", "source": "求是", "title": "2020-01-01",
                      "title_from": "file name"}


@pytest.mark.parametrize("given, iso", [
    ("2026-06-01", "2026-06-01"), ("2026/6/1", "2026-06-01"), ("2026.6.1", "2026-06-01"),
    ("2026年6月1日", "2026-06-01"), ("20260601", "2026-06-01"), ("2026-06-01T08:30:00+08:00", "2026-06-01"),
    ("2026/6/1 8:00", "2026-06-01"), ("2026-06", "2026-06"), ("2026年6月", "2026-06"), ("2026", "2026"),
    ("昨天", "昨天"), ("2026-13-01", "2026-13-01"),
])
def test_given_dates_become_iso_dates(given, iso):
    assert iso_date(given) == iso


# A provincial government's page as a scraper saves it: tool bar, breadcrumbs, share line and a
# labelled date line above the report's title, the delivery line and the salutation below it.
REPORT_PAGE = """\u200b
下载
您的位置: 首页 > 政务公开 > 政府工作报告
分享:
发布时间：2026-02-02 10:30　来源：北京市人民政府
2026年北京市政府工作报告
——2026年1月25日在北京市第十六届人民代表大会第四次会议上
北京市市长　殷勇
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。
一、2025年工作回顾
"""


def test_a_report_page_with_its_tool_bar():
    found = complete_metadata({}, REPORT_PAGE, name="reports/2026_北京市.txt")
    # the delivery line (line 7) is the report's own date; the labelled line (line 5) is when the
    # page was published (issue 22: this page was dated 2 February before)
    assert found == {"title": "2026年北京市政府工作报告", "title_from": "text", "date": "2026-01-25",
                     "date_from": "delivery line", "published": "2026-02-02", "source": "北京市人民政府"}


@pytest.mark.parametrize("text, date, date_from", [
    ("时间：2026-02-02\n关于印发通知", "2026-02-02", "label"),
    ("日期：2026年3月4日\n正文。", "2026-03-04", "label"),
    ("发布日期 2026/03/04 08:00\n正文。", "2026-03-04", "label"),
    ("政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n", "2026-01-25", "delivery line"),
    ("政府工作报告\n（2026年3月5日在第十四届全国人民代表大会第四次会议上）\n", "2026-03-05", "delivery line"),
    ("关于1956年国家决算和1957年国家预算的报告\n1957年6月26日在第一届全国人民代表大会第四次会议上\n", "1957-06-26", "delivery line"),
    # a delivery line outranks a byline; a byline outranks a date in the text
    ("讲话\n2026年1月30日在中央政治局集体学习时的讲话\n（刊载于2026年第11期《求是》杂志）", "2026-01-30", "delivery line"),
    ("标题\n2026年1月30日，会议召开。\n来源：《人民日报》（2026年06月01日01版）", "2026-06-01", "byline"),
    ("标题\n2026年1月30日，会议召开。", "2026-01-30", "text"),
    # "※这是…2026年1月30日在…的讲话" is in a sentence, not a delivery line at a line's start
    ("讲话\n※这是总书记2026年1月30日在集体学习时的讲话。\n（刊载于2026年第11期《求是》杂志）", "2026-06-01", "byline"),
])
def test_dates_in_order_of_trust(text, date, date_from):
    found = complete_metadata({}, text, name="2020_文件.txt")
    assert (found["date"], found["date_from"]) == (date, date_from)


def test_a_date_far_from_the_top_is_not_the_documents_date():
    text = "标题\n" + "正文内容。" * 300 + "\n2026年1月30日，会议召开。"  # 1,500 characters down
    assert "date" not in complete_metadata({}, text, name="note.txt")


@pytest.mark.parametrize("name, date", [
    ("2026_北京市.txt", "2026"),  # a year stays a year: never 2026-01-01
    ("corpus/government_work_reports_2016_017.txt", "2016"),
    ("2026-06-01-renmin.txt", "2026-06-01"),
    ("2019/report.txt", ""),  # directories are not the file's name
    ("000_f7f3963a21b11a20.txt", ""),  # digits inside a hash are no year
    ("a2016f.txt", ""),
])
def test_the_year_in_a_file_name_has_year_precision(name, date):
    found = complete_metadata({}, "标题\n正文。", name=name)
    assert found.get("date", "") == date
    assert found.get("date_from", "") == ("file name" if date else "")


@pytest.mark.parametrize("text, title", [
    ("下载\n\n2026年北京市政府工作报告\n各位代表：\n", "2026年北京市政府工作报告"),
    ("各位代表：\n同志们！\n同志们：\n关于印发规划的通知\n", "关于印发规划的通知"),
    ("\u200b\n\u3000\n\ufeff\n政府工作报告\n", "政府工作报告"),
    ("当前位置：首页 > 新闻\n分享到：微信 微博\n打印 收藏 关闭\n## 市长主持召开常务会议\n", "市长主持召开常务会议"),
    ("■长江日报记者范婷婷 通讯员吴名\n防汛物资储备充足\n", "防汛物资储备充足"),
    ("全地形水陆两用车在淤泥上前行。长江日报记者宋磊 摄\n仓库储备充足\n", "仓库储备充足"),
    ("新华社北京5月31日电 在“六一”国际儿童节即将到来之际，习近平给少先队员回信。\n", ""),  # the body first
    ("今天进行集体学习，内容是前瞻布局和发展未来产业。\n", ""),  # a paragraph is not a title
    ("这是一个很长的标题" * 8 + "\n正文。\n", ""),  # 72 characters: no title is that long
])
def test_titles(text, title):
    from policyterms.readers.metadata import title_in_text

    assert title_in_text(text) == title


def test_without_a_title_the_file_stem_is_the_title():
    assert complete_metadata({}, "各位代表：\n现在，我代表市人民政府向大会报告工作。", name="reports/2026_北京市.txt")["title"] == "2026_北京市"
    assert "title" not in complete_metadata({}, "现在，我代表市人民政府向大会报告工作。", name="-")  # stdin has no name


# Issue 22: dates with their meaning, titles a reader would write down. ---------------------------

from policyterms.readers.metadata import complete_metadata, dates_in_text, title_in_text  # noqa: E402


def test_the_delivery_line_beats_the_pages_publication_label():
    # 北京's report of 25 January, on a page published 2 February
    text = "发布时间：2026-02-02\n2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n各位代表：\n"
    assert dates_in_text(text) == ("2026-01-25", "delivery line", "2026-02-02")
    found = complete_metadata({}, text, name="beijing.html")
    assert (found["date"], found["date_from"], found["published"]) == ("2026-01-25", "delivery line", "2026-02-02")


def test_a_gov_cn_document_is_dated_by_its_chengwen_date():
    text = "索 引 号：000014349/2026-00012\n成文日期：2026年01月05日\n发布日期：2026年01月09日\n国务院关于某事的通知\n"
    assert dates_in_text(text) == ("2026-01-05", "label", "2026-01-09")


def test_a_law_is_dated_by_the_latest_revision_of_the_version_at_hand():
    text = ("中华人民共和国某某法\n（1998年11月4日第九届全国人民代表大会常务委员会第五次会议通过　"
            "根据2009年8月27日第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第一次修正　"
            "2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修订）\n目录\n第一章　总则\n第一条　为了……\n")
    assert dates_in_text(text)[:2] == ("2018-12-29", "revision")


def test_dates_in_chinese_numerals_and_spaced_digits_keep_their_precision():
    assert dates_in_text("政府工作报告\n——二〇二六年一月二十七日在甘肃省第十四届人民代表大会第五次会议上\n")[:2] == (
        "2026-01-27", "delivery line")
    assert dates_in_text("湖南农民运动考察报告\n（一九二七年三月）\n农民问题的严重性\n")[:2] == ("1927-03", "delivery line")
    assert dates_in_text("论人民民主专政\n(一九五○年十月八日)\n正文\n")[:2] == ("1950-10-08", "delivery line")
    assert dates_in_text("——1 9 9 8 年3 月5 日在第九届全国人民代表大会第一次会议上\n")[:2] == ("1998-03-05", "delivery line")


def test_toolbar_words_breadcrumbs_labels_and_table_rows_are_never_the_title():
    assert title_in_text("全屏\n加大\n减小\n还原\n打印\n2026年北京市政府工作报告\n正文。\n") == "2026年北京市政府工作报告"
    assert title_in_text("首页 > 政务公开 > 政府工作报告\n2026年政府工作报告\n正文。\n") == "2026年政府工作报告"
    assert title_in_text("标 题：国务院关于某事的通知\n正文。\n") == "国务院关于某事的通知"
    assert title_in_text("| 索引号 | 000014349 |\n国务院关于某事的通知\n正文。\n") == "国务院关于某事的通知"
    # the tool bar of the provinces' 2026 report pages, one word a line, its 】 alone on the last
    bar = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"
    assert title_in_text(bar + "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n") == \
        "2026年上海市政府工作报告"
    # breadcrumbs set one piece a line, the section's name repeated under them (云南, 宁夏 2026)
    assert title_in_text("您的位置:\n首页\n>\n云南要闻\n云南要闻\n2026年政府工作报告\n来源：云南日报\n") == \
        "2026年政府工作报告"
    assert title_in_text("当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻\n2026年宁夏回族自治区政府工作报告\n") == \
        "2026年宁夏回族自治区政府工作报告"
    assert title_in_text("量子科技\n量子科技\n正文。\n") == "量子科技"  # a repeat alone is no breadcrumb


def test_a_title_broken_before_its_last_character_is_joined_and_a_fragment_is_no_title():
    assert title_in_text("政府工作报\n告\n——2026年1月25日在会议上\n") == "政府工作报告"
    assert title_in_text("加快培育量子科技产业\n李明\n正文。\n") == "加快培育量子科技产业"  # an author is not a tail
    assert title_in_text("我国第一部《\n国防法\n》开始实施。\n") == ""


def test_title_from_says_where_the_title_came_from():
    assert complete_metadata({}, "2026年政府工作报告\n正文。\n", name="r.txt")["title_from"] == "text"
    # a salutation first: the title is in the file's name or nowhere
    found = complete_metadata({}, "各位代表：\n现在，我代表省人民政府，向大会报告工作。\n", name="2026年湖北省政府工作报告.txt")
    assert (found["title"], found["title_from"]) == ("2026年湖北省政府工作报告", "file name")
    given = complete_metadata({"title": "关于某事的通知"}, "正文。", name="x.txt", given_by="front matter")
    assert given["title_from"] == "front matter"


def test_a_web_pages_title_loses_the_sites_name():
    found = complete_metadata({"title": "坚定实施扩大内需战略 -中新网"}, "正文。", name="a.html", given_by="document properties")
    assert found["title"] == "坚定实施扩大内需战略"
    found = complete_metadata({"title": "中华人民共和国监察法-纪检"}, "正文。", name="a.html", given_by="document properties")
    assert found["title"] == "中华人民共和国监察法"
    found = complete_metadata({"title": "1-10月全国规模以上工业利润"}, "正文。", name="a.html", given_by="document properties")
    assert found["title"] == "1-10月全国规模以上工业利润"  # a dash inside the headline stays
