"""terminal.py: tables at 80 columns and less — numbers and terms whole, headers whole, a
concordance on one line per hit with its keyword column aligned."""

import io

import pandas as pd
import pytest
from rich.cells import cell_len

from policyterms import terminal
from policyterms.rows import Rows
from policyterms.render import _render_rich

# Totals as --rates writes them: long headers, numbers of several digits, terms of 2-7 characters.
TOTALS = pd.DataFrame({
    "term": ["独角兽企业", "战略性新兴产业", "6G"],
    "category": ["政策概念", "政策概念", "未来信息"],
    "count": [1234, 2, 15],
    "documents": [98, 2, 5],
    "per_10k_chars": [6.419, 0.762, 5.713],
    "per_10k_tokens": [16.41, 1.789, 13.417],
    "share": [0.368, 0.003, 0.025],
})
# Concordance lines of two documents; contexts of 20 characters (40 cells), as kwic's default.
KWIC = pd.DataFrame({
    "doc_id": ["seeds/000.txt", "seeds/000.txt", "seeds/004.txt"],
    "term": ["第六代移动通信", "第六代移动通信", "第六代移动通信"],
    "category": ["未来信息"] * 3,
    "start": [528, 2773, 4646],
    "end": [535, 2775, 4648],
    "left": ["要推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能、", "可达80%以上;启动第二阶段", "。 量子计算、脑机接口、"],
    "surface": ["第六代移动通信", "6G", "6G"],
    "right": ["等成为新的经济增长点。这些领域是“十五五", "技术试验,开展未来产业重大科技项目", "、具身智能……当前，这些未来产业"],
})


def shown(tables, width):
    stream = io.StringIO()
    _render_rich(tables, stream, width=width)
    return stream.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 60])
def test_numbers_terms_and_headers_are_never_wrapped(width):
    lines = shown({"totals": TOTALS}, width)
    assert all(cell_len(line) <= width for line in lines)
    text = "\n".join(lines)
    for whole in ("独角兽企业", "战略性新兴产业", "1234", "6.419", "16.410", "per_10k_chars", "per_10k_tokens", "documents"):
        assert whole in text, whole
    rows = [line for line in lines if line.lstrip().startswith("独角兽企业")]
    assert rows and all("…" not in row for row in rows)  # nothing cut short either


def test_a_table_too_wide_for_its_numbers_is_printed_in_parts_that_repeat_the_term():
    # 80 columns hold term, category and four of the five number columns; 60 hold two of them.
    assert terminal.column_groups(terminal.Grid.of(TOTALS), 80) == [
        ["term", "category", "count", "documents", "per_10k_chars", "per_10k_tokens"], ["term", "category", "share"],
    ]
    assert terminal.column_groups(terminal.Grid.of(TOTALS), 60) == [
        ["term", "category", "count", "documents"], ["term", "category", "per_10k_chars", "per_10k_tokens"],
        ["term", "category", "share"],
    ]
    assert terminal.column_groups(terminal.Grid.of(TOTALS), 200) == [list(TOTALS.columns)]
    titles = [line for line in shown({"totals": TOTALS}, 80) if line.startswith("Corpus totals")]
    assert titles == ["Corpus totals (part 1 of 2)".ljust(len(titles[0])), "Corpus totals (part 2 of 2)".ljust(len(titles[1]))]


@pytest.mark.parametrize("width", [60, 72, 80, 120])
def test_kwic_keeps_one_line_per_hit_and_the_keyword_column_aligned(width):
    lines = shown({"kwic": KWIC}, width)
    assert all(cell_len(line) <= width for line in lines)
    hits = [line for line in lines if line.lstrip()[:4] in ("528 ", "2773", "4646")]
    assert len(hits) == 3  # one line each: nothing wrapped onto a second line
    starts = {cell_len(line[: line.index(surface)]) for line, surface in zip(hits, ["第六代移动通信", "6G", "6G"])}
    assert len(starts) == 1  # the keyword starts in the same cell in every line, in both documents' tables
    titles = [line.rstrip() for line in lines if line.startswith("Keyword in context")]
    assert titles == ["Keyword in context: seeds/000.txt", "Keyword in context: seeds/004.txt"]


def test_kwic_contexts_are_shortened_from_their_far_end():
    frame, side = terminal.kwic_for_terminal(terminal.Grid.of(KWIC), width=60)
    assert list(frame.columns) == ["start", "left", "surface", "right"]  # one term: no term column
    # 60 cells − start (5) − surface (14) − 4 columns' padding and rules (11) = 30 → 15 a side
    assert side == 15
    assert frame.column("left") == ["…口、具身智能、", "…;启动第二阶段", "…算、脑机接口、"]
    assert frame.column("right") == ["等成为新的经济…", "技术试验,开展…", "、具身智能……当…"]
    assert all(cell_len(text) <= side for text in [*frame.column("left"), *frame.column("right")])


def test_short_contexts_are_left_as_they_are():
    assert terminal.shorten_left("布局", 10) == "布局"
    assert terminal.shorten_right("6G等", 10) == "6G等"
    assert terminal.shorten_left("前瞻布局未来产业", 9) == "…未来产业"  # 1 + 8 cells
    assert terminal.shorten_right("前瞻布局未来产业", 9) == "前瞻布局…"


# Grids from Rows: the column types and values pandas would give, without pandas ---------------


@pytest.mark.parametrize("rows", [
    Rows(("doc_id", "term", "count", "per_10k_chars"), [("a.txt", "6G", 3, 1.5), ("b.txt", "量子科技", 12, 2)]),
    Rows(("term", "count", "share"), []),  # no rows: the number columns still right-justified
    Rows(("name", "value", "ratio"), [("x", 1, 0.5), ("y", 2, 3)]),  # inferred int64 and float64 (3 → 3.0)
    Rows(("term", "per_10k_tokens"), [("6G", 4)]),  # a rate column of integers: floats
])
def test_a_grid_from_rows_is_the_grid_of_their_frame(rows):
    lean = terminal.Grid.from_rows(rows)
    assert lean == terminal.Grid.from_frame(rows.to_frame())
    assert [[type(value) for value in row] for row in lean.rows] == [
        [type(value) for value in row] for row in terminal.Grid.from_frame(rows.to_frame()).rows
    ]


@pytest.mark.parametrize("values", [["a", None], [True, False], [1, None], [1, "a"]])
def test_values_only_pandas_can_type_go_through_pandas(values):
    rows = Rows(("value",), [(value,) for value in values])
    assert terminal.Grid.from_rows(rows) is None
    assert repr(terminal.Grid.of(rows)) == repr(terminal.Grid.from_frame(rows.to_frame()))  # nan != nan


def test_parts_keep_first_appearance_and_row_order():
    grid = terminal.Grid(("doc_id", "count"), [("b", 1), ("a", 2), ("b", 3)], frozenset({"count"}))
    parts = grid.parts(grid.column("doc_id"))
    assert [(key, part.rows) for key, part in parts] == [("b", [("b", 1), ("b", 3)]), ("a", [("a", 2)])]
    assert parts[0][1].without("doc_id") == terminal.Grid(("count",), [(1,), (3,)], frozenset({"count"}))


def test_the_common_folder_of_doc_ids_ends_with_a_slash_and_may_be_none():
    reports = ["/data/reports/2026_北京.txt#1", "/data/reports/2026_北京.txt#2", "/data/reports/2025_天津.txt"]
    assert terminal.common_folder(reports) == "/data/reports/"
    assert terminal.common_folder(["/data/a/x.txt", "/data/ab/y.txt"]) == "/data/"  # not "/data/a"
    assert terminal.common_folder(["reports.csv#1", "/data/y.txt"]) == ""  # a table's row ids have no folder
    assert terminal.common_folder([]) == ""


def test_a_long_doc_id_is_shortened_in_the_middle_keeping_its_end():
    doc_id = "2026_北京市人民政府工作报告全文.txt#12"  # 41 cells
    short = terminal.shorten_middle(doc_id, 26)
    assert short == "2026_北…作报告全文.txt#12" and cell_len(short) <= 26
    assert terminal.shorten_middle("abcdefghijklmnopqrstuvwxyz0123456789", 16) == "abcde…0123456789"
    assert terminal.shorten_middle("short.txt", 16) == "short.txt"


def test_doc_ids_in_a_grid_become_relative_and_stay_on_one_line():
    grid = terminal.Grid(("doc_id", "kept", "hits"), [("/d/r/a.txt#1", "/d/r/b.txt", 3)], frozenset({"hits"}))
    short = terminal.with_short_doc_ids(grid, folder="/d/r/", cells=20)
    assert short.rows == [("a.txt#1", "b.txt", 3)]
    assert terminal.is_unwrapped(short, "doc_id") and not terminal.is_unwrapped(grid, "doc_id")
