import io
import json
import re

import pandas as pd
import pytest
from rich.cells import cell_len

from policyterms import OutputError
from policyterms.errors import WriteError
from policyterms.render import _render_rich, check_writable, encode, format_for_path, render, write_tables
from policyterms.rows import Rows

FRAME = pd.DataFrame({"doc_id": ["a.txt", "b.txt"], "term": ["量子科技", "6G"], "count": [3, 1], "per_10k_chars": [1.5, 0.25]})
OTHER = pd.DataFrame({"term": ["量子科技"], "count": [3]})


def rendered(fmt, tables=None, **options):
    stream = io.StringIO()
    render(tables or {"frequencies": FRAME}, fmt=fmt, stream=stream, **options)
    return stream.getvalue()


def test_csv_and_tsv():
    assert rendered("csv") == "doc_id,term,count,per_10k_chars\na.txt,量子科技,3,1.5\nb.txt,6G,1,0.25\n"
    assert rendered("tsv").splitlines()[1] == "a.txt\t量子科技\t3\t1.5"
    assert rendered("csv", bom=True).startswith("\ufeffdoc_id,")


def test_json_is_utf8_not_escaped_and_keyed_by_table():
    text = rendered("json", {"frequencies": FRAME, "totals": OTHER})
    assert "量子科技" in text and "\\u" not in text
    assert json.loads(text)["totals"] == [{"term": "量子科技", "count": 3}]


def test_jsonl_tags_rows_only_when_several_tables():
    assert rendered("jsonl").splitlines()[0] == '{"doc_id": "a.txt", "term": "量子科技", "count": 3, "per_10k_chars": 1.5}'
    lines = rendered("jsonl", {"frequencies": FRAME, "totals": OTHER}).splitlines()
    assert json.loads(lines[-1]) == {"table": "totals", "term": "量子科技", "count": 3}


def test_rich_table_aligns_wide_characters():
    text = rendered("table", {"totals": FRAME})
    lines = [line for line in text.splitlines() if "a.txt" in line or "b.txt" in line]
    from rich.cells import cell_len

    assert len(lines) == 2
    assert len({cell_len(line.rstrip()) for line in lines}) == 1  # right-aligned numbers end together
    assert "量子科技" in text and "1.500" in text


def test_per_document_tables_are_printed_one_per_document():
    text = rendered("table")
    assert "Frequencies: a.txt" in text and "Frequencies: b.txt" in text
    assert "doc_id" not in text


def test_several_tables_do_not_go_into_one_csv():
    with pytest.raises(OutputError, match="CSV holds one table"):
        write_tables({"a": FRAME, "b": OTHER}, fmt="csv", stream=io.StringIO())


def test_directory_output_writes_one_file_per_table(tmp_path):
    written = write_tables({"frequencies": FRAME, "totals": OTHER}, fmt="csv", output=f"{tmp_path}/out/")
    assert [p.name for p in written] == ["frequencies.csv", "totals.csv"]
    assert (tmp_path / "out" / "totals.csv").read_text(encoding="utf-8") == "term,count\n量子科技,3\n"
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr("policyterms.render.render", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        write_tables({"frequencies": FRAME}, fmt="csv", output=target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_format_from_suffix():
    assert format_for_path("x.CSV") == "csv"
    assert format_for_path("x.jsonl") == "jsonl"
    assert format_for_path("x.XLSX") == "xlsx"
    assert format_for_path("x.parquet") == "parquet"
    assert format_for_path("x.xls") is None


HOSTILE = pd.DataFrame({
    "doc_id": ["-rf.txt", "@home.txt", "-"],
    "title": ['=HYPERLINK("http://x.example","点击")', "量子科技", "+1"],
    "pmi": [-1.5, 0.25, -2.0],
    "count": [-1, 2, 3],
})


def test_csv_and_tsv_neutralize_text_cells_not_numbers():
    lines = rendered("csv", {"documents": HOSTILE}).splitlines()
    assert lines[1:] == [
        "'-rf.txt,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\",-1.5,-1",
        "'@home.txt,量子科技,0.25,2",
        "-,'+1,-2.0,3",  # the doc_id of stdin stays "-"
    ]
    assert rendered("tsv", {"documents": HOSTILE}).splitlines()[3] == "-\t'+1\t-2.0\t3"
    assert pd.read_csv(io.StringIO(rendered("csv", {"documents": HOSTILE}))).pmi.tolist() == [-1.5, 0.25, -2.0]


def test_raw_and_program_formats_keep_text_as_it_is():
    assert rendered("csv", {"documents": HOSTILE}, raw=True).splitlines()[2] == "@home.txt,量子科技,0.25,2"
    assert json.loads(rendered("json", {"documents": HOSTILE}))["documents"][0]["doc_id"] == "-rf.txt"
    assert json.loads(rendered("jsonl", {"documents": HOSTILE}).splitlines()[2])["title"] == "+1"
    assert "-rf.txt" in rendered("table", {"documents": HOSTILE}) and "'-rf" not in rendered("table", {"documents": HOSTILE})


def test_xlsx_file_holds_every_table_neutralized_unless_raw(tmp_path):
    import openpyxl

    written = write_tables({"documents": HOSTILE, "totals": OTHER}, fmt="xlsx", output=tmp_path / "out.xlsx")
    assert written == [tmp_path / "out.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["documents", "totals"]
    assert [cell.value for cell in book["documents"]["A"]] == ["doc_id", "'-rf.txt", "'@home.txt", "-"]
    assert [cell.value for cell in book["documents"]["C"]] == ["pmi", -1.5, 0.25, -2]
    write_tables({"documents": HOSTILE}, fmt="xlsx", output=tmp_path / "raw.xlsx", raw=True)
    assert openpyxl.load_workbook(tmp_path / "raw.xlsx")["documents"]["B2"].value == '=HYPERLINK("http://x.example","点击")'
    assert not list(tmp_path.glob(".*tmp"))


def test_parquet_keeps_types_and_text_as_they_are(tmp_path):
    write_tables({"documents": HOSTILE}, fmt="parquet", output=tmp_path / "d.parquet")
    back = pd.read_parquet(tmp_path / "d.parquet")
    pd.testing.assert_frame_equal(back, HOSTILE, check_dtype=False)
    assert back["count"].dtype == "int64" and back["pmi"].dtype == "float64"


def test_parquet_holds_one_table_so_several_go_to_a_directory(tmp_path):
    with pytest.raises(OutputError, match="PARQUET holds one table, and 2 were asked for"):
        write_tables({"frequencies": FRAME, "totals": OTHER}, fmt="parquet", output=tmp_path / "x.parquet")
    written = write_tables({"frequencies": FRAME, "totals": OTHER}, fmt="parquet", output=f"{tmp_path}/out/")
    assert [p.name for p in written] == ["frequencies.parquet", "totals.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(written[1]), OTHER, check_dtype=False)
    assert (tmp_path / "out" / "totals.parquet").read_bytes() == encode({"totals": OTHER}, fmt="parquet")


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Piped(io.TextIOWrapper):
    def __init__(self):
        super().__init__(io.BytesIO(), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_binary_formats_refuse_a_terminal_and_go_to_a_pipe_as_bytes(fmt):
    with pytest.raises(OutputError, match=f"{fmt.upper()} is a binary format and stdout is a terminal"):
        write_tables({"totals": OTHER}, fmt=fmt, stream=Terminal())
    with pytest.raises(OutputError, match="this stream takes only text"):
        write_tables({"totals": OTHER}, fmt=fmt, stream=io.StringIO())
    piped = Piped()
    piped.write("")
    write_tables({"totals": OTHER}, fmt=fmt, stream=piped)
    assert piped.buffer.getvalue() == encode({"totals": OTHER}, fmt=fmt)
    assert piped.buffer.getvalue()[:4] == (b"PK\x03\x04" if fmt == "xlsx" else b"PAR1")


def test_failed_binary_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr("policyterms.spreadsheet.write_xlsx", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        write_tables({"totals": OTHER}, fmt="xlsx", output=target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_an_output_under_a_file_names_the_path_and_the_cause(tmp_path):
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    frame = pd.DataFrame({"term": ["量子科技"], "count": [1]})
    for output, shown in ((tmp_path / "notes" / "c.csv", tmp_path / "notes" / "c.csv"),
                          (f"{tmp_path / 'notes' / 'sub'}/", tmp_path / "notes" / "sub")):
        with pytest.raises(OutputError) as caught:
            write_tables({"frequencies": frame}, fmt="csv", output=output)
        assert str(caught.value) == f"cannot write {shown}: {tmp_path / 'notes'} is a file, not a directory"


def test_an_output_that_is_a_directory_or_in_a_closed_one_is_refused(tmp_path, monkeypatch):
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(OutputError, match=f"cannot write {tmp_path / 'x.csv'}: it is a directory"):
        check_writable(tmp_path / "x.csv")
    monkeypatch.setattr("os.access", lambda path, mode: False)  # as for a user without write permission
    with pytest.raises(OutputError, match=f"cannot write {tmp_path / 'new' / 'c.csv'}: permission denied in {tmp_path}$"):
        check_writable(tmp_path / "new" / "c.csv")


def test_a_write_that_fails_anyway_says_the_system_cause(tmp_path, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", no_space)
    with pytest.raises(WriteError, match=f"^cannot write {tmp_path / 'c.csv'}: No space left on device$"):
        write_tables({"t": pd.DataFrame({"a": [1]})}, fmt="csv", output=tmp_path / "c.csv")


# Delimited fields against the csv module -------------------------------------------------------

_CELL_TEXT = "ab,\t\"\r\n =+-@'量 "  # separators, quotes, line ends, formula triggers, spaces


def _delimited_by_the_csv_module(table, *, separator: str, neutralize: bool) -> str:
    """write_delimited's contract as the csv module gives it: QUOTE_MINIMAL, with "\r" quoted too
    (a writer whose line end is "\r\n" quotes both; each row then ends in "\n"), text cells
    neutralized, NaN written as an empty field."""
    import csv

    from policyterms.spreadsheet import neutralize as neutral

    def cell(value):
        if type(value) is str:
            return neutral(value) if neutralize else value
        return "" if type(value) is float and value != value else value

    lines = []
    for row in [table.columns, *table.rows]:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerow([cell(value) for value in row])
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def test_delimited_fields_are_the_csv_modules():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policyterms.render import write_delimited
    from policyterms.rows import Rows

    cells = st.one_of(st.text(alphabet=_CELL_TEXT, max_size=6), st.integers(-10**20, 10**20), st.floats(),
                      st.none(), st.booleans())

    @settings(max_examples=400, deadline=None, derandomize=True, database=None)
    @given(st.integers(1, 4).flatmap(lambda width: st.tuples(
        st.lists(st.text(alphabet=_CELL_TEXT, max_size=4), min_size=width, max_size=width),
        st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6),
        st.lists(st.sampled_from([0, 1]), min_size=width, max_size=width))),
        st.sampled_from([",", "\t"]), st.booleans())
    def check(drawn, separator, neutralize):
        names, rows, one_kind = drawn
        # some columns of one kind of cell, as a table's are (the fast ways), some mixed
        rows = [tuple(rows[0][index] if one_kind[index] else cell for index, cell in enumerate(row)) for row in rows]
        table = Rows(tuple(names), [tuple(row) for row in rows])
        written = io.StringIO()
        write_delimited(table, written, separator=separator, neutralize=neutralize)
        assert written.getvalue() == _delimited_by_the_csv_module(table, separator=separator, neutralize=neutralize)

    check()


def test_delimited_columns_of_one_kind_and_a_lone_empty_field():
    from policyterms.render import write_delimited
    from policyterms.rows import Rows

    table = Rows(("doc_id", "count", "rate", "note"),
                 [("a,b.txt", 3, 1.5, "=1+1"), ("a,b.txt", 10**20, float("nan"), 'say "hi"')])
    written = io.StringIO()
    write_delimited(table, written, separator=",")
    assert written.getvalue() == ('doc_id,count,rate,note\n"a,b.txt",3,1.5,\'=1+1\n'
                                  '"a,b.txt",100000000000000000000,,"say ""hi"""\n')
    lone = io.StringIO()
    write_delimited(Rows(("title",), [("",), ("x",), (None,)]), lone, separator=",")
    assert lone.getvalue() == 'title\n""\nx\n""\n'



STREAMED = ("doc_id", "term", "count"), [("a.txt", "量子科技", 3), ("b.txt", "=6G", 1)]


def streamed(stream, *, fmt="csv", bom=False):
    """STREAMED streamed through TableOutput to ``stream`` as count streams it, its rows in two
    batches; in JSONL, the totals follow it in the same stream (written at the end)."""
    from policyterms.render import TableOutput
    from policyterms.rows import Rows

    columns, rows = STREAMED
    names = ["frequencies", "totals"] if fmt == "jsonl" else ["frequencies"]
    with TableOutput(names, fmt=fmt, stream=stream, bom=bom, stream_tables=["frequencies"]) as out:
        row_format = out.row_format("frequencies")
        out.start("frequencies", columns)
        out.write_rows("frequencies", row_format.rows(Rows(columns, rows[:1])))
        out.write_rows("frequencies", row_format.rows(Rows(columns, rows[1:])))
        out.finish({"frequencies": None, "totals": OTHER} if fmt == "jsonl" else {"frequencies": None})
    return stream


STREAMED_CSV = "doc_id,term,count\na.txt,量子科技,3\nb.txt,'=6G,1\n"


def test_streamed_rows_go_to_a_utf8_buffer_as_bytes_after_the_header():
    from policyterms.render import utf8_buffer

    piped = Piped()
    assert utf8_buffer(piped) is piped.buffer
    assert streamed(piped, bom=True).buffer.getvalue() == ("\ufeff" + STREAMED_CSV).encode("utf-8")
    whole = rendered("jsonl", {"frequencies": pd.DataFrame(STREAMED[1], columns=STREAMED[0]), "totals": OTHER})
    assert streamed(Piped(), fmt="jsonl").buffer.getvalue() == whole.encode("utf-8")  # text after the bytes


def test_streamed_rows_are_text_where_the_stream_takes_only_text_or_another_encoding():
    from policyterms.render import utf8_buffer

    assert utf8_buffer(io.StringIO()) is None
    assert streamed(io.StringIO()).getvalue() == STREAMED_CSV
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    assert utf8_buffer(latin) is None
    with pytest.raises(UnicodeEncodeError):  # as a text write fails (the CLI says what to do: tests/test_cli.py)
        streamed(latin)
    gb = io.TextIOWrapper(io.BytesIO(), encoding="gb18030")
    assert streamed(gb).buffer.getvalue() == STREAMED_CSV.encode("gb18030")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_doc_ids_relative_to_their_folder_and_a_file_keeps_them_whole():
    long_name = "/data/reports/2026_北京市人民政府工作报告全文第一部分.txt"  # 54 cells after the folder
    documents = Rows(("doc_id", "hits"), [(f"{long_name}#1", 3), ("/data/reports/2025_天津.txt", 1)])
    frequencies = Rows(("doc_id", "term", "count"), [(f"{long_name}#1", "6G", 3)])
    screen = _Terminal()
    _render_rich({"documents": documents, "frequencies": frequencies}, screen, width=80)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # the terminal's colours
    lines = shown.splitlines()
    assert lines[0].strip() == "doc_id: in /data/reports/"
    assert any(line.split()[:2] == ["2025_天津.txt", "1"] for line in lines)
    shortened = next(line.split()[0] for line in lines if line.split()[-1:] == ["3"] and "…" in line)
    assert shortened.startswith("2026_") and shortened.endswith("第一部分.txt#1") and cell_len(shortened) <= 32
    assert any(line.startswith("Frequencies: 2026_北京市") and line.rstrip().endswith(".txt#1") for line in lines)
    assert "/data/reports/2026" not in shown
    file = io.StringIO()  # -o table.txt, or a pipe: the ids as they are, for grep and scripts
    _render_rich({"documents": documents}, file, width=80)
    assert f"{long_name}#1" in file.getvalue()
    assert "doc_id: in" not in file.getvalue()


def test_a_streamed_table_s_header_waits_for_its_first_rows():
    # A run that fails before any row (every input unreadable) must leave stdout empty: the
    # header goes out with the first rows that are not empty, or from finish.
    from policyterms.render import TableOutput
    from policyterms.rows import Rows

    columns, rows = STREAMED
    failed = Piped()
    with pytest.raises(OSError):
        with TableOutput(["frequencies"], fmt="csv", stream=failed, bom=True, stream_tables=["frequencies"]) as out:
            out.start("frequencies", columns)
            out.write_rows("frequencies", b"")  # a partition whose documents could not be read
            raise OSError("no input could be read")
    assert failed.buffer.getvalue() == b""
    empty = io.StringIO()
    with TableOutput(["frequencies"], fmt="csv", stream=empty, stream_tables=["frequencies"]) as out:
        out.start("frequencies", columns)
        out.write_rows("frequencies", b"")
        out.finish({"frequencies": None})  # a run that counted documents with no hits: the header alone
    assert empty.getvalue() == "doc_id,term,count\n"
    first = io.StringIO()
    with TableOutput(["frequencies"], fmt="csv", stream=first, stream_tables=["frequencies"]) as out:
        out.start("frequencies", columns)
        out.write_rows("frequencies", out.row_format("frequencies").rows(Rows(columns, rows[:1])))
        assert first.getvalue() == "doc_id,term,count\na.txt,量子科技,3\n"  # rows are written as they come
