"""Term discovery for curators: phrases and new words in the documents that the vocabulary lacks.

Each document is normalized and segmented once (the project's ``Segmenter``, so every term and
alias of the vocabulary is one token), and cut into sentences (found in the original layout, as
``match.py`` does). Within a sentence, a *run* is a stretch of tokens without a break; a break is
a token that is punctuation (the segmenter drops whitespace), a pure number (2026, 3.5, 十五 …), a function word
(``STOP_WORDS``), or a whole vocabulary term or alias. Every n-gram of 1 to ``max_n`` tokens inside
a run is counted, and for n-grams of 2 or more tokens (the candidates) also the token just before
and just after each occurrence (``EDGE`` at the edge of the sentence) and the first sentence that
holds it.

A candidate is ranked by how much it behaves like a word or fixed phrase:

- ``cohesion``: the smallest pointwise mutual information, in bits, over the ways to cut it in two
  parts: min over k of log2(count(w) · N / (count(w[:k]) · count(w[k:]))), N the number of tokens
  in runs. High when its parts seldom occur apart (前瞻 + 布局).
- ``left_entropy`` / ``right_entropy``: the entropy, in bits, of the tokens just before (after) its
  occurrences: −Σ p·log2 p. High when it combines freely with what surrounds it, i.e. it is a
  whole unit rather than a piece of a longer one (which would always have the same neighbour).
- ``score`` = log2(count) × min(left_entropy, right_entropy) × log2(1 + max(cohesion, 0)): frequent,
  free at both boundaries, and made of parts that belong together. Each factor can sink a
  candidate: one always followed by the same token (a piece of a longer phrase) scores 0.
- ``keyness`` (with a reference corpus): the log-likelihood G² of its count in the documents
  against its count in the reference (Rayson & Garside 2000), negative when it is relatively more
  frequent in the reference; the candidates are then ranked by keyness.

Candidates that are in the vocabulary's territory are left out: a candidate that contains a term
or alias (as the matcher would find it, ASCII boundaries included) or is contained in one. The
first is also why vocabulary tokens break runs; the second keeps pieces of terms (量子 of 量子科技)
out of the list.

The pure functions (``count_ngrams``, ``cohesion``, ``entropy``, ``log_likelihood``,
``rank_candidates``) work on token lists; ``Discovering`` is the per-document analysis for
``batch.each_partition`` (a worker adds up its partition's documents) and ``suggest`` the
library entry point.
"""

from __future__ import annotations

import functools
from fractions import Fraction
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING


from .batch import Batch, InputOptions, Progress, each_partition
from .defaults import DEFAULT_CATEGORY, DEFAULT_MIN_COUNT, DEFAULT_TOP  # defined there, for --help
from .errors import InputError, InputWarning, PolicytermsError, VocabularyError
from .match import Matcher, paragraph_starts, sentence_starts, unit_index
from .measures import association
from .normalize import HAN, is_ascii_alnum, join_han_lines, normalize
from .readers import Document
from .segment import Segmenter, SegmenterName
from .dictionaries import load_vocabulary
from .vocab import Vocabulary

if TYPE_CHECKING:  # pandas is imported when a table is made
    import pandas as pd

Ngram = tuple[str, ...]
EDGE = ""  # the neighbour of an occurrence at the start or end of its sentence
MIN_N, MAX_N = 2, 4
COLUMNS = ["candidate", "score", "count", "documents", "cohesion", "left_entropy", "right_entropy"]
KEYNESS_COLUMNS = ["keyness", "reference_count"]
BACKGROUND_COLUMNS = ["log_ratio"]
COMPANY_COLUMNS = ["category", "association", "shared", "lists", "siblings"]
EXAMPLE_COLUMNS = ["doc_id", "example"]

# Function words: particles, conjunctions, prepositions, pronouns, auxiliaries. A phrase does not
# run through them (推动 | 的 | 发展), so 新质生产力的重要载体 is never a candidate.
STOP_WORDS = frozenset(
    "的 地 得 之 了 着 过 和 与 及 以及 或 或者 并 并且 而 而且 且 但 但是 又 也 还 都 就 才 即 则 "
    "在 于 对 对于 把 被 将 从 自 向 为 为了 以 由 由于 因 因为 所以 因此 如 如果 若 按 按照 经 经过 "
    "关于 至 至于 给 跟 同 让 使 比 是 有 没有 不 无 非 很 更 最 太 其 其中 这 那 此 该 各 每 某 本 "
    "这些 那些 这个 那个 这种 这样 那样 一个 一些 一种 我 我们 你 你们 他 他们 她 她们 它 它们 "
    "自己 大家 咱们 要 会 能 可 可以 应 应当 应该 需要 已 已经 正 正在 等 等等 上 下 中 内 外 里 前 后 "
    "间 时 所 啊 吗 呢 吧 么 嘛".split()
)
_HAN_OR_ALNUM = re.compile(rf"[{HAN}A-Za-z0-9]")
_NUMBER = re.compile(r"[\d.,%‰]+|[〇零一二三四五六七八九十百千万亿两几]+")


# Counting, on token lists -----------------------------------------------------------------------


def is_break(token: str, vocabulary_tokens: frozenset[str] = frozenset()) -> bool:
    """True for a token no candidate runs through: punctuation, a number, a function word, or a
    vocabulary term or alias (normalized)."""
    return (
        not _HAN_OR_ALNUM.search(token)
        or _NUMBER.fullmatch(token) is not None
        or token in STOP_WORDS
        or token in vocabulary_tokens
    )


@dataclass
class NgramCounts:
    """The n-grams of some text: counts of every n-gram of 1..max_n tokens in runs; for those of 2
    or more tokens, their (n-gram, neighbour) counts on each side and the index of the first
    sentence holding them; ``tokens``, the number of tokens in runs (N of ``cohesion``)."""

    counts: Counter = field(default_factory=Counter)
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    first: dict[Ngram, int] = field(default_factory=dict)
    tokens: int = 0
    in_sentences: dict[Ngram, set[int]] = field(default_factory=dict)  # with context: the sentences holding it


def count_ngrams(
    sentences: Iterable[Sequence[str]],
    *,
    breaks: Callable[[str], bool] = is_break,
    max_n: int = MAX_N,
    context: bool = True,
) -> NgramCounts:
    """Count the n-grams of ``sentences`` (each a list of tokens). Without ``context``, only the
    counts and ``tokens`` (what a reference corpus needs)."""
    result = NgramCounts()
    counts, left, right, first, in_sentences = result.counts, result.left, result.right, result.first, result.in_sentences
    for index, tokens in enumerate(sentences):
        length = len(tokens)
        run_end = 0  # end of the run that holds position i
        for i in range(length):
            if breaks(tokens[i]):
                continue
            if run_end <= i:
                run_end = i
                while run_end < length and not breaks(tokens[run_end]):
                    run_end += 1
            result.tokens += 1
            for n in range(1, min(max_n, run_end - i) + 1):
                ngram = tuple(tokens[i : i + n])
                counts[ngram] += 1
                if n >= MIN_N and context:
                    left[ngram, tokens[i - 1] if i > 0 else EDGE] += 1
                    right[ngram, tokens[i + n] if i + n < length else EDGE] += 1
                    first.setdefault(ngram, index)
                    in_sentences.setdefault(ngram, set()).add(index)
    return result


def cohesion(ngram: Ngram, counts: Counter, total: int) -> float:
    """The smallest PMI (bits) over the cuts of ``ngram`` into two parts."""
    joint = counts[ngram]
    return min(
        math.log2(joint * total / (counts[ngram[:k]] * counts[ngram[k:]])) for k in range(1, len(ngram))
    )


def entropy(frequencies: Iterable[int]) -> float:
    """Shannon entropy (bits) of a distribution given by counts."""
    values = [f for f in frequencies if f > 0]
    total = sum(values)
    return sum(f / total * math.log2(total / f) for f in values)  # Σ p·log2(1/p): 0.0, never -0.0


def log_likelihood(count: int, reference_count: int, size: int, reference_size: int) -> float:
    """Signed G² of a count in a corpus of ``size`` tokens against one in a reference corpus:
    2·Σ O·ln(O/E) over the two corpora, E = size · (count + reference_count) / (size + reference_size);
    negative when the item is relatively more frequent in the reference."""
    pooled = (count + reference_count) / (size + reference_size)
    g2 = 2 * sum(
        observed * math.log(observed / (corpus * pooled))
        for observed, corpus in ((count, size), (reference_count, reference_size))
        if observed
    )
    g2 = max(g2, 0.0)  # rounding can make an exact 0 slightly negative
    return g2 if count * reference_size >= reference_count * size else -g2


def score(count: int, cohesion_bits: float, left_bits: float, right_bits: float) -> float:
    """log2(count) × min(left, right entropy) × log2(1 + max(cohesion, 0))."""
    return math.log2(count) * min(left_bits, right_bits) * math.log2(1 + max(cohesion_bits, 0.0))


def joined(ngram: Ngram) -> str:
    """The n-gram as text: tokens side by side, a space only between two ASCII letters or digits."""
    text = ngram[0]
    for token in ngram[1:]:
        text += " " + token if is_ascii_alnum(text[-1]) and is_ascii_alnum(token[0]) else token
    return text


# Lists: the evidence of siblings ----------------------------------------------------------------

# A list is items between 、 in one clause (and 和/与/及/以及/或 between its items: 氢能和核聚变能,
# 航空航天与低空经济). Its first item follows the verb that opens it, its last precedes 等 or what
# the list is of: "加速布局量子科技、生物制造、氢能和核聚变能、脑机接口等十大未来产业",
# "积极支持智能网联新能源汽车、海洋经济、低空经济、航空航天、卫星互联网等产业发展".
LIST_SEPARATOR = "、"
ITEM_JOINERS = frozenset({"和", "与", "及", "以及", "或", "或者"})  # between items only where 、 makes a list
CLAUSE_ENDS = frozenset("，,；;：:。！？!?()（）【】[]《》〈〉")
# Words that open a list, before its first item; read off the 2026 provincial work reports: the
# most frequent first tokens of a 、 list's first part that are verbs and adverbs, not nouns.
LIST_OPENERS = frozenset(
    "推动 加快 加强 支持 坚持 推进 持续 促进 深化 新增 实施 着力 强化 统筹 建设 提升 培育 积极 打造 深入 完善 "
    "建成 发展 办好 聚焦 健全 大力发展 开展 优化 进一步 扩大 拓展 做好 大力 扎实 增强 围绕 提高 引导 努力 新建 协同 "
    "做优 做强 做大 做大做强 做优做强 加大 全面 不断 力争 鼓励 构建 一体 突出 争取 实现 全力 发挥 壮大 布局 前瞻 "
    "前瞻布局 超前 超前布局 抢占 加速 加力 招引 引进 引育 抓好 瞄准 聚力 重点 涵盖 覆盖 包括 加快发展 培育壮大 "
    "形成 巩固 探索 因地制宜 有序 谋划 攻关 突破 抢抓 培优 育强 深耕 集聚 聚集 落地 引领 赋能 面向 依托 用好 发力 "
    "做精 提速 建强 前瞻性 系统 主动 开辟 新兴 培养 扶持 加紧 加速推进 大力推进 积极发展 积极培育 "
    "着力发展 重点发展 做 抓 育 强 稳 拓 优 促 推 建 壮".split()
)
# Words that close a list after its last item, where no 等 stands before them.
LIST_CLOSERS = frozenset("发展 建设 布局 壮大 提速 升级 融合 集聚 创新".split())
MAX_ITEM_TOKENS, MAX_ITEM_CHARS = 6, 16  # longer "items" are clauses, not names
TERM_MODIFIER_CHARS = 4  # 智能网联 | 新能源汽车: what a list item may have before a vocabulary term it ends with


def list_items(tokens: Sequence[str], *, breaks: Callable[[str], bool] = is_break) -> list[list[Ngram]]:
    """The lists of one sentence's tokens, each as its items (tuples of tokens), in order.

    In each clause (tokens between CLAUSE_ENDS) that holds a 、, the parts between separators (、,
    and ITEM_JOINERS) are read in order: a part that is one run of tokens (no break) is an item
    of the current list; a part with a break in it ends the current list with the run before its
    first break and starts a new one with the run after its last break. The first item of a list
    loses the LIST_OPENERS in front of it (发展 | 低空经济), the last one the LIST_CLOSERS after it
    (卫星互联网 | 发展); a list needs two items."""
    found: list[list[Ngram]] = []
    clause: list[str] = []
    for token in [*tokens, "。"]:
        if token not in CLAUSE_ENDS:
            clause.append(token)
            continue
        if LIST_SEPARATOR in clause:
            found.extend(_clause_lists(clause, breaks))
        clause = []
    return found


def _clause_lists(clause: list[str], breaks: Callable[[str], bool]) -> list[list[Ngram]]:
    parts: list[list[str]] = [[]]
    for token in clause:
        if token == LIST_SEPARATOR or token in ITEM_JOINERS:
            parts.append([])
        else:
            parts[-1].append(token)
    lists: list[list[Ngram]] = []
    current: list[Ngram] = []

    def close() -> None:
        if current:
            current[-1] = _trimmed(current[-1], LIST_CLOSERS, from_start=False)
        items = [item for item in current if _is_item(item)]
        if len(items) >= 2:
            lists.append(items)
        current.clear()

    for index, part in enumerate(parts):
        cut = [i for i, token in enumerate(part) if breaks(token)]
        if part and not cut:  # an item; the list's first one loses the verb that opens the list
            current.append(_trimmed(tuple(part), LIST_OPENERS, from_start=True) if not current else tuple(part))
            continue
        head = tuple(part[: cut[0]]) if cut else ()
        if index > 0 and head:  # the first part's head is before the list
            current.append(head)
        close()
        tail = tuple(part[cut[-1] + 1 :]) if cut else ()
        if tail:
            current.append(_trimmed(tail, LIST_OPENERS, from_start=True))
    close()
    return lists


def _trimmed(item: Ngram, words: frozenset[str], *, from_start: bool) -> Ngram:
    tokens = list(item)
    while len(tokens) > 1 and _is_one_of(tokens[0] if from_start else tokens[-1], words):
        tokens.pop(0 if from_start else -1)
    return tuple(tokens)


def _is_one_of(token: str, words: frozenset[str]) -> bool:
    """The token is one of ``words``, or two of them that jieba keeps as one token (积极支持)."""
    return token in words or any(token[:k] in words and token[k:] in words for k in range(1, len(token)))


def _is_item(item: Ngram) -> bool:
    return 0 < len(item) <= MAX_ITEM_TOKENS and len("".join(item)) <= MAX_ITEM_CHARS and not (
        len(item) == 1 and (_is_one_of(item[0], LIST_OPENERS) or item[0] in LIST_CLOSERS)
    )


@dataclass
class Siblings:
    """What lists say about candidates (of one document, or added up): ``items[item]`` its
    occurrences as a list item; ``lists[item]`` the lists where it stands beside a vocabulary
    term; ``votes[(item, category)]`` the vocabulary terms of the category beside it, over those
    lists; ``terms[(item, term)]`` how often it stood beside each term."""

    items: Counter = field(default_factory=Counter)
    lists: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    terms: Counter = field(default_factory=Counter)

    def add(self, other: Siblings) -> None:
        self.items.update(other.items)
        self.lists.update(other.lists)
        self.votes.update(other.votes)
        self.terms.update(other.terms)


def list_siblings(lists: Iterable[Sequence[Ngram]], known: dict[str, tuple[str, tuple[str, ...]]]) -> Siblings:
    """The siblings in ``lists``: ``known`` maps a vocabulary token (normalized surface) to its
    term and categories. An item that ends with a vocabulary token is that term's (智能网联
    新能源汽车 is a 新能源汽车 item: a Chinese noun phrase ends with its head); one with a
    vocabulary token elsewhere is a clause, not a name (未来产业 培育 周期 长), and is neither;
    the others are candidates, and each vocabulary item of their list votes for its categories.
    A term's item has at most TERM_MODIFIER_CHARS characters before the term: more, and it is a
    clause that ends with one (国务院 高度重视 未来产业 of "党中央、国务院高度重视未来产业发展")."""
    siblings = Siblings()
    for items in lists:
        terms = [known[item[-1]] for item in items if item[-1] in known and len("".join(item[:-1])) <= TERM_MODIFIER_CHARS]
        for item in items:
            if any(token in known for token in item):
                continue
            siblings.items[item] += 1
            if not terms:
                continue
            siblings.lists[item] += 1
            for name, categories in terms:
                siblings.terms[item, name] += 1
                for category in categories:  # each list has one vote, shared by its terms' categories
                    siblings.votes[item, category] += Fraction(1, len(terms) * len(categories))
    return siblings


def sibling_category(item: Ngram, siblings: Siblings, categories: Sequence[str]) -> str:
    """The category the item's siblings share most (ties: vocabulary order); "" without any."""
    best, most = "", 0
    for category in categories:
        if siblings.votes[item, category] > most:
            best, most = category, siblings.votes[item, category]
    return best


MIN_HEAD_TERMS = 2  # vocabulary names with a candidate's head, in one category, for it to name the category


def name_head(name: str) -> str:
    """The end of a name taken for its head: its last two characters (储能 of 新型储能, 制造 of
    生物制造), or the last one of a two-character name (能 of 氢能). One character of a longer
    name would say too little: 新 ends 专精特新 and 科技创新 alike."""
    return name[-2:] if len(name) > 2 else name[-1:]


def vocabulary_heads(vocabulary: Vocabulary) -> dict[str, Counter]:
    """For each head a candidate may have (the last two characters of a name, or its last one),
    how many of the vocabulary's terms of each category have a name or alias that ends so:
    制造 → {未来制造: 6, 未来空间: 1}."""
    heads: dict[str, Counter] = {}
    for term in vocabulary.terms:
        endings = {surface[-chars:] for surface in term.surfaces for chars in (1, 2) if len(surface) > chars}
        for ending in endings:
            for category in term.categories or (term.category,):
                heads.setdefault(ending, Counter())[category] += 1
    return heads


def head_category(candidate: str, heads: Mapping[str, Counter]) -> str:
    """The category a candidate's head gives it, or "": a Chinese compound ends with its head
    (生物制造 is a kind of 制造, as 智能制造 and 纳米制造 are). The category must hold
    MIN_HEAD_TERMS terms with that head, more than any other (智能: 人工智能 and 类脑智能, one
    category each, decide nothing)."""
    found = heads.get(name_head(candidate))
    if not found:
        return ""
    (best, most), *others = found.most_common() + [("", 0)]
    return best if most >= MIN_HEAD_TERMS and most > others[0][1] else ""


# Over a corpus ---------------------------------------------------------------------------------


@dataclass
class DocumentNgrams:
    """One document's n-grams, and the text of the sentences where some n-gram first occurs."""

    doc_id: str
    ngrams: NgramCounts
    sentences: dict[int, str]
    company: Company | None = None
    siblings: Siblings = field(default_factory=lambda: Siblings())


@dataclass
class Company:
    """Sentence co-occurrence of candidates with the vocabulary's categories (of one document, or
    added up): ``sentences`` in all, ``with_candidate[n-gram]`` sentences holding the n-gram,
    ``with_category[category]`` sentences holding a term of the category, ``both[(n-gram,
    category)]`` sentences holding both."""

    sentences: int = 0
    with_candidate: Counter = field(default_factory=Counter)
    with_category: Counter = field(default_factory=Counter)
    both: Counter = field(default_factory=Counter)

    def add(self, other: Company) -> None:
        self.sentences += other.sentences
        self.with_candidate.update(other.with_candidate)
        self.with_category.update(other.with_category)
        self.both.update(other.both)


def sentence_company(ngrams: NgramCounts, categories_by_sentence: Sequence[frozenset[str]]) -> Company:
    """The company of one document's candidates: ``categories_by_sentence[i]`` are the categories
    of the vocabulary terms found in sentence i."""
    company = Company(sentences=len(categories_by_sentence))
    for categories in categories_by_sentence:
        company.with_category.update(categories)
    for ngram, indices in ngrams.in_sentences.items():
        company.with_candidate[ngram] = len(indices)
        for index in indices:
            for category in categories_by_sentence[index]:
                company.both[ngram, category] += 1
    return company


@dataclass
class CorpusNgrams:
    """Documents' n-grams added up, in input order: what ``rank_candidates`` needs."""

    counts: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    examples: dict[Ngram, tuple[str, str]] = field(default_factory=dict)  # n-gram → (doc_id, sentence)
    tokens: int = 0
    company: Company = field(default_factory=Company)
    siblings: Siblings = field(default_factory=Siblings)

    def add(self, document: DocumentNgrams) -> None:
        ngrams = document.ngrams
        self.siblings.add(document.siblings)
        for item in document.siblings.items:
            self.documents[item] += item not in ngrams.counts  # a list item longer than MAX_N tokens
        if document.company is not None:
            self.company.add(document.company)
        self.counts.update(ngrams.counts)
        self.documents.update(ngrams.counts.keys())  # one per document
        self.left.update(ngrams.left)
        self.right.update(ngrams.right)
        self.tokens += ngrams.tokens
        for ngram, index in ngrams.first.items():
            if ngram not in self.examples:
                self.examples[ngram] = (document.doc_id, document.sentences[index])

    def merge(self, later: CorpusNgrams) -> None:
        """Add the sums of the documents that come after these in input order (a partition's):
        the same sums, and the same first examples, as adding those documents one by one."""
        self.company.add(later.company)
        self.siblings.add(later.siblings)
        self.counts.update(later.counts)
        self.documents.update(later.documents)
        self.left.update(later.left)
        self.right.update(later.right)
        self.tokens += later.tokens
        for ngram, example in later.examples.items():
            self.examples.setdefault(ngram, example)


# The general-language background ----------------------------------------------------------------


@dataclass(frozen=True)
class Background:
    """Word frequencies of general Chinese: by default jieba's own dictionary (dict.txt, which
    ships with jieba: 349,045 words, 60,101,964 occurrences), so nothing is downloaded.

    An n-gram's background probability is its dictionary frequency ÷ ``total`` when the joined
    n-gram is itself a dictionary word (人民群众 would be), else the product of its tokens'
    probabilities, as if they were independent, each (frequency + 0.5) ÷ ``total`` (a token the
    dictionary lacks, 具身 or 脑机, counts half an occurrence)."""

    frequencies: dict[str, int]
    total: int

    def probability(self, ngram: Ngram) -> float:
        whole = self.frequencies.get(joined(ngram))
        if whole is not None and len(ngram) > 1:
            return whole / self.total
        return math.prod((self.frequencies.get(token, 0) + 0.5) / self.total for token in ngram)

    def log_ratio(self, ngram: Ngram, count: int, tokens: int) -> float:
        """Hardie's (2014) Log Ratio against the background: log2 of the n-gram's relative
        frequency in the documents over its background probability; 1 bit = twice as frequent."""
        return math.log2(count / tokens / self.probability(ngram))


@functools.cache
def jieba_background() -> Background:
    """jieba's dict.txt ("word frequency [part of speech]" lines), read once per process."""
    import jieba  # its dictionary only: no tokenizer is built here

    path = Path(jieba.__file__).parent / "dict.txt"
    frequencies: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, frequency, *_ = line.split(" ")
            frequencies[word] = frequencies.get(word, 0) + int(frequency)
    return Background(frequencies, sum(frequencies.values()))


def best_category(ngram: Ngram, company: Company, categories: Sequence[str]) -> tuple[str, float, int]:
    """The category whose terms keep the n-gram the most company in sentences: the highest NPMI
    (measures.py) of "the sentence holds the n-gram" and "it holds a term of the category" (ties:
    vocabulary order); its NPMI and the sentences they share. ("", 0.0, 0) when it shares none."""
    best = ("", 0.0, 0)
    n_a = company.with_candidate[ngram]
    for category in categories:
        shared = company.both[ngram, category]
        if not shared:
            continue
        value = float(association([shared], [n_a], [company.with_category[category]], [company.sentences])["npmi"][0])
        if not best[0] or value > best[1]:
            best = (category, value, shared)
    return best


class VocabularyTerritory:
    """Tells whether a candidate contains a term or alias of the vocabulary, or is contained in one."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.surfaces = sorted({surface for surface, _ in vocabulary.patterns()})
        self.matcher = Matcher(vocabulary)

    def __contains__(self, candidate: str) -> bool:
        return bool(self.matcher.candidates(candidate)) or any(candidate in surface for surface in self.surfaces)


def rank_candidates(
    corpus: CorpusNgrams,
    *,
    excluded: Callable[[str], bool] = lambda candidate: False,
    min_count: int = DEFAULT_MIN_COUNT,
    top: int | None = DEFAULT_TOP,
    reference: CorpusNgrams | None = None,
    background: Background | None = None,
    categories: Sequence[str] | None = None,
    heads: Mapping[str, Counter] | None = None,
) -> pd.DataFrame:
    """The candidates seen at least ``min_count`` times and not ``excluded``, best first (ties by
    candidate), at most ``top``: the columns of ``COLUMNS`` (+ ``BACKGROUND_COLUMNS`` with a
    ``background``, + ``COMPANY_COLUMNS`` with the vocabulary's ``categories``, whose sentence
    company is ``corpus.company``, + ``KEYNESS_COLUMNS`` with a reference) + ``EXAMPLE_COLUMNS``.
    A candidate's category: its head's (``heads``: ``vocabulary_heads``), else its siblings',
    else its sentence company's.
    Rows with the same text (two tokenizations) are one: the most frequent tokenization speaks
    for it. The score: ``score`` without background, company or reference; the keyness G² with a
    reference; else ``combined_score``."""
    left = _neighbour_counts(corpus.left)
    right = _neighbour_counts(corpus.right)
    siblings = corpus.siblings
    candidates = {ngram: count for ngram, count in corpus.counts.items() if len(ngram) >= MIN_N}
    if categories is not None:  # an item of a list beside vocabulary terms is a candidate at any length
        for item in siblings.lists:
            candidates.setdefault(item, max(corpus.counts[item], siblings.items[item]))
    beside: dict[Ngram, Counter] = {}
    for (item, term), number in siblings.terms.items():
        beside.setdefault(item, Counter())[term] = number
    rows: dict[str, dict] = {}
    for ngram, count in candidates.items():
        if count < min_count:
            continue
        text = joined(ngram)
        if excluded(text) or (text in rows and rows[text]["count"] >= count):
            continue
        row = {"candidate": text, "count": count, "documents": corpus.documents[ngram], **_phrase(ngram, count, corpus, left, right)}
        if background is not None:
            row["phrase"] = row["score"]
            row["log_ratio"] = background.log_ratio(ngram, count, corpus.tokens)
        if categories is not None:
            row["phrase"] = row["score"]
            row["category"], row["association"], row["shared"] = best_category(ngram, corpus.company, categories)
            row["lists"] = siblings.lists[ngram]
            row["siblings"] = "、".join(_most_frequent(beside.get(ngram, {})))
            if row["lists"]:
                row["category"] = sibling_category(ngram, siblings, categories)
            if heads and (by_head := head_category(text, heads)):
                row["category"] = by_head
        if background is not None or categories is not None:
            row["_verb_led"] = _is_one_of(ngram[0], LIST_OPENERS)
            row["score"] = combined_score(row)
        if reference is not None:
            reference_count = reference.counts[ngram]
            row["keyness"] = log_likelihood(count, reference_count, corpus.tokens, reference.tokens)
            row["reference_count"] = reference_count
            row["score"] = row["keyness"]
        doc_id, sentence = corpus.examples[ngram]
        rows[text] = {**row, "doc_id": doc_id, "example": sentence}
    columns = (
        COLUMNS
        + (["phrase"] if background is not None or categories is not None else [])
        + (BACKGROUND_COLUMNS if background is not None else [])
        + (COMPANY_COLUMNS if categories is not None else [])
        + (KEYNESS_COLUMNS if reference is not None else [])
        + EXAMPLE_COLUMNS
    )
    import pandas as pd

    frame = pd.DataFrame.from_records(list(rows.values()), columns=columns)
    for column in ("score", "cohesion", "left_entropy", "right_entropy", "phrase", "log_ratio", "association", "keyness"):
        if column in frame:
            frame[column] = frame[column].astype(float).round(3) + 0.0
    if "shared" in frame:
        frame["shared"] = frame["shared"].astype("int64")
    frame = frame.sort_values(["score", "candidate"], ascending=[False, True], kind="stable")
    if top is not None:
        frame = frame.head(top)
    return frame.reset_index(drop=True)


def _phrase(ngram: Ngram, count: int, corpus: CorpusNgrams, left: dict, right: dict) -> dict:
    """The phrase columns of a candidate; NaN for one that is not an n-gram of 2 to MAX_N tokens
    (a list item that is one jieba word, or longer): there are no parts to hold together."""
    if not MIN_N <= len(ngram) <= MAX_N:
        return {"score": math.nan, "cohesion": math.nan, "left_entropy": math.nan, "right_entropy": math.nan}
    bits = cohesion(ngram, corpus.counts, corpus.tokens)
    left_bits, right_bits = entropy(left[ngram].values()), entropy(right[ngram].values())
    return {"score": score(count, bits, left_bits, right_bits), "cohesion": bits, "left_entropy": left_bits, "right_entropy": right_bits}


def _most_frequent(terms: dict[str, int], shown: int = 3) -> list[str]:
    return [term for term, _ in sorted(terms.items(), key=lambda pair: (-pair[1], pair[0]))[:shown]]


# Chosen on the tuning part of benchmarks/suggest.py (docs/curation.md "Finding new terms"):
WORD_PHRASE = 8.0  # a list item's least phrase score, per log2(count): 3 bits of entropy × log2(1 + 5.4 bits of cohesion)
VERB_LED = 0.1  # a candidate led by a verb that opens lists (加快构建, 培育壮大经营主体) is not a name
LIST_WEIGHT = 10.0  # a term seen in lists beside vocabulary terms on a third of its occurrences: ×~12


def combined_score(row: dict) -> float:
    """phrase × max(log_ratio, 0) × domain × log2(1 + documents), domain = 0.1 + max(association, 0)
    + LIST_WEIGHT × (lists / count) × log2(1 + lists): a phrase of the documents, rarer in general
    Chinese than here (the background Log Ratio, bits), in several documents, and of the
    vocabulary's domain — named in lists beside its terms on a large share of its occurrences
    (低空经济, 10 of 30), or keeping company with its terms in sentences (NPMI). A slogan or a
    verb phrase stands in no such list (习近平总书记: 0 of 143) or once in many (绿色低碳: 1 of 66),
    and keeps a tenth of its score plus its sentence company; one led by a verb that opens lists
    (加快构建) keeps VERB_LED of it. A list item is a whole unit: its phrase score is at least
    log2(count) × WORD_PHRASE. A factor whose column is missing counts 1. (Figures: the 24 tuning
    reports of benchmarks/suggest, 12 terms held out.)"""
    value = row["phrase"]
    if row.get("lists"):  # a list item is whole: its neighbours are 、, which the entropies would hold against it
        value = max(0.0 if math.isnan(value) else value, math.log2(row["count"]) * WORD_PHRASE)
    elif math.isnan(value):
        value = 0.0
    if "log_ratio" in row:
        value *= max(row["log_ratio"], 0.0)
    if "association" in row:
        lists = row.get("lists", 0)
        value *= 0.1 + max(row["association"], 0.0) + (LIST_WEIGHT * lists / row["count"] * math.log2(1 + lists) if lists else 0.0)
    if row.get("_verb_led"):
        value *= VERB_LED
    return value * math.log2(1 + row["documents"])


def _neighbour_counts(pairs: Counter) -> dict[Ngram, Counter]:
    by_ngram: dict[Ngram, Counter] = {}
    for (ngram, neighbour), count in pairs.items():
        by_ngram.setdefault(ngram, Counter())[neighbour] = count
    return by_ngram


# Documents -------------------------------------------------------------------------------------


class Discovering:
    """The analysis of ``vocab suggest``, built once per worker: a document → its n-grams."""

    def __init__(self, vocabulary: Vocabulary, *, context: bool = True, segmenter: SegmenterName = "jieba") -> None:
        self.segmenter = Segmenter(vocabulary, engine=segmenter)
        vocabulary_tokens = frozenset(surface for surface, _ in vocabulary.patterns())
        self.breaks = functools.partial(is_break, vocabulary_tokens=vocabulary_tokens)
        self.context = context
        self.matcher = Matcher(vocabulary) if context else None  # the categories each sentence holds
        self.categories = [frozenset(term.categories or (term.category,)) for term in vocabulary.terms]
        self.known = {surface: (vocabulary.terms[index].name, vocabulary.terms[index].categories) for surface, index in vocabulary.patterns()}

    def __call__(self, document: Document) -> DocumentNgrams:
        normalized = normalize(document.text)
        original = normalized.original
        starts = sentence_starts(original, paragraph_starts(original))
        sentences: list[list[str]] = [[] for _ in range(len(starts) + 1)]
        spans = self.segmenter.token_spans(normalized.text)
        for (start, end), at in zip(spans, normalized.to_originals([start for start, _ in spans])):
            sentences[unit_index(starts, at)].append(normalized.text[start:end])
        ngrams = count_ngrams(sentences, breaks=self.breaks, context=self.context)
        siblings = Siblings()
        if self.context:
            lists = [list_items(tokens) for tokens in sentences]
            siblings = list_siblings((items for found in lists for items in found), self.known)
            for index, found in enumerate(lists):  # a list item's example: where it first stands in a list
                for item in (item for items in found for item in items if item in siblings.items):
                    ngrams.first.setdefault(item, index)
        bounds = [0, *starts, len(original)]
        texts = {index: collapse(original[bounds[index] : bounds[index + 1]]) for index in set(ngrams.first.values())}
        company = None
        if self.matcher is not None:
            found: list[set[str]] = [set() for _ in sentences]
            hits = self.matcher.find(normalized.text).hits
            for hit, at in zip(hits, normalized.to_originals([hit.start for hit in hits])):
                found[unit_index(starts, at)].update(self.categories[hit.term])
            company = sentence_company(ngrams, [frozenset(categories) for categories in found])
        ngrams.in_sentences = {}  # counted into the company: not sent back to the parent
        return DocumentNgrams(document.doc_id, ngrams, texts, company, siblings)

    def partition(self, documents: list[DocumentNgrams]) -> tuple[CorpusNgrams, int]:
        """A partition's documents added up in the worker, and how many they are: the parent adds
        up partitions, not every document's counters (that was serial work, a fifth of a run)."""
        corpus = CorpusNgrams()
        for document in documents:
            corpus.add(document)
        return corpus, len(documents)


def collapse(text: str) -> str:
    """The sentence on one line: whitespace between Han characters removed (a line broken inside
    a word), other whitespace runs → one space, none at the ends."""
    return " ".join(join_han_lines(text)[0].split())


@dataclass
class Suggestions:
    """What ``suggest`` found: the candidates table, and the inputs it could not read."""

    candidates: pd.DataFrame
    vocabulary: Vocabulary
    documents: int
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{self.documents:,} document{'s' * (self.documents != 1)} read, {len(self.errors):,} skipped, "
            f"{len(self.candidates):,} candidate{'s' * (len(self.candidates) != 1)}"
        )


def read_ngrams(
    paths: Iterable[str | os.PathLike],
    vocabulary: Vocabulary,
    *,
    batch: Batch,
    context: bool = True,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> tuple[CorpusNgrams, int]:
    """The n-grams of every document under ``paths``, added up; and the number of documents."""
    corpus = CorpusNgrams()
    documents = 0
    analysis = functools.partial(Discovering, vocabulary, context=context)
    for part, read in each_partition(paths, analysis, batch=batch, inputs=inputs, jobs=jobs, strict=strict, progress=progress):
        corpus.merge(part)
        documents += read
    return corpus, documents


def suggest(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | os.PathLike | Vocabulary | None = None,
    reference: Iterable[str | os.PathLike] | None = None,
    top: int | None = DEFAULT_TOP,
    min_count: int = DEFAULT_MIN_COUNT,
    background: bool = True,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> Suggestions:
    """Rank the phrases and new words of the documents under ``paths`` that the vocabulary lacks.

    >>> policyterms.suggest(["seeds/"], top=10).candidates     # doctest: +SKIP

    Each candidate is scored as a phrase, against jieba's dictionary as the general-language
    background (``background``; README "Finding new terms"), and by the company it keeps with
    each category of the vocabulary (its best category is named). With ``reference`` paths, the
    candidates are ranked by keyness (G²) against those documents instead (read with the same
    ``inputs``)."""
    if min_count < 1:
        raise PolicytermsError(f"--min-count must be at least 1, not {min_count}")
    if top is not None and top < 1:
        raise PolicytermsError(f"--top must be at least 1, not {top}")
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    batch = Batch()
    corpus, documents = read_ngrams(paths, vocabulary, batch=batch, inputs=inputs, jobs=jobs, strict=strict, progress=progress)
    reference_corpus = None
    if reference is not None:
        reference_corpus, _ = read_ngrams(reference, vocabulary, batch=batch, context=False, inputs=inputs, jobs=jobs, strict=strict)
    territory = VocabularyTerritory(vocabulary)
    categories = list(dict.fromkeys(category for term in vocabulary.terms for category in (term.categories or (term.category,))))
    frame = rank_candidates(
        corpus, excluded=territory.__contains__, min_count=min_count, top=top, reference=reference_corpus,
        background=jieba_background() if background and reference is None else None, categories=categories,
        heads=vocabulary_heads(vocabulary),
    )
    return Suggestions(frame, vocabulary, documents, batch.errors, batch.warnings)


# Vocabulary files ---------------------------------------------------------------------------------


def chosen_categories(candidates: pd.DataFrame, *, category: str = DEFAULT_CATEGORY) -> list[str]:
    """Each candidate's category: the one named (by its siblings, or its sentence company), else
    ``category``."""
    if "category" not in candidates:
        return [category] * len(candidates)
    return [str(name) if isinstance(name, str) and name else category for name in candidates["category"]]


def entry_lines(candidates: pd.DataFrame, categories: Sequence[str], *, indent: str = "  ") -> dict[str, list[str]]:
    """The candidates as ``terms:`` entries, by category (in the order of their best candidates),
    each after a comment with its counts, its siblings and its example sentence."""
    import yaml

    blocks: dict[str, list[str]] = {}
    for row, name in zip(candidates.to_dict(orient="records"), categories):
        beside = f", beside {row['siblings']} in {row['lists']} list{'s' * (row['lists'] != 1)}" if row.get("siblings") else ""
        blocks.setdefault(name, []).append(
            f"{indent}# {row['count']}× in {row['documents']} document{'s' * (row['documents'] != 1)}{beside}, "
            f"e.g. {row['doc_id']}: {_shorten(row['example'])}"
        )
        entry = {"term": row["candidate"], "category": name}
        flow = yaml.safe_dump(entry, allow_unicode=True, default_flow_style=True, sort_keys=False, width=math.inf)
        blocks[name].append(f"{indent}- {flow.strip()}")
    return blocks


def vocabulary_file(candidates: pd.DataFrame, *, category: str = DEFAULT_CATEGORY, source: str = "", name: str = "suggested-terms") -> str:
    """A complete vocabulary file (``vocab check`` accepts it) holding the candidates, one block
    per category, in rank order within it."""
    import yaml

    lines = [
        f"# Candidates from policyterms vocab suggest{' ' + source if source else ''}: review each before keeping it.",
        yaml.safe_dump({"name": name}, allow_unicode=True).strip(),
        "terms:" if len(candidates) else "terms: []",
    ]
    for block, entries in entry_lines(candidates, chosen_categories(candidates, category=category)).items():
        lines += [f"  # ── {block} ──", *entries]
    return "\n".join(lines) + "\n"


def add_to_vocabulary(text: str, candidates: pd.DataFrame, *, source: str, category: str = DEFAULT_CATEGORY) -> str:
    """``text``, a vocabulary file, with the candidates added under their categories: after the
    last entry of the category where the file has one, else in a new block at the end of its
    ``terms:`` list. The rest of the file (comments, order, layout) is kept. A candidate that is
    already a term or alias of the file is refused (``VocabularyError`` naming the file)."""
    from .normalize import normalize_term
    from .vocab import parse_vocabulary

    existing = parse_vocabulary(text, source=source)
    known = {surface: existing.terms[index].name for surface, index in existing.patterns()}
    clashes = [f"{source}: {candidate} is already there (as {known[normalize_term(candidate)]})"
               for candidate in candidates["candidate"] if normalize_term(candidate) in known]
    if clashes:
        raise VocabularyError(clashes)
    items = _term_items(text, source)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    dash = _dash_column(lines[items[0].start_mark.line], items[0].start_mark.column) if items else 2
    last_of: dict[str, int] = {}  # category → index of its last item
    for index, item in enumerate(items):
        for name in _item_categories(item):
            last_of[name] = index
    inserts: dict[int, list[str]] = {}  # line index → the lines to put before it
    new_blocks: list[str] = []
    blocks = entry_lines(candidates, chosen_categories(candidates, category=category), indent=" " * dash)
    for name, entries in blocks.items():
        if name in last_of:
            at = _line_after(items, last_of[name], lines)
            inserts.setdefault(at, []).extend(f"{line}\n" for line in entries)
        else:
            new_blocks += [f"{' ' * dash}# ── {name} (from vocab suggest) ──\n", *(f"{line}\n" for line in entries)]
    if new_blocks:
        inserts.setdefault(_line_after(items, len(items) - 1, lines) if items else len(lines), []).extend(new_blocks)
    result = []
    for index, line in enumerate(lines):
        result += inserts.get(index, [])
        result.append(line)
    result += inserts.get(len(lines), [])
    merged = "".join(result)
    parse_vocabulary(merged, source=source)  # what is written must load
    return merged


def _term_items(text: str, source: str) -> list:
    """The nodes of the ``terms:`` list (a block sequence: entries are added as its lines)."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    terms = next((value for key, value in root.value if key.value == "terms"), None) if isinstance(root, yaml.MappingNode) else None
    if not isinstance(terms, yaml.SequenceNode) or (terms.flow_style and terms.value):
        raise VocabularyError([f"{source}: no block list under 'terms:' to add the candidates to"])
    return terms.value


def _item_categories(item) -> list[str]:
    import yaml

    if not isinstance(item, yaml.MappingNode):
        return []
    value = next((value for key, value in item.value if key.value == "category"), None)
    if isinstance(value, yaml.ScalarNode):
        return [value.value]
    if isinstance(value, yaml.SequenceNode):
        return [node.value for node in value.value if isinstance(node, yaml.ScalarNode)][:1]
    return []


def _dash_column(line: str, column: int) -> int:
    at = line.rfind("-", 0, column)
    return at if at >= 0 else max(column - 2, 0)


def _line_after(items: list, index: int, lines: list[str]) -> int:
    """The line index just after item ``index``'s own lines: before the next item and the
    comments and blank lines that lead into it, or after the last item's last content line."""
    if index + 1 < len(items):
        at = items[index + 1].start_mark.line
        while at > items[index].start_mark.line + 1 and lines[at - 1].strip()[:1] in ("#", ""):
            at -= 1
        return at
    end = items[index].end_mark
    at = end.line + (end.column > 0)
    while at > items[index].start_mark.line + 1 and lines[at - 1].strip()[:1] in ("#", ""):
        at -= 1
    return min(at, len(lines))


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
