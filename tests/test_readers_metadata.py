"""readers/metadata.py: date and source from bylines, else from the file's name."""

import pytest

from conftest import SEEDS

from policyterms import read_document
from policyterms.readers.metadata import complete_metadata, date_in_name, iso_date, read_bylines


@pytest.mark.parametrize(
    "seed, expected",
    [
        # line 29: "(刊载于2026年第11期《求是》杂志)" — 《求是》 issue 11 appears on June 1
        ("000_f7f3963a21b11a20.txt", {"title": "前瞻布局和发展未来产业", "source": "求是", "date": "2026-06-01"}),
        # line 16: "来源：《求是》2026/11" comes before line 29's "来源：《人民日报》（2026年06月01日01版）"
        ("001_8594340499d60f29.txt", {"title": "前瞻布局和发展未来产业", "source": "求是", "date": "2026-06-01"}),
        # lines 115 and 143: "新华社北京2月12日电" — its only bylines, with no year: no date
        ("002_9ee848c3295ff6b6.txt", {
            "title": "2月9日上午,习近平总书记来到位于北京亦庄的国家信创园,了解信息技术应用创新和北京加快建设国际科技创新中心情况。",
            "source": "新华社",
        }),
        # front matter says it all; "**来源**: [NewsNow 微博]…" is not needed
        ("003_9bdf75eb7510f3fc.txt", {
            "title": "求是网：前瞻布局和发展未来产业", "url": "https://www.cls.cn/detail/2286386",
            "source": "NewsNow 微博", "date": "2026-02-11", "score": "100.0",
        }),
        # line 84: "（载2026年6月1日《人民日报》作者为工业和信息化部党组书记、部长）"; line 9's
        # "6月1日出版的第11期《求是》" has no year and is not a byline
        ("004_a0e03639a4100763.txt", {"title": "加快前瞻布局和发展未来产业", "source": "人民日报", "date": "2026-06-01"}),
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
        # the first byline gives the source; the first one with a date gives the date
        ("新华社北京5月31日电\n……\n来源：《人民日报》（2026年06月01日01版）", {"source": "新华社", "date": "2026-06-01"}),
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
    assert named == {"title": "标题", "date": "2026-06-01"}
    # what the input says outright wins over bylines and names
    stated = complete_metadata({"date": "2026-02-11"}, "来源：《求是》2026/11", name="2020-01-01.txt")
    assert stated == {"date": "2026-02-11", "source": "求是", "title": "来源：《求是》2026/11"}


@pytest.mark.parametrize("given, iso", [
    ("2026-06-01", "2026-06-01"), ("2026/6/1", "2026-06-01"), ("2026.6.1", "2026-06-01"),
    ("2026年6月1日", "2026-06-01"), ("20260601", "2026-06-01"), ("2026-06-01T08:30:00+08:00", "2026-06-01"),
    ("2026/6/1 8:00", "2026-06-01"), ("2026-06", "2026-06"), ("2026年6月", "2026-06"), ("2026", "2026"),
    ("昨天", "昨天"), ("2026-13-01", "2026-13-01"),
])
def test_given_dates_become_iso_dates(given, iso):
    assert iso_date(given) == iso
