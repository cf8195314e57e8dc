"""Publication plots with matplotlib (and networkx for the network): PNG, SVG or PDF.

    font = plots.find_cjk_font(labels)
    figure = plots.heatmap_plot(result.frequencies, result.documents, result.totals, font=font)
    plots.save(figure, "heatmap.png", font=font, dpi=200)

Chinese labels need a font that has their glyphs, or matplotlib draws empty boxes. ``find_cjk_font``
looks through the fonts matplotlib's font manager knows (Noto/Source Han, WenQuanYi, SimHei,
Microsoft YaHei, PingFang … first) for one that covers every character of the labels, then at the
font that ``pip install 'policyterms[fonts]'`` brings (Noto Sans CJK, from PyPI), and stops with a
message saying how to install one when there is none. The figures are built without pyplot (no
global state, no window) and drawn in that font only.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import string
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D

from . import __version__, charts, stats
from .errors import OutputError, PlotWarning, PolicytermsError
from .render import atomic_open, check_writable

PLOT_FORMATS = ("png", "svg", "pdf")
# Fonts with Chinese glyphs, best first: simplified-Chinese sans-serif faces of Linux, Windows
# and macOS, then traditional/Japanese faces of the same families, then serif ones.
PREFERRED_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "Sarasa Gothic SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Source Han Sans", "Noto Serif CJK SC",
    "Source Han Serif SC", "AR PL UMing CN", "SimSun",
)
SYSTEM_FONT_HINT = (
    "no installed font has the Chinese characters of the labels; install one "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install google-noto-sans-cjk-fonts)"
)
# pip first: it works wherever policyterms was installed, without root or a system package manager.
INSTALL_HINT = (
    "no installed font has the Chinese characters of the labels; install one: "
    "pip install 'policyterms[fonts]' (Noto Sans CJK from PyPI), or apt-get install fonts-noto-cjk "
    "(Debian/Ubuntu), or dnf install google-noto-sans-cjk-fonts (Fedora); or pass --font PATH"
)
# The fonts extra: (module, file in it). noto-cjk-sans-otc ships Noto Sans CJK Regular 2.004, every
# language in one collection (SIL OFL 1.1); matplotlib >= 3.11 (the extra asks for it) reads each of its
# faces, Noto Sans CJK SC among them.
PACKAGED_FONTS = (("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"),)
HEATMAP_TERMS = 30
TREND_TERMS = 8
XRAY_TERMS = 12
XRAY_DOCUMENTS = 20  # rows of the x-ray: the documents with the most hits of its terms
ROW_POINTS = 9.0  # the least height of a document's row (x-ray, heatmap): its label at LABEL_POINTS and a gap
LABEL_POINTS = 6.0
XRAY_MARGIN_INCHES = 1.4  # title, x axis and its label
HEATMAP_MARGIN_INCHES = 2.0  # title and the terms written upwards above the rows
LEGEND_ENTRY_POINTS = 15.0  # one line of an 8-point legend
CELL_TEXT_LIMIT = 600  # cells above which the heatmap no longer prints counts in them


@dataclass(frozen=True)
class Font:
    name: str
    path: Path


# A placeholder font (matplotlib's bundled "Last Resort") maps every code point to one of a few
# boxes: its charmap "has" every character. Distinct ideographs sharing one glyph give it away.
_PLACEHOLDER_PROBE = "一中国文字"


def missing_glyphs(path: str | Path, texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` (spaces aside) that the font file has no real glyph for
    (every one of them, in a placeholder font)."""
    charmap = FT2Font(str(path)).get_charmap()
    needed = set("".join(texts)).difference(string.whitespace)
    if is_placeholder(charmap):
        return sorted(char for char in needed if ord(char) > 0x7F)  # its Latin letters may be real
    return sorted(char for char in needed if ord(char) not in charmap)


def is_placeholder(charmap: dict[int, int]) -> bool:
    """True for a font that draws the same glyph for different ideographs: a box, not the character."""
    glyphs = [charmap.get(ord(char)) for char in _PLACEHOLDER_PROBE]
    return None not in glyphs and len(set(glyphs)) == 1


def find_cjk_font(
    texts: Iterable[str], *, font_path: str | Path | None = None, fonts: Sequence[tuple[str, str]] | None = None,
    packaged: bool = True,
) -> Font:
    """A font with a glyph for every character of ``texts``: ``font_path`` if given (checked),
    else the best of ``fonts`` ((name, file) pairs; default: those matplotlib's font manager
    knows, then any other the system has, then, with ``packaged``, the fonts extra's)."""
    texts = list(texts)
    if font_path is not None:
        return _font_file(Path(font_path), texts)
    if fonts is not None:
        found = _first_covering(fonts, texts)
    else:
        found = _first_covering(_known_fonts(packaged=packaged), texts)
        if found is None and _register_new_system_fonts():
            found = _first_covering(_known_fonts(packaged=packaged), texts)  # the cache predates a font install
        if found is None and packaged:
            found = _first_covering(_register(packaged_font_files()), texts)
    if found is None:
        raise PolicytermsError(INSTALL_HINT if packaged else SYSTEM_FONT_HINT)
    return found


def packaged_font_files() -> list[Path]:
    """The font files of the installed packages that ``policyterms[fonts]`` brings (none without it)."""
    found = []
    for module, name in PACKAGED_FONTS:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            path = Path(next(iter(spec.submodule_search_locations))) / name
            if path.is_file():
                found.append(path)
    return found


def _register(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(name, file) of each face of ``paths`` (a collection has several), added to matplotlib's font
    manager so that figures can name them."""
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in paths:
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    wanted = {str(path) for path in paths}
    return _faces(lambda fname: fname in wanted)


def _font_file(path: Path, texts: list[str]) -> Font:
    if not path.is_file():
        raise PolicytermsError(f"{path}: no such font file")
    try:
        name = FT2Font(str(path)).family_name
        missing = missing_glyphs(path, texts)
    except (RuntimeError, OSError) as exc:
        raise PolicytermsError(f"{path}: not a font matplotlib can read ({exc})") from None
    if missing:
        shown = "".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        raise PolicytermsError(f"{path}: the font has no glyph for {len(missing)} characters of the labels ({shown})")
    return Font(name, path)


def _known_fonts(*, packaged: bool = True) -> list[tuple[str, str]]:
    """(name, file) of the regular upright fonts matplotlib knows, each once; without ``packaged``,
    not the fonts extra's (once registered, matplotlib knows them too)."""
    skipped = set() if packaged else {str(path) for path in packaged_font_files()}
    return _faces(lambda fname: fname not in skipped)


def _faces(wanted) -> list[tuple[str, str]]:
    """(name, file) of the regular upright faces in matplotlib's font list whose file is ``wanted``."""
    entries = sorted(
        (f for f in font_manager.fontManager.ttflist if wanted(f.fname)),
        key=lambda f: (f.name, f.style != "normal", abs(f.weight - 400), f.fname),
    )
    return list(dict.fromkeys((f.name, f.fname) for f in entries))


def _first_covering(fonts: Sequence[tuple[str, str]], texts: list[str]) -> Font | None:
    rank = {name: index for index, name in enumerate(PREFERRED_FONTS)}
    preferred = sorted((f for f in fonts if f[0] in rank), key=lambda f: rank[f[0]])
    # matplotlib >= 3.10 ships "Last Resort": its charmap claims every character, and it draws
    # each as a box, so it covers nothing a reader could read.
    others = sorted(f for f in fonts if f[0] not in rank and not f[0].startswith("Last Resort"))
    for name, path in preferred + others:
        try:
            if not missing_glyphs(path, texts):
                return Font(name, Path(path))
        except (RuntimeError, OSError):
            continue
    return None


def _register_new_system_fonts() -> bool:
    known = {f.fname for f in font_manager.fontManager.ttflist}
    added = False
    for path in sorted(set(font_manager.findSystemFonts()) - known):
        try:
            font_manager.fontManager.addfont(path)
            added = True
        except (RuntimeError, OSError, ValueError):
            continue
    return added


def _style(font: Font) -> dict:
    if font.path not in {Path(f.fname) for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(font.path))
    return {"font.family": [font.name], "axes.unicode_minus": False, "svg.hashsalt": "policyterms"}


# Warnings of the drawing libraries, in our words --------------------------------------------------

# What a library's warning means for the picture, where we know it (message start → ours).
EXPLAINED = {
    "constrained_layout not applied": "the figure is too small for its labels and legend: the layout gave up; "
                                      "give it more room (--width, --height) or fewer labels (--terms, --top)",
    "Tight layout not applied": "the figure is too small for its labels: give it more room (--width, --height)",
}


@contextmanager
def library_warnings() -> Iterator[None]:
    """Inside: matplotlib's, networkx's and pandas's warnings are caught, and said again once each
    as a PlotWarning (one line, no source path), which the CLI prints as a policyterms warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for message in dict.fromkeys(_in_our_words(w) for w in caught):
        warnings.warn(message, PlotWarning, stacklevel=3)


def _in_our_words(caught: warnings.WarningMessage) -> str:
    text = str(caught.message).strip()
    if issubclass(caught.category, PlotWarning):
        return text
    for start, meaning in EXPLAINED.items():
        if text.startswith(start):
            return meaning
    return f"{caught.category.__name__} while drawing: {text.splitlines()[0] if text else ''}"


def _quiet(function):
    @functools.wraps(function)
    def drawn(*args, **kwargs):
        with library_warnings():
            return function(*args, **kwargs)

    return drawn


# The plots ---------------------------------------------------------------------------------------


@_quiet
def network_plot(
    totals: pd.DataFrame, pairs: pd.DataFrame, *, measure: str, font: Font, size: tuple[float, float] = (10, 8),
    dpi: float = 200, title: str | None = None,
) -> Figure:
    """The pairs given as edges (width = ``measure``) between their terms (size = hits,
    colour = category); terms in no pair are left out. Each term's label is placed where it
    overlaps no node and no other label (place_labels), with a thin line to its node when it had
    to move away from it."""
    import networkx as nx

    graph = charts.network(totals, pairs, measure=measure, isolated=False)
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        pos = dict(graph.nodes(data="pos"))
        nx.draw_networkx_edges(graph, pos, ax=ax, width=[w for *_, w in graph.edges(data="width")],
                               edge_color="#888888", alpha=0.45)
        nodes = list(graph.nodes(data=True))
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[(d["size"] * NODE_SCALE) ** 2 for _, d in nodes],
                               node_color=[d["colour"] for _, d in nodes], edgecolors="white", linewidths=NODE_EDGE)
        colours = charts.category_colours(list(totals["category"]))
        shown = dict.fromkeys(d["category"] for _, d in nodes)
        handles = [Line2D([], [], marker="o", linestyle="", color=colours[c], label=c or "—") for c in shown]
        if handles:
            ax.legend(handles=handles, title="category", loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        ax.set_axis_off()
        ax.set_title(title if title is not None else f"Co-occurrence network (edge width: {measure})")
        _label_nodes(figure, ax, nodes, pos, font=font)
    return figure


NODE_SCALE = 0.75  # marker diameter in points per unit of charts.network's node size
NODE_EDGE = 0.8  # the white ring around a node, in points
LABEL_GAP = 2.0  # points between a node and its label, and around each label
LEADER_COLOUR = "#999999"


def _label_nodes(figure: Figure, ax, nodes: list, pos: dict, *, font: Font) -> None:
    """Each node's label where place_labels puts it; measured with the figure laid out, which the
    labels (out of the layout, inside the axes) do not change."""
    FigureCanvasAgg(figure)
    figure.draw_without_rendering()
    ax.set_xlim(ax.get_xlim())  # fixed: a label or leader line must not rescale what was measured
    ax.set_ylim(ax.get_ylim())
    renderer = figure.canvas.get_renderer()
    points = figure.dpi / 72
    order = sorted(range(len(nodes)), key=lambda i: (-nodes[i][1]["size"], nodes[i][0]))  # big terms first
    anchors = ax.transData.transform([pos[nodes[i][0]] for i in order])
    radii = [(nodes[i][1]["size"] * NODE_SCALE / 2 + NODE_EDGE / 2) * points for i in order]
    texts = [ax.text(0, 0, nodes[i][0], fontsize=8, fontfamily=font.name, ha="center", va="center", in_layout=False)
             for i in order]
    sizes = [(box.width, box.height) for box in (text.get_window_extent(renderer) for text in texts)]
    placed = place_labels(anchors, radii, sizes, bounds=ax.bbox.extents, gap=LABEL_GAP * points)
    to_data = ax.transData.inverted()
    for text, anchor, spot, (width, height) in zip(texts, anchors, placed, sizes):
        text.set_position(to_data.transform(spot.centre))
        if spot.moved:
            end = _towards(anchor, spot.centre, width / 2, height / 2)
            ax.add_line(Line2D(*zip(*to_data.transform([anchor, end])), color=LEADER_COLOUR, linewidth=0.5,
                               zorder=0.9))
    crowded = [text.get_text() for text, spot in zip(texts, placed) if not spot.clear]
    if crowded:
        warnings.warn(f"{len(crowded)} of the network's {len(texts)} labels found no free place and overlap others "
                      f"({'、'.join(crowded[:5])}{'…' if len(crowded) > 5 else ''}): give the figure more room "
                      "(--width, --height) or draw fewer pairs (--top, --min-count)", PlotWarning, stacklevel=2)


def _towards(anchor, centre, half_width: float, half_height: float) -> tuple[float, float]:
    """Where the segment from ``anchor`` to a box's ``centre`` enters the box."""
    dx, dy = centre[0] - anchor[0], centre[1] - anchor[1]
    inside = min(half_width / abs(dx) if dx else np.inf, half_height / abs(dy) if dy else np.inf, 1.0)
    return centre[0] - inside * dx, centre[1] - inside * dy


# Where the candidate spots lie around a node, as (x, y) directions: above, below, right, left, then
# the corners; tried nearest first, then each RING farther out.
SPOTS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
RINGS = 12


@dataclass(frozen=True)
class Placed:
    """Where place_labels put a label: its ``centre``; ``moved``, beyond the nearest ring (a leader
    line shows whose it is); ``clear``, overlapping nothing (False: the least crowded spot)."""

    centre: tuple[float, float]
    moved: bool
    clear: bool


def place_labels(
    anchors: Sequence[Sequence[float]], radii: Sequence[float], sizes: Sequence[tuple[float, float]], *,
    bounds: Sequence[float], gap: float,
) -> list[Placed]:
    """Places for labels of ``sizes`` (width, height) beside circles (``anchors``, ``radii``), all
    in one unit (display pixels), in the order given: each takes the first spot in SPOTS × RINGS
    around its circle that overlaps no circle and no label placed before it (``gap`` apart) and
    lies inside ``bounds`` (x0, y0, x1, y1); where none does, the spot with the fewest overlaps."""
    centres_xy = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    circle_radii = np.asarray(radii, dtype=np.float64)
    x0, y0, x1, y1 = bounds
    placed: list[tuple[float, float, float, float]] = []  # boxes: left, bottom, right, top
    found = []
    for (x, y), radius, (width, height) in zip(centres_xy, circle_radii, sizes):
        best = None
        for ring in range(RINGS):
            for dx, dy in SPOTS:
                reach = radius + gap + ring * (height + gap)
                cx = x + dx * (reach + width / 2) * (0.75 if dy else 1)
                cy = y + dy * (reach + height / 2)
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                outside = box[0] < x0 or box[1] < y0 or box[2] > x1 or box[3] > y1
                clashes = _clashes(box, placed, centres_xy, circle_radii, gap) + (1000 if outside else 0)
                if best is None or clashes < best[0]:
                    best = (clashes, (cx, cy), ring > 0, box)
                if clashes == 0:
                    break
            if best[0] == 0:
                break
        placed.append(best[3])
        found.append(Placed(centre=best[1], moved=best[2], clear=best[0] == 0))
    return found


def _clashes(box, placed, circles: np.ndarray, radii: np.ndarray, gap: float) -> int:
    """How many placed boxes (padded by ``gap``) and circles ``box`` overlaps."""
    left, bottom, right, top = box
    boxes = sum(1 for a, b, c, d in placed if left < c + gap and right > a - gap and bottom < d + gap and top > b - gap)
    nearest_x = np.clip(circles[:, 0], left, right)
    nearest_y = np.clip(circles[:, 1], bottom, top)
    inside = (circles[:, 0] - nearest_x) ** 2 + (circles[:, 1] - nearest_y) ** 2 < radii ** 2
    return boxes + int(inside.sum())


@_quiet
def heatmap_plot(
    frequencies: pd.DataFrame, documents: pd.DataFrame, totals: pd.DataFrame, *, font: Font,
    terms: int | None = HEATMAP_TERMS, size: tuple[float, float] = (10, 6), dpi: float = 200, title: str | None = None,
) -> Figure:
    """Documents down (labelled by charts.short_document_labels), the ``terms`` most frequent
    terms across; colour = hits per 10,000 characters, the count printed in each cell while they
    fit. The figure is taller than ``size`` where its rows would not fit at ROW_POINTS each."""
    matrix = charts.term_matrix(frequencies, documents, charts.top_terms(totals, terms))
    rows = len(matrix.counts)
    height = max(size[1], rows_height(rows, HEATMAP_MARGIN_INCHES))
    with rc_context(_style(font)):
        figure = Figure(figsize=(size[0], height), dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        image = ax.imshow(matrix.rates.to_numpy(), cmap="Blues", aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(matrix.terms)), matrix.terms, rotation=90, fontsize=8)
        ax.set_yticks(range(rows), charts.short_document_labels(list(matrix.documents["doc_id"])),
                      fontsize=row_label_points(height, HEATMAP_MARGIN_INCHES, rows))
        ax.xaxis.tick_top()
        if matrix.counts.size <= CELL_TEXT_LIMIT:
            high = matrix.rates.to_numpy().max() or 1
            for (row, column), value in np.ndenumerate(matrix.counts.to_numpy()):
                shade = matrix.rates.iat[row, column] / high
                ax.text(column, row, str(value), ha="center", va="center", fontsize=6,
                        color="white" if shade > 0.6 else "#333333")
        figure.colorbar(image, ax=ax, label="hits per 10,000 characters", shrink=0.8)
        ax.set_title(title if title is not None else "Terms × documents")
    return figure


@_quiet
def trend_plot(
    periods: pd.DataFrame, terms: Sequence[str], *, font: Font, size: tuple[float, float] = (10, 6),
    dpi: float = 200, title: str | None = None,
) -> Figure:
    """One line per term over the periods (``charts.trend_table``): hits per 10,000 characters."""
    order = sorted(periods["group"].unique())
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        for term in terms:
            rates = periods[periods["term"] == term].set_index("group")["per_10k_chars"].reindex(order).fillna(0)
            ax.plot(order, rates.to_numpy(), marker="o", label=term)
        ax.set_xlabel("period")
        ax.set_ylabel("hits per 10,000 characters")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        ax.set_title(title if title is not None else "Terms over time")
    return figure


@_quiet
def index_plot(
    series: pd.DataFrame, *, ylabel: str, font: Font, size: tuple[float, float] = (10, 6), dpi: float = 200,
    title: str | None = None,
) -> Figure:
    """One line per series over the periods (indices.series_table: series, period, value); a
    period missing from a series is a gap, not a 0."""
    order = sorted(series["period"].unique())
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        names = list(dict.fromkeys(series["series"]))
        for name in names:
            values = series[series["series"] == name].set_index("period")["value"].reindex(order)
            ax.plot(order, values.to_numpy(dtype=np.float64), marker="o", label=name or None)
        ax.set_xlabel("period")
        ax.set_ylabel(ylabel)
        if any(names):
            ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        ax.set_title(title or "")
    return figure


@_quiet
def make_index_plot(
    table: pd.DataFrame, *, index: str, group_by: str | None, font_path: str | Path | None = None,
    size: tuple[float, float] = (10, 7), dpi: float = 200, title: str | None = None,
) -> tuple[Figure, Font]:
    """``plot trend --index``: the index table (indices.compute) as lines over its periods."""
    from .indices import series_table

    series, ylabel, default_title = series_table(table, index=index, group_by=group_by or "year")
    if series.empty:
        raise PolicytermsError(
            "no document has a date (front matter date:, a byline, a date in the file name, or --date-column "
            "for tables): there is no time to plot the index over"
        )
    font = find_cjk_font([*series["series"], *series["period"], title or ""], font_path=font_path)
    figure = index_plot(series, ylabel=ylabel, font=font, size=size, dpi=dpi,
                        title=title if title is not None else default_title)
    return figure, font


@_quiet
def xray_plot(
    points: pd.DataFrame, terms: Sequence[str], documents: Sequence[str], *, font: Font,
    size: tuple[float, float] = (10, 6), dpi: float = 200, title: str | None = None,
) -> Figure:
    """One row per document (in the order given, top down, labelled by charts.short_document_labels),
    a mark where each hit of ``terms`` falls, at its position as a fraction of the document
    (charts.xray_points), in the term's colour; the legend of terms beside the axes. The figure is
    taller than ``size`` where its rows would not fit at ROW_POINTS each."""
    rows = {doc_id: index for index, doc_id in enumerate(documents)}
    width, height = size[0], max(size[1], rows_height(len(documents), XRAY_MARGIN_INCHES))
    pitch = (height - XRAY_MARGIN_INCHES) * 72 / max(len(documents), 1)  # points per row
    colours = charts.category_colours(list(terms))  # a colour per term here: the rows are documents
    shown = points[points["doc_id"].isin(rows)]
    with rc_context(_style(font)):
        figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        for term in terms:
            marks = shown[shown["term"] == term]
            ax.plot(marks["position"].to_numpy(), marks["doc_id"].map(rows).to_numpy(), linestyle="", marker="|",
                    markersize=min(9.0, pitch * 0.8), markeredgewidth=1.0, color=colours[term], label=term, gid=term)
        ax.set_yticks(range(len(documents)), charts.short_document_labels(documents),
                      fontsize=row_label_points(height, XRAY_MARGIN_INCHES, len(documents)))
        ax.set_ylim(len(documents) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.grid(axis="y", color="#e8e8e8", linewidth=0.6)
        ax.set_axisbelow(True)
        per_column = max(1, int((height - XRAY_MARGIN_INCHES) * 72 // LEGEND_ENTRY_POINTS))
        handles = [Line2D([], [], color=colours[term], linewidth=3, label=term) for term in terms]  # not the thin marks
        ax.legend(handles=handles, title="term", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                  fontsize=8, ncols=-(-len(terms) // per_column))
        ax.set_xlabel("position in the document (fraction of its characters)")
        figure.suptitle(title if title is not None else "Where the terms fall (x-ray)")
    return figure


def rows_height(rows: int, margin: float) -> float:
    """Inches that a plot of ``rows`` document rows needs at ROW_POINTS each, ``margin`` (inches:
    title, axes, labels) besides."""
    return rows * ROW_POINTS / 72 + margin


def row_label_points(height: float, margin: float, rows: int) -> float:
    """The size of the row labels: 8 points, less where rows are closer, never under LABEL_POINTS."""
    pitch = (height - margin) * 72 / max(rows, 1)
    return min(8.0, max(LABEL_POINTS, pitch * 0.7))


def plot_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in PLOT_FORMATS:
        raise OutputError(f"cannot tell the image format from '{path}': end it in .png, .svg or .pdf")
    check_writable(Path(path))
    return suffix


@_quiet
def save(figure: Figure, path: str | Path, *, font: Font, dpi: float) -> None:
    """Write the figure as PNG, SVG or PDF (by the suffix), atomically; the same inputs give the
    same file. Drawn in ``font`` (the figure's own): tick labels are made while drawing."""
    fmt = plot_format(path)
    metadata = {
        "png": {"Software": f"policyterms {__version__}"},
        "svg": {"Creator": f"policyterms {__version__}", "Date": None},
        "pdf": {"Creator": f"policyterms {__version__}", "CreationDate": None},
    }[fmt]
    image = io.BytesIO()
    with rc_context(_style(font)):
        figure.savefig(image, format=fmt, dpi=dpi, metadata=metadata)
    with atomic_open(Path(path), binary=True) as handle:  # never half an image under the name
        handle.write(image.getvalue())


# From count's result to a figure ---------------------------------------------------------------


@_quiet
def make_plot(
    kind: str,
    result,
    *,
    measure: str = "count",
    min_count: int = 1,
    top: int | None = 100,
    terms: int | None = None,
    documents: int | None = XRAY_DOCUMENTS,
    font_path: str | Path | None = None,
    size: tuple[float, float] = (10, 7),
    dpi: float = 200,
    title: str | None = None,
) -> tuple[Figure, Font]:
    """The ``kind`` plot (network, heatmap, trend or xray) of a ``policyterms.count`` result (with
    the measures for a network, ``group_by`` month or year for a trend, ``evidence`` for an
    x-ray), and the font it is drawn in (found for its labels, or ``font_path``). ``top``: the
    network's strongest pairs; ``terms``: the most frequent terms drawn; ``documents``: the
    x-ray's rows, the documents with the most hits of those terms (None: all)."""
    totals = result.totals
    if not (totals["count"] > 0).any():
        raise PolicytermsError("no term of the vocabulary was found in the documents: there is nothing to draw")
    labels = [*totals["term"], *totals["category"], title or ""]
    if kind == "network":
        pairs = stats.top_pairs(result.cooccurrence_totals, min_count=min_count, top=top, sort=measure)
        if pairs.empty:
            raise PolicytermsError(f"no two terms were seen together in {min_count} or more units: there is no network "
                                   "to draw (try a lower --min-count or a larger --unit)")
        font = find_cjk_font(labels, font_path=font_path)
        return network_plot(totals, pairs, measure=measure, font=font, size=size, dpi=dpi, title=title), font
    if kind == "heatmap":
        font = find_cjk_font(labels + charts.short_document_labels(list(result.documents["doc_id"])), font_path=font_path)
        figure = heatmap_plot(result.frequencies, result.documents, totals, font=font, terms=terms or HEATMAP_TERMS,
                              size=size, dpi=dpi, title=title)
        return figure, font
    if kind == "trend":
        chosen = charts.top_terms(totals, terms or TREND_TERMS)
        ranked = sorted(chosen, key=lambda term: -int(totals.set_index("term").at[term, "count"]))
        if result.groups is None:
            raise PolicytermsError("a trend needs count(..., group_by='month' or 'year')")
        periods = charts.trend_table(result.groups, ranked)
        if periods.empty:
            raise PolicytermsError(
                "no document has a date (front matter date:, a byline, a date in the file name, or --date-column "
                "for tables): there is no time to plot terms over"
            )
        font = find_cjk_font(labels, font_path=font_path)
        return trend_plot(periods, ranked, font=font, size=size, dpi=dpi, title=title), font
    if kind == "xray":
        if result.counts is None or not any(r.evidence for r in result.counts):
            raise PolicytermsError("an x-ray needs count(..., evidence=True): the hits' places")
        chosen = charts.top_terms(totals, terms or XRAY_TERMS)
        points = charts.xray_points(result.counts, result.vocabulary, chosen)
        shown = charts.top_documents(points, documents)
        with_hits = points["doc_id"].nunique()
        if title is None and len(shown) < with_hits:
            title = f"Where the terms fall (x-ray): the {len(shown)} of {with_hits} documents with the most hits"
        font = find_cjk_font(labels + charts.short_document_labels(shown), font_path=font_path)
        return xray_plot(points, chosen, shown, font=font, size=size, dpi=dpi, title=title), font
    raise PolicytermsError(f"unknown plot '{kind}' (choose from network, heatmap, trend, xray)")
