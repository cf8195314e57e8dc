"""Metadata a document does not state: its date and source read off its bylines, else off its
file's name.

Front matter and table columns say title, date and source outright and always win. Otherwise
the first byline in the text (in reading order) that names a source gives it, and the first that
gives a date gives the date. The bylines recognised are the ones Chinese policy texts carry:

- ``来源：《人民日报》（2026年06月01日01版）``  → 人民日报, 2026-06-01
- ``来源：《求是》2026/11``                   → 求是, 2026-06-01 (issue 11, see below)
- ``（载2026年6月1日《人民日报》…）``           → 人民日报, 2026-06-01
- ``（刊载于2026年第11期《求是》杂志）``        → 求是, 2026-06-01
- ``新华社北京5月31日电``                       → 新华社 (no year: no date)
- ``来源：新华网``                               → 新华网

《求是》 appears on the 1st and 16th of each month, so its issue N of a year is dated: month
(N + 1) // 2, day 1 for odd N and 16 for even N (issue 11 → 6月1日, as "6月1日出版的第11期《求是》"
says). Issues of other periodicals give the year only. A date in the file's name (2026-06-01,
2026_06_01, 20260601) is the last resort.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
from collections.abc import Mapping

from .document import first_line

_SOURCE = r"(?P<source>[^》\n]{1,20})"
_YMD = r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
_ISSUE = r"(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,2})\s*期"
BYLINES = (
    # 来源：《人民日报》（2026年06月01日01版） / 来源：《求是》2026/11 / 来源：《光明日报》
    re.compile(
        rf"来源\s*[：:]\s*《{_SOURCE}》[^\S\n]*"
        rf"(?:[（(]\s*{_YMD}|(?P<slash_year>\d{{4}})\s*/\s*(?P<slash_issue>\d{{1,2}})(?!\d))?"
    ),
    # 来源：新华网 (no brackets): a short name up to the end of the line or a separator
    re.compile(r"来源\s*[：:][^\S\n]*(?P<source>[^\s《》|｜（(，,。]{2,12})(?=[\s|｜（(，,。]|$)", re.MULTILINE),
    # （载2026年6月1日《人民日报》…）
    re.compile(rf"载\s*{_YMD}\s*《{_SOURCE}》"),
    # （刊载于2026年第11期《求是》杂志） / 2026年第11期《求是》
    re.compile(rf"{_ISSUE}\s*《{_SOURCE}》"),
    # 新华社北京5月31日电 / 中新社上海5月31日电
    re.compile(r"(?P<source>新华社|中新社)[^\s\d]{0,8}?\d{1,2}\s*月\s*\d{1,2}\s*日电"),
)
SEMIMONTHLY = {"求是"}  # published on the 1st and 16th: issue N has a date
# Dates as front matter and table columns write them: 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日,
# 20260601, with a time or not; 2026-06 and 2026年6月 (a month); 2026 (a year).
_GIVEN_DATE = re.compile(
    r"\s*(?P<year>(?:19|20)\d{2})\s*(?:[-/._年]\s*(?P<month>\d{1,2})\s*(?:[-/._月]\s*(?P<day>\d{1,2})\s*日?)?月?"
    r"|(?P<month8>\d{2})(?P<day8>\d{2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
)
_FILE_NAME_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})[-_.]?(?P<month>\d{2})[-_.]?(?P<day>\d{2})(?!\d)")


def complete_metadata(metadata: Mapping[str, str], text: str, *, name: str) -> dict[str, str]:
    """``metadata`` with title, date and source filled in where it lacks them: from the bylines
    in ``text``, then from the file ``name`` (date), or the first line of the text (title)."""
    found = {key: value for key, value in metadata.items() if value}
    if "date" in found:
        found["date"] = iso_date(found["date"])
    if "date" not in found or "source" not in found:
        for key, value in read_bylines(text).items():
            found.setdefault(key, value)
    if "date" not in found and (date := date_in_name(name)):
        found["date"] = date
    if "title" not in found and (title := first_line(text)):
        found["title"] = title
    if "title" in found:
        found["title"] = short_title(found["title"]) or first_line(text)
    return found


TITLE_MAX_CHARS = 200  # a title is a line: a table cell or front matter may hold a whole text


def short_title(title: str) -> str:
    """A given title as one line of at most TITLE_MAX_CHARS characters (its first line; "…"
    where it is cut), so that a title never carries a document's text into every row."""
    head = title[: 4 * TITLE_MAX_CHARS]  # a longer title is cut anyway: never split a whole text into lines
    line = next((line.strip() for line in head.splitlines() if line.strip()), "")
    if len(line) > TITLE_MAX_CHARS:
        return line[: TITLE_MAX_CHARS - 1] + "…"
    return line


def read_bylines(text: str) -> dict[str, str]:
    """The source of the first byline in ``text`` and the date of the first byline that has one."""
    # Merged lazily in reading order: a text of a million bylines is not a list of a million matches.
    matches = heapq.merge(*(pattern.finditer(text) for pattern in BYLINES), key=lambda m: m.start())
    found: dict[str, str] = {}
    for match in matches:
        parts = match.groupdict()
        source = parts["source"].strip().removesuffix("杂志")
        found.setdefault("source", source)
        if "date" not in found and (date := _byline_date(parts, source)):
            found["date"] = date
        if len(found) == 2:
            break
    return found


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


def _iso(year: str, month: str, day: str) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2026年13月: not a date
        return ""
