"""report.py and ``policyterms report``: what the page holds (the browser test opens it for real)."""

import re

import pytest
from typer.testing import CliRunner

from conftest import SEEDS

from policyterms import report
from policyterms.evidence import KWIC_COLUMNS
from policyterms.cli import app

runner = CliRunner()
S000 = str(SEEDS / "000_f7f3963a21b11a20.txt")
VOCAB_YAML = "terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 脑机接口, category: 未来健康}\n  - {term: 未来产业, category: 政策}\n"


@pytest.fixture(scope="module")
def seeds_report():
    return report.collect([SEEDS], settings=report.Settings(kwic_lines=2))


def test_kwic_lines_are_the_first_hits_of_each_term_in_the_original_text(seeds_report):
    lines = seeds_report.kwic[seeds_report.kwic.term == "未来产业"]
    # 000 opens with its title "前瞻布局和发展未来产业", then "习近平" two lines down: the first
    # two of 未来产业's 26 hits in 000 are the title and "…内容是前瞻布局和发展未来产业，…"
    assert list(lines.doc_id) == [f"{S000}#1", f"{S000}#1"]  # 000's first article, the speech
    first = lines.iloc[0]
    assert (first.left, first.surface) == ("前瞻布局和发展", "未来产业")
    # "\n\n习近平\n\n今天进行…": each run of line breaks shown as one space, then 20 characters
    assert first.right == " 习近平 今天进行二十届中央政治局第二十"
    assert lines.iloc[1].left.endswith("内容是前瞻布局和发展")
    assert list(seeds_report.kwic.columns) == KWIC_COLUMNS


def test_kwic_lines_follow_vocabulary_order_and_the_limit(seeds_report):
    kwic = seeds_report.kwic
    assert kwic.groupby("term").size().max() == 2
    terms = list(dict.fromkeys(kwic.term))
    vocabulary = [t.name for t in seeds_report.result.vocabulary.terms]
    assert terms == sorted(terms, key=vocabulary.index)
    # 数字经济 occurs once in the seeds (000's 外办 interview: tests/test_seed_counts.py): one line only
    assert list(kwic[kwic.term == "数字经济"].surface) == ["数字经济"]


def test_the_page_is_self_contained(seeds_report):
    page = report.render_html(seeds_report)
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"?http|@import|url\(http", page)
    assert page.count("<script type=\"text/javascript\">/**\n* plotly.js") == 1  # plotly.js inlined once
    for anchor in ("summary", "network", "heatmap", "trend", "frequencies", "cooccurrence", "kwic"):
        assert f'<section id="{anchor}">' in page
    assert 'id="frequency-table"' in page and 'id="cooccurrence-table"' in page
    # 未来产业: grep -o → 26 + 40 + 33 + 36 (37, less 003's front-matter title) + 90 = 225 hits in the seeds, 2 lines shown
    assert "<summary>未来产业 <span class=\"category\">政策概念 · 2 of 225 hits</span></summary>" in page


def test_no_trend_without_dates(tmp_path):
    (tmp_path / "a.txt").write_text("未来产业和量子科技。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("脑机接口。\n", encoding="utf-8")
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    data = report.collect([tmp_path], vocab=vocab)
    page = report.render_html(data)
    # the page says why it has no trend instead of leaving it out
    assert '<section id="trend">' in page and '<section id="heatmap">' in page
    assert "No trend: none of the 2 documents has a date with a month" in page and "trend-plot" not in page


def test_trend_by_month_from_front_matter_dates(tmp_path):
    (tmp_path / "a.md").write_text("---\ndate: 2026-01-10\n---\n未来产业和量子科技。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ndate: 2026-03-02\n---\n未来产业。未来产业。\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("脑机接口。\n", encoding="utf-8")
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    page = report.render_html(report.collect([tmp_path], vocab=vocab))
    assert '<section id="trend">' in page
    assert "2 of 3 documents have a date with a month" in page


def test_the_trend_is_by_year_when_the_dates_span_more_than_three_years_and_page_and_warning_agree(tmp_path):
    corpus = tmp_path / "corpus"  # the report is written beside it, not read back in
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ndate: 2019-05-01\n---\n未来产业。\n", encoding="utf-8")
    (corpus / "b.md").write_text("---\ndate: 2024\n---\n量子科技。\n", encoding="utf-8")  # a year, no month
    (corpus / "c.txt").write_text("脑机接口。\n", encoding="utf-8")  # no date at all
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    target = tmp_path / "r.html"
    by_default = runner.invoke(app, ["report", str(corpus), "-v", str(vocab), "-o", str(target)])
    assert by_default.exit_code == 0, by_default.stderr
    # 2019 to 2024: more than three years, so by year; only c.txt has no year
    assert ('policyterms: warning: --period year: 1 of 3 documents have no date with a year; they are the group ""'
            in by_default.stderr.splitlines())
    assert "--group-by" not in by_default.stderr  # report has no --group-by
    page = target.read_text(encoding="utf-8")
    assert "2 of 3 documents have a date with a year" in page
    by_month = runner.invoke(app, ["report", str(corpus), "-v", str(vocab), "-o", str(target), "--period", "month"])
    assert by_month.exit_code == 0, by_month.stderr
    assert ('policyterms: warning: --period month: 2 of 3 documents have no date with a month; they are the group ""'
            in by_month.stderr.splitlines())
    assert "1 of 3 documents have a date with a month" in target.read_text(encoding="utf-8")


def test_source_date_epoch_fixes_the_date_and_the_page_is_then_the_same_every_time(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    assert report.run_date() == "2026-05-28 20:26 UTC"
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    pages = [report.render_html(report.collect([SEEDS], vocab=vocab, jobs=jobs)) for jobs in (1, 2)]
    assert pages[0] == pages[1] and "2026-05-28 20:26 UTC" in pages[0]


def test_cli_writes_the_report(tmp_path, monkeypatch):
    # This machine's system fonts are test_cli_warns_once_when_this_machine_has_no_font_for_the_terms's
    # subject (CI has none: the plots draw in the fonts extra's, which a browser does not see).
    monkeypatch.setattr(report, "local_font_warning", lambda data: None)
    target = tmp_path / "r.html"
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    result = runner.invoke(app, ["report", S000, "--vocab", str(vocab), "-o", str(target), "--kwic", "1"])
    assert result.exit_code == 0, result.stderr
    # 000: 未来产业 26, 量子科技 1, 脑机接口 1 (tests/test_seed_counts.py and grep -o 脑机接口 → 1), in its
    # 3 articles, of which only the speech has a date (its 求是 issue)
    assert result.stderr == (
        'policyterms: warning: --period month: 2 of 3 documents have no date with a month; they are the group ""\n'
        f"policyterms: 3 documents read, 0 skipped, 28 hits of 3 terms; wrote {target}\n"
    )
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "policyterms report: 3 documents" in page


def test_cli_rejects_an_unknown_measure(tmp_path):
    result = runner.invoke(app, ["report", S000, "-o", str(tmp_path / "r.html"), "--measure", "mi"])
    assert result.exit_code == 2 and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("measure, pair", [("count", ("量子科技", "未来产业")), ("npmi", ("量子科技", "脑机接口"))])
def test_the_network_keeps_the_strongest_pairs_by_the_measure(tmp_path, measure, pair):
    # Four sentences: {未来产业, 量子科技}, {未来产业}, {脑机接口, 量子科技}, {未来产业, 量子科技}.
    # 量子科技–未来产业: together in 2 of 4, each in 3: NPMI = log2(2·4/9) / −log2(2/4) = −0.17.
    # 量子科技–脑机接口: together in 1, 量子科技 in 3, 脑机接口 in 1: NPMI = log2(4/3) / −log2(1/4) = 0.21.
    (tmp_path / "a.txt").write_text("未来产业和量子科技。未来产业。脑机接口和量子科技。未来产业和量子科技。\n", encoding="utf-8")
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    data = report.collect([tmp_path / "a.txt"], vocab=vocab, settings=report.Settings(measure=measure, top=1))
    assert [tuple(p) for p in data.pairs[["term_a", "term_b"]].itertuples(index=False)] == [pair]
    assert data.pairs["npmi"].round(2).tolist() == [{"count": -0.17, "npmi": 0.21}[measure]]


def test_cli_window_unit_takes_only_count(tmp_path):
    result = runner.invoke(app, ["report", S000, "-o", str(tmp_path / "r.html"), "--unit", "window", "--measure", "g2"])
    assert result.exit_code == 1 and "windows overlap" in result.stderr


def test_cli_nothing_readable_writes_no_report(tmp_path):
    target = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(tmp_path / "missing.txt"), "-o", str(target)])
    assert result.exit_code == 1 and not target.exists()
    assert result.stderr.splitlines() == [
        f"policyterms: error: {tmp_path / 'missing.txt'}: no such file or directory",
        "policyterms: 0 documents read, 1 skipped, 0 hits of 0 terms",
    ]


def test_cli_some_inputs_unreadable_is_a_partial_report(tmp_path):
    target = tmp_path / "r.html"
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    result = runner.invoke(app, ["report", S000, str(tmp_path / "missing.txt"), "--vocab", str(vocab), "-o", str(target)])
    assert result.exit_code == 3 and target.exists()


@pytest.mark.parametrize("mode, stdin", [("paths", S000 + "\n"), ("text", "前瞻布局和发展未来产业。量子科技、脑机接口。\n")])
def test_cli_stdin_is_read_once_for_counts_and_kwic_lines(tmp_path, mode, stdin):
    target = tmp_path / "r.html"
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    result = runner.invoke(app, ["report", "-", "--stdin", mode, "--vocab", str(vocab), "-o", str(target), "-q"],
                           input=stdin)
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    # the KWIC lines come from a second reading of the same input: 未来产业 is the first term of 000 and of the text
    assert '<td class="hit">未来产业</td>' in page


def test_the_summary_cites_the_vocabulary(tmp_path):
    (tmp_path / "a.txt").write_text("未来产业和量子科技。\n", encoding="utf-8")
    vocab = tmp_path / "v.yaml"
    vocab.write_text("name: 未来产业词表\ndescription: 测试用\nreference: 作者 <甲>. 题名, 2026.\nversion: '3'\n"
                     + VOCAB_YAML, encoding="utf-8")
    page = report.render_html(report.collect([tmp_path / "a.txt"], vocab=vocab))
    assert "<dt>Vocabulary</dt><dd>未来产业词表, version 3 (3 terms, sha256 " in page
    assert "<dt>Description</dt><dd>测试用</dd>" in page
    assert "<dt>Reference</dt><dd>作者 &lt;甲&gt;. 题名, 2026.</dd>" in page  # escaped


def test_the_xray_marks_each_hit_at_its_place(tmp_path):
    # a.txt "未来产业和量子科技。\n": 11 characters, 未来产业 at 0, 量子科技 at 5 → 0 and 5/11 = 0.454545
    # b.txt "脑机接口。未来产业。\n": 11 characters, 脑机接口 at 0, 未来产业 at 5 → 0 and 0.454545
    (tmp_path / "a.txt").write_text("未来产业和量子科技。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("脑机接口。未来产业。\n", encoding="utf-8")
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    data = report.collect([tmp_path], vocab=vocab)
    page = report.render_html(data)
    assert '<section id="xray">' in page
    points = report.charts.xray_points(data.result.counts, data.result.vocabulary)
    figure = report.xray_figure(points, ["未来产业", "量子科技", "脑机接口"], [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    traces = {trace.name: (list(trace.x), [y.rsplit("/", 1)[-1] for y in trace.y]) for trace in figure.data}
    assert traces == {
        "未来产业": ([0.0, 0.454545], ["a.txt", "b.txt"]),
        "量子科技": ([0.454545], ["a.txt"]),
        "脑机接口": ([0.0], ["b.txt"]),
    }


@pytest.mark.parametrize("name, shown", [("r.pdf", "not .pdf (for a PDF figure"), ("r", "not no suffix")])
def test_cli_refuses_a_report_name_of_another_format(tmp_path, name, shown):
    target = tmp_path / name
    result = runner.invoke(app, ["report", S000, "-o", str(target)])
    assert result.exit_code == 2 and not target.exists()
    assert result.stderr.startswith("policyterms: error: the report is an HTML page: end -o in .html, " + shown)
    assert len(result.stderr.splitlines()) == 1


def test_cli_warns_once_when_this_machine_has_no_font_for_the_terms(tmp_path, monkeypatch):
    from policyterms import plots

    monkeypatch.setattr(plots, "_known_fonts", lambda **_: [])
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)
    target = tmp_path / "r.html"
    result = runner.invoke(app, ["report", S000, "-o", str(target), "-q"])
    assert result.exit_code == 0 and target.exists()
    font_warning = (f"policyterms: warning: {plots.SYSTEM_FONT_HINT}; the report's Chinese text shows as boxes "
                    "in a browser on this machine")
    assert result.stderr.splitlines().count(font_warning) == 1  # (and the trend's note on 000's undated articles)
