"""Cleaning between reading and normalizing: pure ``str -> str`` steps.

``drop_boilerplate`` (on by default; ``--keep-boilerplate`` turns it off) removes what a saved or
scraped web page carries besides its article, line by line:

- navigation: a line made only of links and images (``[首页](…)[要闻](…)``, ``### [头条](…)``,
  a list of other articles' headlines, ``[![Image 4](…)](…)``);
- image references anywhere (``![Image 1: arrow](…)``) and the captions scrapers write for them;
- tool bars: a line made only of words like 下载 打印 收藏 分享 关闭 我要评论 登录 图片, and
  lines starting 【字号：, 分享到, 扫一扫, 责任编辑, 责编, 阅 10.2W;
- footers: 版权所有, Copyright, ©, ICP备, 公网安备, 主办单位, "自动采集于 …";
- page numbers on a line of their own ("—　1　—", "- 2 -", "第 3 页 / 共 9 页");
- ``[bookmark: …]`` marks (left by .docx → text converters), wherever they are.

A dropped line becomes an empty line (its line break stays), so the text's lines stay where they
were and a dropped line between two paragraphs still separates them. Article text is never
edited: the rules match whole lines that are boilerplate, not words inside sentences.

``to_simplified`` (``--t2s``) converts Traditional Chinese to Simplified with OpenCC's ``t2s``
dictionaries (characters and phrases), so 腦機接口 is counted as 脑机接口.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable

from .errors import InputWarning
from .names import doc_id_for

Cleaner = Callable[[str], str]

# Linear on any line: each pattern starts at a "[", and none of its runs crosses another "[", so a
# line of 100,000 "[" or "[a](" is one pass, not a rescan of the rest of the line from each "[".
_IMAGE = re.compile(r"!\[[^\[\]\n]*\](?:\([^)\[\n]*(?:\)|$))?")  # a scraper may cut the line inside the URL
_LINK = re.compile(r"\[[^\[\]\n]*\]\([^)\[\n]*\)")
_EMPTY_LINK = re.compile(r"\[\s*\]\([^)\[\n]*\)")
_BOOKMARK = re.compile(r"\[bookmark:[^\[\]\n]*\]")
_LINK_NESTING = 3  # [![Image](a)](b) is two deep; deeper is not navigation, and each level is a pass
_SEPARATORS = re.compile(r"[\s|｜/·•>#*_\-—–:：,，、【】\[\]()（）]+")
UI_WORDS = frozenset(
    "下载 打印 打印本页 收藏 收藏本页 分享 分享到 分享至 转发 点赞 关闭 关闭窗口 返回 返回顶部 "
    "我要评论 发表评论 评论 图片 视频 登录 注册 扫一扫 二维码 微信 微博 朋友圈 QQ空间 纠错 我要纠错 "
    "字号 大 中 小 默认 上一篇 下一篇 相关新闻 相关阅读 推荐阅读 更多 查看更多 首页 要闻 股市 "
    "全屏 加大 减小 还原 字体 放大 缩小 查看原文".split()
)
# A page number, a view count or a tool bar's first words: one regex, one match per line (the
# three parts are only ever matched together, so only their union is compiled).
_PAGE_NUMBER = r"^\s*(?:[-—–－]{1,2}\s*\d{1,4}\s*[-—–－]{1,2}|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?)\s*$"
_VIEW_COUNT = r"^\s*(?:阅读?|浏览|阅读量|浏览量)\s*[：:]?\s*[\d.,]+\s*[万wWkK]?\+?\s*$"
_LINE_PREFIXES = (  # case-insensitive: Copyright, COPYRIGHT
    r"^[\s【\[（(]*(?:字号\s*[：:]|分享到|扫一扫|责任编辑|责编\s*[：:]|版权所有|copyright\b|©|\(c\)\s*\d{4}"
    r"|主办单位|\*?自动采集于)"
)
_BOILERPLATE_LINE = re.compile(f"(?:{_PAGE_NUMBER})|(?:{_VIEW_COUNT})|(?i:{_LINE_PREFIXES})")
_FOOTER_ANYWHERE = re.compile(r"ICP备|公网安备|版权所有")
_MAX_UI_LINE = 40  # a tool bar is short; a longer line of these words is text


def drop_boilerplate(text: str) -> str:
    """``text`` with web-page boilerplate lines and image and bookmark marks blanked out.

    Blanked, not cut: each removed character becomes a space, so that offsets (evidence, kwic)
    still point into the file as it is, and a person can find every hit where the tool says."""
    if "[bookmark:" in text:
        text = _BOOKMARK.sub(_spaces, text)
    return "\n".join([_cleaned_line(line) for line in text.split("\n")])


def _spaces(match: re.Match) -> str:
    return " " * len(match.group())


def _cleaned_line(line: str) -> str:
    if is_boilerplate(line):
        return " " * len(line)
    return _IMAGE.sub(_spaces, line) if "![" in line else line


def is_boilerplate(line: str) -> bool:
    """True for a line that is navigation, a tool bar, a footer, an image or a page number."""
    stripped = line.strip()
    if not stripped:
        return False
    if _BOILERPLATE_LINE.match(stripped):
        return True
    has_markup = "[" in stripped  # every image and link starts with one
    if not has_markup and len(stripped) > 2 * _MAX_UI_LINE:
        return False  # a long line without links: text (the common case, decided quickly)
    if _FOOTER_ANYWHERE.search(stripped):
        return True
    without_links = _without_links(_IMAGE.sub(" ", stripped)) if has_markup else stripped
    had_markup = without_links != stripped
    rest = [word for word in _SEPARATORS.split(without_links) if word]
    if had_markup and not rest:
        return True  # only links and images: navigation
    return bool(rest) and len(without_links.strip()) <= _MAX_UI_LINE and all(word in UI_WORDS for word in rest)


def _without_links(line: str) -> str:
    for _ in range(_LINK_NESTING):  # [反馈意见 ![Image](a)](b): the inner markup first
        previous, line = line, _EMPTY_LINK.sub(" ", _LINK.sub(" ", line))
        if line == previous:
            break
    return line


@functools.lru_cache(maxsize=1)
def _t2s_converter():
    import opencc  # the OpenCC wheel: its dictionaries are in the package

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified (OpenCC ``t2s``); Simplified text is left as it is."""
    return _t2s_converter().convert(text)


# Traditional text without --t2s: OpenCC t2s changes 38-45% of the Han characters in the first 600
# characters of the seeds written in Traditional (OpenCC s2t; 們 個 這 發 業 來 國 …), and none of
# the seeds themselves (Simplified). 5% lies far from both.
TRADITIONAL_SAMPLE_CHARS = 600  # characters tested, from the first Han one: enough, and cheap on every document
TRADITIONAL_MIN_SHARE = 0.05
_HAN = re.compile("[\u4e00-\u9fff]")


def traditional_share(text: str, *, sample: int = TRADITIONAL_SAMPLE_CHARS) -> float:
    """The share of the Han characters in ``sample`` characters of ``text``, from its first Han
    one, that OpenCC t2s changes (the text converted as written; 0.0 when it has no Han)."""
    first = _HAN.search(text)
    if first is None:
        return 0.0
    head = text[first.start() : first.start() + sample]
    if _in_gb2312(head):
        return 0.0  # Simplified: OpenCC (8 ms to load) is not needed
    simplified = to_simplified(head)
    if simplified == head:  # Simplified text, nearly every document: one comparison
        return 0.0
    han = [char for char in head if _HAN.match(char)]
    if len(simplified) != len(head):  # t2s maps character to character; should a phrase not, the Han alone
        simplified, head = to_simplified("".join(han)), "".join(han)
    changed = sum(1 for before, after in zip(head, simplified) if before != after and _HAN.match(before))
    return changed / len(han)


def _in_gb2312(text: str) -> bool:
    """True when every Han character of ``text`` is in GB 2312, the Simplified character set
    (nearly every document): t2s changes 16 of its 6,763 Han characters (乾 後 於 徵 麽 …;
    tests/test_clean.py checks the whole set), too few for a share of 5%, and Traditional text
    is written with others (們 這 發 …) that GB 2312 lacks. Other characters it lacks (— ·)
    are passed over."""
    try:
        text.encode("gb2312", errors=_PASS_OVER_ALL_BUT_HAN)
    except UnicodeEncodeError:
        return False
    return True


def _pass_over_all_but_han(error: UnicodeEncodeError) -> tuple[str, int]:
    if _HAN.search(error.object, error.start, error.end):
        raise error
    return "", error.end


_PASS_OVER_ALL_BUT_HAN = "policyterms-pass-over-all-but-han"
codecs.register_error(_PASS_OVER_ALL_BUT_HAN, _pass_over_all_but_han)


def looks_traditional(text: str) -> bool:
    """True when ``text`` reads as Traditional Chinese: terms written in Simplified would be missed."""
    return traditional_share(text) >= TRADITIONAL_MIN_SHARE


# Documents a run's Traditional-Chinese warning names: a longer list is cut to the first three and
# "and N more", one line for 1,000 documents (--t2s converts them all; Simplified text it leaves as
# it is). A list of four is named whole: "and 1 more" takes the room of the name.
TRADITIONAL_NAMED = 3
_TRADITIONAL_ADVICE = "terms written in Simplified are missed; add --t2s to convert {} before matching"


def traditional_warning(doc_ids: list[str]) -> InputWarning:
    """One warning for every document of a run that looks Traditional (``looks_traditional``), in
    input order: one document is named as any input is; several are counted, and named (the
    first TRADITIONAL_NAMED of a longer list, then how many more)."""
    if len(doc_ids) == 1:
        return InputWarning(doc_ids[0], "Traditional Chinese text: " + _TRADITIONAL_ADVICE.format("it"))
    named = doc_ids if len(doc_ids) <= TRADITIONAL_NAMED + 1 else doc_ids[:TRADITIONAL_NAMED]
    listed = ", ".join(doc_id_for(doc_id) for doc_id in named)
    if len(named) < len(doc_ids):
        listed += f" and {len(doc_ids) - len(named):,} more"
    return InputWarning(f"{len(doc_ids):,} documents in Traditional Chinese ({listed})", _TRADITIONAL_ADVICE.format("them"))


def _chain(steps: tuple[Cleaner, ...], text: str) -> str:
    for step in steps:
        text = step(text)
    return text


def cleaner(*, keep_boilerplate: bool = False, t2s: bool = False) -> Cleaner | None:
    """The cleaning a run asks for as one ``str -> str`` (picklable, for worker processes), or
    None when there is nothing to do."""
    steps = tuple(step for step, wanted in ((drop_boilerplate, not keep_boilerplate), (to_simplified, t2s)) if wanted)
    return functools.partial(_chain, steps) if steps else None
