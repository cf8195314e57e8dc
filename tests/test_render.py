import io
import json

import pandas as pd
import pytest

from policyterms import OutputError
from policyterms.render import format_for_path, render, write_tables

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
    assert format_for_path("x.xlsx") is None
