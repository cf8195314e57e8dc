import tempfile

from policyterms import Term, Vocabulary
from policyterms.segment import Segmenter, cache_dir


def test_vocabulary_words_are_tokens(small_vocab):
    segmenter = Segmenter(small_vocab)
    # jieba's own dictionary splits 核聚变能 as 核聚变/能; with the vocabulary added it is one token.
    tokens = segmenter.tokens("要推动量子科技、生物制造、氢能和核聚变能等成为新的经济增长点")
    assert "核聚变能" in tokens and "量子科技" in tokens and "氢能" in tokens


def test_token_spans_skip_whitespace(small_vocab):
    text = "量子科技 和 未来产业"
    spans = Segmenter(small_vocab).token_spans(text)
    assert [text[s:e] for s, e in spans] == ["量子科技", "和", "未来产业"]


def test_each_vocabulary_gets_its_own_tokenizer():
    one = Segmenter(Vocabulary.from_terms([Term("发展未来")]))
    other = Segmenter(Vocabulary.from_terms([Term("量子科技")]))
    assert "发展未来" in one.tokens("发展未来产业")
    assert "发展未来" not in other.tokens("发展未来产业")


def test_jieba_prints_nothing(small_vocab, capfd):
    Segmenter(small_vocab).tokens("推动未来产业发展")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_cache_dir_falls_back_when_home_is_not_writable(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.delenv("POLICYTERMS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache_dir() == tempfile.gettempdir()
    monkeypatch.setenv("POLICYTERMS_CACHE_DIR", str(tmp_path / "cache"))
    assert cache_dir() == str(tmp_path / "cache")


def test_jieba_cache_is_written_to_the_cache_dir(small_vocab, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTERMS_CACHE_DIR", str(tmp_path))
    Segmenter(small_vocab).tokens("量子科技")
    assert (tmp_path / "jieba.cache").is_file()


def test_plain_jieba_splits_the_terms_which_is_why_matching_runs_on_text():
    # DESIGN.md rule 2: jieba's own dictionary cuts the 十五五 directions apart (000's sentence).
    from policyterms.segment import _import_jieba

    tokens = _import_jieba().Tokenizer().lcut("要推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能")
    assert tokens[:8] == ["要", "推动", "量子", "科技", "、", "生物", "制造", "、"]
    assert "核聚变能" not in tokens and "脑机接口" not in tokens and "具身智能" not in tokens


def test_rjieba_gives_jiebas_tokens_on_the_seeds_except_inside_urls_and_dates():
    """Issue 3: rjieba is offered only if it segments as jieba does. On every Chinese token of the
    seeds it does; it differs only where jieba cuts a run of ASCII letters and digits at dots and
    hyphens and rjieba keeps it whole (www.cls.cn, 2026-02-10, 10.2w): seed 003's web navigation
    and seed 004's "163.com". docs/performance.md, "Segmenters", says so; jieba stays the default."""
    import difflib
    import re

    from conftest import SEEDS

    from policyterms import load_vocabulary, normalize, read_document

    vocabulary = load_vocabulary()
    jieba, rjieba = Segmenter(vocabulary), Segmenter(vocabulary, engine="rjieba")
    differing: dict[str, set[str]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = normalize(read_document(str(path)).text).text
        ours, theirs = jieba.tokens(text), rjieba.tokens(text)
        for tag, a, b, c, d in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            assert "".join(ours[a:b]) == "".join(theirs[c:d])  # the same text, cut otherwise
            assert re.fullmatch(r"[A-Za-z0-9._%\-]+", "".join(theirs[c:d])), (path.name, ours[a:b], theirs[c:d])
            differing.setdefault(path.name[:3], set()).update(theirs[c:d])
    assert set(differing) == {"003", "004"}
    assert differing["004"] == {"163.com"}
    assert {"www.cls.cn", "2026-02-10", "10.2w"} <= differing["003"]
