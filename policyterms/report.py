"""One self-contained HTML report of a run: summary, heatmap, network, trend, tables, KWIC lines.

    data = report.collect(["seeds/"], measure="count", min_count=2)
    report.write_report(data, "report.html")

Everything the page needs is inside the file — plotly.js (the copy the plotly package ships),
the data, the styles — so it opens offline and no request leaves it. plotly draws the charts
(charts.py says what they show); this module only arranges them on one page. Chinese text is
set in the reader's own fonts (a list of the usual CJK fonts of each system, then sans-serif).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from . import __version__, charts, stats
from .batch import InputOptions, Progress
from .errors import OutputError, PolicytermsError
from .evidence import DEFAULT_WIDTH as KWIC_CONTEXT
from .pipeline import Result
from .pipeline import count as count_terms
from .render import atomic_open, check_writable
from .dictionaries import load_vocabulary
from .vocab import Vocabulary

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "Noto Sans SC", SimHei, system-ui, sans-serif'
)
TREND_VISIBLE_TERMS = 8  # lines drawn at first; the others wait in the legend, one click away
HEATMAP_CELL_TEXT_LIMIT = 3000  # cells above which counts are no longer printed inside the cells
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Settings:
    """What the report shows: the association measure for edge widths, which pairs, KWIC lines."""

    unit: str = "sentence"
    measure: str = "count"
    min_count: int = 1
    top: int | None = None  # all pairs, as cooc
    kwic_lines: int = 3
    period: str | None = None  # the trend's: None, by year when the dates span over 3 years, else by month


@dataclass
class ReportData:
    """count's tables, the pairs the network draws, and the first KWIC lines of each term."""

    result: Result
    pairs: pd.DataFrame  # co-occurrence totals kept by --min-count/--top, strongest first
    kwic: pd.DataFrame  # doc_id, term, category, start, end, left, surface, right
    settings: Settings = field(default_factory=Settings)
    created: str = ""  # date of the run (SOURCE_DATE_EPOCH when set, for reproducible files)
    dated: int = 0  # documents with a date of the trend's period, as the warning counts them


def collect(
    paths: Iterable[str | os.PathLike],
    *,
    vocab: str | Path | Vocabulary | None = None,
    settings: Settings = Settings(),
    window: int = 5,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> ReportData:
    """Count ``paths`` with the association measures (as ``policyterms.cooc``) and the hits'
    concordance lines, in one pass; pick the network's pairs and each term's first KWIC lines."""
    paths = [str(path) for path in paths]
    vocabulary = vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)
    charts.check_measure(settings.measure, settings.unit)
    result = count_terms(
        paths, vocab=vocabulary, unit=settings.unit, window=window, measures=settings.unit != "window",
        concordance=KWIC_CONTEXT, inputs=inputs, jobs=jobs, strict=strict, progress=progress,
    )
    period, dated = charts.add_trend_groups(result, period=settings.period)
    settings = dataclasses.replace(settings, period=period)
    kwic = first_kwic_lines(result.kwic, vocabulary, per_term=settings.kwic_lines)
    pairs = stats.top_pairs(result.cooccurrence_totals, min_count=settings.min_count, top=settings.top,
                            sort=settings.measure)
    return ReportData(result, pairs, kwic, settings, created=run_date(), dated=dated)


def local_font_warning(data: ReportData) -> str | None:
    """Why the report would show boxes in a browser on this machine (no installed font has the
    characters of its terms), or None. A warning, not an error: the page is drawn by the browser
    that opens it, in that machine's fonts, and a report made on a server is read elsewhere."""
    from . import plots  # matplotlib's font list: imported only here

    try:
        # System fonts only: a browser does not see the font that the fonts extra put in site-packages.
        plots.find_cjk_font((term.name for term in data.result.vocabulary.terms), packaged=False)
    except PolicytermsError as exc:
        return f"{exc}; the report's Chinese text shows as boxes in a browser on this machine"
    return None


def run_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def first_kwic_lines(lines: pd.DataFrame, vocabulary: Vocabulary, *, per_term: int) -> pd.DataFrame:
    """The first ``per_term`` concordance lines of each term (documents in input order), terms
    in vocabulary order: ``policyterms.kwic``'s columns."""
    first = lines.groupby("term", sort=False).head(per_term)
    order = {term.name: index for index, term in enumerate(vocabulary.terms)}
    first = first.assign(_order=first["term"].map(order)).sort_values("_order", kind="stable")
    return first.drop(columns="_order").reset_index(drop=True)


# Figures ---------------------------------------------------------------------------------------


def _layout(figure: go.Figure, **extra) -> go.Figure:
    figure.update_layout(
        font={"family": FONT_FAMILY, "size": 13}, paper_bgcolor="white", plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 30, "b": 10}, hoverlabel={"font": {"family": FONT_FAMILY}}, **extra,
    )
    return figure


def heatmap_figure(matrix: charts.Matrix) -> go.Figure:
    """Documents down, terms across; colour = hits per 10,000 characters, the count in the cell."""
    labels = charts.document_labels(matrix.documents)
    titles = [[title] * len(matrix.terms) for title in matrix.documents["title"].fillna("")]
    cells = matrix.counts.size
    heatmap = go.Heatmap(
        z=matrix.rates.to_numpy(), x=matrix.terms, y=labels, text=matrix.counts.to_numpy(),
        customdata=titles, colorscale="Blues", colorbar={"title": {"text": "每万字<br>per 10k"}},
        texttemplate="%{text}" if cells <= HEATMAP_CELL_TEXT_LIMIT else None, xgap=1, ygap=1,
        hovertemplate="%{y}<br>%{customdata}<br><b>%{x}</b>: %{text} hits, %{z} per 10k chars<extra></extra>",
    )
    figure = go.Figure(heatmap)
    width = max(900, 260 + 22 * len(matrix.terms))
    height = 170 + (26 if len(labels) <= 60 else 10) * len(labels)  # many documents: thin rows, fewer labels
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category", tickangle=-60, side="top")
    return _layout(figure, width=width, height=height)


def network_figure(graph, *, measure: str) -> go.Figure:
    """Nodes sized by hits and coloured by category (one legend entry each); edges as wide as
    the measure; hovering a node or an edge's midpoint shows its counts."""
    figure = go.Figure()
    by_width: dict[float, list] = {}
    for a, b, edge in graph.edges(data=True):
        by_width.setdefault(round(edge["width"], 1), []).append((a, b))
    for width, edges in sorted(by_width.items()):
        xs, ys = [], []
        for a, b in edges:
            (xa, ya), (xb, yb) = graph.nodes[a]["pos"], graph.nodes[b]["pos"]
            xs += [xa, xb, None]
            ys += [ya, yb, None]
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", line={"width": width, "color": "rgba(110,110,110,0.45)"},
            hoverinfo="skip", showlegend=False, meta="edges",
        ))
    middles = [
        ((graph.nodes[a]["pos"][0] + graph.nodes[b]["pos"][0]) / 2, (graph.nodes[a]["pos"][1] + graph.nodes[b]["pos"][1]) / 2,
         f"{a} — {b}<br>both in {edge['count']} units" + (f"<br>{measure}: {edge['weight']:g}" if measure != "count" else ""))
        for a, b, edge in graph.edges(data=True)
    ]
    if middles:
        figure.add_trace(go.Scatter(
            x=[m[0] for m in middles], y=[m[1] for m in middles], hovertext=[m[2] for m in middles],
            mode="markers", marker={"size": 9, "opacity": 0}, hoverinfo="text", showlegend=False, meta="pairs",
        ))
    by_category: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        by_category.setdefault(data["category"], []).append(node)
    for category, nodes in by_category.items():
        data = [graph.nodes[node] for node in nodes]
        figure.add_trace(go.Scatter(
            x=[d["pos"][0] for d in data], y=[d["pos"][1] for d in data], text=nodes, name=category or "—",
            mode="markers+text", textposition="top center", meta="terms",
            marker={"size": [d["size"] for d in data], "color": data[0]["colour"], "opacity": 1,
                    "line": {"width": 1, "color": "white"}},
            hovertext=[
                f"<b>{node}</b> ({category})<br>{d['count']} hits in {d['documents']} documents<br>"
                f"{graph.degree[node]} pairs drawn" for node, d in zip(nodes, data)
            ],
            hoverinfo="text",
        ))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x")
    return _layout(figure, height=720, legend={"title": {"text": "category"}, "itemsizing": "constant"})


def trend_figure(periods: pd.DataFrame, terms: Sequence[str]) -> go.Figure:
    """One line per term over the periods, hits per 10,000 characters; the first few terms
    drawn, the rest a click away in the legend."""
    figure = go.Figure()
    order = sorted(periods["group"].unique())
    visible = set(terms[:TREND_VISIBLE_TERMS])
    for term in terms:
        rows = periods[periods["term"] == term].set_index("group").reindex(order)
        counts = rows["count"].fillna(0).astype(int)
        figure.add_trace(go.Scatter(
            x=order, y=rows["per_10k_chars"].fillna(0), name=term, mode="lines+markers",
            visible=True if term in visible else "legendonly",
            customdata=list(zip(counts, rows["group_documents"].fillna(0).astype(int))),
            hovertemplate=f"<b>{term}</b> %{{x}}<br>%{{customdata[0]}} hits, %{{y}} per 10k chars<extra></extra>",
        ))
    figure.update_xaxes(type="category", title={"text": "period"})
    figure.update_yaxes(title={"text": "hits per 10,000 characters"}, rangemode="tozero")
    return _layout(figure, height=460)


def xray_figure(points: pd.DataFrame, terms: Sequence[str], documents: Sequence[str]) -> go.Figure:
    """One row per document, a mark where each hit falls (charts.xray_points: its start as a
    fraction of the document), one colour per term; the first few terms drawn, the rest a click
    away in the legend."""
    figure = go.Figure()
    labels = dict(zip(documents, charts.document_labels(pd.DataFrame({"doc_id": list(documents)}))))
    visible = set(terms[:TREND_VISIBLE_TERMS])
    for term, marks in points.groupby("term", sort=False):
        figure.add_trace(go.Scatter(
            x=marks["position"], y=marks["doc_id"].map(labels), name=term, mode="markers",
            marker={"symbol": "line-ns-open", "size": 14, "line": {"width": 2}},
            visible=True if term in visible else "legendonly", customdata=marks["start"],
            hovertemplate=f"<b>{term}</b> %{{y}}<br>at character %{{customdata}} (%{{x:.1%}} of the document)<extra></extra>",
        ))
    figure.update_xaxes(range=[0, 1], tickformat=".0%", title={"text": "position in the document"})
    figure.update_yaxes(type="category", autorange="reversed", categoryorder="array",
                        categoryarray=[labels[d] for d in documents])
    return _layout(figure, height=160 + 28 * len(documents))


# The page --------------------------------------------------------------------------------------


def _no_trend_note(documents: int, period: str) -> str:
    """Why the page has no trend: a reader should not have to guess."""
    return (
        f"<p class=\"note\">No trend: none of the {documents} documents has a date with a {html.escape(period)} "
        "that a term's hits fall in. A date comes from front matter or a table column (--date-column), a labelled "
        "line (时间：, 发布日期), a delivery line (——2026年1月25日在…会议上), a byline, a full date near the top, "
        "or a year in the file's name (a year alone gives no month: try --period year). The documents table's "
        "date_from column says where each date came from.</p>"
    )


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document (plotly.js inlined)."""
    result, settings = data.result, data.settings
    totals = result.totals
    terms = charts.top_terms(totals, None)
    matrix = charts.term_matrix(result.frequencies, result.documents, terms)
    graph = charts.network(totals, data.pairs, measure=settings.measure)
    ranked = charts.top_terms(totals, TREND_VISIBLE_TERMS)
    trend_terms = ranked + [term for term in terms if term not in ranked]
    periods = charts.trend_table(result.groups, trend_terms)

    sections = [
        _section("summary", "Summary 概况", _summary(data)),
        _section("network", "Co-occurrence network 共现网络", _network_note(data, graph) + _plot(network_figure(graph, measure=settings.measure), "network-plot")),
        _section("heatmap", "Terms × documents 词频热力图", "<p>Colour: hits per 10,000 characters; the number: hits.</p>" + _plot(heatmap_figure(matrix), "heatmap-plot", scroll=True)),
    ]
    if not periods.empty:
        note = (f"<p>{data.dated:,} of {len(result.documents):,} documents have a date with a {settings.period}; "
                f"lines show hits per 10,000 characters of each {settings.period}.</p>")
        sections.append(_section("trend", "Terms over time 时间趋势", note + _plot(trend_figure(periods, trend_terms), "trend-plot")))
    else:
        sections.append(_section("trend", "Terms over time 时间趋势", _no_trend_note(len(result.documents), settings.period)))
    if result.counts is not None:
        points = charts.xray_points(result.counts, result.vocabulary, trend_terms)
        if not points.empty:  # a trace per term, the most frequent (trend_terms' first) first in the legend
            rank = {term: index for index, term in enumerate(trend_terms)}
            points = points.iloc[points["term"].map(rank).argsort(kind="stable")]
            documents = [d for d in result.documents["doc_id"] if d in set(points["doc_id"])]
            note = ("<p>Each mark is a hit, placed at its first character's offset ÷ the document's length "
                    "(as quanteda's textplot_xray and AntConc's Plot). Click a term in the legend to show or hide it.</p>")
            sections.append(_section("xray", "Where the terms fall 词语分布", note + _plot(xray_figure(points, ranked, documents), "xray-plot")))
    sections += [
        _section("frequencies", "Frequencies 词频", _table(totals, "frequency-table")),
        _section("cooccurrence", "Co-occurrence 共现", _table(_pair_table(data), "cooccurrence-table")),
        _section("kwic", "Keywords in context 关键词语境", _kwic(data.kwic, totals)),
    ]
    title = f"policyterms report: {result.summary.documents} documents"
    return PAGE.format(
        title=html.escape(title), font=FONT_FAMILY, plotly=get_plotlyjs(), heading=html.escape(title),
        body="\n".join(sections), sorter=SORTER,
    )


REPORT_SUFFIXES = (".html", ".htm")


def check_report_path(output: str | Path) -> None:
    """An ``OutputError`` before any work for a name that promises another format (r.pdf would
    hold HTML); ``-`` is stdout."""
    if str(output) == "-":
        return
    if Path(output).suffix.lower() in REPORT_SUFFIXES:
        check_writable(Path(output))
        return
    suffix = Path(output).suffix or "no suffix"
    hint = " (for a PDF figure: policyterms plot network … -o FILE.pdf)" if suffix.lower() == ".pdf" else ""
    raise OutputError(f"the report is an HTML page: end -o in .html, not {suffix}{hint}")


def write_report(data: ReportData, output: str | Path) -> None:
    """Write the report to ``output`` (atomically), or to stdout for ``-``."""
    page = render_html(data)
    if str(output) == "-":
        sys.stdout.write(page)
        return
    with atomic_open(Path(output)) as handle:
        handle.write(page)


def _plot(figure: go.Figure, div_id: str, *, scroll: bool = False) -> str:
    div = pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG)
    return f'<div class="scroll">{div}</div>' if scroll else div


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>\n{body}\n</section>'


def _summary(data: ReportData) -> str:
    result, settings = data.result, data.settings
    vocabulary = result.vocabulary
    chars = int(result.documents["chars"].sum()) if len(result.documents) else 0
    top = "all pairs" if settings.top is None else f"the {settings.top} strongest pairs"
    units = f"{settings.min_count} {settings.unit}" + ("s" if settings.min_count != 1 else "")
    items = [
        ("Documents", f"{result.summary.documents:,}" + (f" ({result.summary.skipped:,} could not be read)" if result.summary.skipped else "")),
        ("Characters", f"{chars:,}"),
        ("Hits", f"{result.summary.hits:,} of {result.summary.terms:,} terms"),
        ("Vocabulary", f"{vocabulary.name}" + (f", version {vocabulary.version}" if vocabulary.version else "")
         + f" ({len(vocabulary)} terms, sha256 {vocabulary.digest or '—'})"),
        *((label, value) for label, value in (("Description", vocabulary.description), ("Reference", vocabulary.reference))
          if value),
        ("Co-occurrence", f"per {settings.unit}; edges: {top} seen in at least {units}, width = {settings.measure}"),
        ("Made by", f"policyterms {__version__}, {data.created}"),
    ]
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
    return f'<dl class="summary">{rows}</dl>'


def _network_note(data: ReportData, graph) -> str:
    return (
        f"<p>{graph.number_of_nodes()} terms (node size: hits; colour: category) and "
        f"{graph.number_of_edges()} pairs (width: {html.escape(data.settings.measure)}). "
        "Hover a node or the middle of an edge for its counts; click a category to hide it.</p>"
    )


def _pair_table(data: ReportData) -> pd.DataFrame:
    pairs = data.result.cooccurrence_totals
    return stats.top_pairs(pairs, min_count=data.settings.min_count, sort=data.settings.measure)


def _table(frame: pd.DataFrame, table_id: str) -> str:
    table = frame.to_html(index=False, border=0, table_id=table_id, classes="sortable", escape=True)
    return f'<p class="hint">Click a column heading to sort.</p><div class="table">{table}</div>'


def _kwic(kwic: pd.DataFrame, totals: pd.DataFrame) -> str:
    if kwic.empty:
        return "<p>No hits.</p>"
    hits = dict(zip(totals["term"], totals["count"]))
    parts = []
    for term, lines in kwic.groupby("term", sort=False):
        rows = "".join(
            f'<tr><td class="doc">{html.escape(r.doc_id)}</td><td class="left">{html.escape(r.left)}</td>'
            f'<td class="hit">{html.escape(r.surface)}</td><td class="right">{html.escape(r.right)}</td></tr>'
            for r in lines.itertuples(index=False)
        )
        parts.append(
            f'<details><summary>{html.escape(term)} <span class="category">{html.escape(lines["category"].iloc[0])} · '
            f'{len(lines)} of {hits.get(term, len(lines)):,} hits</span></summary>'
            f'<table class="kwic">{rows}</table></details>'
        )
    return "\n".join(parts)


# Sorting a table by a click on its heading: numbers as numbers, text in the reader's collation.
SORTER = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var descending = th.getAttribute("aria-sort") !== "descending";
      table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var key = function (row) { return row.cells[column].textContent.trim(); };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh");
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {font}; margin: 1.5em auto; max-width: 1300px; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }}
dl.summary {{ display: grid; grid-template-columns: max-content auto; gap: .3em 1.2em; }}
dl.summary dt {{ font-weight: bold; }} dl.summary dd {{ margin: 0; }}
.scroll, .table {{ overflow-x: auto; }} .table {{ max-height: 32em; overflow-y: auto; }}
table.sortable {{ border-collapse: collapse; }}
table.sortable th {{ cursor: pointer; position: sticky; top: 0; background: #f3f3f3; }}
table.sortable th[aria-sort=ascending]::after {{ content: " ▲"; }} table.sortable th[aria-sort=descending]::after {{ content: " ▼"; }}
table.sortable td, table.sortable th {{ padding: .2em .7em; text-align: left; border-bottom: 1px solid #eee; }}
table.kwic td {{ padding: .1em .4em; }} td.left {{ text-align: right; }} td.hit {{ font-weight: bold; color: #b00; }}
td.doc, .category, .hint {{ color: #888; font-size: .85em; }}
</style>
<script type="text/javascript">{plotly}</script>
</head>
<body>
<h1>{heading}</h1>
{body}
<script>{sorter}</script>
</body>
</html>
"""
