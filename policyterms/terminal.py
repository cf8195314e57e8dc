"""Tables for a terminal of any width (80 columns and less): how ``render`` lays out its rich tables.

- Numbers and terms are never wrapped: a column of them is as wide as its widest cell.
- Headers stay whole: no column is narrower than its header.
- Other text (doc_id, title, context) wraps inside the width left over.
- A table whose unwrappable columns do not fit is printed in several parts, each repeating the
  columns that name a row (``term``, ``term_a``/``term_b``, ``doc_id``).
- A concordance (``kwic``) keeps one line per hit, so its keyword column stays aligned: the
  contexts are shortened from the far end, with "…", to the width left.
- A doc_id is shown relative to the folder all of them share, and a long one is shortened in the
  middle ("2026_北京市…报告.txt#3"); files and pipes get the ids whole (``render``).

Widths are in terminal cells (``rich.cells.cell_len``): a Chinese character takes two.

The layout works on a ``Grid``: column names, rows of values and which columns hold numbers. A
``Rows`` table (every table the counts make) becomes one without pandas, with the column types
and values ``Rows.to_frame`` would give; a DataFrame, or a table whose column types only pandas'
inference could tell, becomes one through pandas.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len

from .rows import FLOAT_COLUMNS, INTEGER_COLUMNS, Rows

if TYPE_CHECKING:
    import pandas as pd

# Text columns that hold one term, unit or date: wrapping "独角兽企业" as "独角兽"/"企业" misleads.
NO_WRAP_COLUMNS = frozenset({
    "term", "term_a", "term_b", "category_a", "category_b", "surface", "unit", "date", "settings", "kept", "candidate",
})
KEY_COLUMNS = ("doc_id", "term", "term_a", "term_b", "category")  # repeated in every part of a split table
KWIC_TERMINAL_COLUMNS = ("start", "term", "left", "surface", "right")
ID_COLUMNS = ("doc_id", "kept")  # the columns that hold a doc_id (dupes' kept names one too)  # one line per hit; the rest is in CSV/JSON
ELLIPSIS = "…"
_MIN_WRAPPED = 8  # cells a wrapped text column keeps at least (4 Chinese characters; with 6, rich gave one 8 and cut a header)
_MIN_CONTEXT = 4  # cells of context kept on each side of a hit at the narrowest
_MIN_DOC_ID = 16  # cells a shortened doc_id keeps at least


_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class Grid:
    """A table as the terminal lays it out: ``numeric`` columns are right-justified and never
    wrapped (pandas' numeric dtypes)."""

    columns: tuple[str, ...]
    rows: list[tuple]
    numeric: frozenset[str] = frozenset()
    unwrapped: frozenset[str] = frozenset()  # text columns kept on one line (shortened doc_ids)

    @staticmethod
    def of(table: Rows | pd.DataFrame) -> Grid:
        if isinstance(table, Rows):
            grid = Grid.from_rows(table)
            if grid is not None:
                return grid
            table = table.to_frame()
        return Grid.from_frame(table)

    @staticmethod
    def from_rows(table: Rows) -> Grid | None:
        """The grid of ``table.to_frame()``, made without pandas; None when a column holds values
        whose type only pandas' inference tells (None among text, booleans …)."""
        columns = list(zip(*table.rows)) if table.rows else [()] * len(table.columns)
        numeric: set[str] = set()
        as_float: list[int] = []  # columns whose values pandas makes floats (1 → 1.0)
        for index, (name, values) in enumerate(zip(table.columns, columns)):
            integers = all(type(v) is int for v in values)
            if name in INTEGER_COLUMNS and integers:
                numeric.add(name)
            elif name in FLOAT_COLUMNS and all(isinstance(v, (int, float)) for v in values):
                numeric.add(name)
                as_float.append(index)
            elif all(type(v) is str for v in values):
                pass
            elif integers and all(v in _INT64 for v in values):  # inferred as int64
                numeric.add(name)
            elif all(type(v) is float or (type(v) is int and v in _INT64) for v in values):  # inferred as float64
                numeric.add(name)
                as_float.append(index)
            else:
                return None
        rows = table.rows
        if as_float:
            rows = [tuple(float(v) if i in as_float else v for i, v in enumerate(row)) for row in rows]
        return Grid(tuple(table.columns), rows, frozenset(numeric))

    @staticmethod
    def from_frame(frame: pd.DataFrame) -> Grid:
        import pandas as pd

        columns = tuple(frame.columns)
        numeric = frozenset(column for column in columns if pd.api.types.is_numeric_dtype(frame[column]))
        return Grid(columns, list(frame.itertuples(index=False, name=None)), numeric)

    @property
    def empty(self) -> bool:
        return not self.rows or not self.columns

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def select(self, columns: Sequence[str]) -> Grid:
        indices = [self.columns.index(name) for name in columns]
        return Grid(tuple(columns), [tuple(row[i] for i in indices) for row in self.rows],
                    self.numeric & frozenset(columns), self.unwrapped & frozenset(columns))

    def without(self, column: str) -> Grid:
        return self.select([name for name in self.columns if name != column])

    def parts(self, keys: Sequence) -> list[tuple[object, Grid]]:
        """The rows grouped by ``keys`` (one per row), groups in order of first appearance, rows in
        their order; rows without a key are left out (as DataFrame.groupby(sort=False) does)."""
        groups: dict[object, list[tuple]] = {}
        for key, row in zip(keys, self.rows):
            if not is_missing(key):
                groups.setdefault(key, []).append(row)
        return [(key, Grid(self.columns, rows, self.numeric, self.unwrapped)) for key, rows in groups.items()]


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def table_overhead(columns: int) -> int:
    """Cells a rich table with box.SIMPLE_HEAD and no edge adds: 1 of padding on each side of
    every column and a 1-cell rule between columns."""
    return max(0, 3 * columns - 1)


def cell_text(value: object) -> str:
    """A cell as the terminal shows it (floats to 3 decimals)."""
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def widest(frame: Grid, column: str) -> int:
    cells = (cell_len(cell_text(value)) for value in frame.column(column))
    return max(cells, default=0)


def is_unwrapped(frame: Grid, column: str) -> bool:
    return column in NO_WRAP_COLUMNS or column in frame.numeric or column in frame.unwrapped


def column_options(frame: Grid, column: str) -> dict:
    """rich ``add_column`` options for ``column``: numbers and terms unwrapped at their full
    width, every header whole."""
    header = cell_len(str(column))
    if is_unwrapped(frame, column):
        return {"no_wrap": True, "overflow": "ellipsis", "min_width": max(header, widest(frame, column))}
    return {"overflow": "fold", "min_width": header}


def least_width(frame: Grid, column: str) -> int:
    """The fewest cells ``column`` can take with its rules kept."""
    header = cell_len(str(column))
    if is_unwrapped(frame, column):
        return max(header, widest(frame, column))
    return max(header, min(_MIN_WRAPPED, widest(frame, column)))


def column_groups(frame: Grid, width: int) -> list[list[str]]:
    """The frame's columns in parts that each fit ``width`` cells, each part starting with the key
    columns; one part (all columns) when they fit, or when even key + one column does not."""
    columns = [str(column) for column in frame.columns]
    needs = {column: least_width(frame, column) for column in columns}
    if sum(needs.values()) + table_overhead(len(columns)) <= width:
        return [columns]
    keys = [column for column in columns if column in KEY_COLUMNS][:2] or columns[:1]
    groups: list[list[str]] = []
    current: list[str] = []
    for column in (c for c in columns if c not in keys):
        candidate = [*keys, *current, column]
        if current and sum(needs[c] for c in candidate) + table_overhead(len(candidate)) > width:
            groups.append([*keys, *current])
            current = []
        current.append(column)
    if current or not groups:
        groups.append([*keys, *current])
    return groups


def common_folder(doc_ids: Iterable[str]) -> str:
    """The folder every doc_id lies in, with its final "/" ("/data/reports/"); "" when they
    share none (an id without a folder, such as a table's FILE#ROW, shares none)."""
    folders = [doc_id.rpartition("/")[0] + "/" for doc_id in doc_ids]
    if not folders or "/" in folders:
        return ""
    shared = os.path.commonprefix(folders)
    return shared[: shared.rfind("/") + 1]


def doc_id_cells(width: int) -> int:
    """The most cells a doc_id takes in a table ``width`` cells wide: two fifths of it, so that
    the numbers and terms beside it keep their room."""
    return max(_MIN_DOC_ID, width * 2 // 5)


def short_doc_id(doc_id: str, *, folder: str, cells: int) -> str:
    """``doc_id`` without ``folder``, shortened in the middle to at most ``cells`` cells."""
    return shorten_middle(doc_id.removeprefix(folder), cells)


def with_short_doc_ids(frame: Grid, *, folder: str, cells: int) -> Grid:
    """The frame with every doc_id column's values as ``short_doc_id`` shows them, each on one line."""
    columns = {index for index, name in enumerate(frame.columns) if name in ID_COLUMNS}
    if not columns:
        return frame
    rows = [tuple(short_doc_id(value, folder=folder, cells=cells) if index in columns and isinstance(value, str)
                  else value for index, value in enumerate(row)) for row in frame.rows]
    shortened = frozenset(frame.columns[index] for index in columns)
    return Grid(frame.columns, rows, frame.numeric, frame.unwrapped | shortened)


def shorten_middle(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells: its start and its end with "…" between, the end
    (a file's name, its #N) given the larger share."""
    if cell_len(text) <= cells:
        return text
    head = shorten_right(text, (cells - 1) // 3 + 1).removesuffix(ELLIPSIS)
    tail = shorten_left(text, cells - cell_len(head)).removeprefix(ELLIPSIS)
    return head + ELLIPSIS + tail


def shorten_left(text: str, cells: int) -> str:
    """The end of ``text`` in at most ``cells`` cells, "…" in front when something was cut."""
    if cell_len(text) <= cells:
        return text
    kept = ""
    for char in reversed(text):
        if cell_len(char + kept) + 1 > cells:
            break
        kept = char + kept
    return ELLIPSIS + kept


def shorten_right(text: str, cells: int) -> str:
    """The start of ``text`` in at most ``cells`` cells, "…" after it when something was cut."""
    if cell_len(text) <= cells:
        return text
    kept = ""
    for char in text:
        if cell_len(kept + char) + 1 > cells:
            break
        kept += char
    return kept + ELLIPSIS


def kwic_for_terminal(lines: Grid, *, width: int) -> tuple[Grid, int]:
    """Concordance lines as the terminal shows them (one table per document, so no doc_id):
    start, term (left out when every line has the same one), left, surface, right; the contexts
    shortened so that each hit takes one line of ``width`` cells, the same in every table.
    Returns the lines (in the same order) and the cells each context column gets."""
    wanted = [column for column in KWIC_TERMINAL_COLUMNS if column in lines.columns]
    if "term" in lines.columns and len({t for t in lines.column("term") if not is_missing(t)}) <= 1:
        wanted.remove("term")  # kwic 6G: the term is in the title of the command
    shown = lines.select(wanted)
    fixed = [column for column in shown.columns if column not in ("left", "right")]
    used = sum(least_width(shown, column) for column in fixed) + table_overhead(len(shown.columns))
    longest = max((widest(shown, column) for column in ("left", "right") if column in shown.columns), default=0)
    side = max(_MIN_CONTEXT, min((width - used) // 2, longest))  # no wider than the contexts are
    shorten = {"left": shorten_left, "right": shorten_right}
    cut = {index: shorten[column] for index, column in enumerate(shown.columns) if column in shorten}
    rows = [tuple(cut[i](str(value), side) if i in cut else value for i, value in enumerate(row)) for row in shown.rows]
    return Grid(shown.columns, rows, shown.numeric - frozenset(shorten)), side


def fixed_widths(shown: Grid, side: int) -> dict[str, dict]:
    """rich options that keep every column of ``kwic_for_terminal``'s lines on one line, each as
    wide in every document's table: the contexts ``side`` cells, the others their widest cell."""
    options = {}
    for column in shown.columns:
        cells = side if column in ("left", "right") else least_width(shown, column)
        options[column] = {"no_wrap": True, "overflow": "ellipsis", "min_width": cells, "max_width": cells}
    return options
