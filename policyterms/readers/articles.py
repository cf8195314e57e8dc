"""Articles inside pages: a newspaper page, a magazine issue or a portal page that holds several
articles is read as one document per article, each with its own title, date and source.

An article boundary is a line where a page shows one:

- after an article's closing line — ``来源：《人民日报》（2026年06月01日01版）``, ``来源：《求是》2026/11``,
  ``（刊载于2026年第11期《求是》杂志）``, ``（载2026年6月1日《人民日报》…）``, ``（新华社北京2月12日电）`` —
  when a title comes next (a closing line followed by more of the same text, as a letter's
  ``（新华社北京5月31日电）`` followed by the report on it, is no boundary);
- a ``[bookmark: _Toc…]`` line (a table-of-contents entry left by a .docx → text converter);
- a title followed by a byline: ``新华社北京5月31日电``, ``■长江日报记者…``, ``长江日报讯``, ``本报记者…``,
  or the author's name on a line of its own (``李乐成``). The boundary is at the first line of the
  title (a kicker and a subtitle are part of it); page numbers (``—　1　—``), blank lines and photo
  captions between them are passed over.

A page is split only when it shows at least ``MIN_BOUNDARIES`` boundaries: one such line alone
is as likely a report quoting a source as a page of articles. Every character of the page is in
exactly one article (a stretch without text — a page number, a rule — joins the article before
it; a title alone, or a kicker, joins the article it heads; a longer stretch of titles, as a
table of contents, is a document of its own), so the articles' counts add up to the page's.
``--no-split`` reads every page whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..clean import is_boilerplate
from .document import Document
from .metadata import TITLE_MAX_CHARS, complete_metadata, date_in_name, iso_date, name_stem, year_in_name

MIN_BOUNDARIES = 2
_TITLE_BLOCK = 4  # title lines (kicker, title, subtitles) above a byline
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_BOOKMARK = re.compile(r"^\s*\[bookmark:\s*_?Toc[^\]\n]*\]", re.IGNORECASE)
_MARKUP = re.compile(r"^[#\s]+|\*\*|\[bookmark:[^\]\n]*\]")
_CLOSING = re.compile(
    r"^\s*(?:来源\s*[：:]\s*《[^》\n]{1,20}》"  # 来源：《人民日报》（…版） / 来源：《求是》2026/11
    r"|[（(]\s*(?:刊载于|原载于?|载)[^（()）\n]{0,40}《[^》\n]{1,20}》[^\n]{0,60}[）)]\s*$"  # （载2026年6月1日《人民日报》…）
    r"|[（(]\s*(?:新华社|中新社)[^\s（()）]{0,12}电\s*[）)]\s*$)"  # （新华社北京2月12日电）
)
_BYLINE = (  # compiled only as part of _MARKED: its classes of Han characters take ~2 ms a compile
    r"^[\s*]*(?:[■●◆▲□]\s*[^\n]{0,12}记者"  # ■长江日报记者范婷婷
    r"|(?:新华社|中新社)[^\s\d]{0,8}?\d{1,2}\s*月\s*\d{1,2}\s*日电"  # 新华社北京5月31日电
    r"|(?:本报|[\u4e00-\u9fff]{2,6}[日晚]?报)讯"  # 长江日报讯(记者…)  本报讯
    r"|本报记者|记者\s*[\u4e00-\u9fff]{2,3}(?:\s|$)|(?:文|作者)\s*[/／：:]\s*[\u4e00-\u9fff]{2,4})"
)
# A line any of those three match, and which (the group named after it; tried in this order):
# the one regex most lines get.
_MARKED = re.compile(f"(?P<bookmark>(?i:{_BOOKMARK.pattern}))|(?P<closing>{_CLOSING.pattern})|(?P<byline>{_BYLINE})")
_AUTHOR = re.compile(r"^[\u4e00-\u9fff·]{2,3}(?:[ \u3000]+[\u4e00-\u9fff·]{2,3}){0,2}$")  # 李乐成 / 张三　李四
# A character that neither _AUTHOR allows nor _bare removes (outside a [bookmark: …] mark).
_NEVER_IN_AUTHOR_LINE = re.compile(r"[^\u4e00-\u9fff·\s#*\u200b-\u200f\u2060\ufeff]")
_NOT_AUTHOR = re.compile(r"^第|总则|附则|目录|前言|序言|后记|按语|回信|要闻|导读|提要|提示|摘要")
_SENTENCE_END = re.compile(r"[。！？!?；;，,、]$|[。！？][”’」』）)]$")  # a headline may end in "：" (喻峰:)
_CAPTION = re.compile(r"\s摄$|^(?:图为|图片来源|图\s*[：:])")


Cleaner = Callable[[str], str]


def article_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each article in ``text``; one span, the whole text, when it shows
    fewer than ``MIN_BOUNDARIES`` boundaries."""
    lines = _lines(text)
    boundaries = sorted({lines[i][0] for i in _boundary_lines(lines)} - {0})
    first_text = len(text) - len(text.lstrip())
    boundaries = [b for b in boundaries if b > first_text]  # nothing above it: the page's first article
    if len(boundaries) < MIN_BOUNDARIES:
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
        metadata["title"] = f"{stem}#{number}"
    return metadata


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of every line."""
    found, offset = [], 0
    for line in text.split("\n"):
        found.append((offset, line))
        offset += len(line) + 1
    return found


def _boundary_lines(lines: list[tuple[int, str]]) -> list[int]:
    """Indexes of the lines where an article starts."""
    starts = []
    for index, (_, line) in enumerate(lines):
        marked = _MARKED.match(line)
        if marked is None and not _is_author_of_text(lines, index):
            continue  # most lines of a page: one regex and a quick look, not three regexes
        kind = marked.lastgroup if marked is not None else None
        if kind == "bookmark":
            starts.append(index)
        elif kind == "closing":
            following = _next_content(lines, index + 1)
            if following is not None and (_is_title(lines[following][1]) or _BOOKMARK.match(lines[following][1])):
                starts.append(following)
        elif (kind == "byline" or _is_author_of_text(lines, index)) and (first := _title_above(lines, index)) is not None:
            starts.append(first)
    return starts


def _next_content(lines: list[tuple[int, str]], index: int) -> int | None:
    """The next line with text on it, past blank lines and page numbers."""
    for position in range(index, len(lines)):
        line = lines[position][1]
        if line.strip() and not is_boilerplate(line):
            return position
    return None


def _title_above(lines: list[tuple[int, str]], index: int) -> int | None:
    """The first line of the title block just above line ``index`` (a byline), or None when
    there is no title there. Blank lines, page numbers and captions between are passed over;
    the block ends at a paragraph, a closing line or a heading of another level."""
    first = None
    level = None
    titles = 0
    for position in range(index - 1, -1, -1):
        line = lines[position][1]
        if not line.strip() or is_boilerplate(line) or _CAPTION.search(line.strip()):
            continue
        if _BOOKMARK.match(line):
            return position
        if not _is_title(line) or titles == _TITLE_BLOCK:
            break
        heading = len(line.strip()) - len(line.strip().lstrip("#"))
        if level is not None and heading != level:
            break
        level, first, titles = heading, position, titles + 1
    return first


def _bare(line: str) -> str:
    return _MARKUP.sub("", _INVISIBLE.sub("", line)).strip()


def _is_title(line: str) -> bool:
    """A line that can be (part of) a title: short, not a sentence, not in brackets, no byline."""
    bare = _bare(line)
    return (
        0 < len(bare) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(bare) and bare[0] not in "（(【[-—–"
        and not _is_closing_or_byline(bare) and not is_boilerplate(bare)
    )


def _is_closing_or_byline(line: str) -> bool:
    # A bookmark starts with "[", which neither a closing line nor a byline may: it hides neither.
    marked = _MARKED.match(line)
    return marked is not None and marked.lastgroup != "bookmark"


def _is_author_of_text(lines: list[tuple[int, str]], index: int) -> bool:
    """A name on a line of its own with a paragraph under it: not one item of a list of short
    lines (北京市 / 天津市 / …)."""
    line = lines[index][1]
    if "[" not in line and _NEVER_IN_AUTHOR_LINE.search(line):
        return False  # a paragraph, decided without stripping its markup (most lines of every page)
    bare = _bare(line)
    if not _AUTHOR.match(bare) or _NOT_AUTHOR.search(bare):
        return False
    following = _next_content(lines, index + 1)
    return following is not None and not _is_title(lines[following][1])


def _has_text(piece: str) -> bool:
    return any(line.strip() and not is_boilerplate(line) for line in piece.split("\n"))


def _text_lines(piece: str) -> int:
    return sum(bool(line.strip()) and not is_boilerplate(line) for line in piece.split("\n"))


def _has_body(piece: str) -> bool:
    """Some text that is not a title, an author or a closing line: a paragraph."""
    return any(
        line.strip() and not is_boilerplate(line) and not _is_title(line) and not _CLOSING.match(line)
        for line in piece.split("\n")
    )

