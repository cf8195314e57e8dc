"""Slices of a table input, read where they are (a local disk or any fsspec URL: ``s3://``,
``gs://``, ``hdfs://``): a Parquet file's row groups, a JSON Lines file's byte block.

A cluster (cluster.py) reads each slice in a worker, so that no machine reads the whole dataset.
The rows become documents exactly as ``tables.iter_table_documents`` makes them — the same
columns, the same doc_ids (``FILE#N``, N counted from the file's first row), the same errors —
so that a table counted in slices gives the tables counted whole.

- Parquet: the row groups of a file, grouped until they hold about ``size`` bytes (uncompressed);
  the rows before a slice are known from the file's footer.
- JSON Lines: blocks of about ``size`` bytes, each ending after a newline. The records before a
  block are counted first (``scan_block``, in the workers: a pass that only decodes and splits
  lines), and so are the columns, which the file's first record names.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError
from .decoding import DETECT_BYTES, decode_failure, detect_encoding
from .document import Document
from .tables import (
    _PARQUET_BATCH_ROWS,
    TableColumns,
    _first_line,
    _json_record,
    _pick_columns,
    _PickedColumns,
    _row_document,
)

_NEWLINE_SEARCH_BYTES = 1 << 16


def open_url(url: str, mode: str = "rb"):
    """A file by local path or fsspec URL (fsspec comes with dask)."""
    import fsspec

    return fsspec.open(url, mode).open()


@dataclass(frozen=True, slots=True)
class RowGroups:
    """Some consecutive row groups of a Parquet file."""

    path: str  # as given: the doc_ids' FILE
    groups: tuple[int, ...]
    first_row: int  # rows of the file before these
    columns: _PickedColumns

    def documents(self) -> Iterator[Document | InputError]:
        import pyarrow.parquet as pq

        number = self.first_row
        try:
            with open_url(self.path) as handle:
                for batch in pq.ParquetFile(handle).iter_batches(batch_size=_PARQUET_BATCH_ROWS, row_groups=self.groups):
                    for row in batch.to_pylist():
                        number += 1
                        try:
                            yield _row_document(row, self.columns, path=self.path, number=number)
                        except InputError as error:
                            yield error
        except OSError as exc:
            yield InputError(self.path, f"cannot read it ({exc.strerror or exc})")
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a broken file
            yield InputError(self.path, f"not a Parquet file ({_first_line(exc)})")


def parquet_slices(path: str, *, size: int, columns: TableColumns) -> list[RowGroups]:
    """The file's row groups in slices of about ``size`` uncompressed bytes; ``InputError`` for a
    file that is not Parquet or has no text column."""
    import pyarrow.parquet as pq

    try:
        with open_url(path) as handle:
            parquet = pq.ParquetFile(handle)
            names = list(parquet.schema_arrow.names)
            metadata = parquet.metadata
            groups = [(metadata.row_group(i).num_rows, metadata.row_group(i).total_byte_size)
                      for i in range(metadata.num_row_groups)]
    except OSError as exc:
        raise InputError(path, f"cannot read it ({exc.strerror or exc})") from None
    except Exception as exc:  # noqa: BLE001 - as tables._parquet_rows
        raise InputError(path, f"not a Parquet file ({_first_line(exc)})") from None
    picked = _pick_columns(names, columns, path=path)
    slices, chosen, rows, first, held = [], [], 0, 0, 0
    for index, (num_rows, num_bytes) in enumerate(groups):
        chosen.append(index)
        rows += num_rows
        held += num_bytes
        if held >= size:
            slices.append(RowGroups(path, tuple(chosen), first, picked))
            chosen, first, held = [], rows, 0
    if chosen:
        slices.append(RowGroups(path, tuple(chosen), first, picked))
    return slices


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Bytes [start, end) of a JSON Lines file: whole lines."""

    path: str
    start: int
    end: int
    encoding: str
    first_row: int = 0  # records of the file before this block
    columns: _PickedColumns | None = None  # None until the records before are counted

    def lines(self) -> Iterator[str]:
        """The block's non-blank lines, split as tables._jsonl_rows splits a whole file."""
        with open_url(self.path) as handle:
            handle.seek(self.start)
            data = handle.read(self.end - self.start)
        text = io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="")
        return (line for line in text if line.strip())

    def documents(self) -> Iterator[Document | InputError]:
        number = self.first_row
        for line in self.lines():
            number += 1
            record = _json_record(line, source=f"{self.path}#{number}")
            if isinstance(record, InputError):
                yield record
                continue
            try:
                yield _row_document(record, self.columns, path=self.path, number=number)
            except InputError as error:
                yield error


@dataclass(frozen=True, slots=True)
class BlockScan:
    """What the first pass over a block found: its records, the keys of its first JSON object."""

    records: int
    keys: tuple[str, ...] | None
    error: str | None = None  # the block does not decode: the file is skipped, as read whole


def line_blocks(path: str, *, size: int, encoding: str | None) -> list[LineBlock]:
    """The file cut into blocks of about ``size`` bytes, each ending after a newline; its
    encoding detected from its first bytes unless given. ``InputError`` for an empty file."""
    try:
        with open_url(path) as handle:
            head = handle.read(DETECT_BYTES)
            total = handle.seek(0, io.SEEK_END)
            if not head.strip():
                raise InputError(path, "empty file")
            chosen = encoding or detect_encoding(head, source=path)
            starts = [0]
            while starts[-1] + size < total:
                handle.seek(starts[-1] + size)
                end = _after_newline(handle)
                if end is None or end >= total:
                    break
                starts.append(end)
    except OSError as exc:
        raise InputError(path, f"cannot read it ({exc.strerror or exc})") from None
    return [LineBlock(path, start, end, chosen) for start, end in zip(starts, [*starts[1:], total])]


def _after_newline(handle) -> int | None:
    """The offset just after the next newline from here (None: there is none)."""
    while chunk := handle.read(_NEWLINE_SEARCH_BYTES):
        found = chunk.find(b"\n")
        if found >= 0:
            return handle.tell() - len(chunk) + found + 1
    return None


def scan_block(block: LineBlock) -> BlockScan:
    """Count a block's records and find its first JSON object's keys (run in a worker)."""
    try:
        with open_url(block.path) as handle:
            handle.seek(block.start)
            data = handle.read(block.end - block.start)
        data.decode(block.encoding)  # the whole block, as tables._check_decodes checks a whole file
    except UnicodeDecodeError as exc:
        exc.start += block.start
        return BlockScan(0, None, decode_failure(block.encoding, exc, given=False))
    except OSError as exc:
        return BlockScan(0, None, f"cannot read it ({exc.strerror or exc})")
    records, keys = 0, None
    for line in io.TextIOWrapper(io.BytesIO(data), encoding=block.encoding, newline=""):
        if line.strip():
            records += 1
            if keys is None and isinstance(record := _json_record(line, source=block.path), dict):
                keys = tuple(record)
    return BlockScan(records, keys)


def numbered_blocks(
    blocks: list[LineBlock], scans: list[BlockScan], *, columns: TableColumns, given_encoding: bool
) -> list[LineBlock]:
    """The blocks of one file with the records before each and the file's columns; ``InputError``
    when a block does not decode or the file has no text column."""
    import dataclasses

    failed = next((scan.error for scan in scans if scan.error), None)
    if failed is not None:
        if not given_encoding:
            raise InputError(blocks[0].path, failed)
        raise InputError(blocks[0].path, failed.removesuffix("; name the encoding with --encoding"))
    keys = next((scan.keys for scan in scans if scan.keys is not None), None)
    picked = _pick_columns(list(keys), columns, path=blocks[0].path) if keys is not None else None
    numbered, before = [], 0
    for block, scan in zip(blocks, scans):
        numbered.append(dataclasses.replace(block, first_row=before, columns=picked))
        before += scan.records
    return numbered
