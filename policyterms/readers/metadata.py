"""Metadata a document does not state: its title, date and source read off its text, else off
its file's name; and where each date came from (``date_from``).

Front matter and table columns say title, date and source outright and always win. Otherwise a
date is taken from, in order of trust:

1. a labelled line: ``时间：2026-02-02``, ``发布时间：2026年2月2日 10:00``, ``日期：``, ``发布日期``
   (``label``);
2. a delivery line: ``——2026年1月25日在北京市第十六届人民代表大会第四次会议上``,
   ``（2026年3月5日在第十四届全国人民代表大会第四次会议上）``, ``1957年6月26日在第一届…会议上``
   (``delivery line``);
3. a byline or an issue number (``byline``, below);
4. the first full date (年月日) in the first 1,000 characters (``text``);
5. a date in the file's name, else a year there: ``2026_北京市.txt`` → 2026, a year and no more
   (``file name``).

A date is kept as precise as it is given: 2026 stays a year, never 2026-01-01.

The first byline in the text (in reading order) that names a source gives the source, and the
first that gives a date gives the byline date. The bylines recognised are the ones Chinese
policy texts carry:

- ``来源：《人民日报》（2026年06月01日01版）``  → 人民日报, 2026-06-01
- ``来源：《求是》2026/11``                   → 求是, 2026-06-01 (issue 11, see below)
- ``（载2026年6月1日《人民日报》…）``           → 人民日报, 2026-06-01
- ``（刊载于2026年第11期《求是》杂志）``        → 求是, 2026-06-01
- ``新华社北京5月31日电``                       → 新华社 (no year: no date)
- ``来源：新华网``                               → 新华网

《求是》 appears on the 1st and 16th of each month, so its issue N of a year is dated: month
(N + 1) // 2, day 1 for odd N and 16 for even N (issue 11 → 6月1日, as "6月1日出版的第11期《求是》"
says). Issues of other periodicals give the year only.

The title is the first line near the top that is one: tool bars (下载 打印), navigation and share
lines (您的位置:, 当前位置：, 分享:), salutations (各位代表：, 同志们！), bylines and photo captions,
labelled lines, and lines of only zero-width or blank characters are passed over; a paragraph
(a long line, or one that ends a sentence) is not a title. Without one, the file's name (its
stem) is the title.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
from collections.abc import Iterator, Mapping
from typing import Literal

from ..clean import is_boilerplate  # tool bars, footers and page numbers, as cleaning sees them
from ..names import doc_id_for
from ..patterns import LazyPattern  # compiled when first used: a run that shows no title, date or source uses none


_SOURCE = r"(?P<source>[^》\n]{1,20})"
_YMD = r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
_ISSUE = r"(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,2})\s*期"
BYLINES = (
    # 来源：《人民日报》（2026年06月01日01版） / 来源：《求是》2026/11 / 来源：《光明日报》
    LazyPattern(
        rf"来源\s*[：:]\s*《{_SOURCE}》[^\S\n]*"
        rf"(?:[（(]\s*{_YMD}|(?P<slash_year>\d{{4}})\s*/\s*(?P<slash_issue>\d{{1,2}})(?!\d))?"
    ),
    # 来源：新华网 (no brackets): a short name up to the end of the line or a separator
    LazyPattern(r"来源\s*[：:][^\S\n]*(?P<source>[^\s《》|｜（(，,。]{2,12})(?=[\s|｜（(，,。]|$)", re.MULTILINE),
    # （载2026年6月1日《人民日报》…）
    LazyPattern(rf"载\s*{_YMD}\s*《{_SOURCE}》"),
    # （刊载于2026年第11期《求是》杂志） / 2026年第11期《求是》
    LazyPattern(rf"{_ISSUE}\s*《{_SOURCE}》"),
    # 新华社北京5月31日电 / 中新社上海5月31日电
    LazyPattern(r"(?P<source>新华社|中新社)[^\s\d]{0,8}?\d{1,2}\s*月\s*\d{1,2}\s*日电"),
)
_LABELLED_BYLINES = 2  # the first two say 来源： outright: their source outranks a dateline's
SEMIMONTHLY = {"求是"}  # published on the 1st and 16th: issue N has a date
# Dates as front matter and table columns write them: 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日,
# 20260601, with a time or not; 2026-06 and 2026年6月 (a month); 2026 (a year).
_GIVEN_DATE = LazyPattern(
    r"\s*(?P<year>(?:19|20)\d{2})\s*(?:[-/._年]\s*(?P<month>\d{1,2})\s*(?:[-/._月]\s*(?P<day>\d{1,2})\s*日?)?月?"
    r"|(?P<month8>\d{2})(?P<day8>\d{2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
)
_FILE_NAME_DATE = LazyPattern(r"(?<!\d)(?P<year>(?:19|20)\d{2})[-_.]?(?P<month>\d{2})[-_.]?(?P<day>\d{2})(?!\d)")


DATE_FROM = ("front matter", "document properties", "column", "label", "delivery line", "revision", "byline", "text",
             "file name", "feed")
TITLE_FROM = ("front matter", "document properties", "column", "text", "feed", "file name")
GivenBy = Literal["front matter", "document properties", "column", "text"]
_TEXT_DATE_REACH = 1000  # "near the top": the first full date in so many characters

_ANY_DATE = (  # 2026-02-02, 2026/2/2, 2026.2.2, 2026年2月2日: as a labelled line writes it
    r"(?P<year>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})(?!\d)"
    r"|年\s*(?P<cn_month>\d{1,2})\s*月\s*(?P<cn_day>\d{1,2})\s*日)"
)
# No two runs of blanks side by side with only optional parts between: on a line of a million
# spaces they would backtrack quadratically (tests/test_hostile.py).
_LABELLED_DATE = LazyPattern(
    rf"(?:^|(?<=[\s|｜]))(?P<kind>发布|成文|印发|更新)?(?:时间|日期)[^\S\n]*(?:[：:][^\S\n]*)?{_ANY_DATE}", re.MULTILINE
)
_DATE_HEAD_CHARS = 5000  # a document's own date is near its top (a law's header, a delivery line)
# （一九二七年三月） / (1950年10月8日): a date on a line of its own, in brackets, under a title
_DATE_LINE = LazyPattern(
    r"^[^\S\n]*[（(][^\S\n]*(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?[^\S\n]*[）)][^\S\n]*$",
    re.MULTILINE,
)
_REVISION = LazyPattern(rf"{_YMD}[^。\n]{{0,60}}?(?:通过|修正|修订|公布)")
_CN_DATE = LazyPattern(
    r"(?P<year>[〇○零Ｏ一二三四五六七八九]{4})年(?P<month>十[一二]?|[一二三四五六七八九])月"
    r"(?:(?P<day>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日)?"
)
_SPACED_DIGITS = LazyPattern(r"(?<=(?<!\d)\d) (?=\d(?!\d)|[年月日])")  # 1 9 9 8 年3 月5 日, not 2026/03/04 08:00
# ——2026年1月25日在…会议上 / （2026年3月5日在…） / 1957年6月26日在…, at the start of a line
_DELIVERY_LINE = LazyPattern(rf"^[^\S\n]*(?:(?:[—－―-]{{1,2}}|[（(])[^\S\n]*)?{_YMD}[^\S\n]*在", re.MULTILINE)
_TEXT_DATE = LazyPattern(_YMD)
_FILE_NAME_YEAR = LazyPattern(r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d{2})(?![0-9A-Za-z])")


def complete_metadata(
    metadata: Mapping[str, str], text: str, *, name: str, given_by: GivenBy = "front matter"
) -> dict[str, str]:
    """``metadata`` with title, date and source filled in where it lacks them — from the text,
    then from the file ``name`` — and ``date_from`` saying where the date came from (one of
    ``DATE_FROM``; ``given_by`` when ``metadata`` has it)."""
    found = {key: value for key, value in metadata.items() if value}
    found.pop("date_from", None)  # a column of that name is not where this date came from
    found.pop("title_from", None)
    if "date" in found:
        found["date"] = iso_date(found["date"])
        found["date_from"] = given_by
    bylines = read_bylines(text) if "date" not in found or "source" not in found else {}
    if "source" in bylines:
        found.setdefault("source", bylines["source"])
    if "date" not in found:
        date, date_from, published = dates_in_text(text, byline_date=bylines.get("date", ""))
        if not date:
            date, date_from = date_in_name(name) or year_in_name(name), "file name"
        if date:
            found["date"], found["date_from"] = date, date_from
        if published:
            found.setdefault("published", published)
    if "title" in found:
        found["title_from"] = given_by
    elif title := title_in_text(text):
        found["title"], found["title_from"] = title, "text"
    elif stem := name_stem(name):
        found["title"], found["title_from"] = stem, "file name"
    if found.get("published") and found.get("published") == found.get("date"):
        del found["published"]  # a publication date is shown where it differs from the document's own
    if found.get("title_from") == "document properties":
        found["title"] = without_site_name(found["title"])
    if "title" in found:
        found["title"] = short_title(found["title"])  # a given title too: one line, never a whole text
    if not found.get("title"):
        found.pop("title", None)
        found.pop("title_from", None)
    return found


def date_in_text(text: str, *, byline_date: str = "") -> tuple[str, str]:
    """The date the text gives and where (``label``, ``delivery line``, ``revision``, ``byline``,
    ``text``), in that order of trust; ("", "") when it gives none."""
    return dates_in_text(text, byline_date=byline_date)[:2]


def dates_in_text(text: str, *, byline_date: str = "") -> tuple[str, str, str]:
    """(date, where it came from, published): the document's own date — 成文日期, a delivery line,
    a dated line of its own (``（一九二七年三月）``), a law's latest revision, a labelled date, a
    byline, the first full date near the top — and the page's publication date (``发布时间：``)
    where that differs from it."""
    head = arabic_dates(text[:_DATE_HEAD_CHARS])
    labelled = {kind: date for kind, date in _labelled_dates(head)}
    published = labelled.get("published", "")
    own = (
        (labelled.get("written", ""), "label"),
        (_first_date(_DELIVERY_LINE, head), "delivery line"),
        (_first_date(_DATE_LINE, head), "delivery line"),
        (_latest_revision(head), "revision"),
        (published or labelled.get("other", ""), "label"),
        (byline_date, "byline"),
        (_first_date(_TEXT_DATE, head[:_TEXT_DATE_REACH]), "text"),
    )
    date, date_from = next(((d, f) for d, f in own if d), ("", ""))
    return date, date_from, published if published and published != date else ""


def _labelled_dates(head: str) -> Iterator[tuple[str, str]]:
    """("written" | "published" | "other", date) of each labelled date line: 成文日期 is the
    document's own, 发布时间/发布日期 the page's."""
    for match in _LABELLED_DATE.finditer(head):
        parts = match.groupdict()
        if date := _iso(parts["year"], parts.get("month") or parts.get("cn_month"), parts.get("day") or parts.get("cn_day")):
            kind = {"成文": "written", "印发": "written", "发布": "published"}.get(parts.get("kind") or "", "other")
            yield kind, date


def _first_date(pattern: LazyPattern, text: str) -> str:
    for match in pattern.finditer(text):
        parts = match.groupdict()
        if parts.get("day") is None and parts.get("month") is not None:
            if 1 <= int(parts["month"]) <= 12:
                return f"{parts['year']}-{int(parts['month']):02d}"  # a month, as precise as it is given
            continue
        if date := _iso(parts["year"], parts["month"], parts["day"]):
            return date
    return ""


def _latest_revision(head: str) -> str:
    """A law's date: the latest 通过/修正/修订/公布 date of its header (the parenthesis under its
    title), the version at hand; "" for a text that is no law (no 第一条 near the top)."""
    if "第一条" not in head:
        return ""
    header = head[: head.find("第一条")]
    dates = [d for m in _REVISION.finditer(header) if (d := _iso(m["year"], m["month"], m["day"]))]
    return max(dates, default="")


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}


def arabic_dates(text: str) -> str:
    """``text`` with dates written in Chinese numerals (二〇二六年一月二十七日, 一九五○年十月八日)
    and with spaced digits (1 9 9 8 年3 月5 日) written as 2026年1月27日, for the date patterns."""
    if "年" in text:
        text = _CN_DATE.sub(_cn_date, text)
    return _SPACED_DIGITS.sub("", text) if " " in text else text


def _cn_date(match: re.Match) -> str:
    year = "".join(_CN_DIGITS.get(c, c) for c in match["year"])
    month = _cn_number(match["month"])
    day = f"{_cn_number(match['day'])}日" if match["day"] else ""
    return f"{year}年{month}月{day}"


def _cn_number(numeral: str) -> int:
    """一 … 三十一 as a number."""
    if "十" not in numeral:
        return int(_CN_DIGITS.get(numeral, "0"))
    tens, _, ones = numeral.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)


GIVEN_TITLE_MAX_CHARS = 200  # a title is a line: a table cell or front matter may hold a whole text


def short_title(title: str) -> str:
    """A title as one line of at most GIVEN_TITLE_MAX_CHARS characters (its first line; "…"
    where it is cut), so that a title never carries a document's text into every row."""
    head = title[: 4 * GIVEN_TITLE_MAX_CHARS]  # a longer title is cut anyway: never split a whole text into lines
    line = next((line.strip() for line in head.splitlines() if line.strip()), "")
    if len(line) > GIVEN_TITLE_MAX_CHARS:
        return line[: GIVEN_TITLE_MAX_CHARS - 1] + "…"
    return line


# A web page's <title> carries the site and its channels after the headline:
# 标题_网易订阅, 标题 -中新网, 标题--经济·科技--人民网, 标题_数据_宏观频道首页_财经网 - CAIJING.COM.CN, 标题-纪检
_SITE_NAME = LazyPattern(r"(?:_|\s+[-|｜]\s*|\s*(?:--|\|)\s*|｜|-(?=[^\d\s-]{1,8}$)).*$")


def without_site_name(title: str) -> str:
    """A page's <title> without the site's name and channels after the headline; the title as it
    is where what would be left is too short to be a headline."""
    head = _SITE_NAME.sub("", title[:GIVEN_TITLE_MAX_CHARS]).strip()
    return head if len(head) >= 4 else title


def read_bylines(text: str) -> dict[str, str]:
    """The source of the first ``来源：`` line (else of the first byline) in ``text``, and the date
    of the first byline that has one."""
    # Merged lazily in reading order: a text of a million bylines is not a list of a million matches.
    labelled = next(heapq.merge(*(p.finditer(text) for p in BYLINES[:_LABELLED_BYLINES]), key=lambda m: m.start()), None)
    found: dict[str, str] = {"source": _byline_source(labelled)} if labelled else {}
    matches = heapq.merge(*(pattern.finditer(text) for pattern in BYLINES), key=lambda m: m.start())
    for match in matches:
        parts = match.groupdict()
        source = _byline_source(match)
        found.setdefault("source", source)
        if "date" not in found and (date := _byline_date(parts, source)):
            found["date"] = date
        if len(found) == 2:
            break
    return found


def _byline_source(match: re.Match) -> str:
    return match["source"].strip().removesuffix("杂志")


def _byline_date(parts: dict[str, str | None], source: str) -> str:
    if parts.get("day"):
        return _iso(parts["year"], parts["month"], parts["day"])
    year, issue = parts.get("year") or parts.get("slash_year"), parts.get("issue") or parts.get("slash_issue")
    if year and issue:
        number = int(issue)
        if source in SEMIMONTHLY and 1 <= number <= 24:
            return _iso(year, str((number + 1) // 2), "1" if number % 2 else "16")
        return year
    return ""


def iso_date(value: str) -> str:
    """A given date in ISO form — 2026-06-01, 2026-06 or 2026 as precise as it is — so that
    dates sort and group by year and month; a value that is no date is kept as it is."""
    match = _GIVEN_DATE.fullmatch(value)
    if match is None:
        return value
    month, day = match["month"] or match["month8"], match["day"] or match["day8"]
    if day:
        return _iso(match["year"], month, day) or value
    if month:
        return f"{match['year']}-{int(month):02d}" if 1 <= int(month) <= 12 else value
    return match["year"]


def date_in_name(name: str) -> str:
    """A date written in a file's name (not its directories): 2026-06-01, 2026_06_01, 20260601."""
    match = _FILE_NAME_DATE.search(os.path.basename(name))
    return _iso(match["year"], match["month"], match["day"]) if match else ""


def year_in_name(name: str) -> str:
    """A year standing alone in a file's name (2026_北京市.txt, reports_2016_017.txt): a year, no more.
    Digits inside a longer number or a hash (a2016f) are not a year."""
    match = _FILE_NAME_YEAR.search(os.path.basename(name))
    return match["year"] if match else ""


def name_stem(name: str) -> str:
    """The file's name without directories and suffix (and without a table row's ``#N``): the
    title of last resort. stdin (``-``) has none."""
    base = os.path.basename(name.split("#", 1)[0])
    return "" if base in ("", "-") else doc_id_for(os.path.splitext(base)[0])  # a name that is not UTF-8, escaped


def _iso(year: str, month: str, day: str) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2026年13月: not a date
        return ""


# Titles ------------------------------------------------------------------------------------------

TITLE_MAX_CHARS = 60  # a line longer than this is a paragraph, not a title
_TITLE_REACH = 30  # non-empty lines looked at: past tool bars, navigation and labelled lines
_TITLE_SCAN_CHARS = 10_000  # of the text's top: a title is near it
_INVISIBLE = LazyPattern(r"[\u200b-\u200f\u2060\ufeff\u00a0\u3000\s]+")
_BOOKMARK_MARK = LazyPattern(r"\[bookmark:[^\]\n]*\]")  # left by .docx → text converters
_NOT_TITLE = LazyPattern(
    r"^(?:"
    r"(?:您的位置|你的位置|您现在的位置|当前位置|所在位置|位置)\s*[：:]"  # navigation
    r"|(?:分享|分享到|分享至|转发到)\s*[：:]?"  # share lines
    r"|首页\s*[>＞»/]"  # breadcrumbs
    r"|(?:发布|成文|印发|更新)?(?:时间|日期)\s*[：:]|来源\s*[：:]|作者\s*[：:]|编辑\s*[：:]|字号|浏览|点击"  # labelled
    r"|索\s*引\s*号|发文机关|文\s*号|主\s*题\s*词"  # (a column tag 【…】 heads a title: 【学习贯彻…】…)
    r"|[—－-]{1,2}\s*\d{4}\s*年"  # a delivery line
    r"|[■●▲◆]|本报|记者|通讯员|(?:新华社|中新社|人民网|新华网)[^\n]{0,12}?(?:电|讯|记者)"  # bylines
    r"|\(?[（(]?(?:载|刊载于|原载)"
    r"|[=\-_*~#]+$"  # Markdown rules and underlines
    r"|[|｜]"  # a table's row (| 索引号 | … |)
    r"|[^>＞»\n]{0,30}[>＞»]"  # breadcrumbs: 首页 > 政务公开 > …
    r")"
)
_TITLE_LABEL = LazyPattern(r"^(?:标\s*题|题\s*目|名\s*称)\s*[：:]\s*(?P<title>\S.*)$")  # 标 题：关于…的通知
# A line that ends so goes on in the next: a paragraph broken into lines, never a title (articles.py too).
CONTINUES_BELOW = ("《", "“", "‘", "（", "(", "「", "『", "，", ",", "、")
_BROKEN_TAIL = 1  # a character on a line of its own ends the title above (告); two may be an author (李明)
_NOT_A_TAIL = ("—", "-", "（", "(", "【", "[", "|", "第")
_SALUTATION = LazyPattern(r"^[^，,。；]{1,16}[：:！!]$")  # 各位代表：  同志们！  尊敬的各位来宾：
_CAPTION = LazyPattern(r"(?:记者|通讯员)?[^。]{0,20}\s摄$|^(?:图为|图片来源|图\s*[：:]|视频\s*[：:])")
_SENTENCE_END = LazyPattern(r"[。！？!?；;]$|[。！？][”’」』）)]$")


_BREADCRUMB_SEPARATOR = LazyPattern(r"[>＞»›/]")
_NO_WORD = LazyPattern(r"[\W_]+")  # a line of punctuation and symbols only: no letter, digit or Han character


def title_in_text(text: str) -> str:
    """The first line near the top of ``text`` that is a title, or "" when the text starts with
    its body (a paragraph comes before any title). A label is taken off (``标 题：``), and a
    title broken before its last character or two (``政府工作报`` / ``告``) is joined."""
    looked_at = 0
    lines = (_INVISIBLE.sub(" ", _BOOKMARK_MARK.sub("", raw)).strip().lstrip("#").strip()
             for raw in text[:_TITLE_SCAN_CHARS].splitlines())
    lines = [line for line in lines if line][: _TITLE_REACH + 1]
    for index, line in enumerate(lines[:_TITLE_REACH]):
        if labelled := _TITLE_LABEL.match(line):
            line = labelled["title"].strip()
        elif _passed_over(line) or _in_broken_breadcrumb(lines, index):
            continue
        if len(line) > TITLE_MAX_CHARS or _SENTENCE_END.search(line) or line.endswith(CONTINUES_BELOW):
            return ""  # the body has begun
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if 0 < len(following) <= _BROKEN_TAIL and not _SENTENCE_END.search(following) and \
                not following.startswith(_NOT_A_TAIL) and len(line) + len(following) <= TITLE_MAX_CHARS:
            line += following  # 政府工作报 / 告
        return line
    return ""


def _in_broken_breadcrumb(lines: list[str], index: int) -> bool:
    """A piece of a breadcrumb set one piece a line (首页 / > / 云南要闻): a separator line (>)
    just above or below it, or the same text as the line above (the section's name repeated
    under its breadcrumb)."""
    above = lines[index - 1] if index else ""
    below = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(_BREADCRUMB_SEPARATOR.fullmatch(above) or _BREADCRUMB_SEPARATOR.fullmatch(below)
                or (above and lines[index] == above and _in_broken_breadcrumb(lines, index - 1)))


def _passed_over(line: str) -> bool:
    """Lines above (or between) a title and its text that are not the title."""
    return bool(
        is_boilerplate(line) or _NOT_TITLE.match(line) or _SALUTATION.match(line) or _CAPTION.search(line)
        or _LABELLED_DATE.match(line) or _DELIVERY_LINE.match(line)
        or _NO_WORD.fullmatch(line)  # 】 closing a tool bar (【字号：加大 还原 减小】) split over lines
    )
