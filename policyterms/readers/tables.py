"""Table inputs — a scraper's export as ``.csv``/``.tsv``, ``.jsonl`` or ``.parquet`` — one document
per row, read as a stream (a row at a time: the file's size does not matter, only its largest row).

The text comes from ``--text-column`` (default: the first of ``text``, ``content``, ``正文``,
``内容`` that the table has); the document id from ``--id-column`` (default ``FILE#N``, N the
row's number counting from 1, header not counted); the date from ``--date-column`` (default:
a ``date``/``日期`` column if there is one); title and source from ``title``/``标题`` and
``source``/``来源`` columns when present.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
import dataclasses
from dataclasses import dataclass

from ..errors import InputError, InputWarning
from .decoding import DETECT_BYTES, decode_failure, detect_encoding
from .document import Document
from .metadata import complete_metadata, date_in_text
from .text import open_binary

TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
_TABLE_ENDINGS = tuple(TABLE_SUFFIXES)
TEXT_COLUMNS = ("text", "content", "full_text", "body", "正文", "内容", "全文")
# A table's own date, when --date-column names none: the document's own date before a page's.
DATE_COLUMNS = ("date", "成文日期", "日期", "year", "年份", "time", "发布时间")
TITLE_COLUMNS = ("title", "标题")
SOURCE_COLUMNS = ("source", "来源")
_CSV_FIELD_LIMIT = 1 << 30  # the csv module's default (128 KiB) is smaller than a long report
_PARQUET_BATCH_ROWS = 256
_CHECK_CHUNK_BYTES = 1 << 20
_METADATA_MAX_CHARS = 200  # longer cells are text, not metadata


@dataclass(frozen=True, slots=True)
class TableColumns:
    """Which columns of a table input hold the text, the document id and the date."""

    text: str | None = None
    id: str | None = None
    date: str | None = None


def is_table(path: str) -> bool:
    if not path.lower().endswith(_TABLE_ENDINGS):  # most paths: no splitext needed to say no
        return False
    return os.path.splitext(path)[1].lower() in TABLE_SUFFIXES


def iter_table_documents(
    path: str, *, columns: TableColumns = TableColumns(), encoding: str | None = None
) -> Iterator[Document | InputError]:
    """One ``Document`` per row, or an ``InputError`` for a row (empty text) or for the whole file
    (unreadable, undecodable, no text column)."""
    kind = TABLE_SUFFIXES[os.path.splitext(path)[1].lower()]
    try:
        rows = _ROW_READERS[kind](path, encoding)
        names = next(rows)
        picked = _pick_columns(names, columns, path=path) if names is not None else None
        for number, row in enumerate(rows, start=1):
            if isinstance(row, InputError):
                yield row
                continue
            if picked is None:  # JSON Lines: the first record names the columns
                picked = _pick_columns(list(row), columns, path=path)
            try:
                document = _row_document(row, picked, path=path, number=number)
            except InputError as error:
                yield error
                continue
            if number == 1 and picked.date_found and picked.date:  # say once which column dates the rows
                note = InputWarning(path, f"dates from its column '{picked.date}' (--date-column names another)")
                document = dataclasses.replace(document, notes=(*document.notes, note))
            yield document
    except InputError as error:
        yield error


@dataclass(frozen=True, slots=True)
class _PickedColumns:
    text: str
    id: str | None
    date: str | None
    title: str | None
    source: str | None
    date_found: bool = False  # the date column was found by its name, not named by --date-column


def _pick_columns(names: Sequence[str], wanted: TableColumns, *, path: str) -> _PickedColumns:
    def given(column: str | None, option: str) -> str | None:
        if column is not None and column not in names:
            raise InputError(path, f"no column '{column}' for {option} (columns: {_listing(names)})")
        return column

    def first_of(candidates: tuple[str, ...]) -> str | None:
        return next((name for name in candidates if name in names), None)

    text = given(wanted.text, "--text-column") or first_of(TEXT_COLUMNS)
    if text is None:
        raise InputError(path, f"no text column; name it with --text-column (columns: {_listing(names)})")
    return _PickedColumns(
        text=text,
        id=given(wanted.id, "--id-column"),
        date=given(wanted.date, "--date-column") or first_of(DATE_COLUMNS),
        date_found=wanted.date is None,
        title=first_of(TITLE_COLUMNS),
        source=first_of(SOURCE_COLUMNS),
    )


def _listing(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(str(name) for name in names[:limit])
    return shown + (", …" if len(names) > limit else "") if names else "none"


def _row_document(row: Mapping[str, object], columns: _PickedColumns, *, path: str, number: int) -> Document:
    identifier = _cell(row.get(columns.id)) if columns.id else ""
    doc_id = identifier or f"{path}#{number}"
    text = _cell(row.get(columns.text))
    if not text.strip():
        raise InputError(doc_id, f"empty text in column '{columns.text}'")
    # Every other short cell is metadata too (for --group-by FIELD); the text and id are not.
    metadata = {
        str(name): cell
        for name, value in row.items()
        if name not in (columns.text, columns.id) and 0 < len(cell := _cell(value)) <= _METADATA_MAX_CHARS
    }
    for key, column in (("title", columns.title), ("date", columns.date), ("source", columns.source)):
        metadata.pop(key, None)
        if column and (value := _cell(row.get(column))):
            metadata[key] = value
    found = complete_metadata(metadata, text, name=path, given_by="column")
    if columns.date_found and found.get("date") and len(found["date"]) < len("2026-01-01"):
        # a column found by its name (year: 2026) that the text's own date refines (2026-01-25)
        own, own_from = date_in_text(text)
        if own.startswith(found["date"] + "-"):
            found["date"], found["date_from"] = own, own_from
    return Document(doc_id, text, found)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return ""
    return str(value)


# Row readers: each yields the column names first, then one mapping per row. ------------------


def _open_text(path: str, encoding: str | None) -> io.TextIOWrapper:
    """Open a table file as text, its encoding detected from the first bytes unless given."""
    binary = open_binary(path)
    head = binary.read(DETECT_BYTES)
    binary.seek(0)
    if not head.strip():
        binary.close()
        raise InputError(path, "empty file")
    try:
        chosen = encoding or detect_encoding(head, source=path)
        _check_decodes(binary, chosen, path=path, given=encoding is not None)
    except LookupError:
        binary.close()
        raise InputError(path, f"unknown encoding '{encoding}'") from None
    except InputError:
        binary.close()
        raise
    return io.TextIOWrapper(binary, encoding=chosen, newline="")


def _check_decodes(binary: io.BufferedReader, encoding: str, *, path: str, given: bool) -> None:
    """Decode the whole file once before any row is used: a file that breaks half way is one
    error, not half a file counted. (Decoding runs at hundreds of MB/s; counting is slower.)"""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    while chunk := binary.read(_CHECK_CHUNK_BYTES):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            exc.start += offset
            raise InputError(path, decode_failure(encoding, exc, given=given)) from None
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        exc.start += offset
        raise InputError(path, decode_failure(encoding, exc, given=given)) from None
    binary.seek(0)


def _csv_rows(path: str, encoding: str | None, *, delimiter: str = ",") -> Iterator:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(path, "empty file") from None
        except csv.Error as exc:
            raise InputError(path, f"not CSV ({exc})") from None
        names = [name.strip() for name in header]
        yield names
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(path, f"not CSV at line {reader.line_num} ({exc})") from None
            if values:
                yield dict(zip(names, values))


def _tsv_rows(path: str, encoding: str | None) -> Iterator:
    return _csv_rows(path, encoding, delimiter="\t")


def _jsonl_rows(path: str, encoding: str | None) -> Iterator:
    with _open_text(path, encoding) as handle:
        yield None  # column names come from the first record
        records = (line for line in handle if line.strip())
        for number, line in enumerate(records, start=1):
            yield _json_record(line, source=f"{path}#{number}")


def _json_record(line: str, *, source: str) -> dict | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(source, f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return InputError(source, "not a JSON object")
    return record


def _parquet_rows(path: str, encoding: str | None) -> Iterator:
    import pyarrow.parquet as pq  # imported only for .parquet inputs: it takes 0.2 s

    handle = open_binary(path)
    try:
        table = pq.ParquetFile(handle)
        yield list(table.schema_arrow.names)
        for batch in table.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
            yield from batch.to_pylist()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a file that is not Parquet
        raise InputError(path, f"not a Parquet file ({_first_line(exc)})") from None
    finally:
        handle.close()


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


_ROW_READERS = {"csv": _csv_rows, "tsv": _tsv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}
