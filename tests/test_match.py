"""One test per counting rule of DESIGN.md, on real sentences from the seeds where they exist."""

from collections import Counter

from conftest import reference_matches, seed_text

from policyterms.match import Matcher, paragraph_starts, sentence_starts, unit_index
from policyterms.normalize import normalize
from policyterms.vocab import Term, Vocabulary


def counts(vocab, text: str) -> Counter:
    matcher, normalized = Matcher(vocab), normalize(text).text
    hits = matcher.find(normalized).hits
    assert hits == matcher.find(normalized, shadowed=True).hits  # both ways to the hits agree (match.py)
    assert matcher.term_counts(normalized) == Counter(hit.term for hit in hits)
    return Counter(vocab.terms[hit.term].name for hit in hits)


def shadowed(vocab, text: str) -> Counter:
    matches = Matcher(vocab).find(normalize(text).text, shadowed=True)
    return Counter(vocab.terms[hit.term].name for hit in matches.shadowed)


def test_a_longer_match_that_fails_its_boundary_does_not_hide_a_shorter_one():
    # "5G-AB": the automaton's leftmost-longest match is 5G-A, which is followed by the letter B
    # (no ASCII boundary); 5G before "-" is the hit. "5G-A。": 5G-A is.
    vocab = Vocabulary.from_terms([Term("5G"), Term("5G-A")])
    assert counts(vocab, "推进5G-AB试点") == Counter({"5G": 1})
    assert counts(vocab, "推进5G-A。5G") == Counter({"5G-A": 1, "5G": 1})
    assert Matcher(vocab).find("推进5g-ab试点").shadowed == []  # shadowed matches only when asked


# 000: the 十五五 directions, in one sentence.
SPEECH = "党的二十届四中全会提出，要推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能、第六代移动通信等成为新的经济增长点。"


def test_rule_1_term_broken_by_a_page_break_is_found(small_vocab):
    # 004 breaks "十五五" across a page: "聚焦“十五\n\n五”时期主攻方向"
    text = seed_text("004_a0e03639a4100763.txt")
    assert "聚焦“十五\n\n五”时期" in text
    assert counts(small_vocab, "坚持全国一盘棋。聚焦“十五\n\n五”时期主攻方向")["十五五"] == 1


def test_rule_1_full_width_6g_counts(small_vocab):
    # 002 has "启动第二阶段6G技术试验"; the same sentence with full-width ６Ｇ counts the same.
    assert counts(small_vocab, "启动第二阶段６Ｇ技术试验")["第六代移动通信"] == 1
    assert counts(small_vocab, "启动第二阶段6G技术试验")["第六代移动通信"] == 1


def test_rule_1_latin_letters_match_case_insensitively(small_vocab):
    assert counts(small_vocab, "发展ai、Ai与AI")["人工智能"] == 3


def test_rule_2_matching_is_on_text_not_tokens(small_vocab):
    # jieba cuts 氢能和核聚变能 as 氢能/和/核聚变/能; matching on text finds both terms.
    found = counts(small_vocab, SPEECH)
    assert found["氢能"] == 1 and found["核聚变能"] == 1 and found["量子科技"] == 1
    assert found["第六代移动通信"] == 1


def test_rule_3_longest_wins_and_the_shorter_is_shadowed_not_counted(small_vocab):
    assert counts(small_vocab, SPEECH)["核聚变"] == 0
    assert shadowed(small_vocab, SPEECH) == Counter({"核聚变": 1})
    # 004: "可控核聚变" has no 核聚变能, so 核聚变 counts there.
    assert counts(small_vocab, "在人工智能、具身智能、生物技术、可控核聚变等未来产业领域")["核聚变"] == 1


def test_rule_3_leftmost_wins_over_longest():
    from policyterms import Term, Vocabulary

    vocab = Vocabulary.from_terms([Term("科技金融"), Term("金融服务体系")])
    # 000: "大力发展科技金融，构建…金融服务体系" has both apart; joined, the leftmost wins.
    assert counts(vocab, "科技金融服务体系") == Counter({"科技金融": 1})
    assert counts(vocab, "大力发展科技金融，构建与未来产业全生命周期融资需求相适应的金融服务体系") == Counter(
        {"科技金融": 1, "金融服务体系": 1}
    )


def test_rule_4_aliases_count_for_their_term(small_vocab):
    # 004: "我们重点布局了…具身智能、6G等关键赛道" and 000's "第六代移动通信": one term.
    assert counts(small_vocab, "脑机接口、具身智能、6G等关键赛道；第六代移动通信")["第六代移动通信"] == 2


def test_rule_4_alias_inside_its_own_term_is_not_shadowing():
    from policyterms import Term, Vocabulary

    vocab = Vocabulary.from_terms([Term("核聚变能", aliases=("核聚变",))])
    text = "氢能和核聚变能"
    assert counts(vocab, text) == Counter({"核聚变能": 1})
    assert shadowed(vocab, text) == Counter()


def test_rule_5_ascii_boundaries(small_vocab):
    assert counts(small_vocab, "16GB内存")["第六代移动通信"] == 0
    assert counts(small_vocab, "6GHz频段")["第六代移动通信"] == 0
    assert counts(small_vocab, "实现4G并跑、5G引领")["5G"] == 1  # 002
    assert counts(small_vocab, "5G-A网络")["5G"] == 1
    assert counts(small_vocab, "型号15G")["5G"] == 0


def test_rule_5_a_longer_term_failing_its_boundary_does_not_hide_a_shorter_one():
    from policyterms import Term, Vocabulary

    vocab = Vocabulary.from_terms([Term("5G"), Term("5G-A")])
    assert counts(vocab, "5G-A网络") == Counter({"5G-A": 1})
    assert counts(vocab, "5G-AB网络") == Counter({"5G": 1})


def test_surfaces_are_original_text(small_vocab):
    text = "聚焦“十五\n\n五”时期，启动６Ｇ试验"
    normalized = normalize(text)
    matches = Matcher(small_vocab).find(normalized.text)
    assert [normalized.surface(h.start, h.end) for h in matches.hits] == ["十五\n\n五", "６Ｇ"]


def units_of(text: str, words: tuple[str, ...]) -> tuple[list[int], list[int]]:
    paragraphs = paragraph_starts(text)
    sentences = sentence_starts(text, paragraphs)
    return (
        [unit_index(paragraphs, text.index(w)) for w in words],
        [unit_index(sentences, text.index(w)) for w in words],
    )


def test_sentences_and_paragraphs():
    text = "第一句。第二句！\n第三段；还是第三段。\n\n第四段"
    assert units_of(text, ("第一", "第二", "第三段", "还是", "第四")) == ([0, 0, 1, 1, 2], [0, 1, 2, 3, 4])


def test_half_width_punctuation_ends_sentences_too():
    assert units_of("第一句!第二句;第三句", ("第一", "第二", "第三")) == ([0, 0, 0], [0, 1, 2])


def test_a_page_break_inside_a_sentence_is_not_a_unit_end():
    # 004: the page break falls inside "十五五", in a line of running text.
    text = "坚持全国一盘棋，提升未来产业战略定位，加强部门协同，形成政策合力。聚焦“十五\n\n五”时期主攻方向，健全技术预见预测和调查机制。"
    assert units_of(text, ("坚持", "聚焦", "时期", "健全")) == ([0, 0, 0, 0], [0, 1, 1, 1])


def test_headings_and_bylines_are_their_own_paragraphs():
    # 000 begins: title, blank line, author, blank line, first paragraph.
    text = "前瞻布局和发展未来产业\n\n习近平\n\n今天进行二十届中央政治局第二十四次集体学习,内容是前瞻布局和发展未来产业。"
    assert units_of(text, ("前瞻", "习近平", "今天")) == ([0, 1, 2], [0, 1, 2])


def test_a_numbered_heading_before_a_blank_line_is_its_own_paragraph():
    # DESIGN: a blank line ends a paragraph. The 、 of 一、 is the heading's number, not running text:
    # this is no page break inside a sentence (the 、 of a list line still marks one).
    text = "一、量子科技\n\n发展6G。\n（二）未来产业\n\n布局氢能。\n第三章 总则\n\n附则"
    assert units_of(text, ("量子科技", "发展", "未来产业", "氢能", "总则", "附则")) == (
        [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5])
    running = "要推动量子科技、生物\n\n制造等成为新的经济增长点。"
    assert units_of(running, ("量子科技", "制造")) == ([0, 0], [0, 0])


def test_markdown_headings_are_their_own_paragraphs():
    # 002: "### （二）科技突围，筑牢向新硬支撑" (a comma inside, yet a heading) before a paragraph.
    text = "### （二）科技突围，筑牢向新硬支撑\n\n未来产业是“从0到1”的先发布局。\n# 标题\n正文"
    assert units_of(text, ("科技突围", "未来产业", "标题", "正文")) == ([0, 1, 2, 3], [0, 1, 2, 3])


def test_a_line_break_without_final_punctuation_does_not_end_a_paragraph():
    # 001: "…来源：《求是》2026/11 \n 《求是》杂志发表…" — a line break after a digit, no 。
    assert paragraph_starts("来源：《求是》2026/11 \n 《求是》杂志发表") == []


def test_matcher_equals_a_brute_force_reference_on_random_text():
    import random

    from policyterms import Term, Vocabulary

    vocab = Vocabulary.from_terms([
        Term("核聚变能", aliases=("可控核聚变",)), Term("核聚变"), Term("聚变"), Term("6G"), Term("5G"),
        Term("5G-A"), Term("未来产业"), Term("产业创新"), Term("ai", aliases=("a1",)), Term("能源"),
    ])
    pieces = ["核", "聚变", "能", "源", "可控", "6G", "16", "GB", "5G", "-A", "未来", "产业", "创新", "a", "1", "i", " ", "，"]
    matcher = Matcher(vocab)
    rng = random.Random(20261123)
    for _ in range(3000):
        text = normalize("".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))).text
        got = [(h.term, h.start, h.end) for h in matcher.find(text).hits]
        assert got == reference_matches(vocab, text)[0], text


def test_paragraph_starts_are_those_of_the_look_behind_patterns():
    """paragraph_starts searches from a character, not from a look-behind (faster): the paragraphs
    must be those the look-behind patterns give, over texts made of what they look at."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policyterms import match

    final = re.compile(rf"(?<=[{match._FINAL}])[^\S\n]*\n\s*")
    blank = re.compile(r"(?<![^\S\n])[^\S\n]*\n[^\S\n]*\n\s*")

    def by_look_behind(text: str) -> list[int]:
        starts = {m.end() for m in final.finditer(text)}
        starts.update(m.end() for m in match._MARKDOWN_HEADING.finditer(text))
        for m in blank.finditer(text):
            if m.end() < len(text) and not match._is_page_break(text, m.start(), m.end()):
                starts.add(m.end())
        first = len(text) - len(text.lstrip())
        return sorted(start for start in starts if first < start < len(text))

    @settings(max_examples=500, deadline=None, derandomize=True, database=None)
    @given(st.text(alphabet="平台量子，。！”\n\n \t\u3000#a", max_size=40))
    def check(text):
        assert match.paragraph_starts(text) == by_look_behind(text)

    check()
    # a page break after a space: the gap starts at the space, after 平 (running text: no new paragraph)
    assert match.paragraph_starts("平台，平 \n\n台") == by_look_behind("平台，平 \n\n台") == []
    assert match.paragraph_starts("平台 \n\n台") == by_look_behind("平台 \n\n台") == [5]  # a heading's line: a paragraph


def test_sentence_ends_in_c_are_those_of_the_pattern():
    """match.sentence_ends runs in C where it was built: the ends must be _SENTENCE_END's, over
    texts of its three classes and their neighbours."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policyterms import match

    assert match._sentence_ends_in_c is not None, "policyterms/_speedups.c was not built"

    def by_pattern(text: str) -> list[int]:
        return [m.end() for m in match._SENTENCE_END.finditer(text)]

    @settings(max_examples=500, deadline=None, derandomize=True, database=None)
    @given(st.text(alphabet="。！？；!?;”’」』）)“（(，. \n\t\u3000\u2028平a", max_size=40))
    def check(text):
        assert match.sentence_ends(text) == by_pattern(text)

    check()
    # every BMP character right after a sentence's end (a closing mark? a space? another end?)
    after_an_end = "".join(f"。{chr(code)}平" for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    assert match.sentence_ends(after_an_end) == by_pattern(after_an_end)


def test_final_line_ends_in_c_are_those_of_the_pattern():
    """match.final_line_ends runs in C where it was built: the ends must be
    _LINE_END_AFTER_FINAL's, for every BMP character as the mark and over random texts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policyterms import match

    assert match._final_line_ends_in_c is not None, "policyterms/_speedups.c was not built"

    def by_pattern(text: str) -> list[int]:
        return [m.end() for m in match._LINE_END_AFTER_FINAL.finditer(text)]

    @settings(max_examples=500, deadline=None, derandomize=True, database=None)
    @given(st.text(alphabet=match._FINAL + "平，a \t\n\u3000\u2028\r", max_size=40))
    def check(text):
        assert match.final_line_ends(text) == by_pattern(text)

    check()
    # every BMP character as the mark before a line end (is it one of _FINAL?)
    marks = "".join(f"平{chr(code)} \n 平" for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    assert match.final_line_ends(marks) == by_pattern(marks)


# ── globs and whitespace inside an entry (globs.py) ─────────────────────────────────────────

def glob_hits(terms: list[str], text: str) -> list[tuple[str, str]]:
    from policyterms.normalize import normalize as normalized
    from policyterms.vocab import Term

    vocabulary = Vocabulary(tuple(Term(term) for term in terms), "globs")
    found = normalized(text).text
    return [(terms[hit.term], found[hit.start:hit.end]) for hit in Matcher(vocabulary).find(found).hits]


def test_a_final_star_is_a_prefix_in_chinese_and_runs_over_the_rest_of_a_latin_word():
    text = "美国总统访问美国。the economy and economics, not noneconomic"
    # 美国* twice (the stem: no word boundaries in Chinese text); econom* takes economy and economics
    # whole, and not the econom inside noneconomic (the ASCII-boundary rule).
    assert glob_hits(["美国*", "econom*"], text) == [
        ("美国*", "美国"), ("美国*", "美国"), ("econom*", "economy"), ("econom*", "economics"),
    ]


def test_question_mark_is_one_character_and_an_inner_star_the_shortest_run():
    assert glob_hits(["colo?r", "中*国"], "colour color colouur 中华民国 中国") == [
        ("colo?r", "colour"), ("中*国", "中华民国"), ("中*国", "中国"),
    ]


def test_a_longer_literal_term_still_wins_over_a_glob_prefix():
    # Leftmost-longest across the vocabulary: 数字经济 (a term) takes its characters before 数字*.
    assert glob_hits(["数字*", "数字经济"], "数字经济和数字化") == [("数字经济", "数字经济"), ("数字*", "数字")]


def test_whitespace_inside_an_entry_matches_any_run_of_whitespace_line_breaks_too():
    assert glob_hits(["a lie"], "a lie, a  lie, a\nlie, a\t\n lie, alie, a liest") == [("a lie", "a lie")] * 1 + [
        ("a lie", "a  lie"), ("a lie", "a\nlie"), ("a lie", "a\t\n lie")]


# ── --match tokens (TokenMatcher) ───────────────────────────────────────────────────────────

def token_hits(terms: list[str], text: str) -> list[tuple[str, str]]:
    from policyterms.match import TokenMatcher
    from policyterms.segment import Segmenter

    vocabulary = Vocabulary(tuple(Term(term) for term in terms), "tokens")
    found = normalize(text).text
    matcher = TokenMatcher(vocabulary, segmenter=Segmenter(vocabulary))
    return [(terms[hit.term], found[hit.start:hit.end]) for hit in matcher.find(found).hits]


def test_tokens_mode_counts_whole_tokens_only():
    text = "扩大规模。大，是规模。"
    # In the text 大 is found twice (扩大 and the 大 before the comma); as a whole token only once.
    assert glob_hits(["大"], text) == [("大", "大")] * 2
    assert token_hits(["大"], text) == [("大", "大")]


def test_tokens_mode_multi_word_entries_are_consecutive_tokens_and_globs_match_whole_tokens():
    text = "tell a  lie now, alie; economy economics noneconomic"
    # a lie: the tokens a and lie (two spaces between them); alie is one other token.
    # econom*: economy and economics; noneconomic does not start with econom.
    assert token_hits(["a lie", "econom*"], text) == [("a lie", "a  lie"), ("econom*", "economy"), ("econom*", "economics")]


def test_tokens_mode_keeps_vocabulary_entries_whole():
    # 核聚变能 is added to the segmenter's words, so it is one token, not 核聚变/能.
    assert token_hits(["核聚变能", "核聚变"], "推进氢能和核聚变能产业化") == [("核聚变能", "核聚变能")]
