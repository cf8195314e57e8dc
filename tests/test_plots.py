"""plots.py and ``policyterms plot``: image sizes, and a font that has every label's glyphs."""

import re
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.text import Text
from typer.testing import CliRunner

from conftest import SEEDS

import policyterms
from policyterms import plots
from policyterms.cli import app
from policyterms.errors import PolicytermsError

runner = CliRunner()
S004 = str(SEEDS / "004_a0e03639a4100763.txt")
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # ships with matplotlib: no Han glyphs
VOCAB_YAML = "terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 脑机接口, category: 未来健康}\n  - {term: 未来产业, category: 政策}\n"


@pytest.fixture(scope="module")
def seeds_result():
    return policyterms.count([SEEDS], measures=True, group_by="month")


@pytest.fixture
def vocab(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(VOCAB_YAML, encoding="utf-8")
    return path


def labels_of(figure) -> list[Text]:
    return [text for text in figure.findobj(Text) if text.get_text().strip()]


@pytest.mark.needs_cjk_font
@pytest.mark.parametrize("kind", ["network", "heatmap", "trend"])
def test_every_label_is_drawn_in_the_chosen_font_which_has_its_glyphs(kind, seeds_result, tmp_path):
    figure, font = plots.make_plot(kind, seeds_result, size=(8, 6), dpi=72)
    plots.save(figure, tmp_path / f"{kind}.png", font=font, dpi=72)  # drawing makes the tick labels
    texts = labels_of(figure)
    hans = [t.get_text() for t in texts if re.search(r"[\u4e00-\u9fff]", t.get_text())]
    assert hans, "no Chinese label was drawn"
    assert "未来产业" in {t.get_text() for t in texts}  # the most frequent term is in all three
    for text in texts:
        used = Path(font_manager.findfont(text.get_fontproperties(), fallback_to_default=False))
        assert used == font.path, text.get_text()
    assert plots.missing_glyphs(font.path, [t.get_text() for t in texts]) == []


@pytest.mark.needs_cjk_font
def test_the_font_found_is_a_chinese_one_when_one_is_installed():
    font = plots.find_cjk_font(["未来产业", "第六代移动通信", "6G"])
    assert font.name in plots.PREFERRED_FONTS or plots.missing_glyphs(font.path, ["未来产业"]) == []
    assert plots.missing_glyphs(font.path, ["未来产业第六代移动通信6G"]) == []


def test_no_chinese_font_stops_with_how_to_install_one():
    with pytest.raises(PolicytermsError) as caught:
        plots.find_cjk_font(["未来产业"], fonts=[("DejaVu Sans", str(DEJAVU))])
    message = str(caught.value)
    assert "fonts-noto-cjk" in message and "--font" in message and "\n" not in message


def test_matplotlibs_last_resort_font_is_never_chosen():
    # Its charmap claims every character, but it draws each as the same box.
    last_resort = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"
    if not last_resort.is_file():
        pytest.skip("this matplotlib has no Last Resort font")
    with pytest.raises(PolicytermsError, match="fonts-noto-cjk"):
        plots.find_cjk_font(["未来产业"], fonts=[("Last Resort High-Efficiency", str(last_resort))])


def test_a_font_file_without_the_glyphs_is_refused():
    with pytest.raises(PolicytermsError, match=r"no glyph for 4 characters of the labels \(业产未来\)"):
        plots.find_cjk_font(["未来产业", "AI"], font_path=DEJAVU)


def test_missing_glyphs_reads_the_font_file():
    assert plots.missing_glyphs(DEJAVU, ["5G 未来"]) == ["未", "来"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.needs_cjk_font
def test_cli_png_has_the_size_asked_for(tmp_path, vocab):
    target = tmp_path / "heatmap.png"
    result = runner.invoke(app, ["plot", "heatmap", S004, "--vocab", str(vocab), "-o", str(target),
                                 "--width", "6", "--height", "4", "--dpi", "100", "--title", "热力图"])
    assert result.exit_code == 0, result.stderr
    assert png_size(target) == (600, 400)  # 6 × 4 inches at 100 dpi
    # 004: 未来产业 90 (tests/test_seed_counts.py), 量子科技 2 (tests/test_cli.py), 脑机接口: grep -o → 6
    assert result.stderr == f"policyterms: 2 documents read, 0 skipped, 98 hits of 3 terms; wrote {target}\n"  # 004's 2 articles


@pytest.mark.needs_cjk_font
def test_cli_svg_and_pdf_sizes_in_points(tmp_path, vocab):
    svg, pdf = tmp_path / "network.svg", tmp_path / "network.pdf"
    for target in (svg, pdf):
        result = runner.invoke(app, ["plot", "network", S004, "--vocab", str(vocab), "-o", str(target),
                                     "--width", "6", "--height", "4"])
        assert result.exit_code == 0, result.stderr
    assert re.search(r'<svg[^>]* width="432pt" height="288pt"', svg.read_text(encoding="utf-8"))  # 6 × 72, 4 × 72
    assert re.search(rb"/MediaBox \[ ?0 0 432 288 ?\]", pdf.read_bytes())


@pytest.mark.needs_cjk_font
@pytest.mark.parametrize("suffix", ["svg", "pdf"])
def test_cli_svg_and_pdf_are_the_same_every_time(tmp_path, vocab, suffix):
    outputs = []
    for name in (f"a.{suffix}", f"new/b.{suffix}"):  # a missing directory is made
        result = runner.invoke(app, ["plot", "network", S004, "--vocab", str(vocab), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_cli_without_a_chinese_font_says_how_to_install_one(tmp_path, vocab, monkeypatch):
    monkeypatch.setattr(plots, "_known_fonts", lambda: [("DejaVu Sans", str(DEJAVU))])
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)
    target = tmp_path / "network.png"
    result = runner.invoke(app, ["plot", "network", S004, "--vocab", str(vocab), "-o", str(target), "-q"])
    assert result.exit_code == 1 and not target.exists()
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("policyterms: error: no installed font has the Chinese characters")
    assert "apt-get install fonts-noto-cjk" in result.stderr


LAST_RESORT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"  # one box per block


def test_a_placeholder_font_that_maps_every_character_to_a_box_does_not_count():
    # Last Resort's charmap holds every code point, so a charmap test alone passes it.
    assert ord("未") in matplotlib.ft2font.FT2Font(str(LAST_RESORT)).get_charmap()
    assert plots.missing_glyphs(LAST_RESORT, ["未来产业 6G"]) == ["业", "产", "未", "来"]
    with pytest.raises(PolicytermsError, match="no installed font has the Chinese characters"):
        plots.find_cjk_font(["未来产业"], fonts=[("Last Resort High-Efficiency", str(LAST_RESORT))])


def test_cli_with_only_placeholder_fonts_is_one_error_with_the_install_hint(tmp_path, vocab, monkeypatch):
    monkeypatch.setattr(plots, "_known_fonts", lambda: [("DejaVu Sans", str(DEJAVU)), ("Last Resort", str(LAST_RESORT))])
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)
    target = tmp_path / "heatmap.png"
    result = runner.invoke(app, ["plot", "heatmap", S004, "--vocab", str(vocab), "-o", str(target), "-q"])
    assert result.exit_code == 1 and not target.exists()
    assert result.stderr == f"policyterms: error: {plots.INSTALL_HINT}\n"


def test_cli_unknown_image_suffix_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["plot", "trend", S004, "-o", str(tmp_path / "trend.jpg")])
    assert result.exit_code == 2 and "end it in .png, .svg or .pdf" in result.stderr


def test_cli_trend_without_dates(tmp_path, vocab):
    (tmp_path / "a.txt").write_text("未来产业和量子科技。\n", encoding="utf-8")
    result = runner.invoke(app, ["plot", "trend", str(tmp_path / "a.txt"), "--vocab", str(vocab),
                                 "-o", str(tmp_path / "t.png")])
    assert result.exit_code == 1 and "no document has a date" in result.stderr


@pytest.mark.needs_cjk_font
def test_a_font_installed_after_matplotlibs_cache_was_made_is_found(monkeypatch):
    """matplotlib lists fonts once and caches the list: fonts-noto-cjk installed later is not in
    it. find_cjk_font then asks the system for its fonts and adds the new ones."""
    without_cjk = [f for f in font_manager.fontManager.ttflist if plots.missing_glyphs(f.fname, ["未来"])]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without_cjk)
    font = plots.find_cjk_font(["未来产业"])
    assert plots.missing_glyphs(font.path, ["未来产业"]) == []


def test_cli_nothing_to_draw(tmp_path, vocab):
    (tmp_path / "a.txt").write_text("没有词表里的词。\n", encoding="utf-8")
    result = runner.invoke(app, ["plot", "heatmap", str(tmp_path / "a.txt"), "--vocab", str(vocab), "-o", str(tmp_path / "h.png")])
    assert result.exit_code == 1 and "no term of the vocabulary was found" in result.stderr
    # 004 has pairs, but none in 1,000 sentences
    result = runner.invoke(app, ["plot", "network", S004, "--vocab", str(vocab), "-o", str(tmp_path / "n.png"), "-m", "1000"])
    assert result.exit_code == 1 and "no two terms were seen together in 1000 or more units" in result.stderr
    assert not (tmp_path / "h.png").exists() and not (tmp_path / "n.png").exists()


def test_the_xray_plots_each_evidence_row_at_its_start_over_the_documents_length(tmp_path):
    result = policyterms.count([SEEDS], evidence=True)
    figure, font = plots.make_plot("xray", result, terms=4, size=(8, 8), dpi=72)
    plots.save(figure, tmp_path / "xray.png", font=font, dpi=72)
    chosen = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert len(chosen) == 4 and "未来产业" in chosen
    drawn = sorted(
        (line.get_gid(), chosen[int(y)], round(float(x), 6))
        for ax in figure.axes for line in ax.get_lines() for x, y in zip(line.get_xdata(), line.get_ydata())
    )
    # the same points, from the evidence rows (offsets into the file) and the documents (the
    # articles of the seeds' pages) as read: where each starts in its file, and its length
    articles = {document.doc_id: (document.offset, len(document.text))
                for path in sorted(SEEDS.glob("*.txt")) for document in policyterms.read_documents(str(path))}
    evidence = result.evidence[result.evidence["term"].isin(chosen)]
    expected = sorted(
        (row.doc_id, row.term, round((row.start - articles[row.doc_id][0]) / articles[row.doc_id][1], 6))
        for row in evidence.itertuples()
    )
    assert drawn == expected and len(drawn) > 50
    assert all(0 <= x < 1 for _, _, x in drawn)
    # one panel per document with a hit of the terms drawn, in input order
    assert [ax.get_title(loc="left") for ax in figure.axes] == sorted(set(evidence.doc_id))


def test_cli_xray(tmp_path, vocab):
    target = tmp_path / "x.svg"
    result = runner.invoke(app, ["plot", "xray", S004, "-v", str(vocab), "-o", str(target), "-q"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<?xml")
