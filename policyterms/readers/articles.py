"""Articles inside pages: a newspaper page, a magazine issue, a day's TV news transcript or a
portal page that holds several articles is read as one document per article, each with its own
title, date and source.

Precision comes before recall. A wrong split invents documents that begin mid-sentence; a
missed one leaves a page whole, which is still a true unit. So an article starts only where the
page shows evidence that a short line cannot fake:

- a title followed by a byline or a dateline: ``新华社北京5月31日电``, ``人民网北京5月31日电``,
  ``央视网消息（新闻联播）：``, ``■长江日报记者…``, ``长江日报讯``, ``本报记者…``, ``文/作者…``. The boundary
  is at the first line of the title (a kicker, a column tag such as ``【学习贯彻…】`` and a
  subtitle are part of it); blank lines, page numbers and photo captions between are passed over;
- a closing line — ``来源：《人民日报》（2026年06月01日01版）``, ``来源：《求是》2026/11``,
  ``（刊载于2026年第11期《求是》杂志）``, ``（载2026年6月1日《人民日报》…）``, ``（新华社北京2月12日电）`` —
  followed by a title that has text under it (a closing line followed by more of the same text,
  or by a list of related headlines, is no boundary);
- a ``[bookmark: _Toc…]`` line (a table-of-contents entry left by a .docx → text converter).

A line on its own is never evidence: not a short line of two or three characters (an author's
name looks like a word that Wikisource puts on a line of its own, ``国防法``, or a table's cell,
``定量``), and never a line that continues the sentence above it (the line above ends in ``《``,
``“`` or ``（``; the title starts with ``》``, ``”``, ``、`` or ``，``).

A page is split only when it shows at least ``MIN_BOUNDARIES`` such starts (the first article's
own title and byline count): one alone is as likely an article quoting a source as a page of
articles. Every character of the page is in exactly one article (a stretch without text — a
page number, a rule — joins the article before it; a title alone, or a kicker, joins the article
it heads; a longer stretch of titles, as a table of contents, is a document of its own), so the
articles' counts add up to the page's. ``--no-split`` reads every page whole.

Every line is looked at once, and each look around a byline or a closing line is bounded, so
the work is linear in the page (10,000 byline lines take milliseconds, not minutes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..clean import is_boilerplate
from .document import Document
from .metadata import CONTINUES_BELOW, complete_metadata, date_in_name, iso_date, name_stem, year_in_name

MIN_BOUNDARIES = 2
# A headline over a byline: 新闻联播's run to 80 characters and more (习近平对…作出重要指示 要求… 李强…作出批示);
# with no sentence end, a line that long above a byline or a closing line's next is still a title.
TITLE_MAX_CHARS = 100
_TITLE_BLOCK = 4  # title lines (kicker, title, subtitles) above a byline; a longer run is a list
# Page numbers, captions and boilerplate lines passed over between a title and its byline (blank
# lines are passed over freely: a run of them is walked by the one byline or closing line next to it).
_PASSED_OVER = 6
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_BOOKMARK = re.compile(r"^\s*\[bookmark:\s*_?Toc[^\]\n]*\]", re.IGNORECASE)
_MARKUP = re.compile(r"^[#\s]+|\*\*|\[bookmark:[^\]\n]*\]")
_CLOSING = re.compile(
    r"^\s*(?:来源\s*[：:]\s*《[^》\n]{1,20}》"  # 来源：《人民日报》（…版） / 来源：《求是》2026/11
    r"|[（(]\s*(?:刊载于|原载于?|载)[^（()）\n]{0,40}《[^》\n]{1,20}》[^\n]{0,60}[）)]\s*$"  # （载2026年6月1日《人民日报》…）
    r"|[（(]\s*(?:新华社|中新社)[^\s（()）]{0,12}电\s*[）)]\s*$)"  # （新华社北京2月12日电）
)
_BYLINE = (  # compiled only as part of _MARKED: its classes of Han characters take ~2 ms a compile
    r"^[\s*#]*(?:[■●◆▲□]\s*[^\n]{0,12}记者"  # ■长江日报记者范婷婷
    r"|[^\s\d，。,.：:；;！？!?“”《》（）()]{2,10}?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯|消息)"  # 新华社北京5月31日电 / 央广网北京5月31日消息
    r"|[\u4e00-\u9fff]{1,6}?(?:网|社|台|视)消息\s*(?:[（(][^（()）\n]{1,12}[）)])?\s*[：:]"  # 央视网消息（新闻联播）：
    r"|(?:本报|[\u4e00-\u9fff]{2,6}[日晚]?报)讯"  # 长江日报讯(记者…)  本报讯
    r"|本报记者|记者\s*[\u4e00-\u9fff]{2,3}(?:\s|$)|(?:文|作者)\s*[/／：:]\s*[\u4e00-\u9fff]{2,4})"
)
# A line any of those three match, and which (the group named after it; tried in this order):
# the one regex most lines get.
_MARKED = re.compile(f"(?P<bookmark>(?i:{_BOOKMARK.pattern}))|(?P<closing>{_CLOSING.pattern})|(?P<byline>{_BYLINE})")
_SENTENCE_END = re.compile(r"[。！？!?；;，,、]$|[。！？][”’」』）)]$")  # a headline may end in "：" (喻峰:)
_CAPTION = re.compile(r"\s摄$|^(?:图为|图片来源|图\s*[：:])")
_CONTINUES_ABOVE = ("》", "”", "’", "）", ")", "」", "』", "、", "，", ",", "。", "；", "：")  # a line that starts so
_COLUMN_TAG = re.compile(r"^【[^【】\n]{1,30}】$")  # a column tag on a line of its own, over a title

# What a line is, as the boundaries need to know it.
_BLANK, _SKIPPED, _BOOKMARKED, _CLOSED, _BYLINED, _TITLE, _TEXT = range(7)

Cleaner = Callable[[str], str]


def article_spans(text: str, *, levels: list[int] | None = None) -> list[tuple[int, int]]:
    """The (start, end) of each article in ``text``; one span, the whole text, when it shows
    fewer than ``MIN_BOUNDARIES`` article starts. ``levels``: each line's heading level where
    the text's markup is gone (Markdown's ``##``), else read off the text's own ``#`` marks."""
    lines = _lines(text)
    starts = sorted({lines[i][0] for i in _Page(lines, levels=levels).article_starts()})
    if len(starts) < MIN_BOUNDARIES:
        return [(0, len(text))]
    first_text = len(text) - len(text.lstrip())
    boundaries = [b for b in starts if b > first_text]  # nothing above it: the page's first article
    if not boundaries:
        return [(0, len(text))]
    edges = [0, *boundaries, len(text)]
    spans: list[tuple[int, int]] = []
    heading: tuple[int, int] | None = None  # title lines with no text under them yet
    for start, end in zip(edges, edges[1:]):
        if heading is not None:
            start, heading = heading[0], None
        piece = text[start:end]
        if spans and (not _has_text(piece) or (not _has_body(piece) and end == len(text))):
            spans[-1] = (spans[-1][0], end)  # a page number, a rule, a closing title: the article before's
        elif not _has_body(piece) and end < len(text) and _text_lines(piece) <= _TITLE_BLOCK:
            heading = (start, end)  # a kicker or a title alone: part of the article it heads
        else:
            spans.append((start, end))
    if heading is not None:
        spans.append(heading)
    return spans


def article_documents(
    page_id: str,
    text: str,
    given: Mapping[str, str],
    *,
    name: str,
    given_by: str = "front matter",
    clean: Cleaner | None = None,
    spans: list[tuple[int, int]],
    want_metadata: bool = True,
) -> list[Document]:
    """One ``Document`` per span of a page's ``text``: doc_id ``PAGE#N``, ``offset`` where the
    article starts in the page's text, metadata read off the article itself. The page's own
    title is not the articles'; its date and source are used where an article gives none.
    Without ``want_metadata`` (no table shows them) no title, date or source is looked for."""
    articles = []
    for number, (start, end) in enumerate(spans, 1):
        piece = text[start:end]
        metadata = {k: v for k, v in given.items() if k not in ("title", "date", "source")}
        if want_metadata:
            metadata = _article_metadata(metadata, piece, given, name=name, given_by=given_by, number=number)
        cleaned = clean(piece) if clean is not None else piece
        articles.append(Document(f"{page_id}#{number}", cleaned, metadata, offset=start))
    return articles


def _article_metadata(
    metadata: dict[str, str], piece: str, given: Mapping[str, str], *, name: str, given_by: str, number: int
) -> dict[str, str]:
    """An article's title, date and source: its own, else the page's date and source, else the
    file name's date, and ``NAME#N`` for a title."""
    metadata = complete_metadata(metadata, piece, name="")
    if "source" not in metadata and given.get("source"):
        metadata["source"] = given["source"]
    if "date" not in metadata:  # the page's date, else its file name's
        if given.get("date"):
            metadata["date"], metadata["date_from"] = iso_date(given["date"]), given_by
        elif date := date_in_name(name) or year_in_name(name):
            metadata["date"], metadata["date_from"] = date, "file name"
    if "title" not in metadata and (stem := name_stem(name)):
        metadata["title"], metadata["title_from"] = f"{stem}#{number}", "file name"
    return metadata


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of every line."""
    found, offset = [], 0
    for line in text.split("\n"):
        found.append((offset, line))
        offset += len(line) + 1
    return found


class _Page:
    """A page's lines, each classified once (``_kind``, cached) as the boundaries need it."""

    def __init__(self, lines: list[tuple[int, str]], *, levels: list[int] | None = None) -> None:
        self.lines = [line for _, line in lines]
        self.kinds: list[int | None] = [None] * len(lines)
        self.levels = levels

    def article_starts(self) -> list[int]:
        """Indexes of the lines where an article starts."""
        starts = []
        for index, line in enumerate(self.lines):
            marked = _MARKED.match(line)
            if marked is None:
                continue  # most lines of a page: one regex
            kind = marked.lastgroup
            if kind == "bookmark":
                starts.append(index)
            elif kind == "closing":
                following = self._next_content(index + 1)
                if following is not None and (start := self._titled_text_at(following)) is not None:
                    # the line also closes an article: the text above it is one, from the page's top at the latest
                    starts.extend((start, 0))
            elif (first := self._title_above(index)) is not None:
                starts.append(first)
        return starts

    def _kind(self, index: int) -> int:
        kind = self.kinds[index]
        if kind is None:
            kind = self.kinds[index] = _classify(self.lines[index])
        return kind

    def _next_content(self, index: int) -> int | None:
        """The next line with text on it, past blank lines and at most ``_PASSED_OVER`` page numbers."""
        passed = 0
        for position in range(index, len(self.lines)):
            kind = self._kind(position)
            if kind == _SKIPPED:
                passed += 1
                if passed > _PASSED_OVER:
                    return None
            elif kind != _BLANK:
                return position
        return None

    def _title_above(self, index: int) -> int | None:
        """The first line of the title block just above line ``index`` (a byline), or None when
        there is no title there. Blank lines, page numbers and captions between are passed over
        (a few); the block ends at a paragraph, a closing line or a heading of another level. A
        run of more title lines than a title block holds is a list (a table of contents, the
        day's headlines) over the title: only its last line, and a column tag over it, are the
        title's."""
        block: list[int] = []
        level = None
        passed = 0
        position = index - 1
        while position >= 0:
            kind = self._kind(position)
            if kind == _SKIPPED:
                passed += 1
                if passed > _PASSED_OVER:
                    break
            elif kind == _BLANK:
                pass
            elif kind == _BOOKMARKED:
                return position
            elif kind != _TITLE:
                break
            else:
                heading = self.levels[position] if self.levels is not None else _heading_level(self.lines[position])
                if level is not None and heading != level:
                    break
                level = heading
                block.append(position)
                if len(block) > _TITLE_BLOCK:
                    break
            position -= 1
        if not block:
            return None
        if len(block) > _TITLE_BLOCK:  # a list over the title: the title is its last line
            block = block[:2] if _COLUMN_TAG.match(_bare(self.lines[block[1]])) else block[:1]
        first = block[-1]
        return None if self._continues_above(first) else first

    def _titled_text_at(self, index: int) -> int | None:
        """``index`` when a title starts there with text (a byline or a paragraph) under it —
        a title, not a list of related headlines; else None."""
        if self._kind(index) != _TITLE or self._continues_above(index):
            return None
        titles = passed = 0
        for position in range(index + 1, len(self.lines)):
            kind = self._kind(position)
            if kind in (_TEXT, _BYLINED):
                return index
            if kind == _TITLE:  # a subtitle, a salutation, a heading: a few; a long run is a list
                titles += 1
                if titles >= 2 * _TITLE_BLOCK:
                    return None
            elif kind == _SKIPPED:
                passed += 1
                if passed > _PASSED_OVER:
                    return None
            elif kind != _BLANK:
                return None
        return None

    def _continues_above(self, index: int) -> bool:
        """A line that goes on with the sentence of the line above it (``我国第一部《`` / ``国防法``
        / ``》开始实施``): part of a paragraph broken into lines, never a title."""
        bare = _bare(self.lines[index])
        if bare.startswith(_CONTINUES_ABOVE):
            return True
        for position in range(index - 1, -1, -1):  # past blank lines only: walked once per title
            above = _bare(self.lines[position])
            if above:
                return above.endswith(CONTINUES_BELOW)
        return False


def _classify(line: str) -> int:
    if not line.strip():
        return _BLANK
    marked = _MARKED.match(line)
    if marked is not None:
        return {"bookmark": _BOOKMARKED, "closing": _CLOSED, "byline": _BYLINED}[marked.lastgroup]
    bare = _bare(line)
    if not bare or is_boilerplate(line) or _CAPTION.search(bare):
        return _SKIPPED
    return _TITLE if _is_title(bare) else _TEXT


def _heading_level(line: str) -> int:
    stripped = line.strip()
    return len(stripped) - len(stripped.lstrip("#"))


def _bare(line: str) -> str:
    return _MARKUP.sub("", _INVISIBLE.sub("", line)).strip()


def _is_title(bare: str) -> bool:
    """A line (its markup taken off) that can be (part of) a title: short, not a sentence, not in
    brackets (a column tag 【…】 may lead it), not one that goes on from the line above."""
    return (
        0 < len(bare) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(bare) and bare[0] not in "（([-—–"
        and not bare.startswith(_CONTINUES_ABOVE) and not bare.endswith(CONTINUES_BELOW)
        and not _MARKED.match(bare) and not is_boilerplate(bare)
    )


def _has_text(piece: str) -> bool:
    return any(line.strip() and not is_boilerplate(line) for line in piece.split("\n"))


def _text_lines(piece: str) -> int:
    return sum(bool(line.strip()) and not is_boilerplate(line) for line in piece.split("\n"))


def _has_body(piece: str) -> bool:
    """Some text that is not a title, an author or a closing line: a paragraph."""
    return any(
        line.strip() and not is_boilerplate(line) and not _is_title(_bare(line)) and not _CLOSING.match(line)
        for line in piece.split("\n")
    )
