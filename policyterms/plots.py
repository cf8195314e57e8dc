"""Publication plots with matplotlib (and networkx for the network): PNG, SVG or PDF.

    font = plots.find_cjk_font(labels)
    figure = plots.heatmap_plot(result.frequencies, result.documents, result.totals, font=font)
    plots.save(figure, "heatmap.png", font=font, dpi=200)

Chinese labels need a font that has their glyphs, or matplotlib draws empty boxes. ``find_cjk_font``
looks through the fonts matplotlib's font manager knows (Noto/Source Han, WenQuanYi, SimHei,
Microsoft YaHei, PingFang … first) for one that covers every character of the labels, and stops
with a message saying how to install one when there is none. The figures are built without
pyplot (no global state, no window) and drawn in that font only.
"""

from __future__ import annotations

import io
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D

from . import __version__, charts, stats
from .errors import OutputError, PolicytermsError
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
INSTALL_HINT = (
    "no installed font has the Chinese characters of the labels; install one "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install google-noto-sans-cjk-fonts) "
    "or pass --font PATH"
)
HEATMAP_TERMS = 30
TREND_TERMS = 8
XRAY_TERMS = 12
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
    texts: Iterable[str], *, font_path: str | Path | None = None, fonts: Sequence[tuple[str, str]] | None = None
) -> Font:
    """A font with a glyph for every character of ``texts``: ``font_path`` if given (checked),
    else the best of ``fonts`` ((name, file) pairs; default: those matplotlib's font manager
    knows, then any other the system has)."""
    texts = list(texts)
    if font_path is not None:
        return _font_file(Path(font_path), texts)
    searched = fonts is None
    found = _first_covering(fonts if fonts is not None else _known_fonts(), texts)
    if found is None and searched and _register_new_system_fonts():
        found = _first_covering(_known_fonts(), texts)  # matplotlib's cache predates a font install
    if found is None:
        raise PolicytermsError(INSTALL_HINT)
    return found


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


def _known_fonts() -> list[tuple[str, str]]:
    """(name, file) of the regular upright fonts matplotlib knows, each once."""
    entries = sorted(
        font_manager.fontManager.ttflist, key=lambda f: (f.name, f.style != "normal", abs(f.weight - 400), f.fname)
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


# The three plots -------------------------------------------------------------------------------


def network_plot(
    totals: pd.DataFrame, pairs: pd.DataFrame, *, measure: str, font: Font, size: tuple[float, float] = (10, 8),
    dpi: float = 200, title: str | None = None,
) -> Figure:
    """The pairs given as edges (width = ``measure``) between their terms (size = hits,
    colour = category); terms in no pair are left out."""
    import networkx as nx

    graph = charts.network(totals, pairs, measure=measure, isolated=False)
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        pos = dict(graph.nodes(data="pos"))
        nx.draw_networkx_edges(graph, pos, ax=ax, width=[w for *_, w in graph.edges(data="width")],
                               edge_color="#888888", alpha=0.45)
        nodes = list(graph.nodes(data=True))
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[(d["size"] * 0.75) ** 2 for _, d in nodes],
                               node_color=[d["colour"] for _, d in nodes], edgecolors="white", linewidths=0.8)
        heights = [y for _, y in pos.values()]
        lift = 0.025 * ((max(heights) - min(heights)) or 1)  # labels just above their nodes
        nx.draw_networkx_labels(graph, {node: (x, y + lift) for node, (x, y) in pos.items()}, ax=ax, font_size=8,
                                font_family=font.name, verticalalignment="bottom")
        colours = charts.category_colours(list(totals["category"]))
        shown = dict.fromkeys(d["category"] for _, d in nodes)
        handles = [Line2D([], [], marker="o", linestyle="", color=colours[c], label=c or "—") for c in shown]
        if handles:
            ax.legend(handles=handles, title="category", loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        ax.set_axis_off()
        ax.set_title(title if title is not None else f"Co-occurrence network (edge width: {measure})")
    return figure


def heatmap_plot(
    frequencies: pd.DataFrame, documents: pd.DataFrame, totals: pd.DataFrame, *, font: Font,
    terms: int | None = HEATMAP_TERMS, size: tuple[float, float] = (10, 6), dpi: float = 200, title: str | None = None,
) -> Figure:
    """Documents down, the ``terms`` most frequent terms across; colour = hits per 10,000
    characters, the count printed in each cell while they fit."""
    matrix = charts.term_matrix(frequencies, documents, charts.top_terms(totals, terms))
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        image = ax.imshow(matrix.rates.to_numpy(), cmap="Blues", aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(matrix.terms)), matrix.terms, rotation=90, fontsize=8)
        ax.set_yticks(range(len(matrix.counts)), charts.document_labels(matrix.documents), fontsize=8)
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


def xray_plot(
    points: pd.DataFrame, terms: Sequence[str], documents: Sequence[str], *, font: Font,
    size: tuple[float, float] = (10, 6), dpi: float = 200, title: str | None = None,
) -> Figure:
    """One panel per document (in the order given), one row per term: a mark where each hit
    falls, at its position as a fraction of the document (charts.xray_points)."""
    rows = {term: index for index, term in enumerate(terms)}
    labels = charts.document_labels(pd.DataFrame({"doc_id": list(documents)}))
    with rc_context(_style(font)):
        figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        axes = figure.subplots(len(documents), 1, sharex=True, squeeze=False)[:, 0]
        by_document = {doc_id: part for doc_id, part in points.groupby("doc_id", sort=False)}
        colours = charts.category_colours(list(points["category"]))
        for ax, doc_id, label in zip(axes, documents, labels):
            part = by_document.get(doc_id, points.iloc[0:0])
            for category, marks in part.groupby("category", sort=False):
                ax.plot(marks["position"].to_numpy(), marks["term"].map(rows).to_numpy(), linestyle="",
                        marker="|", markersize=9, markeredgewidth=1.2, color=colours[category], gid=doc_id)
            ax.set_yticks(range(len(terms)), terms, fontsize=7)
            ax.set_ylim(len(terms) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            ax.set_title(label, fontsize=8, loc="left")
        axes[-1].set_xlabel("position in the document (fraction of its characters)")
        figure.suptitle(title if title is not None else "Where the terms fall (x-ray)")
    return figure


def plot_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in PLOT_FORMATS:
        raise OutputError(f"cannot tell the image format from '{path}': end it in .png, .svg or .pdf")
    check_writable(Path(path))
    return suffix


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


def make_plot(
    kind: str,
    result,
    *,
    measure: str = "count",
    min_count: int = 1,
    top: int | None = 100,
    terms: int | None = None,
    font_path: str | Path | None = None,
    size: tuple[float, float] = (10, 7),
    dpi: float = 200,
    title: str | None = None,
) -> tuple[Figure, Font]:
    """The ``kind`` plot (network, heatmap or trend) of a ``policyterms.count`` result (with the
    measures for a network, ``group_by`` month or year for a trend), and the font it is drawn in
    (found for its labels, or ``font_path``)."""
    totals, documents = result.totals, result.documents
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
        font = find_cjk_font(labels + charts.document_labels(documents), font_path=font_path)
        figure = heatmap_plot(result.frequencies, documents, totals, font=font, terms=terms or HEATMAP_TERMS,
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
        documents = list(dict.fromkeys(points["doc_id"]))
        font = find_cjk_font(labels + charts.document_labels(pd.DataFrame({"doc_id": documents})), font_path=font_path)
        return xray_plot(points, chosen, documents, font=font, size=size, dpi=dpi, title=title), font
    raise PolicytermsError(f"unknown plot '{kind}' (choose from network, heatmap, trend, xray)")
