"""Feeds: an RSS 2.0 or Atom file (a day's newspaper as its scraper keeps it, a site's news
feed) holds its articles one per ``<item>``/``<entry>``: each is a document, doc_id ``FILE#N``.

An item's text is its HTML (``content:encoded``, else ``description``; Atom's ``content``, else
``summary``) as lines of text, block by block, so the headline, the byline and the issue line
(``《人民日报》（2026年05月03日 第 01 版）``) stay lines of their own for the metadata readers.
Its title is its HTML's headline (``<h1>``, under a kicker), else the item's own ``<title>``
(``title_from: feed``); its date is read off its text as any document's is, and its ``pubDate`` (when the feed
was written, often the night before the paper's date) is ``published``, and the date only where
the text gives none.

The XML is parsed without entities, DTDs or network access: a feed is data, never instructions.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable, Iterator

from ..errors import InputError
from .decoding import decode
from .document import Document
from .formats import suffix_of

FEED_SUFFIXES = (".xml", ".rss", ".atom")
FEED_GLOBS = ("*.rss", "*.atom")  # a folder's *.xml may be anything; a feed named .xml is read when named
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li br tr table section article blockquote header footer pre".split())
_DROPPED = frozenset(("script", "style", "noscript", "template"))
_PAGE_LABEL = re.compile(r"^\s*[\[【]\s*\d{1,3}\s*版\s*[：:][^\]】\n]{0,20}[\]】]\s*")  # [01版：要闻] before a paper's headline

Cleaner = Callable[[str], str]


def is_feed(source: str, data: bytes) -> bool:
    """An RSS or Atom document: by its suffix and its root element, not by its suffix alone."""
    if suffix_of(source) not in FEED_SUFFIXES:
        return False
    head = data[:2048].lower()
    return b"<rss" in head or (b"<feed" in head and b"2005/atom" in head)


def feed_items(data: bytes, *, source: str, encoding: str | None = None) -> Iterator[dict[str, str]]:
    """Each item of the feed as ``{"title", "link", "published", "html"}``."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data if encoding is None else decode(data, source=source, encoding=encoding).encode(),
                                parser)
    except etree.XMLSyntaxError as error:
        raise InputError(source, f"not a readable feed ({error.msg})") from None
    items = root.iter("item") if root.tag == "rss" or root.find("channel") is not None else root.iter(f"{_ATOM}entry")
    for item in items:
        atom = item.tag.startswith(_ATOM)
        ns = _ATOM if atom else ""
        html = (item.findtext(f"{ns}content") or item.findtext(f"{ns}summary")) if atom else \
            (item.findtext(_CONTENT) or item.findtext("description"))
        link = item.find(f"{_ATOM}link").get("href", "") if atom and item.find(f"{_ATOM}link") is not None \
            else (item.findtext("link") or "")
        published = item.findtext(f"{ns}published" if atom else "pubDate") or (item.findtext(f"{_ATOM}updated") if atom else "")
        title = _PAGE_LABEL.sub("", (item.findtext(f"{ns}title") or "").strip())
        yield {"title": title, "link": link.strip(),
               "published": _iso_time(published or ""), "html": html or ""}


def html_lines(html: str) -> tuple[str, str]:
    """An HTML fragment as text, a line per block (paragraph, heading, list item, line break),
    and its headline (its first ``<h1>``: the title under a kicker, 引题, and over a subtitle)."""
    if not html.strip():
        return "", ""
    from lxml import etree, html as lxml_html

    try:
        fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html, ""
    heading = fragment.find(".//h1")
    if heading is not None and not heading.text_content().strip() and heading.getnext() is not None:
        heading = heading.getnext()  # <h1><p>title</p></h1>: HTML's parser closes the h1 before the p
    headline = " ".join(heading.text_content().split()) if heading is not None else ""
    pieces: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _DROPPED:
            pieces.append(element.tail or "")
            return
        if tag in _BLOCKS:
            pieces.append("\n")
        if tag:
            pieces.append(element.text or "")
            for child in element:
                walk(child)
        if tag in _BLOCKS:
            pieces.append("\n")
        pieces.append(element.tail or "")

    walk(fragment)
    lines = (" ".join(line.split()) for line in "".join(pieces).replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line) + "\n", headline


def _iso_time(value: str) -> str:
    """An RSS date (RFC 822: ``Sat, 02 May 2026 23:06:39 +0000``) or an Atom one (ISO) as ISO."""
    value = value.strip()
    if not value:
        return ""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value[:10] if value[:4].isdigit() else ""


def feed_documents(
    data: bytes,
    *,
    source: str,
    encoding: str | None = None,
    clean: Cleaner | None = None,
    split: bool = True,
    want_metadata: bool = True,
) -> list[Document]:
    """One ``Document`` per item of a feed (``FILE#N``, N counting every item), or, without
    ``split``, the feed whole: its items' texts one after another."""
    from .metadata import complete_metadata

    documents = []
    for number, item in enumerate(feed_items(data, source=source, encoding=encoding), 1):
        text, headline = html_lines(item["html"])
        text = text or (item["title"] + "\n" if item["title"] else "")
        if not text.strip():
            continue  # an item with neither text nor title: nothing to count
        metadata: dict[str, str] = {}
        if want_metadata:
            metadata = complete_metadata({}, text, name="")
            if headline or item["title"]:  # the headline (<h1>), else the item's <title>, before a first line
                metadata["title"], metadata["title_from"] = (headline, "text") if headline else (item["title"], "feed")
            if item["published"] and "date" not in metadata:
                metadata["date"], metadata["date_from"] = item["published"], "feed"
            elif item["published"] and item["published"] != metadata.get("date"):
                metadata.setdefault("published", item["published"])
            if item["link"]:
                metadata["link"] = item["link"]
        documents.append(Document(f"{source}#{number}", clean(text) if clean is not None else text, metadata))
    if not documents:
        raise InputError(source, "a feed with no item that has text")
    if not split:
        return [Document(source, "\n".join(d.text for d in documents), {})]
    return documents
