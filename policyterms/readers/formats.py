"""Text out of the formats documents come in: Word (``.docx``), PDF, saved web pages
(``.html``/``.htm``) and Markdown; plain text is ``text.py``'s.

- ``.docx``: paragraphs and tables in document order (python-docx); a table row is one line, its
  cells separated by " | " (not whitespace: two cells' Han text must not join into a term).
- ``.pdf``: the text layer (pypdf), lines re-joined where the typesetter broke them: Han text
  broken across lines or pages is joined without a space, a Latin word hyphenated at a line end
  is made whole, other broken lines are joined with a space. A line that ends a sentence (。！？…)
  or is much shorter than a full line (a heading, a paragraph's last line) keeps its break.
  Page-number lines ("— 1 —", "- 2 -", "第3页") at a page's top or bottom are dropped.
- ``.html``/``.htm``: the main article text, not the menus, found by trafilatura; the page's
  title and date become metadata.
- ``.md``/``.markdown``: markup stripped line by line — images (``![alt](url)``) removed, links
  (``[text](url)``) become their text, heading marks, emphasis, block quotes and list bullets
  removed; the lines stay where they are, so paragraphs do too.

Other suffixes are sniffed: a PDF, Word or HTML file by its first bytes is read as one; anything
else is read as text if it decodes and is not binary. A file that cannot be read (corrupt,
encrypted, no text layer) is an ``InputError`` naming it and the cause.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable

from ..errors import InputError
from ..patterns import LazyPattern  # compiled on first use: a run of .txt files needs none of these
from .decoding import SNIFF_BYTES, decode
from .limits import MAX_DOCUMENT_MB, MB, check_expanded, check_pages, check_text_size
from .zips import expansion_limit, inflated_members, stored_zip

Extracted = tuple[str, dict[str, str]]  # (text, metadata)

DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
FORMAT_GLOBS = ("*.docx", "*.pdf", "*.html", "*.htm")  # added to the directory walk's defaults

CELL_SEPARATOR = " | "
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, and Office files saved with a password
_BINARY_CONTROL_SHARE = 0.1  # more control characters than this in the first bytes: binary


def suffix_of(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def extractor_for(path: str, data: bytes) -> Callable[..., Extracted] | None:
    """The extractor of a binary or markup format for ``path``, by its suffix or (for suffixes
    not known) by its first bytes; None for text."""
    suffix = suffix_of(path)
    if suffix in DOCX_SUFFIXES:
        return docx_text
    if suffix in PDF_SUFFIXES:
        return pdf_text
    if suffix in HTML_SUFFIXES:
        return html_text
    if suffix in MARKDOWN_SUFFIXES or suffix in TEXT_SUFFIXES:
        return None
    return _sniffed(data)


def _sniffed(data: bytes) -> Callable[..., Extracted] | None:
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        return pdf_text
    if head.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return docx_text
    if head.startswith(_OLE_MAGIC):
        return _old_office
    if re.match(rb"\s*(<!doctype\s+html|<html)", head[:512], re.IGNORECASE):
        return html_text
    return None


def check_text(data: bytes, *, source: str) -> None:
    """Refuse a file of an unknown suffix that is not text: many control characters (binary
    files without NUL bytes in their first bytes; NUL bytes ``decode`` refuses itself)."""
    head = data[:SNIFF_BYTES]
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f\x1b")
    if head and controls / len(head) > _BINARY_CONTROL_SHARE:
        raise InputError(source, "binary file (many control characters), not text; skipped")


# Word -----------------------------------------------------------------------------------------


def docx_text(
    data: bytes, *, source: str, encoding: str | None = None, max_bytes: int | None = MAX_DOCUMENT_MB * MB
) -> Extracted:
    """Paragraphs and tables of a Word document's body, in document order. A file that says it
    expands to more than the limit allows (``limits.check_expanded``) is refused before it is
    unpacked; one that says less is inflated under the limit, measured (``zips.py``)."""
    import docx  # python-docx: imported only for .docx inputs

    if data.startswith(_OLE_MAGIC):
        _old_office(data, source=source)
    check_expanded(source, _expanded_size(data), max_bytes, what=".docx")  # an honest bomb, from its directory
    try:
        # Every member inflated here, counted as it comes out, whatever the headers say (zips.py)
        unpacked = stored_zip(inflated_members(data, source=source, limit=expansion_limit(max_bytes)))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - not a zip: python-docx's message says what it is
        unpacked = data if not isinstance(exc, (MemoryError, RecursionError)) else b""
    try:
        document = docx.Document(io.BytesIO(unpacked))
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many kinds
        raise InputError(source, f"not a readable Word .docx file ({_cause(exc)})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.extend(_table_lines(block))
            lines.append("")
        else:
            lines.append(paragraph_text(block._p))
    metadata = {}
    if title := (document.core_properties.title or "").strip():
        metadata["title"] = title
    return "\n".join(lines), metadata


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN, _HYPERLINK = _W + "r", _W + "hyperlink"
_RUN_CONTENT = frozenset(_W + name for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def paragraph_text(paragraph) -> str:
    """A ``w:p`` element's text exactly as python-docx's ``Paragraph.text`` gives it (its runs
    and hyperlinks' runs; each run-content element as python-docx writes it), by walking the
    children: python-docx runs two XPath queries per paragraph, 70 µs, minutes for a large file."""
    parts: list[str] = []
    for child in paragraph:
        if child.tag == _RUN:
            parts.extend(str(item) for item in child if item.tag in _RUN_CONTENT)
        elif child.tag == _HYPERLINK:
            for run in child:
                if run.tag == _RUN:
                    parts.extend(str(item) for item in run if item.tag in _RUN_CONTENT)
    return "".join(parts)


def _expanded_size(data: bytes) -> int:
    """The uncompressed size a zip's directory declares for all its members. zipfile reads no
    member past its declared size, so this bounds what python-docx can unpack into memory."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return 0  # not a zip: python-docx says so


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is listed once per column it spans
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _old_office(data: bytes, *, source: str, encoding: str | None = None, max_bytes: int | None = None) -> Extracted:
    raise InputError(
        source, "an old-style Office (.doc/.xls) or password-protected file: save it as .docx (without a password)"
    )


# PDF ------------------------------------------------------------------------------------------

_SENTENCE_FINAL = "。！？；!?;…：:"
_PAGE_NUMBER = LazyPattern(r"^[\s\-—–－·]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:/|共)\s*\d{1,4}\s*页?)?[\s\-—–－·]*$")
_SHORT_LINE = 0.7  # a line shorter than this share of a full line ends a paragraph
_FULL_LINE_PERCENTILE = 0.8  # a full line's length: robust to a few long lines (a URL, a table row)
_HAN_OR_FULL_WIDTH = LazyPattern(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def pdf_text(
    data: bytes, *, source: str, encoding: str | None = None, max_bytes: int | None = MAX_DOCUMENT_MB * MB
) -> Extracted:
    """The text layer of a PDF, its lines re-joined (``join_lines``), one page after another.
    Refused when it has more pages than the limit allows (``limits.check_pages``), or as soon as
    its text is over the limit."""
    import logging

    from pypdf import PdfReader  # imported only for .pdf inputs

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd but readable files
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(source, "encrypted PDF (needs a password)")
        check_pages(source, _declared_pages(reader), max_bytes)  # len(reader.pages) walks them all: 37 s for 99,000
        pages = []
        characters = 0
        for number, page in enumerate(reader.pages, 1):
            check_pages(source, number, max_bytes)  # the count declared may lie
            pages.append(page.extract_text() or "")
            characters += len(pages[-1])
            check_text_size(source, characters, max_bytes)
        metadata = {"title": title} if (title := _pdf_title(reader)) else {}
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken file
        raise InputError(source, f"not a readable PDF ({_cause(exc)})") from None
    lines: list[str] = []
    for page in pages:
        lines.extend(_without_page_numbers(page.splitlines()))
    text = join_lines(lines)
    if not text.strip():
        raise InputError(source, "PDF has no text layer (a scan? run OCR on it first)")
    return text, metadata


def _declared_pages(reader) -> int:
    """The number of pages the PDF's page tree says it has (its root's /Count), read at once."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - no count or a broken one: the pages are counted as they are read
        return 0


def _pdf_title(reader) -> str:
    try:
        return str((reader.metadata or {}).get("/Title") or "").strip()
    except Exception:  # noqa: BLE001 - a broken info dictionary is no reason to lose the text
        return ""


def _without_page_numbers(lines: list[str]) -> list[str]:
    """A page's lines without a page number at its top or bottom."""
    while lines and (not lines[-1].strip() or _PAGE_NUMBER.match(lines[-1])):
        lines = lines[:-1]
    while lines and (not lines[0].strip() or _PAGE_NUMBER.match(lines[0])):
        lines = lines[1:]
    return lines


def join_lines(lines: list[str]) -> str:
    """Re-join lines a typesetter broke: a pure ``list of lines -> str``.

    The break after a line stays when the line is blank, ends a sentence, or is short (under
    70 % of a typical full line — the 80th percentile of the lengths —: a heading or a
    paragraph's last line). Otherwise the next line is joined on: without a space between Han
    (or full-width) characters, without the hyphen for a Latin word hyphenated at the end
    ("tech-" + "nology"), else with a space."""
    lines = [line.strip() for line in lines]
    lengths = sorted(len(line) for line in lines if line)
    full = lengths[int(_FULL_LINE_PERCENTILE * (len(lengths) - 1))] if lengths else 0
    # A paragraph is a list of pieces, joined once at its end: adding each line to a growing
    # string copied the paragraph once per line (quadratic in a 20,000-page PDF's paragraphs).
    paragraphs: list[list[str]] = []
    previous = ""
    for line in lines:
        if paragraphs and previous and line and not _ends_paragraph(previous, full):
            _join_onto(paragraphs[-1], line)
        else:
            paragraphs.append([line])
        previous = line
    return "\n".join("".join(pieces) for pieces in paragraphs)


def _ends_paragraph(line: str, full: int) -> bool:
    return line[-1] in _SENTENCE_FINAL or len(line) < _SHORT_LINE * full


def _join_onto(pieces: list[str], right: str) -> None:
    """Add the line ``right`` to a paragraph's ``pieces`` (whose last piece is not empty)."""
    end = pieces[-1][-2:] if len(pieces[-1]) >= 2 or len(pieces) == 1 else (pieces[-2] + pieces[-1])[-2:]
    if len(end) == 2 and end[1] == "-" and end[0].isascii() and end[0].isalpha() and right[0].islower():
        pieces[-1] = pieces[-1][:-1]  # "tech-" + "nology"
        pieces.append(right)
    elif _HAN_OR_FULL_WIDTH.match(end[-1]) or _HAN_OR_FULL_WIDTH.match(right[0]):
        pieces.append(right)
    else:
        pieces.extend((" ", right))


# HTML -----------------------------------------------------------------------------------------


def html_text(data: bytes, *, source: str, encoding: str | None = None, max_bytes: int | None = None) -> Extracted:
    """The main text of a web page (not its menus, sidebars and footers), title and date."""
    html = decode(data, source=source, encoding=encoding)
    import logging

    import trafilatura  # imported only for HTML inputs: it takes 0.4 s

    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # its complaints are not the user's
    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise many kinds
        raise InputError(source, f"not a readable HTML page ({_cause(exc)})") from None
    text = (getattr(result, "text", None) or "") if result is not None else ""
    if not text.strip():
        raise InputError(source, "no article text found in the HTML page")
    metadata = {}
    for key in ("title", "date"):
        if value := (getattr(result, key, None) or "").strip():
            metadata[key] = value
    return text, metadata


# Markdown -------------------------------------------------------------------------------------

# Every pattern here is linear on any line: a run that could reach the end of the line stops at
# the character the pattern starts with ("[", "<", "*"), so no start rescans the rest of the line
# (a line of 50,000 "[" took minutes). Emphasis holds no delimiter of its own kind ("**a*b**"
# keeps a star); nested marks ("***a***") are undone by a second pass.
_IMAGE = LazyPattern(r"!\[[^\[\]\n]*\]\([^)\[\n]*\)|!\[[^\[\]\n]*\]\[[^\[\]\n]*\]")
_LINK = LazyPattern(r"\[([^\[\]\n]*)\]\([^)\[\n]*\)|\[([^\[\]\n]*)\]\[[^\[\]\n]*\]")
_LINK_NESTING = 3  # passes for links in links: [![img](a)](b) is two
_REFERENCE_DEFINITION = LazyPattern(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$")
_HEADING = LazyPattern(r"^\s{0,3}#{1,6}\s+")
_SETEXT_UNDERLINE = LazyPattern(r"^\s{0,3}(=+|-{2,})\s*$")
_RULE = LazyPattern(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = LazyPattern(r"^\s{0,3}(>\s?)+")
_BULLET = LazyPattern(r"^(\s*)[-*+]\s+")
_EMPHASIS = LazyPattern(
    r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|__(?=\S)([^_\n]+?)(?<=\S)__|\*(?=\S)([^*\n]+?)(?<=\S)\*|~~(?=\S)([^~\n]+?)(?<=\S)~~"
)
_EMPHASIS_NESTING = 2  # passes: ***a*** is ** around *a*
_CODE = LazyPattern(r"`+([^`\n]*)`+")
_HTML_TAG = LazyPattern(r"</?[A-Za-z][^<>\n]*>")
_FENCE = LazyPattern(r"^\s{0,3}(```|~~~)")


def strip_markdown(text: str) -> str:
    """Markdown → plain text, a pure ``str -> str``, line for line (no line is added or removed)."""
    return "\n".join(_strip_markdown_line(line) for line in text.split("\n"))


def heading_levels(text: str) -> list[int]:
    """Each line's ATX heading level (``## 详细新闻`` → 2; 0 for a line that is no heading), line for
    line as ``strip_markdown`` keeps them: the outline that stripping the markup loses."""
    return [len(match.group().strip()) if "#" in line and (match := _HEADING.match(line)) else 0
            for line in text.split("\n")]


_MARKUP_CHARACTER = LazyPattern(r"[\[!*_~`<>#=+\-]")  # a line without any is plain text (most lines of prose)


def _strip_markdown_line(line: str) -> str:
    if not _MARKUP_CHARACTER.search(line):
        return line
    if _REFERENCE_DEFINITION.match(line) or _SETEXT_UNDERLINE.match(line) or _RULE.match(line) or _FENCE.match(line):
        return ""
    line = _IMAGE.sub("", line)
    line = _repeated(_LINK, _link_text, line, passes=_LINK_NESTING)  # [![img](a)](b), [a [b](c)](d): inner first
    line = _HTML_TAG.sub("", _without_comments(line) if "<!--" in line else line)
    line = _without_closing_hashes(_HEADING.sub("", _QUOTE.sub("", line)))
    line = _BULLET.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    return _repeated(_EMPHASIS, _emphasised_text, line, passes=_EMPHASIS_NESTING)


def _without_comments(line: str) -> str:
    """``line`` without its HTML comments (``<!--repaste.body.begin-->``), in one pass: a regex
    would rescan the rest of a line from each ``<!--`` that is never closed."""
    kept, position = [], 0
    while (start := line.find("<!--", position)) >= 0 and (end := line.find("-->", start + 4)) >= 0:
        kept.append(line[position:start])
        position = end + 3
    kept.append(line[position:])
    return "".join(kept)


def _repeated(pattern: re.Pattern, replacement: Callable[[re.Match], str], line: str, *, passes: int) -> str:
    for _ in range(passes):
        previous, line = line, pattern.sub(replacement, line)
        if line == previous:
            break
    return line


def _link_text(match: re.Match) -> str:
    return match.group(1) if match.group(1) is not None else match.group(2)


def _emphasised_text(match: re.Match) -> str:
    return next(group for group in match.groups() if group is not None)


def _without_closing_hashes(line: str) -> str:
    """``## 标题 ##`` → ``## 标题``: the closing hashes of an ATX heading (after a space), by
    string methods — the pattern ``\\s+#+\\s*$`` rescans a run of spaces from each of them."""
    stripped = line.rstrip()
    without = stripped.rstrip("#")
    if without != stripped and without != without.rstrip():
        return without.rstrip()
    return line


def _cause(exc: Exception) -> str:
    message = str(exc).splitlines()[0] if str(exc) else ""
    return message or type(exc).__name__
