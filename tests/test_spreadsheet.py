import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from policyterms import OutputError
from policyterms.spreadsheet import column_width, neutralize, neutralize_frame, sheet_names, write_xlsx


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x.example","点击")', '\'=HYPERLINK("http://x.example","点击")'),
        ("+cmd|'/c calc'!A0", "'+cmd|'/c calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r'=1+1"),  # and the line after the break: a reader may split the cell there
        ("\n=1+1", "'\n'=1+1"),
        ("量子科技\r\n@x\n-1", "量子科技\r\n'@x\n'-1"),
        ("量子科技", "量子科技"),
        ("a=b", "a=b"),  # only the first character matters
        (" =1+1", " =1+1"),  # OWASP's list has no space
        ("", ""),
        ("-", "-"),  # the doc_id of stdin: no formula in one character
        ("'=1+1", "'=1+1"),  # already quoted
    ],
)
def test_neutralize_follows_owasp(value, expected):
    assert neutralize(value) == expected


def test_neutralize_frame_touches_text_cells_only():
    frame = pd.DataFrame({
        "doc_id": ["-a.txt", "b.txt", None],
        "pmi": [-1.5, 2.0, float("nan")],
        "count": [-3, 4, 5],
        "mixed": ["=1", 7, -8.5],  # an object column: its numbers stay numbers
    })
    result = neutralize_frame(frame)
    assert result["doc_id"].tolist()[:2] == ["'-a.txt", "b.txt"] and pd.isna(result["doc_id"].iloc[2])
    assert result["pmi"].tolist()[:2] == [-1.5, 2.0] and result["pmi"].dtype == np.float64
    assert result["count"].tolist() == [-3, 4, 5] and result["count"].dtype == np.int64
    assert result["mixed"].tolist() == ["'=1", 7, -8.5]
    assert frame["doc_id"].iloc[0] == "-a.txt"  # the caller's frame is not changed


def test_neutralize_frame_handles_categories():
    frame = pd.DataFrame({"source": pd.Categorical(["=x", "人民日报", "=x"])})
    assert neutralize_frame(frame)["source"].tolist() == ["'=x", "人民日报", "'=x"]


def test_neutralize_frame_returns_the_same_frame_when_nothing_to_do():
    frame = pd.DataFrame({"term": ["量子科技"], "count": [-1]})
    assert neutralize_frame(frame) is frame


def test_neutralize_frame_renames_hostile_column_names():
    # a term × source table has the sources as columns
    frame = pd.DataFrame({"term": ["6G"], "=evil()": [1], "人民日报": [2]})
    assert list(neutralize_frame(frame).columns) == ["term", "'=evil()", "人民日报"]


def test_sheet_names_follow_excel_rules():
    assert sheet_names(["frequencies", "totals"]) == ["frequencies", "totals"]
    long = "association_measures_over_the_corpus"  # 36 characters
    assert sheet_names([long, long.upper(), "a/b:c", "'quoted'"]) == [
        long[:31], long.upper()[:29] + "~2", "a_b_c", "quoted",
    ]


def test_column_width_counts_han_characters_twice():
    # "第六代移动通信" is 7 Han characters = 14 cells, + 2 of margin
    assert column_width(pd.Series(["6G", "第六代移动通信"]), "term") == 16
    assert column_width(pd.Series([1, 22]), "count") == 7  # the header (5) + 2
    assert column_width(pd.Series([1.0]), "x") == 6  # the minimum
    assert column_width(pd.Series(["很" * 100]), "context") == 60  # the maximum


def workbook_of(tables):
    buffer = io.BytesIO()
    write_xlsx(tables, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def test_xlsx_sheets_header_types_and_widths():
    frequencies = pd.DataFrame({
        "doc_id": ["a.txt", "b.txt"], "term": ["量子科技", "第六代移动通信"], "count": [3, 1], "pmi": [-1.5, float("nan")],
        "flag": [True, False],
    })
    totals = pd.DataFrame({"term": ["量子科技"], "count": [3]})
    book = workbook_of({"frequencies": frequencies, "totals": totals})
    assert book.sheetnames == ["frequencies", "totals"]
    sheet = book["frequencies"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert [cell.value for cell in sheet[1]] == ["doc_id", "term", "count", "pmi", "flag"]
    assert sheet[1][0].font.b
    assert [cell.value for cell in sheet[2]] == ["a.txt", "量子科技", 3, -1.5, True]
    assert [cell.value for cell in sheet[3]] == ["b.txt", "第六代移动通信", 1, None, False]  # NaN: an empty cell
    assert [cell.data_type for cell in sheet[2]] == ["s", "s", "n", "n", "b"]
    # 第六代移动通信 = 14 cells + 2; XlsxWriter stores widths with its font's padding (+0.71)
    assert sheet.column_dimensions["B"].width == pytest.approx(16.71, abs=0.01)
    assert book["totals"].freeze_panes == "A2"


def test_xlsx_nullable_and_object_columns_keep_their_types():
    book = workbook_of({"t": pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "o": pd.Series([2, "x"], dtype=object)})})
    assert [(cell.value, cell.data_type) for cell in book["t"][2]] == [(1, "n"), (2, "n")]
    assert [cell.value for cell in book["t"][3]] == [None, "x"]


def test_xlsx_never_writes_a_formula_even_from_raw_text():
    book = workbook_of({"documents": pd.DataFrame({"title": ["=1+1"], "url": ["https://example.org"]})})
    cells = book["documents"][2]
    assert [(cell.value, cell.data_type) for cell in cells] == [("=1+1", "s"), ("https://example.org", "s")]
    assert book["documents"]._hyperlinks == []


def test_xlsx_infinity_is_text_as_in_csv_and_empty_tables_have_a_header():
    book = workbook_of({"measures": pd.DataFrame({"pmi": [math.inf, -math.inf]}), "empty": pd.DataFrame(columns=["doc_id", "count"])})
    assert [(cell.value, cell.data_type) for (cell,) in book["measures"]["A2:A3"]] == [("inf", "s"), ("-inf", "s")]
    assert [cell.value for cell in book["empty"][1]] == ["doc_id", "count"] and book["empty"].max_row == 1


def test_xlsx_is_byte_identical_from_run_to_run():
    tables = {"totals": pd.DataFrame({"term": ["量子科技"], "count": [3]})}
    first, second = io.BytesIO(), io.BytesIO()
    write_xlsx(tables, first)
    write_xlsx(tables, second)
    assert first.getvalue() == second.getvalue()


def test_xlsx_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr("policyterms.spreadsheet.XLSX_MAX_ROWS", 3)
    with pytest.raises(OutputError, match="table 'totals' has 3 rows and an XLSX sheet holds 2"):
        write_xlsx({"totals": pd.DataFrame({"count": [1, 2, 3]})}, io.BytesIO())
