"""readers/tables.py: one document per row of a CSV, TSV, JSON Lines or Parquet export."""

import json

import pandas as pd
import pytest

from policyterms import Document, InputError
from policyterms.readers import TableColumns, iter_table_documents

# Two sentences of seed 000 and one of 004, as a scraper would export them.
ROWS = [
    {"url": "https://a/1", "title": "讲话", "date": "2026-01-05", "content": "要推动量子科技、生物制造、氢能和核聚变能等成为新的经济增长点。"},
    {"url": "https://a/2", "title": "求是", "date": "2026-06-01", "content": "我们重点布局了量子科技、具身智能、6G等关键赛道，\n推动未来产业。"},
    {"url": "https://a/3", "title": "空", "date": "", "content": "  "},
]


def documents(path, **columns):
    return list(iter_table_documents(str(path), columns=TableColumns(**columns)))


def test_csv_rows_with_the_default_columns(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    found = documents(path)
    # the other short cells (url) are metadata too, for --group-by FIELD
    assert found[0] == Document(f"{path}#1", ROWS[0]["content"], {"url": "https://a/1", "title": "讲话", "date": "2026-01-05", "date_from": "column", "title_from": "column"},
                        notes=found[0].notes)
    assert [str(note) for note in found[0].notes] == [f"{path}: dates from its column 'date' (--date-column names another)"]
    assert found[1].text == ROWS[1]["content"]  # the line break inside the quoted cell is kept
    assert isinstance(found[2], InputError) and str(found[2]) == f"{path}#3: empty text in column 'content'"


def test_id_and_date_columns(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS[:2]).rename(columns={"date": "published"}).to_csv(path, index=False)
    found = documents(path, id="url", date="published")
    assert [d.doc_id for d in found] == ["https://a/1", "https://a/2"]
    assert [d.metadata["date"] for d in found] == ["2026-01-05", "2026-06-01"]


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS).drop(columns="content").to_csv(path, index=False)
    (error,) = documents(path)
    assert str(error) == f"{path}: no text column; name it with --text-column (columns: url, title, date)"
    (error,) = documents(path, text="body")
    assert str(error) == f"{path}: no column 'body' for --text-column (columns: url, title, date)"


def test_gb18030_csv_is_detected(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(ROWS[:2]).to_csv(path, index=False, encoding="gb18030")
    assert [d.text for d in documents(path)] == [ROWS[0]["content"], ROWS[1]["content"]]


def test_tsv(tmp_path):
    path = tmp_path / "export.tsv"
    pd.DataFrame(ROWS[:2]).to_csv(path, index=False, sep="\t")
    assert [d.metadata["title"] for d in documents(path)] == ["讲话", "求是"]


def test_jsonl_with_a_bad_line_in_the_middle(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(ROWS[0], ensure_ascii=False), "{not json", "", json.dumps(ROWS[1], ensure_ascii=False), "[1, 2]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = documents(path, id="url")
    assert found[0].doc_id == "https://a/1" and found[2].doc_id == "https://a/2"
    assert str(found[1]).startswith(f"{path}#2: not JSON (")
    assert str(found[3]) == f"{path}#4: not a JSON object"


def test_parquet(tmp_path):
    path = tmp_path / "export.parquet"
    frame = pd.DataFrame(ROWS[:2])
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame.to_parquet(path, index=False)
    found = documents(path, id="url")
    assert [(d.doc_id, d.metadata["date"]) for d in found] == [("https://a/1", "2026-01-05"), ("https://a/2", "2026-06-01")]


@pytest.mark.parametrize(
    "name, data, cause",
    [
        ("a.csv", b"", "empty file"),
        ("a.csv", b"text\n\x00\x01\x02", "binary file (contains NUL bytes), not text"),
        ("a.parquet", b"PAR1 not really", "not a Parquet file"),
        ("a.jsonl", "量子".encode("gb18030") + b"\xff" * 200, "not UTF-8"),
    ],
)
def test_a_bad_table_file_is_one_error(tmp_path, name, data, cause):
    path = tmp_path / name
    path.write_bytes(data)
    (error,) = documents(path)
    assert isinstance(error, InputError) and str(error).startswith(f"{path}: {cause}")


def test_a_file_that_breaks_half_way_is_one_error_not_half_a_file(tmp_path):
    path = tmp_path / "export.csv"
    good = ("text\n" + "".join(f"量子科技第{i}行\n" for i in range(5000))).encode("utf-8")
    path.write_bytes(good + b"\xff\xfe\n")
    (error,) = documents(path)
    assert str(error) == f"{path}: cannot decode as utf-8 (invalid byte at {len(good)}: invalid start byte); name the encoding with --encoding"
