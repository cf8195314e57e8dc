"""What tables need before a spreadsheet opens them: formula neutralization, and the .xlsx writer.

Spreadsheet safety follows OWASP's CSV-injection rule: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab, a carriage return or a line feed may be run as a formula by Excel, WPS or
LibreOffice, so it gets a leading single quote (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``); so does
each line of a cell after a line break (CR or LF), in case a reader splits the cell there. Titles,
sources, doc_ids (file names), surfaces and context come from documents nobody vetted. Only text
is touched: numbers (a PMI of -1.5) are numbers in every format and are never altered.

The .xlsx writer is XlsxWriter: it only writes, it writes each cell with its type (``write_string``
and ``write_number``; strings never turn into formulas or links, even with ``--raw``), and with a
fixed creation date and its fixed zip timestamps the same tables give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

from .errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

# OWASP "CSV Injection": cells must not begin with these. Line feed joined the list in 2025.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# The doc_id of standard input (DESIGN.md): a lone "-" is no formula, and scripts join on it.
_HARMLESS = frozenset({"-"})
# A line of a multi-line cell is as dangerous as its first: a reader that splits the cell at a
# bare CR (or a spreadsheet's import) starts a cell there. Those lines get the quote too.
_LINE_STARTING_FORMULA = re.compile(r"(?<=[\r\n])(?=[=+\-@\t])")

XLSX_MAX_ROWS = 1_048_576  # the header row included
_SHEET_NAME_LENGTH = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 6, 60  # in Excel's units: the width of a "0"; a Han character takes two
# A fixed creation date, so that the same tables give the same bytes (DESIGN.md: determinism);
# XlsxWriter already dates every part of the zip 1980-01-01 when it builds the file in memory.
_CREATED = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def neutralize(value: str) -> str:
    """``value`` with a leading single quote if a spreadsheet could read it as a formula."""
    if ("\r" in value or "\n" in value) and value not in _HARMLESS:
        value = _LINE_STARTING_FORMULA.sub("'", value)
    if value.startswith(FORMULA_TRIGGERS) and value not in _HARMLESS:
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and text column name) neutralized; numeric columns and
    non-text values in text columns are left as they are. The frame is copied only if needed."""
    import pandas as pd

    columns = {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):  # a quoted value is a new category
            series = series.astype(object)
        try:  # vectorized: non-text values (None, numbers in an object column) give NA, not True
            risky = series.str.startswith(FORMULA_TRIGGERS).fillna(False).astype(bool)
        except AttributeError:  # no text in this column at all
            continue
        risky &= series.ne("-").fillna(True).astype(bool)
        multi_line = series.str.contains("[\r\n]", regex=True).fillna(False).astype(bool)
        risky |= multi_line
        if risky.any():
            columns[name] = series.mask(risky, series[risky].astype(str).map(neutralize))
    renamed = {name: neutralize(name) for name in frame.columns if isinstance(name, str) and neutralize(name) != name}
    if not columns and not renamed:
        return frame
    return frame.assign(**columns).rename(columns=renamed) if columns else frame.rename(columns=renamed)


def sheet_names(names: list[str]) -> list[str]:
    """Excel's rules for sheet names: at most 31 characters, none of ``[]:*?/\\``, no quote at
    either end, unique regardless of case. Table names pass unchanged when they already comply."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = _SHEET_NAME_FORBIDDEN.sub("_", str(name)).strip("'")[:_SHEET_NAME_LENGTH] or "table"
        candidate, number = base, 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f"~{number}"
            candidate = base[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def column_width(series: pd.Series, header: str) -> int:
    """A column wide enough for its header and longest value in terminal cells (a Han
    character is two), so Chinese columns are not cut off; capped for long text."""
    import pandas as pd
    from rich.cells import cell_len

    if pd.api.types.is_float_dtype(series):
        shown = series.dropna().map(lambda value: format(value, ".10g"))  # about as Excel's General format
        widest = int(shown.str.len().max()) if len(shown) else 0
    elif pd.api.types.is_integer_dtype(series) and not series.empty:
        widest = max(len(str(series.min())), len(str(series.max())))
    else:
        widest = max((cell_len(str(value)) for value in series.dropna().unique()), default=0)
    return max(_MIN_WIDTH, min(_MAX_WIDTH, max(widest, cell_len(str(header))) + 2))


def write_xlsx(tables: Mapping[str, pd.DataFrame], stream: IO[bytes]) -> None:
    """One sheet per table (named after it), the header row bold and frozen, a filter on it,
    columns sized for their text; numbers as numbers, text as text. Cells are written as given:
    neutralize before calling this."""
    import xlsxwriter  # imported here: only .xlsx output needs it

    for name, frame in tables.items():
        if len(frame) + 1 > XLSX_MAX_ROWS:
            raise OutputError(
                f"table '{name}' has {len(frame):,} rows and an XLSX sheet holds {XLSX_MAX_ROWS - 1:,}: "
                "use --format csv or parquet"
            )
    workbook = xlsxwriter.Workbook(stream, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    workbook.set_properties({"created": _CREATED})
    bold = workbook.add_format({"bold": True})
    for sheet_name, (name, frame) in zip(sheet_names(list(tables)), tables.items()):
        sheet = workbook.add_worksheet(sheet_name)
        for column, header in enumerate(frame.columns):
            sheet.write_string(0, column, str(header), bold)
            sheet.set_column(column, column, column_width(frame[header], str(header)))
            _write_column(sheet, column, frame[header])
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    workbook.close()


def _write_column(sheet, column: int, series: pd.Series) -> None:
    """Cells of one column from row 2 down; NumPy integer and float columns take the short way."""
    import numpy as np

    values = series.tolist()
    kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else None  # not for nullable Int64 (pd.NA)
    if kind in ("i", "u"):
        for row, value in enumerate(values, start=1):
            sheet.write_number(row, column, value)
    elif kind == "f":
        for row, value in enumerate(values, start=1):
            if value == value and not math.isinf(value):  # NaN is "no value": an empty cell, as in CSV
                sheet.write_number(row, column, value)
            elif value == value:
                _write_cell(sheet, row, column, value)
    else:
        for row, value in enumerate(values, start=1):
            _write_cell(sheet, row, column, value)


def _write_cell(sheet, row: int, column: int, value: object) -> None:
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return  # an empty cell, as CSV's empty field
    if isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, column, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isinf(number):  # Excel has no infinity: the text CSV shows ("inf", "-inf"), not a formula
            sheet.write_string(row, column, str(number))
        elif not math.isnan(number):  # NaN is "no value": an empty cell, as in CSV
            sheet.write_number(row, column, number)
    else:
        sheet.write_string(row, column, str(value))
