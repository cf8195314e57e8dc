import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SEEDS

from policyterms import PolicytermsError, Term, Vocabulary, count, normalize
from policyterms.audit import (
    HIT_COLUMNS, TERM_COLUMNS, Auditor, DocumentAudit, HitAudit, Tokens, audit, audit_hits, terms_frame,
    token_context, verdict,
)
from policyterms.cli import app
from policyterms.match import Hit
from policyterms.readers import Document

runner = CliRunner()


# verdict: hand-made token spans -----------------------------------------------------------------


def test_a_token_that_is_the_hit_is_whole():
    # 推动/脑机接口/发展
    assert verdict(Tokens.of([(0, 2), (2, 6), (6, 8)]), 2, 6) == "whole"


def test_a_hit_cut_into_tokens_is_split():
    # 推动/脑机/接口/发展: the hit 脑机接口 (2, 6) starts and ends on token boundaries, yet no token holds it
    assert verdict(Tokens.of([(0, 2), (2, 4), (4, 6), (6, 8)]), 2, 6) == "split"


def test_a_cut_across_the_hits_edge_is_split():
    # 未来/产业创新: the hit 未来产业 (0, 4) ends inside the token 产业创新
    assert verdict(Tokens.of([(0, 2), (2, 6)]), 0, 4) == "split"
    # 发展生物/制造业: 生物制造 (2, 6) begins inside one token and ends inside the next
    assert verdict(Tokens.of([(0, 4), (4, 7)]), 2, 6) == "split"


def test_a_longer_token_that_holds_the_hit_swallows_it():
    # 6G通信 as one token: 6G (0, 2) inside it; also a hit in a token's middle and at its end
    tokens = Tokens.of([(0, 4), (4, 6)])
    assert verdict(tokens, 0, 2) == "swallowed"
    assert verdict(tokens, 1, 3) == "swallowed"
    assert verdict(tokens, 2, 4) == "swallowed"


def test_whitespace_between_tokens_does_not_matter():
    # "AI 6G": whitespace is not a token
    tokens = Tokens.of([(0, 2), (3, 5)])
    assert verdict(tokens, 3, 5) == "whole"
    assert verdict(tokens, 0, 5) == "split"


def test_no_tokens_means_split():
    assert verdict(Tokens.of([]), 0, 2) == "split"


def test_token_context_brackets_the_tokens_that_hold_the_hit():
    text = "要推动脑机接口、具身智能"
    tokens = Tokens.of([(0, 1), (1, 3), (3, 5), (5, 7), (7, 8), (8, 10), (10, 12)])  # 要/推动/脑机/接口/、/具身/智能
    show = lambda start, end: text[start:end]  # noqa: E731
    assert token_context(tokens, 3, 7, show) == "要/推动/[脑机/接口]/、/具身"
    assert token_context(tokens, 3, 7, show, context=0) == "[脑机/接口]"
    assert token_context(tokens, 0, 1, show) == "[要]/推动/脑机"  # nothing before the first token
    assert token_context(tokens, 8, 12, show) == "接口/、/[具身/智能]"


def test_audit_hits_reports_the_original_text():
    # Normalization folds ６Ｇ to 6g and joins 脑机\n接口; offsets, surfaces, tokens and the
    # sentence come back in the original's characters.
    original = "发展６Ｇ和脑机\n接口。下一句。"
    normalized = normalize(original)
    assert normalized.text == "发展6g和脑机接口。下一句。"
    plain = Tokens.of([(0, 2), (2, 4), (4, 5), (5, 7), (7, 9), (9, 10)])  # 发展/6g/和/脑机/接口/。
    with_vocab = Tokens.of([(0, 2), (2, 4), (4, 5), (5, 9), (9, 10)])  # 发展/6g/和/脑机接口/。
    six_g, bci = audit_hits(normalized, [Hit(0, 2, 4), Hit(1, 5, 9)], plain, with_vocab)
    assert (six_g.surface, six_g.start, six_g.end, six_g.verdict) == ("６Ｇ", 2, 4, "whole")
    assert six_g.tokens == "发展/[６Ｇ]/和/脑机"
    assert (bci.surface, bci.start, bci.end) == ("脑机\n接口", 5, 10)
    assert (bci.verdict, bci.verdict_with_vocab) == ("split", "whole")
    assert bci.tokens == "６Ｇ/和/[脑机/接口]/。" and bci.tokens_with_vocab == "６Ｇ/和/[脑机接口]/。"
    assert bci.sentence == "发展６Ｇ和脑机接口。"


def _hit(term: int, verdict: str, verdict_with_vocab: str, tokens: str = "", sentence: str = "") -> HitAudit:
    return HitAudit(term, "x", 0, 1, verdict, tokens, verdict_with_vocab, tokens + "+v", sentence)


def test_terms_frame_counts_verdicts_and_picks_the_first_missed_hit_as_example():
    vocabulary = Vocabulary.from_terms([Term("脑机接口", "健康"), Term("氢能", "能源"), Term("具身智能", "制造")])
    documents = [
        DocumentAudit("a", [_hit(0, "whole", "whole", "w"), _hit(0, "split", "whole", "s1", "句一"), _hit(1, "whole", "whole")]),
        DocumentAudit("b", [_hit(0, "swallowed", "split", "s2", "句二"), _hit(0, "split", "swallowed", "s3")]),
    ]
    frame = terms_frame(documents, vocabulary)
    assert list(frame.columns) == TERM_COLUMNS
    assert frame.to_dict(orient="records") == [
        {"term": "脑机接口", "category": "健康", "hits": 4, "whole": 1, "split": 2, "swallowed": 1,
         "split_with_vocab": 1, "swallowed_with_vocab": 1, "example": "s1", "example_with_vocab": "s2+v",
         "sentence": "句一"},
        {"term": "氢能", "category": "能源", "hits": 1, "whole": 1, "split": 0, "swallowed": 0,
         "split_with_vocab": 0, "swallowed_with_vocab": 0, "example": "", "example_with_vocab": "", "sentence": ""},
    ]
    with_zeros = terms_frame(documents, vocabulary, zeros=True)
    assert list(with_zeros.term) == ["脑机接口", "氢能", "具身智能"] and with_zeros.hits.tolist()[-1] == 0


def test_the_auditor_leaves_jiebas_global_instance_alone():
    from policyterms.segment import _import_jieba

    auditor = Auditor(Vocabulary.from_terms([Term("具身智能")]))
    audited = auditor(Document("d", "发展具身智能。"))
    assert [(h.verdict, h.verdict_with_vocab) for h in audited.hits] == [("split", "whole")]
    assert _import_jieba().lcut("发展具身智能") == ["发展", "具身", "智能"]


def test_a_document_without_hits_is_not_segmented():
    auditor = Auditor(Vocabulary.from_terms([Term("具身智能")]))
    auditor.plain = auditor.with_vocab = None  # would fail if used
    assert auditor(Document("d", "没有术语的文本。")).hits == []


# The seeds: figures checked by reading the text and jieba's tokens -----------------------------


@pytest.fixture(scope="module")
def seeds_audit():
    return audit([SEEDS])


def row(result, term: str) -> dict:
    rows = result.terms[result.terms.term == term].to_dict(orient="records")
    assert len(rows) == 1, term
    return rows[0]


def figures(result, term: str) -> tuple[int, ...]:
    r = row(result, term)
    return (r["hits"], r["whole"], r["split"], r["swallowed"], r["split_with_vocab"], r["swallowed_with_vocab"])


def test_seed_terms_plain_jieba_cuts_apart(seeds_audit):
    # (hits, whole, split, swallowed, split_with_vocab, swallowed_with_vocab)
    # 脑机接口: 000 1, 001 1, 002 2, 003 2, 004 6 = 13; jieba.lcut gives 脑机/接口 every time.
    assert figures(seeds_audit, "脑机接口") == (13, 0, 13, 0, 0, 0)
    # 具身智能: 000 1, 001 1, 002 1, 003 1, 004 5 = 10; 具身/智能.
    assert figures(seeds_audit, "具身智能") == (10, 0, 10, 0, 0, 0)
    # 核聚变能: "氢能和核聚变能" in 000, 001, 002 (twice), 003, 004 → 核聚变/能; the alias 可控核聚变
    # in 004's "生物技术、可控核聚变等未来产业" → 可控/核聚变. 7 hits, all split; whole with the vocabulary.
    assert figures(seeds_audit, "核聚变能") == (7, 0, 7, 0, 0, 0)
    # 十五五: 000 5, 001 1, 002 3, 003 1, 004 1, plus 004's page break "十五\n\n五" = 12; “/十五/五/”.
    assert figures(seeds_audit, "十五五") == (12, 0, 12, 0, 0, 0)


def test_seed_6g_is_a_token_and_第六代移动通信_is_not(seeds_audit):
    # 第六代移动通信 in 000, 001, 002, 003 → 第六代/移动/通信 (4 split); its alias 6G in 002
    # "启动第二阶段6G技术试验" and 004 "具身智能、6G等" and "脑机接口、6G、具身智能" → a token of its own (3 whole).
    assert figures(seeds_audit, "第六代移动通信") == (7, 3, 4, 0, 0, 0)
    # 氢能 (000, 001, 002 twice, 003, 004) is in jieba's dictionary: 氢能/和/核聚变/能.
    assert figures(seeds_audit, "氢能") == (6, 6, 0, 0, 0, 0)


def test_seed_算力_is_swallowed_by_算力券(seeds_audit):
    # 004: 同时配套提供“算力券”… — jieba keeps 算力券 as one token; with the vocabulary, 算力/券.
    assert figures(seeds_audit, "算力") == (1, 0, 0, 1, 0, 0)
    assert row(seeds_audit, "算力")["example"] == "提供/“/[算力券]/”/“"
    assert row(seeds_audit, "算力")["sentence"] == "同时配套提供“算力券”“数据沙箱环境”“伦理审查”等支持工具。"


def test_seed_未来产业_stays_split_next_to_产业创新_even_with_the_vocabulary(seeds_audit):
    # 未来产业创新 (002 1, 003 1, 004 5) → 未来/产业创新, since 产业创新 is a term too;
    # 004 "积极谋划未来产业布局" → 未来/产业布局. 8 hits the tool's own tokens miss.
    r = row(seeds_audit, "未来产业")
    assert (r["split_with_vocab"], r["swallowed_with_vocab"]) == (8, 0)
    assert r["example_with_vocab"] == "一次次/对/[未来/产业创新]/作出/精确"


def test_seed_hits_table_shows_tokens_in_the_original_characters(seeds_audit):
    hits = seeds_audit.hits
    assert list(hits.columns) == HIT_COLUMNS
    six_g = hits[(hits.doc_id == f"{SEEDS / '002_9ee848c3295ff6b6.txt'}#1") & (hits.surface == "6G")]  # its first article
    assert six_g[["verdict", "tokens"]].values.tolist() == [["whole", "启动/第二阶段/[6G]/技术/试验"]]
    fusion = hits[hits.surface == "可控核聚变"].iloc[0]
    assert fusion.tokens == "技术/、/[可控/核聚变]/等/未来"
    assert fusion.tokens_with_vocab == "生物技术/、/[可控核聚变]/等/未来产业"
    page_break = hits[hits.surface == "十五\n\n五"].iloc[0]
    assert page_break.tokens == "聚焦/“/[十五/五]/”/时期"


def test_seed_audit_has_the_hits_count_counts(seeds_audit):
    totals = count([SEEDS], tables=["totals"]).totals
    assert dict(zip(seeds_audit.terms.term, seeds_audit.terms.hits)) == dict(zip(totals.term, totals["count"]))
    assert seeds_audit.summary.hits == len(seeds_audit.hits) == totals["count"].sum()


def test_seed_summary(seeds_audit):
    s = seeds_audit.summary
    assert (s.documents, s.hits) == (13, len(seeds_audit.hits))  # 13 articles of the 5 seeds
    assert s.missed == (seeds_audit.hits.verdict != "whole").sum() == s.hits - seeds_audit.terms.whole.sum()
    # What the vocabulary's words leave missed, found with grep and cut by a jieba.Tokenizer with
    # the words added: 未来产业创新 ×7 (未来/产业创新) and 未来产业布局 (未来/产业布局); 量子计算机 ×2
    # (量子/计算机); 前沿技术壁垒 (前沿/技术壁垒); 原始创新能力 (原始/创新能力); 科研成果转化
    # (科研成果/转化); 经中试验证 (经中/试验/证); 科技金融服务 (科技/金融服务).
    assert s.missed_with_vocab == 15


def test_the_hits_are_kept_only_when_asked_for(seeds_audit):
    terms_only = audit([SEEDS / "000_f7f3963a21b11a20.txt"], tables=["audit"])
    assert terms_only.hits is None
    with pytest.raises(PolicytermsError, match="not computed"):
        terms_only.tables(["audit_hits"])
    with pytest.raises(PolicytermsError, match="unknown table"):
        audit([SEEDS], tables=["nope"])


def test_seed_audit_is_the_same_with_two_workers(seeds_audit):
    two = audit([SEEDS], jobs=2)
    pd.testing.assert_frame_equal(two.terms, seeds_audit.terms)
    pd.testing.assert_frame_equal(two.hits, seeds_audit.hits)


# The command ------------------------------------------------------------------------------------


SEED_000 = SEEDS / "000_f7f3963a21b11a20.txt"


def invoke(*args):
    return runner.invoke(app, ["audit", *map(str, args)])


def test_cli_csv_per_term(tmp_path):
    vocab = tmp_path / "v.yaml"
    vocab.write_text("terms:\n  - {term: 脑机接口, category: 未来健康}\n  - {term: 氢能, category: 未来能源}\n", encoding="utf-8")
    result = invoke(SEED_000, "--vocab", vocab, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(frame.columns) == TERM_COLUMNS
    assert frame[["term", "hits", "whole", "split"]].values.tolist() == [["脑机接口", 1, 0, 1], ["氢能", 1, 1, 0]]
    # plain jieba's tokens do not depend on the vocabulary: 核聚变/能 and 具身/智能 around it
    assert frame.example[0] == "能/、/[脑机/接口]/、/具身"
    assert "3 documents read, 0 skipped, 2 hits: plain jieba's tokens miss 1 (50.0%)" in result.stderr  # 000's 3 articles


def test_cli_hits_as_jsonl():
    result = invoke(SEED_000, "--what", "hits", "-f", "jsonl", "--quiet")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(records[0]) == HIT_COLUMNS
    bci = [r for r in records if r["term"] == "脑机接口"]
    assert [(r["verdict"], r["verdict_with_vocab"]) for r in bci] == [("split", "whole")]
    assert result.stderr == ""


def test_cli_both_tables_need_a_directory_for_csv(tmp_path):
    result = invoke(SEED_000, "--what", "both", "-f", "csv")
    assert result.exit_code == 2 and "-o DIR/" in result.stderr
    result = invoke(SEED_000, "--what", "both", "-o", f"{tmp_path}/out/", "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["audit.csv", "audit_hits.csv"]


def test_cli_missing_input_is_named_and_exits_1(tmp_path):
    result = invoke(tmp_path / "nope.txt")
    assert result.exit_code == 1 and "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_cli_help_has_examples():
    result = runner.invoke(app, ["audit", "--help"])
    assert result.exit_code == 0 and "policyterms audit seeds/" in result.stdout


def test_cli_table_for_people(tmp_path):
    vocab = tmp_path / "v.yaml"
    vocab.write_text("terms:\n  - {term: 具身智能, category: 未来制造}\n", encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("发展具身智能。\n", encoding="utf-8")
    result = invoke(text, "--vocab", vocab, "-f", "table", "-q")
    assert result.exit_code == 0, result.stderr
    assert "Segmentation audit" in result.stdout and "发展/[具身/智能]/。" in result.stdout
