"""Hits placed in the original text: offsets, paragraph, sentence, context; kwic end to end."""

import pytest
from typer.testing import CliRunner

from conftest import SEEDS

import policyterms
from policyterms import Term, Vocabulary
from policyterms.cli import app
from policyterms.evidence import place_hits, select_terms, similar_terms
from policyterms.match import Matcher
from policyterms.normalize import normalize

VOCAB = Vocabulary.from_terms([Term("量子科技", "未来信息"), Term("第六代移动通信", "未来信息", ("6G",)),
                               Term("核聚变能", "未来能源", ("核聚变",))])
SEED_004 = SEEDS / "004_a0e03639a4100763.txt"


def placed(text, width=4):
    normalized = normalize(text)
    return place_hits(normalized, Matcher(VOCAB).find(normalized.text).hits, width=width)


def test_a_term_broken_by_a_line_break_is_placed_on_the_original_text():
    text = "标题\n\n发展量子\n科技。推进６Ｇ！\n下一段核聚变能。"
    hits = placed(text)
    assert [(h.surface, h.start, h.end, h.paragraph, h.sentence) for h in hits] == [
        ("量子\n科技", 6, 11, 2, 2), ("６Ｇ", 14, 16, 2, 3), ("核聚变能", 21, 25, 3, 4)]
    assert all(text[h.start:h.end] == h.surface for h in hits)
    first = hits[0]
    assert (first.left, first.right, first.sentence_text) == ("题 发展", "。推进６", "发展量子 科技。")  # 4 characters, the blank lines shown as one space


REPORT = (
    "政府工作报告\n"
    "一、量子科技\n"
    "过去一年，我们前瞻布局未来产业，推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能等成为新的经济增长点。\n"
    "（二）培育6G\n"
    "加快量子科技研发，推动未来产业发展，因地制宜发展新质生产力，建设现代化产业体系，增强发展新动能。\n"
)
REPORT_BODY_1 = "过去一年，我们前瞻布局未来产业，推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能等成为新的经济增长点。"
REPORT_BODY_2 = "加快量子科技研发，推动未来产业发展，因地制宜发展新质生产力，建设现代化产业体系，增强发展新动能。"


def test_a_heading_line_is_shown_apart_from_the_sentence_below_it():
    # No sentence end after 政府工作报告, 一、量子科技 or （二）培育6G: each is one counting sentence
    # with the text below it (sentence 1: lines 1-3; sentence 2: lines 4-5), and the evidence
    # keeps those numbers, but shows a heading line alone and the sentence without it.
    assert [(h.surface, h.paragraph, h.sentence, h.sentence_text) for h in placed(REPORT)] == [
        ("量子科技", 1, 1, "一、量子科技"),
        ("量子科技", 1, 1, REPORT_BODY_1),
        ("核聚变能", 1, 1, REPORT_BODY_1),
        ("6G", 2, 2, "（二）培育6G"),
        ("量子科技", 2, 2, REPORT_BODY_2),
    ]


def test_the_shown_sentence_leaves_the_counting_units_as_they_are(tmp_path):
    # Co-occurrence still counts in the sentences of DESIGN.md (ends at 。！？；!? and paragraph ends):
    # the heading 6G and the 量子科技 below it are in sentence 2, 量子科技 and 核聚变能 in sentence 1.
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = policyterms.count([path], vocab=VOCAB, evidence=True)
    pairs = result.cooccurrence.set_index(["term_a", "term_b"])["count"].to_dict()
    assert pairs == {("量子科技", "第六代移动通信"): 1, ("量子科技", "核聚变能"): 1}
    assert list(result.evidence.sentence) == [1, 1, 1, 2, 2]


def test_hard_wrapped_lines_are_not_headings():
    # Lines as long as the document's full line (here 30 characters, no punctuation) are a
    # paragraph broken by a typesetter: the sentence is shown whole.
    lines = ["我们要前瞻布局量子科技生物制造氢能和核聚变能脑机接口具身智能与新",
             "一代信息技术等未来产业推动它们成为新的经济增长点以此来建设现代", "化产业体系。"]
    assert [len(line) for line in lines[:2]] == [32, 31]
    hits = placed("\n".join(lines) + "\n")
    assert [h.surface for h in hits] == ["量子科技", "核聚变能"]
    assert {h.sentence_text for h in hits} == {" ".join(lines)}


@pytest.mark.parametrize(
    "line, heading",
    [
        ("一、2025年工作回顾", True), ("（三）培育未来产业", True), ("3. 量子科技", True), ("第二章 总体要求", True),
        ("——2026年3月5日在第十四届全国人民代表大会第四次会议上", True), ("习近平", True),
        ("各位代表：", False),  # a salutation: the speech goes on below it
        ("推动量子科技、生物制造", False), ("我们要前瞻布局，", False), ("发展未来产业。", False), ("具身智能等“", False),
        ("x" * 41, False),  # longer than HEADING_MAX_CHARS
    ],
)
def test_heading_lines(line, heading):
    from policyterms.evidence import is_heading_line

    assert is_heading_line(line, short=41) is heading


def test_a_hit_broken_across_a_heading_like_line_is_shown_whole():
    from policyterms.evidence import piece_around

    # 发展量子\n科技。 cut after 发展量子 (0-4) and 科技。 (5-8): the hit 量子\n科技 (2-7) holds both.
    assert piece_around([(0, 4), (5, 8)], 2, 7) == (0, 8)
    assert piece_around([(0, 4), (5, 8)], 5, 7) == (5, 8)


def test_select_terms_by_name_alias_full_width_alias_or_category():
    assert select_terms(VOCAB, term="6G") == select_terms(VOCAB, term="６Ｇ") == {1}
    assert select_terms(VOCAB, category="未来信息") == {0, 1}
    assert select_terms(VOCAB) == {0, 1, 2}
    for wrong in ({"term": "7G"}, {"category": "未来健康"}):
        with pytest.raises(KeyError):
            select_terms(VOCAB, **wrong)


SUGGESTING = Vocabulary.from_terms([
    Term("量子科技", "未来信息"), Term("量子计算", "未来信息", ("量子计算机",)), Term("第六代移动通信", "未来信息", ("6G",)),
    Term("人工智能", "数字技术", ("AI",)),
])


@pytest.mark.parametrize(
    "given, suggested",
    [
        ("量子", ["量子科技", "量子计算"]),  # a part of two terms (and of an alias, 量子计算机: said once)
        ("发展人工智能", ["人工智能"]),  # a term inside it
        ("量子科学", ["量子科技"]),  # no term contains it: the close one (3 of 4 characters alike)
        ("ai技术", ["人工智能"]),  # the alias AI, case as the matcher folds it
        ("火星", []),
    ],
)
def test_a_term_not_in_the_vocabulary_suggests_those_it_may_mean(given, suggested):
    assert similar_terms(SUGGESTING, given) == suggested
    with pytest.raises(KeyError) as caught:
        select_terms(SUGGESTING, term=given)
    hint = f"; did you mean {', '.join(suggested)}?" if suggested else ""
    assert caught.value.args[0] == f"'{given}' is neither a term nor an alias of the vocabulary{hint}"


def test_cli_kwic_of_a_part_of_a_term_is_one_error_with_suggestions(tmp_path):
    vocab = tmp_path / "v.yaml"
    vocab.write_text("terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 量子通信, category: 未来信息}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["kwic", "量子", str(SEED_004), "-v", str(vocab)])
    assert result.exit_code == 1
    assert result.stderr == (f"policyterms: error: '量子' is neither a term nor an alias of the vocabulary; "
                             f"did you mean 量子科技, 量子通信? ({vocab})\n")


def test_evidence_rows_of_seed_004_match_the_text():
    result = policyterms.count([SEED_004], evidence=True)
    evidence = result.evidence
    text = SEED_004.read_text(encoding="utf-8")
    assert all(text[s:e] == surface for s, e, surface in zip(evidence.start, evidence.end, evidence.surface))
    assert len(evidence) == result.frequencies["count"].sum()  # one row per counted hit
    # Read off the text: the title (paragraph 1) names 未来产业 once; paragraph 4, "6月1日出版的…",
    # names it 5 times in 4 sentences (《…未来产业》; 我国未来产业发展; 重视未来产业发展 and
    # 推动未来产业发展 in one sentence; 开创未来产业创新).
    future = evidence[evidence.term == "未来产业"].head(6)
    assert list(zip(future.paragraph, future.sentence)) == [(1, 1), (4, 4), (4, 5), (4, 6), (4, 6), (4, 7)]
    assert future.sentence_text.iloc[3] == (
        "党中央、国务院高度重视未来产业发展，近年来持续强化顶层设计、出台系列政策，推动未来产业发展呈现良好势头。")


def test_kwic_finds_every_6g_hit_in_the_seeds():
    # grep: 第六代移动通信 once in 000, 001, 002, 003; 6G once in 002, twice in 004 → 7.
    lines = policyterms.kwic([SEEDS], term="6G", width=5).kwic
    assert list(lines.surface) == ["第六代移动通信"] * 2 + ["6G", "第六代移动通信", "第六代移动通信", "6G", "6G"]
    row = lines.iloc[2]
    assert (row.doc_id.endswith("002_9ee848c3295ff6b6.txt#1"), row.left, row.right) == (True, "启动第二阶段"[-5:], "技术试验,")


def test_kwic_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["kwic", "6G", str(SEED_004), "--width", "3", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        f"{SEED_004}#1,第六代移动通信,未来信息,2199,2201,智能、,6G,等关键",
        # 004's second article (its 内容提要): the offset is still the one in the file
        f"{SEED_004}#2,第六代移动通信,未来信息,4646,4648,接口、,6G,、具身",
    ]
    assert runner.invoke(app, ["kwic", "6G"]).exit_code == 2
    assert runner.invoke(app, ["kwic", "--all", "--category", "未来信息", str(SEED_004)]).exit_code == 2
    unknown = runner.invoke(app, ["kwic", "7G", str(SEED_004)])
    assert unknown.exit_code == 1 and "'7G' is neither a term nor an alias" in unknown.stderr
    table = runner.invoke(app, ["kwic", "--category", "未来能源", str(SEED_004), "--format", "table"])
    assert "Keyword in context" in table.stdout and "可控核聚变" in table.stdout


def test_count_evidence_file(tmp_path):
    target = tmp_path / "hits.csv"
    result = CliRunner().invoke(app, ["count", str(SEED_004), "--evidence", str(target), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    header, *rows = target.read_text(encoding="utf-8").splitlines()
    assert header == "doc_id,term,category,surface,start,end,paragraph,sentence,sentence_text"
    assert rows[0] == f"{SEED_004}#1,未来产业,政策概念,未来产业,11,15,1,1,加快前瞻布局和发展未来产业"


def test_count_with_concordance_gives_kwic_lines_of_every_hit_in_the_same_pass():
    counted = policyterms.count([SEEDS], concordance=5)
    assert counted.kwic.equals(policyterms.kwic([SEEDS], width=5).kwic)
    assert len(counted.kwic) == counted.totals["count"].sum()
