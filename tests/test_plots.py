"""plots.py and ``policyterms plot``: image sizes, and a font that has every label's glyphs."""

import re
import warnings
from pathlib import Path

import matplotlib
import matplotlib.collections
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
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
    assert "\n" not in message
    # pip first (no root, no system package manager needed), then apt and dnf, then --font
    places = [message.index(hint) for hint in ("pip install 'policyterms[fonts]'", "apt-get install fonts-noto-cjk",
                                               "dnf install google-noto-sans-cjk-fonts", "--font PATH")]
    assert places == sorted(places)


def without_system_cjk_fonts(monkeypatch) -> None:
    """matplotlib's font list as on a machine without a CJK font (nor a new one to find)."""
    fonts = [f for f in font_manager.fontManager.ttflist if plots.missing_glyphs(f.fname, ["未来"])]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fonts)
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)


def test_the_fonts_extra_draws_the_labels_where_no_system_font_has_them(monkeypatch):
    (packaged,) = plots.packaged_font_files()  # make test installs '.[fonts]'
    assert packaged.name == "NotoSansCJK-Regular.ttc" and packaged.stat().st_size > 15_000_000
    without_system_cjk_fonts(monkeypatch)
    font = plots.find_cjk_font(["未来产业", "第六代移动通信", "6G"])
    assert font.path == packaged
    assert font.name == "Noto Sans CJK SC"  # the simplified-Chinese face of the collection, not its first (JP)
    assert plots.missing_glyphs(font.path, ["未来产业第六代移动通信6G具身智能核聚变能"]) == []


def test_the_reports_font_check_does_not_count_the_fonts_extra(monkeypatch):
    # A browser on this machine draws the report in system fonts; it cannot see site-packages.
    without_system_cjk_fonts(monkeypatch)
    plots.find_cjk_font(["未来产业"])  # registers the extra's font with matplotlib
    with pytest.raises(PolicytermsError) as caught:
        plots.find_cjk_font(["未来产业"], packaged=False)
    assert str(caught.value) == plots.SYSTEM_FONT_HINT and "pip" not in plots.SYSTEM_FONT_HINT


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
    monkeypatch.setattr(plots, "_known_fonts", lambda **_: [("DejaVu Sans", str(DEJAVU))])
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)
    monkeypatch.setattr(plots, "packaged_font_files", lambda: [])  # nor the fonts extra
    target = tmp_path / "network.png"
    result = runner.invoke(app, ["plot", "network", S004, "--vocab", str(vocab), "-o", str(target), "-q"])
    assert result.exit_code == 1 and not target.exists()
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("policyterms: error: no installed font has the Chinese characters")
    assert "pip install 'policyterms[fonts]'" in result.stderr and "apt-get install fonts-noto-cjk" in result.stderr


LAST_RESORT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"  # one box per block


def test_a_placeholder_font_that_maps_every_character_to_a_box_does_not_count():
    # Last Resort's charmap holds every code point, so a charmap test alone passes it.
    assert ord("未") in matplotlib.ft2font.FT2Font(str(LAST_RESORT)).get_charmap()
    assert plots.missing_glyphs(LAST_RESORT, ["未来产业 6G"]) == ["业", "产", "未", "来"]
    with pytest.raises(PolicytermsError, match="no installed font has the Chinese characters"):
        plots.find_cjk_font(["未来产业"], fonts=[("Last Resort High-Efficiency", str(LAST_RESORT))])


def test_cli_with_only_placeholder_fonts_is_one_error_with_the_install_hint(tmp_path, vocab, monkeypatch):
    monkeypatch.setattr(plots, "_known_fonts", lambda **_: [("DejaVu Sans", str(DEJAVU)), ("Last Resort", str(LAST_RESORT))])
    monkeypatch.setattr(plots, "_register_new_system_fonts", lambda: False)
    monkeypatch.setattr(plots, "packaged_font_files", lambda: [])
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


def drawn_marks(figure) -> list[tuple[str, str, float]]:
    """(row label, term, x) of every mark of an x-ray."""
    ax = figure.axes[0]
    rows = [tick.get_text() for tick in ax.get_yticklabels()]
    return sorted((rows[int(y)], line.get_gid(), round(float(x), 6))
                  for line in ax.get_lines() for x, y in zip(line.get_xdata(), line.get_ydata()))


@pytest.mark.needs_cjk_font
def test_the_xray_plots_each_evidence_row_at_its_start_over_the_documents_length(tmp_path):
    result = policyterms.count([SEEDS], evidence=True)
    figure, font = plots.make_plot("xray", result, terms=4, documents=None, size=(8, 8), dpi=72)
    plots.save(figure, tmp_path / "xray.png", font=font, dpi=72)
    chosen = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert len(chosen) == 4 and "未来产业" in chosen
    # the same points, from the evidence rows (offsets into the file) and the documents (the
    # articles of the seeds' pages) as read: where each starts in its file, and its length
    articles = {document.doc_id: (document.offset, len(document.text))
                for path in sorted(SEEDS.glob("*.txt")) for document in policyterms.read_documents(str(path))}
    evidence = result.evidence[result.evidence["term"].isin(chosen)]
    expected = sorted(
        (row.doc_id.removeprefix(f"{SEEDS}/"), row.term,
         round((row.start - articles[row.doc_id][0]) / articles[row.doc_id][1], 6))
        for row in evidence.itertuples()
    )
    assert drawn_marks(figure) == expected and len(expected) > 50
    assert all(0 <= x < 1 for _, _, x in expected)
    # one row per document with a hit of the terms drawn, in input order, labelled without the folder
    rows = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert rows == [doc_id.removeprefix(f"{SEEDS}/") for doc_id in dict.fromkeys(evidence.doc_id)]
    assert rows[0] == "000_f7f3963a21b11a20.txt#1"


@pytest.mark.needs_cjk_font
def test_the_xray_draws_the_documents_with_the_most_hits(tmp_path, vocab):
    # hits of 未来产业/量子科技: a 3, b 1, c 2, d 0 (no row: nothing to mark)
    texts = {"a": "未来产业，未来产业，量子科技。", "b": "量子科技。", "c": "前言。未来产业和量子科技。", "d": "没有。"}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = policyterms.count([str(tmp_path / f"{name}.txt") for name in texts], vocab=str(vocab), evidence=True)
    figure, font = plots.make_plot("xray", result, documents=2, size=(6, 3), dpi=72)
    plots.save(figure, tmp_path / "x.png", font=font, dpi=72)
    assert [tick.get_text() for tick in figure.axes[0].get_yticklabels()] == ["a.txt", "c.txt"]  # input order
    # a: 未来产业 at 0 and 5 of 15 characters, 量子科技 at 10; c: 未来产业 at 3 of 13, 量子科技 at 8
    assert drawn_marks(figure) == [("a.txt", "未来产业", 0.0), ("a.txt", "未来产业", round(5 / 15, 6)),
                                   ("a.txt", "量子科技", round(10 / 15, 6)), ("c.txt", "未来产业", round(3 / 13, 6)),
                                   ("c.txt", "量子科技", round(8 / 13, 6))]
    assert figure.get_suptitle() == "Where the terms fall (x-ray): the 2 of 3 documents with the most hits"


def test_cli_xray(tmp_path, vocab):
    target = tmp_path / "x.svg"
    result = runner.invoke(app, ["plot", "xray", S004, "-v", str(vocab), "-o", str(target), "-q"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<?xml")


# Nothing drawn over anything else: the texts' boxes as the renderer lays them out ------------------


def overlaps(boxes) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


def drawn_boxes(figure, texts):
    """The texts' boxes in pixels, the figure drawn (and laid out) as when it was saved."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return [text.get_window_extent(canvas.get_renderer()) for text in texts]


@pytest.mark.needs_cjk_font
def test_network_labels_overlap_neither_each_other_nor_the_nodes(seeds_result, tmp_path):
    # The seeds' 60 strongest pairs: 未来产业 and its neighbours sit close together in the middle
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no library warning
        figure, font = plots.make_plot("network", seeds_result, top=60, size=(10, 7), dpi=100)
        plots.save(figure, tmp_path / "network.png", font=font, dpi=100)
    ax = figure.axes[0]
    labels = [text for text in ax.texts if text.get_text()]
    (nodes,) = [c for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection)]
    assert len(labels) == len(nodes.get_offsets()) > 20
    boxes = drawn_boxes(figure, labels)
    assert overlaps(boxes) == []
    centres = ax.transData.transform(nodes.get_offsets())
    radii = np.sqrt(nodes.get_sizes()) / 2 * figure.dpi / 72
    for box, label in zip(boxes, labels):
        nearest = np.clip(centres, [box.x0, box.y0], [box.x1, box.y1])
        assert (np.hypot(*(centres - nearest).T) >= radii).all(), f"{label.get_text()} lies on a node"
        assert ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)


def test_place_labels_moves_a_label_off_its_neighbours_and_keeps_the_first_spot_when_free():
    # two circles of radius 5 ten apart, labels 40 × 10: the second's spot above is the first's
    first, second = plots.place_labels([(100, 100), (110, 100)], [5, 5], [(40, 10), (40, 10)],
                                       bounds=(0, 0, 300, 300), gap=2)
    assert first == plots.Placed(centre=(100, 100 + 5 + 2 + 5), moved=False, clear=True)  # just above its circle
    assert second == plots.Placed(centre=(110, 100 - 5 - 2 - 5), moved=False, clear=True)  # below: above is taken
    # a third circle 20 under the second: above it is the second's label (y 83–93), so below it
    *_, third = plots.place_labels([(100, 100), (110, 100), (110, 80)], [5, 5, 5], [(40, 10)] * 3,
                                   bounds=(0, 0, 300, 300), gap=2)
    assert third == plots.Placed(centre=(110, 80 - 5 - 2 - 5), moved=False, clear=True)
    # boxed in from above and below by the bounds: beside its circle, to the right (the next spot)
    (beside,) = plots.place_labels([(50, 10)], [5], [(40, 10)], bounds=(0, 0, 300, 20), gap=2)
    assert beside == plots.Placed(centre=(50 + 5 + 2 + 20, 10), moved=False, clear=True)
    # nowhere is free inside bounds that tight: the spot with the fewest clashes, said, not an error
    (alone,) = plots.place_labels([(10, 10)], [5], [(40, 10)], bounds=(0, 0, 20, 20), gap=2)
    assert not alone.clear


@pytest.fixture
def sixty_reports(tmp_path, vocab):
    paths = []
    for number in range(60):  # 2026_第NN号_….txt: long names, as a corpus has
        path = tmp_path / "reports" / f"2026_第{number:02d}号_某某自治区人民政府_政府工作报告.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text("前言。" * number + "未来产业和量子科技。脑机接口。", encoding="utf-8")
        paths.append(str(path))
    return policyterms.count(paths, vocab=str(vocab), evidence=True)


@pytest.mark.needs_cjk_font
def test_heatmap_of_sixty_documents_has_a_row_each_and_no_label_over_another(sixty_reports, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure, font = plots.make_plot("heatmap", sixty_reports, size=(10, 7), dpi=72)
        plots.save(figure, tmp_path / "h.png", font=font, dpi=72)
    rows = figure.axes[0].get_yticklabels()
    assert len(rows) == 60 and rows[59].get_text() == "2026_第59号_某某自…民政府_政府工作报告.txt"
    assert figure.get_size_inches()[1] == pytest.approx(60 * plots.ROW_POINTS / 72 + plots.HEATMAP_MARGIN_INCHES)
    assert overlaps(drawn_boxes(figure, rows)) == []


@pytest.mark.needs_cjk_font
def test_xray_of_sixty_documents_has_a_row_each_and_no_label_over_another(sixty_reports, tmp_path):
    result = sixty_reports
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure, font = plots.make_plot("xray", result, documents=None, size=(10, 7), dpi=72)
        plots.save(figure, tmp_path / "x.png", font=font, dpi=72)
    ax = figure.axes[0]
    rows = ax.get_yticklabels()
    assert len(rows) == 60 and rows[0].get_text() == "2026_第00号_某某自…民政府_政府工作报告.txt"  # 30 characters cut to 28
    assert figure.get_size_inches()[1] == pytest.approx(60 * plots.ROW_POINTS / 72 + plots.XRAY_MARGIN_INCHES)
    assert overlaps(drawn_boxes(figure, rows)) == []
    (legend,) = drawn_boxes(figure, [ax.get_legend()])
    assert legend.x0 >= ax.bbox.x1  # beside the axes, not over them
    assert overlaps(drawn_boxes(figure, [*rows, ax.xaxis.label, figure._suptitle])) == []


@pytest.mark.needs_cjk_font
def test_cli_a_drawing_librarys_warning_is_one_policyterms_line(tmp_path, vocab):
    # 2 × 1.5 inches cannot hold the heatmap's labels: matplotlib's constrained layout gives up
    result = runner.invoke(app, ["plot", "heatmap", S004, "-v", str(vocab), "-o", str(tmp_path / "h.png"),
                                 "--width", "2", "--height", "1.5", "-q"])
    assert result.exit_code == 0
    assert result.stderr == f"policyterms: warning: {plots.EXPLAINED['constrained_layout not applied']}\n"
