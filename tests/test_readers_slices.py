"""readers/slices.py: a table read in slices gives the documents and errors of the table read whole."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policyterms.errors import InputError
from policyterms.readers import TableColumns, iter_table_documents
from policyterms.readers.slices import line_blocks, numbered_blocks, parquet_slices, scan_block

ROWS = [
    {"标题": "关于推进量子科技发展的意见", "日期": "2025-03-01", "正文": "加快量子科技攻关。"},
    {"标题": "生物制造行动方案", "日期": "2025-04-02", "正文": "发展生物制造，培育新的增长点。"},
    {"标题": "6G 试验网", "日期": "2025-05-03", "正文": ""},  # empty text: an error, row 3
    {"标题": "脑机接口", "日期": "2025-06-04", "正文": "推动脑机接口临床转化。"},
    {"标题": "具身智能", "日期": "2025-07-05", "正文": "具身智能机器人进入工厂。"},
]


def whole_and_sliced(whole, slices):
    """(doc_id, text) or (source, cause) of each row, read whole and in slices."""
    def described(items):
        return [(i.source, i.cause) if isinstance(i, InputError) else (i.doc_id, i.text, i.metadata) for i in items]
    return described(whole), described(item for part in slices for item in part.documents())


def test_parquet_row_groups_in_slices(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), path, row_group_size=2)  # groups: rows 1-2, 3-4, 5
    slices = parquet_slices(str(path), size=1, columns=TableColumns())  # 1 byte: one group per slice
    assert [(s.groups, s.first_row) for s in slices] == [((0,), 0), ((1,), 2), ((2,), 4)]
    whole, sliced = whole_and_sliced(iter_table_documents(str(path)), slices)
    assert sliced == whole
    assert sliced[2] == (f"{path}#3", "empty text in column '正文'")
    assert [s.groups for s in parquet_slices(str(path), size=10**9, columns=TableColumns())] == [(0, 1, 2)]


def test_parquet_without_the_text_column_is_one_error(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), path)
    with pytest.raises(InputError, match="no column 'body' for --text-column"):
        parquet_slices(str(path), size=100, columns=TableColumns(text="body"))


def test_json_lines_in_blocks(tmp_path):
    path = tmp_path / "t.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS]
    lines.insert(2, "\n")  # a blank line is not a row
    lines.insert(4, "[1, 2]\n")  # not an object: row 4
    path.write_text("".join(lines), encoding="utf-8")
    blocks = line_blocks(str(path), size=60, encoding=None)
    data = path.read_bytes()
    assert blocks[0].start == 0 and blocks[-1].end == len(data)
    assert all(a.end == b.start and data[a.end - 1:a.end] == b"\n" for a, b in zip(blocks, blocks[1:]))
    scans = [scan_block(block) for block in blocks]
    assert sum(scan.records for scan in scans) == 6  # 5 rows and the array: the blank line is none
    numbered = numbered_blocks(blocks, scans, columns=TableColumns(), given_encoding=False)
    whole, sliced = whole_and_sliced(iter_table_documents(str(path)), numbered)
    assert sliced == whole
    assert [entry[0] for entry in sliced] == [f"{path}#{n}" for n in range(1, 7)]
    assert sliced[3] == (f"{path}#4", "not a JSON object")


def test_json_lines_that_do_not_decode_are_the_error_of_the_whole_file(tmp_path):
    path = tmp_path / "t.jsonl"
    good = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS).encode("utf-8")
    path.write_bytes(good + b'{"\xe6\xad": "x"}\n')  # a UTF-8 sequence cut short, in the last block
    blocks = line_blocks(str(path), size=80, encoding="utf-8")
    assert len(blocks) > 2
    scans = [scan_block(block) for block in blocks]
    (whole,) = list(iter_table_documents(str(path), encoding="utf-8"))
    with pytest.raises(InputError) as raised:
        numbered_blocks(blocks, scans, columns=TableColumns(), given_encoding=True)
    assert str(raised.value) == str(whole)  # the same byte offset (len(good) + 2) and cause
    assert f"invalid byte at {len(good) + 2}" in str(whole)


def test_an_empty_json_lines_file(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        line_blocks(str(path), size=10, encoding=None)
