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
from collections.abc import Mapping
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


DATE_FROM = ("front matter", "document properties", "column", "label", "delivery line", "byline", "text", "file name")
GivenBy = Literal["front matter", "document properties", "column"]
_TEXT_DATE_REACH = 1000  # "near the top": the first full date in so many characters

_ANY_DATE = (  # 2026-02-02, 2026/2/2, 2026.2.2, 2026年2月2日: as a labelled line writes it
    r"(?P<year>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})(?!\d)"
    r"|年\s*(?P<cn_month>\d{1,2})\s*月\s*(?P<cn_day>\d{1,2})\s*日)"
)
# No two runs of blanks side by side with only optional parts between: on a line of a million
# spaces they would backtrack quadratically (tests/test_hostile.py).
_LABELLED_DATE = LazyPattern(
    rf"(?:^|(?<=[\s|｜]))(?:发布|成文|印发|更新)?(?:时间|日期)[^\S\n]*(?:[：:][^\S\n]*)?{_ANY_DATE}", re.MULTILINE
)
# ——2026年1月25日在…会议上 / （2026年3月5日在…） / 1957年6月26日在…, at the start of a line
_DELIVERY_LINE = LazyPattern(rf"^[^\S\n]*(?:(?:[—－-]{{1,2}}|[（(])[^\S\n]*)?{_YMD}[^\S\n]*在", re.MULTILINE)
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
    if "date" in found:
        found["date"] = iso_date(found["date"])
        found["date_from"] = given_by
    bylines = read_bylines(text) if "date" not in found or "source" not in found else {}
    if "source" in bylines:
        found.setdefault("source", bylines["source"])
    if "date" not in found:
        date, date_from = date_in_text(text, byline_date=bylines.get("date", ""))
        if not date:
            date, date_from = date_in_name(name) or year_in_name(name), "file name"
        if date:
            found["date"], found["date_from"] = date, date_from
    if "title" not in found:
        found["title"] = title_in_text(text) or name_stem(name)
    found["title"] = short_title(found["title"])  # a given title too: one line, never a whole text
    if not found["title"]:
        del found["title"]
    return found


def date_in_text(text: str, *, byline_date: str = "") -> tuple[str, str]:
    """The date the text gives and where (``label``, ``delivery line``, ``byline``, ``text``), in
    that order of trust; ("", "") when it gives none."""
    for pattern, date_from in ((_LABELLED_DATE, "label"), (_DELIVERY_LINE, "delivery line")):
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if date := _iso(parts["year"], parts.get("month") or parts.get("cn_month"), parts.get("day") or parts.get("cn_day")):
                return date, date_from
    if byline_date:
        return byline_date, "byline"
    for match in _TEXT_DATE.finditer(text, 0, _TEXT_DATE_REACH):
        if date := _iso(match["year"], match["month"], match["day"]):
            return date, "text"
    return "", ""


GIVEN_TITLE_MAX_CHARS = 200  # a title is a line: a table cell or front matter may hold a whole text


def short_title(title: str) -> str:
    """A title as one line of at most GIVEN_TITLE_MAX_CHARS characters (its first line; "…"
    where it is cut), so that a title never carries a document's text into every row."""
    head = title[: 4 * GIVEN_TITLE_MAX_CHARS]  # a longer title is cut anyway: never split a whole text into lines
    line = next((line.strip() for line in head.splitlines() if line.strip()), "")
    if len(line) > GIVEN_TITLE_MAX_CHARS:
        return line[: GIVEN_TITLE_MAX_CHARS - 1] + "…"
    return line


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
    r")"
)
_SALUTATION = LazyPattern(r"^[^，,。；]{1,16}[：:！!]$")  # 各位代表：  同志们！  尊敬的各位来宾：
_CAPTION = LazyPattern(r"(?:记者|通讯员)?[^。]{0,20}\s摄$|^(?:图为|图片来源|图\s*[：:]|视频\s*[：:])")
_SENTENCE_END = LazyPattern(r"[。！？!?；;]$|[。！？][”’」』）)]$")


def title_in_text(text: str) -> str:
    """The first line near the top of ``text`` that is a title, or "" when the text starts with
    its body (a paragraph comes before any title)."""
    looked_at = 0
    for raw in text[:_TITLE_SCAN_CHARS].splitlines():
        line = _INVISIBLE.sub(" ", _BOOKMARK_MARK.sub("", raw)).strip().lstrip("#").strip()
        if not line:
            continue
        looked_at += 1
        if looked_at > _TITLE_REACH:
            break
        if _passed_over(line):
            continue
        if len(line) > TITLE_MAX_CHARS or _SENTENCE_END.search(line):
            return ""  # the body has begun
        return line
    return ""


def _passed_over(line: str) -> bool:
    """Lines above (or between) a title and its text that are not the title."""
    return bool(
        is_boilerplate(line) or _NOT_TITLE.match(line) or _SALUTATION.match(line) or _CAPTION.search(line)
        or _LABELLED_DATE.match(line) or _DELIVERY_LINE.match(line)
    )
