"""What the pictures show, as plain data: count's tables in → the frames and graph a chart draws.

Shared by the HTML report (report.py, plotly) and the static plots (plots.py, matplotlib), so
both draw the same numbers: the term × document matrix, the co-occurrence network (its nodes,
edges, widths and positions), the term × period table, and the colours of the categories.
Every function is pure: frames in, frames (or a networkx graph) out; nothing here draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from . import stats
from .errors import PolicytermsError
from .measures import MEASURES as ASSOCIATION_MEASURES
from .stats import rates
from .terminal import common_folder

if TYPE_CHECKING:
    from .pipeline import Result

MEASURES: tuple[str, ...] = ("count", *ASSOCIATION_MEASURES)  # what an edge's width may show
# 24 colours that stay apart on white, one per category in vocabulary order (plotly's Dark24).
PALETTE = (
    "#2E91E5", "#E15F99", "#1CA71C", "#FB0D0D", "#DA16FF", "#222A2A", "#B68100", "#750D86",
    "#EB663B", "#511CFB", "#00A08B", "#FB00D1", "#FC0080", "#B2828D", "#6C7C32", "#778AAE",
    "#862A16", "#A777F1", "#620042", "#1616A7", "#DA60CA", "#6C4516", "#0D2A63", "#AF0038",
)
LAYOUT_SEED = 7  # the network's layout is the same on every run
NODE_SIZE = (10.0, 46.0)  # marker diameters, smallest and largest term
EDGE_WIDTH = (0.6, 8.0)  # line widths, weakest and strongest pair


def category_colours(categories: Sequence[str]) -> dict[str, str]:
    """One colour per category, in the order given (the vocabulary's)."""
    return {category: PALETTE[index % len(PALETTE)] for index, category in enumerate(dict.fromkeys(categories))}


def scale(values: pd.Series | np.ndarray, low: float, high: float) -> np.ndarray:
    """Values mapped linearly onto [low, high]; all equal → the middle."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return values
    span = values.max() - values.min()
    if span == 0:
        return np.full(values.shape, (low + high) / 2)
    return low + (values - values.min()) / span * (high - low)


# Term × document --------------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    """The heatmap: one row per document, one column per term, counts and rates per cell."""

    documents: pd.DataFrame  # doc_id, title, date, … (count's documents table), one row per row
    terms: list[str]
    counts: pd.DataFrame  # index: doc_id, columns: terms
    rates: pd.DataFrame  # per 10,000 characters, same shape


def term_matrix(frequencies: pd.DataFrame, documents: pd.DataFrame, terms: Sequence[str]) -> Matrix:
    """Counts and rates of ``terms`` (in that order) in every document (in input order, even a
    document with no hit)."""
    order = list(documents["doc_id"])
    counts = _pivot(frequencies, "count", order, terms).astype("int64")
    chars = documents.set_index("doc_id")["chars"].reindex(order).to_numpy()
    per_10k = pd.DataFrame(
        rates(counts.to_numpy(), np.repeat(chars[:, None], counts.shape[1], axis=1)),
        index=counts.index, columns=counts.columns,
    )
    return Matrix(documents.reset_index(drop=True), list(terms), counts, per_10k)


def document_labels(documents: pd.DataFrame) -> list[str]:
    """Row labels of the heatmap: the doc_id, made unique if a path was given twice."""
    seen: dict[str, int] = {}
    labels = []
    for doc_id in documents["doc_id"]:
        seen[doc_id] = seen.get(doc_id, 0) + 1
        labels.append(doc_id if seen[doc_id] == 1 else f"{doc_id} #{seen[doc_id]}")
    return labels


LABEL_CHARS = 28  # a document's row label at most; longer ones lose their middle


def short_document_labels(doc_ids: Sequence[str], *, limit: int = LABEL_CHARS) -> list[str]:
    """Row labels that fit beside a plot: each doc_id (document_labels: unique) less the folders
    that all of them share, longer ones cut in the middle ("2026_新疆…政府工作报告.txt"), so the
    start and the end (the extension, an article's #N) stay. A cut that would make two labels
    alike is not made."""
    labels = document_labels(pd.DataFrame({"doc_id": list(doc_ids)}))
    shared = len(common_folder(labels))  # as the terminal's tables show doc_ids
    shortened = [label[shared:] for label in labels]
    cut = [_cut_middle(label, limit) for label in shortened]
    counts = pd.Series(cut).value_counts()
    return [short if counts[short] == 1 else whole for short, whole in zip(cut, shortened)]


def _cut_middle(label: str, limit: int) -> str:
    if len(label) <= limit:
        return label
    head = (limit - 1) // 2
    return label[:head] + "…" + label[len(label) - (limit - 1 - head):]


def top_documents(points: pd.DataFrame, limit: int | None) -> list[str]:
    """The ``limit`` documents (every one when None) with the most rows in ``points`` (xray_points:
    one row per hit), ties in input order, listed in input order (the order of ``points``)."""
    order = list(dict.fromkeys(points["doc_id"]))
    if limit is None or limit >= len(order):
        return order
    hits = points["doc_id"].value_counts()
    ranked = sorted(range(len(order)), key=lambda index: (-int(hits[order[index]]), index))
    return [order[index] for index in sorted(ranked[:limit])]


def _pivot(frame: pd.DataFrame, value: str, rows: list[str], columns: Sequence[str]) -> pd.DataFrame:
    table = frame.pivot_table(index="doc_id", columns="term", values=value, aggfunc="sum", fill_value=0)
    return table.reindex(index=rows, columns=list(columns), fill_value=0)


def top_terms(totals: pd.DataFrame, limit: int | None) -> list[str]:
    """The ``limit`` most frequent terms (ties: vocabulary order), listed in vocabulary order;
    every term with a hit when ``limit`` is None."""
    found = totals[totals["count"] > 0].reset_index(drop=True)
    if limit is not None:
        kept = found.sort_values("count", ascending=False, kind="stable").head(limit).index
        found = found.loc[sorted(kept)]
    return list(found["term"])


# Network -----------------------------------------------------------------------------------


def check_measure(measure: str, unit: str) -> None:
    """An edge width needs a measure the co-occurrence table has: the association measures are
    computed over units, which windows (overlapping) do not have."""
    if measure not in MEASURES:
        raise PolicytermsError(f"unknown measure '{measure}' (choose from {', '.join(MEASURES)})")
    if unit == "window" and measure != "count":
        raise PolicytermsError("association measures need units to count (document, paragraph or sentence); "
                               "windows overlap and have none: use --measure count with --unit window")


def network(totals: pd.DataFrame, pairs: pd.DataFrame, *, measure: str = "count", isolated: bool = True) -> nx.Graph:
    """The co-occurrence graph: a node per term with a hit (``count``, ``documents``,
    ``category``, ``size``, ``colour``, ``pos``), an edge per pair given (``count``, the
    ``measure`` as ``weight``, ``width``). Without ``isolated``, terms in no pair are left out.

    Node positions: ``layout``."""
    found = totals[totals["count"] > 0]
    colours = category_colours(list(totals["category"]))
    graph = nx.Graph()
    sizes = scale(np.sqrt(found["count"].to_numpy()), *NODE_SIZE)  # area grows with the count
    for row, size in zip(found.itertuples(index=False), sizes):
        graph.add_node(row.term, count=int(row.count), documents=int(row.documents), category=row.category,
                       size=float(size), colour=colours[row.category])
    widths = scale(pairs[measure].to_numpy(), *EDGE_WIDTH)
    for row, width in zip(pairs.itertuples(index=False), widths):
        graph.add_edge(row.term_a, row.term_b, count=int(row.count), weight=float(getattr(row, measure)),
                       width=float(width))
    if not isolated:
        graph.remove_nodes_from([node for node, degree in list(graph.degree) if degree == 0])
    nx.set_node_attributes(graph, layout(graph), "pos")
    return graph


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Node positions by ForceAtlas2 (Gephi's layout, as networkx implements it): wider edges
    pull harder, strong gravity keeps terms in no drawn pair close to the rest, node sizes keep
    nodes apart. Seeded and rounded, so the same graph is drawn the same way every time."""
    if not len(graph):
        return {}
    positions = nx.forceatlas2_layout(
        graph, weight="width", seed=LAYOUT_SEED, max_iter=300, strong_gravity=True, gravity=0.5,
        node_size={node: size / 60 for node, size in graph.nodes(data="size")},
    )
    return {node: (round(float(x), 6), round(float(y), 6)) for node, (x, y) in positions.items()}


# Term × period -----------------------------------------------------------------------------


def add_trend_groups(result: Result, *, period: str | None) -> tuple[str, int]:
    """Put the groups table of the trend's period into ``result`` (counted without group_by), with
    its warning naming --period, the option of report and plot: once the documents' dates are
    known, ``period`` None becomes ``stats.trend_period``'s. Returns the period and the number of
    documents with a date of it (the page says the number the warning implies)."""
    period = period or stats.trend_period(counts.date for counts in result.counts)
    partial = stats.partial_of(result.counts, group_by=period)
    if (warning := stats.check_group_by(partial, period, option="--period")) is not None:
        result.warnings.append(warning)
    result.groups = stats.groups_table(partial, result.vocabulary, group_by=period)
    return period, partial.corpus.documents - stats.undated_documents(partial)


def trend_table(groups: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """The rows of ``count(group_by="month"|"year")``'s groups table that have a period (documents
    without a date are the group ""), for ``terms`` only: periods in time order, terms in the order given."""
    order = {term: index for index, term in enumerate(terms)}
    dated = groups[(groups["group"] != "") & groups["term"].isin(order)]
    dated = dated.assign(_order=dated["term"].map(order)).sort_values(["group", "_order"], kind="stable")
    return dated.drop(columns="_order").reset_index(drop=True)


# Where the hits fall (x-ray, lexical dispersion) ----------------------------------------------

XRAY_COLUMNS = ["doc_id", "term", "category", "start", "end", "position"]
POSITION_DECIMALS = 6


def xray_points(results: Sequence, vocabulary, terms: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per hit of ``terms`` (default: every term), as quanteda's textplot_xray and
    AntConc's Plot place them: the hit's start in the document (its evidence offset, into the
    file's text, less the document's own offset in the file: an article of a page starts at 0)
    divided by the document's length in characters, from 0 (its first character) to just under 1.
    ``results`` are ``count(evidence=True)``'s per-document counts (``result.counts``), in input
    order; within a document, hits in text order."""
    names = [term.name for term in vocabulary.terms]
    wanted = set(names if terms is None else terms)
    rows = [
        (r.doc_id, names[h.term], vocabulary.terms[h.term].category, h.start, h.end,
         round((h.start - r.offset) / r.length, POSITION_DECIMALS) if r.length else 0.0)
        for r in results for h in r.evidence if names[h.term] in wanted
    ]
    frame = pd.DataFrame.from_records(rows, columns=XRAY_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "position": "float64"})
