"""One place that writes tables in every output format, to a stream or file.

A table is ``rows.Rows`` (plain tuples: how the counts are built) or a pandas DataFrame (what the
association measures, the audit and the other analyses make); the text formats are written from
rows, so a CSV, TSV, JSON, JSONL or terminal run never imports pandas, and a DataFrame becomes
rows before it is written: one writer for every table.

Formats: ``table`` (rich, for a terminal), ``csv``, ``tsv``, ``json``, ``jsonl``, ``xlsx`` (one sheet
per table) and ``parquet``. CSV, TSV and Parquet hold one table each; several tables go to a directory
(``-o results/``), one file per table. XLSX and Parquet are binary: to a file, or to a redirected
stdout, never to a terminal. Files are written atomically: to a temporary file beside the target,
then renamed.

Text cells of the formats meant for spreadsheets (CSV, TSV, XLSX) are neutralized against formula
injection (``spreadsheet.neutralize``) unless ``raw``; JSON, JSONL, Parquet and the terminal table
are data for programs and people, and stay as they are.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, TextIO, Union, get_args

from .errors import OutputError
from .names import printable, printable_lines, terminal_safe
from .rows import Rows
from .tempfiles import StagedFiles, staged_files

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from .terminal import Grid

AnyTable = Union[Rows, "pd.DataFrame"]

Format = Literal["table", "csv", "tsv", "json", "jsonl", "xlsx", "parquet"]
FORMATS: tuple[str, ...] = get_args(Format)
SUFFIX_FORMATS: dict[str, Format] = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".txt": "table", ".xlsx": "xlsx", ".parquet": "parquet",
}
FORMAT_SUFFIXES: dict[str, str] = {
    "table": ".txt", "csv": ".csv", "tsv": ".tsv", "json": ".json", "jsonl": ".jsonl", "xlsx": ".xlsx",
    "parquet": ".parquet",
}
ONE_TABLE_FORMATS = ("csv", "tsv", "parquet")  # a file in these holds one table
BINARY_FORMATS = ("xlsx", "parquet")
SPREADSHEET_FORMATS = ("csv", "tsv", "xlsx")  # read by spreadsheets: text cells are neutralized
TABLE_TITLES = {
    "documents": "Documents",
    "frequencies": "Term frequencies per document",
    "totals": "Corpus totals",
    "cooccurrence": "Co-occurrence per document",
    "cooccurrence_totals": "Co-occurrence over the corpus",
    "scores": "Weighted scores per document and category",
    "terms": "Vocabulary terms by category",
    "settings": "Settings with stored counts (latest first)",
    "kwic": "Keyword in context",
    "evidence": "Evidence: every hit and its sentence",
    "groups": "Term frequencies by group",
    "audit": "Segmentation audit: hits that jieba's tokens split or swallow, per term",
    "audit_hits": "Segmentation audit, one row per hit",
    "duplicates": "Near-duplicate documents",
    "candidates": "Candidate terms not in the vocabulary",
}
# How columns of some tables are shown in the terminal: a concordance lines up on its hits.
COLUMN_STYLES = {"kwic": {"left": {"justify": "right"}, "surface": {"style": "bold red"}}}
_FILE_TABLE_WIDTH = 200
# In the terminal these tables are printed one per document (the doc_id in the title, not in
# every row), so that an 80-column terminal has room for the terms.
PER_DOCUMENT_TITLES = {"frequencies": "Frequencies", "cooccurrence": "Co-occurrence"}


def format_for_path(path: str | Path) -> Format | None:
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def is_directory_target(path: str | Path) -> bool:
    return str(path).endswith(("/", os.sep)) or Path(path).is_dir()


def write_tables(
    tables: Mapping[str, AnyTable],
    *,
    fmt: Format,
    stream: TextIO | None = None,
    output: str | Path | None = None,
    bom: bool = False,
    raw: bool = False,
) -> list[Path]:
    """Write ``tables`` to ``output`` (a file, or a directory for one file per table) or to
    ``stream`` (binary formats to its ``buffer``). Returns the files written. ``raw`` leaves text
    cells that a spreadsheet could run as formulas as they are."""
    check_destination(list(tables), fmt=fmt, output=output, stream=stream if output is None else None)
    if output is not None and is_directory_target(output):
        with staged_files() as staged:  # every table's file, or none (a full disk half way)
            return _write_each(Path(output), tables, fmt=fmt, bom=bom, raw=raw, opener=staged.open)
    if output is not None:
        _write_file(Path(output), tables, fmt=fmt, bom=bom, raw=raw)
        return [Path(output)]
    if fmt in BINARY_FORMATS:
        data = encode(tables, fmt=fmt, raw=raw)
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
    else:
        render(tables, fmt=fmt, stream=stream, bom=bom, raw=raw)
    return []


def table_path(directory: str | Path, name: str, fmt: str) -> Path:
    """Where ``-o DIR/`` puts a table: DIR/NAME.SUFFIX."""
    return Path(directory) / f"{name}{FORMAT_SUFFIXES[fmt]}"


def _write_each(directory: Path, tables: Mapping[str, AnyTable], *, fmt: Format, bom: bool, raw: bool, opener) -> list[Path]:
    """One file per table in ``directory``, each opened with ``opener`` (staged files)."""
    written = []
    for name, table in tables.items():
        target = table_path(directory, name, fmt)
        _write_file(target, {name: table}, fmt=fmt, bom=bom, raw=raw, opener=opener)
        written.append(target)
    return written


def _write_file(
    target: Path, tables: Mapping[str, AnyTable], *, fmt: Format, bom: bool, raw: bool, opener=None
) -> None:
    opener = opener or atomic_open
    if fmt in BINARY_FORMATS:
        data = encode(tables, fmt=fmt, raw=raw)  # encoded first: a failure leaves no file behind
        with opener(target, binary=True) as handle:
            handle.write(data)
    else:
        with opener(target) as handle:
            render(tables, fmt=fmt, stream=handle, bom=bom, raw=raw)


def check_destination(
    names: list[str], *, fmt: str, output: str | Path | None = None, stream: IO | None = None
) -> None:
    """Raise ``OutputError`` when these tables cannot be written so — before any work is done.
    ``stream``: where they go when there is no ``output`` (binary formats refuse a terminal)."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    one_file = output is None or not is_directory_target(output)
    if fmt in ONE_TABLE_FORMATS and len(names) > 1 and one_file:
        raise OutputError(
            f"{fmt.upper()} holds one table, and {len(names)} were asked for "
            f"({', '.join(names)}): choose one with --what, write one file per table with "
            "-o DIR/, or use --format json/jsonl/xlsx"
        )
    if output is not None:
        check_writable(Path(output), as_directory=is_directory_target(output))
    if fmt in BINARY_FORMATS and output is None and stream is not None:
        if hasattr(stream, "isatty") and stream.isatty():
            raise OutputError(
                f"{fmt.upper()} is a binary format and stdout is a terminal: write it to a file "
                f"(-o results{FORMAT_SUFFIXES[fmt]}) or redirect stdout (> results{FORMAT_SUFFIXES[fmt]})"
            )
        if not hasattr(stream, "buffer"):
            raise OutputError(f"{fmt.upper()} is a binary format and this stream takes only text: write it to a file with -o")


def encode(tables: Mapping[str, AnyTable], *, fmt: Format, raw: bool = False) -> bytes:
    """The bytes of a binary format: a workbook of every table (xlsx), or one table (parquet)."""
    from .spreadsheet import neutralize_frame, write_xlsx

    frames = {name: table.to_frame() if isinstance(table, Rows) else table for name, table in tables.items()}
    buffer = io.BytesIO()
    if fmt == "xlsx":
        if not raw:
            frames = {name: neutralize_frame(frame) for name, frame in frames.items()}
        write_xlsx(frames, buffer)
    elif fmt == "parquet":
        (frame,) = frames.values()
        _write_parquet(frame, buffer)
    else:
        raise OutputError(f"'{fmt}' is not a binary format")
    return buffer.getvalue()


def _write_parquet(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    import pyarrow as pa  # imported here: only .parquet output (and input) needs it
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), stream)


def as_rows(table: AnyTable) -> Rows:
    return table if isinstance(table, Rows) else Rows.from_frame(table)


def render(
    tables: Mapping[str, AnyTable], *, fmt: Format, stream: TextIO, bom: bool = False, raw: bool = False
) -> None:
    """Write the text formats to ``stream``."""
    if fmt in BINARY_FORMATS:
        raise OutputError(f"{fmt.upper()} is a binary format: use write_tables or encode")
    if fmt == "table":  # laid out by terminal.py
        _render_rich(tables, stream)
        return
    stream = terminal_safe(stream)  # control characters shown escaped on a terminal, kept in a file
    tables = {name: as_rows(table) for name, table in tables.items()}
    if bom and fmt in ("csv", "tsv"):
        stream.write("\ufeff")
    if fmt in ("csv", "tsv"):
        for table in tables.values():
            write_delimited(table, stream, separator="," if fmt == "csv" else "\t", neutralize=not raw)
    elif fmt == "json":
        _write_json(tables, stream)
    elif fmt == "jsonl":
        tagged = len(tables) > 1
        for name, table in tables.items():
            write_jsonl(table, stream, table_name=name if tagged else None)


def write_delimited(table: Rows, stream: TextIO, *, separator: str, neutralize: bool = True, header: bool = True) -> None:
    """CSV or TSV as pandas' ``to_csv`` writes it (minimal quoting, "\n" line ends, floats as
    ``repr``), with text cells neutralized against formula injection unless not ``neutralize``.
    A cell holding a carriage return is quoted too (pandas leaves it bare, and CSV readers then
    split the row there).

    Each column's cells become their fields at once, and each distinct text is neutralized and
    quoted once: the csv module looks at every character of every cell (doc_ids repeated on
    every row of a document), which took most of the time of writing a frequency table."""
    from .spreadsheet import neutralize as neutral

    fields = _DelimitedFields(separator, neutral if neutralize else None)
    if header:
        stream.write(fields.lines([list(map(fields.text, table.columns))]))
    if not table.rows:
        return
    columns = [fields.column(column) for column in zip(*table.rows)]
    rows = iter(zip(*columns))
    while chunk := list(islice(rows, _ROWS_AT_ONCE)):
        stream.write(fields.lines(chunk))


_ROWS_AT_ONCE = 10_000  # rows joined into one string before it is written


class _DelimitedFields:
    """Cells as the fields of one delimited file: ``csv.QUOTE_MINIMAL`` with "\r" quoted too."""

    def __init__(self, separator: str, text_cell: Callable[[str], str] | None) -> None:
        self.separator = separator
        self.text_cell = text_cell
        self._quoting = (separator, '"', "\n", "\r")
        self._texts: dict[str, str] = {}

    def text(self, cell: str) -> str:
        """A text cell's field: neutralized, then quoted (quotes doubled) if it holds the
        separator, a quote or a line end."""
        field = self._texts.get(cell)
        if field is None:
            field = self._texts[cell] = self.quoted(self.text_cell(cell) if self.text_cell is not None else cell)
        return field

    def quoted(self, field: str) -> str:
        if any(char in field for char in self._quoting):
            return '"' + field.replace('"', '""') + '"'
        return field

    def cell(self, cell: object) -> str:
        if type(cell) is str:
            return self.text(cell)
        if cell is None or (type(cell) is float and cell != cell):
            return ""  # None, and NaN, as empty fields (as pandas writes them)
        if type(cell) in (int, float, bool):
            return str(cell)  # no separator, quote or line end in a number
        return self.quoted(str(cell))  # what the csv module writes for any other value

    def column(self, column: tuple) -> list[str]:
        """A column's fields; a column of one kind of number or of texts without a per-cell test."""
        kinds = set(map(type, column))
        if kinds == {int}:
            return list(map(str, column))
        if kinds == {float}:
            fields = list(map(repr, column))
            return [field if field != "nan" else "" for field in fields] if "nan" in fields else fields
        if kinds == {str}:
            return list(map({text: self.text(text) for text in set(column)}.__getitem__, column))
        return list(map(self.cell, column))

    def lines(self, rows: Sequence[Sequence[str]]) -> str:
        """Rows of fields as lines, each ending in "\n"."""
        lines = list(map(self.separator.join, rows))
        if len(rows[0]) == 1 and "" in lines:  # a row of one empty field is quoted, as by the csv module: else a blank line
            lines = [line or '""' for line in lines]
        return "\n".join(lines) + "\n"


def write_jsonl(table: Rows, stream: TextIO, *, table_name: str | None = None) -> None:
    """One JSON object per row; ``table_name`` adds {"table": name} first (several tables in one stream)."""
    columns = table.columns
    for row in table.rows:
        record = dict(zip(columns, row))
        stream.write(json.dumps({"table": table_name, **record} if table_name else record, ensure_ascii=False) + "\n")


def _write_json(tables: Mapping[str, Rows], stream: TextIO) -> None:
    """One object with a list of records per table, one record per line.

    Written record by record with ``json.dumps``: ``json.dump(..., indent=2)`` runs the pure-Python
    encoder and took seconds for 100,000 rows."""
    stream.write("{")
    for index, (name, table) in enumerate(tables.items()):
        stream.write(",\n" if index else "\n")
        stream.write(f"  {json.dumps(name)}: [")
        columns = table.columns
        for number, row in enumerate(table.rows):
            stream.write(",\n    " if number else "\n    ")
            stream.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False))
        stream.write("\n  ]" if len(table) else "]")
    stream.write("\n}\n")


def _render_rich(
    tables: Mapping[str, AnyTable], stream: TextIO, *, width: int | None = None, short_ids: bool | None = None
) -> None:
    """The terminal's tables (terminal.py lays them out; from ``Rows`` without pandas). On a
    terminal (``short_ids``) doc_ids are shown relative to the folder they share, long ones
    shortened in the middle; a file keeps them whole."""
    from rich.console import Console
    from rich.markup import escape as escape_markup
    from rich.text import Text

    from . import terminal

    is_terminal = hasattr(stream, "isatty") and stream.isatty()
    console = Console(file=stream, width=width or (None if is_terminal else _FILE_TABLE_WIDTH), highlight=False)
    frames = {name: terminal.Grid.of(table) for name, table in tables.items()}
    folder, id_cells = "", None
    if is_terminal if short_ids is None else short_ids:
        folder = terminal.common_folder(str(value) for frame in frames.values() for column in terminal.ID_COLUMNS
                                        if column in frame.columns for value in frame.column(column))
        id_cells = terminal.doc_id_cells(console.width)
        if folder:
            console.print(Text(f"doc_id: in {printable(folder)}", style="dim"))

    def titled(prefix: str, doc_id: object) -> str:
        shown = str(doc_id) if id_cells is None else terminal.short_doc_id(
            str(doc_id), folder=folder, cells=max(id_cells, console.width - len(prefix) - 2))
        return f"{prefix}: {escape_markup(printable(shown))}"  # a name is not markup

    for name, frame in frames.items():
        if name == "kwic" and not frame.empty:  # one line per hit, so that the hits line up
            shown, side = terminal.kwic_for_terminal(frame, width=console.width)
            widths = terminal.fixed_widths(shown, side)
            styles = {column: {**widths[column], **COLUMN_STYLES["kwic"].get(column, {})} for column in shown.columns}
            for doc_id, part in shown.parts(frame.column("doc_id")):
                console.print(rich_table(part, title=titled(TABLE_TITLES["kwic"], doc_id), styles=styles,
                                         width=console.width))
        elif name in PER_DOCUMENT_TITLES and not frame.empty:
            for doc_id, part in frame.parts(frame.column("doc_id")):
                _print_fitted(console, part.without("doc_id"), title=titled(PER_DOCUMENT_TITLES[name], doc_id))
        else:
            if id_cells is not None:
                frame = terminal.with_short_doc_ids(frame, folder=folder, cells=id_cells)
            _print_fitted(console, frame, title=TABLE_TITLES.get(name, name), styles=COLUMN_STYLES.get(name, {}))


def _print_fitted(console, frame: Grid, *, title: str, styles: Mapping[str, dict] | None = None) -> None:
    """The table, in parts of columns when its numbers and terms do not fit the width unwrapped."""
    from . import terminal

    groups = terminal.column_groups(frame, console.width)
    for number, columns in enumerate(groups, start=1):
        part = f" (part {number} of {len(groups)})" if len(groups) > 1 else ""
        console.print(rich_table(frame.select(columns), title=title + part, styles=styles, width=console.width))


def rich_table(
    frame: Grid | AnyTable, *, title: str, styles: Mapping[str, dict] | None = None, width: int | None = None
) -> Table:
    """A rich Table; rich measures cell widths in terminal cells, so Chinese columns line up.
    Numbers and terms are not wrapped, headers stay whole (``terminal.column_options``)."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    from . import terminal

    if not isinstance(frame, terminal.Grid):
        frame = terminal.Grid.of(frame)
    title_width = cell_len(title) if width is None else min(cell_len(title), width)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False, min_width=title_width)
    for column in frame.columns:
        style = {"justify": "right" if column in frame.numeric else "left", **terminal.column_options(frame, column),
                 **(styles or {}).get(column, {})}
        table.add_column(str(column), **style)
    for row in frame.rows:
        table.add_row(*(_cell(value) for value in row))
    if frame.empty:
        table.caption = "(no rows)"
    return table


def _cell(value: object):
    """A cell as plain text: document text like "[bookmark: x]" must not be read as rich markup."""
    from rich.text import Text

    from .terminal import cell_text

    return Text(printable_lines(cell_text(value)))  # no ESC from a name reaches the terminal


# Streaming: per-document rows written as the workers send them --------------------------------

STREAM_FORMATS = ("csv", "tsv", "jsonl")  # formats whose rows can be written as they come


@dataclass(frozen=True, slots=True)
class RowFormat:
    """How rows are formatted for a streamed table: picklable, so that workers format their own
    rows and send them as UTF-8 bytes (the parent only writes them, without decoding and encoding
    them again). Gives the same bytes as ``render``."""

    fmt: str
    neutralize: bool = True
    table_name: str | None = None  # JSONL with several tables: {"table": name} first

    def header(self, columns: Sequence[str]) -> str:
        if self.fmt == "jsonl":
            return ""
        buffer = io.StringIO()
        write_delimited(Rows(tuple(columns)), buffer, separator=self._separator, neutralize=self.neutralize)
        return buffer.getvalue()

    def rows(self, table: Rows) -> bytes:
        """The rows (no header), UTF-8 encoded."""
        buffer = io.StringIO()
        if self.fmt == "jsonl":
            write_jsonl(table, buffer, table_name=self.table_name)
        else:
            write_delimited(table, buffer, separator=self._separator, neutralize=self.neutralize, header=False)
        return buffer.getvalue().encode("utf-8")

    @property
    def _separator(self) -> str:
        return "," if self.fmt == "csv" else "\t"


class TableOutput:
    """The tables of a run, written to a stream, a file or a directory (one file per table): the
    tables that ``stream`` names as their rows arrive, in input order, the others when the run is
    done (``finish``). Files are written atomically: nothing is renamed into place unless the
    whole run succeeds; on an error every temporary file is removed.

    Use as a context manager: ``with TableOutput(...) as out: out.write_rows(name, text) …
    out.finish(tables)``."""

    def __init__(
        self, names: Sequence[str], *, fmt: Format, stream: TextIO | None = None, output: str | Path | None = None,
        bom: bool = False, raw: bool = False, stream_tables: Sequence[str] = (),
    ) -> None:
        """``stream_tables``: the tables to write as they come (of those ``streamable`` allows);
        ``start(name, columns)`` opens each one, ``write_rows`` writes its header and rows."""
        check_destination(list(names), fmt=fmt, output=output, stream=stream if output is None else None)
        self.names = list(names)
        self.fmt, self.stream, self.output, self.bom, self.raw = fmt, stream, output, bom, raw
        self.directory = output is not None and is_directory_target(output)
        self.streamed = tuple(name for name in stream_tables if name in self.streamable())
        self.written: list[Path] = []
        self._handles: dict[str, TextIO] = {}
        self._utf8_buffers: dict[str, IO[bytes] | None] = {}  # where a streamed table's rows go as bytes
        self._unwritten_headers: dict[str, Sequence[str]] = {}  # streamed table → its columns, until its first rows
        self._stack = None

    def streamable(self) -> tuple[str, ...]:
        """The tables that can be written as they come: in a stream format, each table of a
        directory, or else only the first table (the others follow it in the same stream)."""
        if self.fmt not in STREAM_FORMATS:
            return ()
        return tuple(self.names) if self.directory else tuple(self.names[:1])

    def row_format(self, name: str) -> RowFormat:
        tagged = self.fmt == "jsonl" and not self.directory and len(self.names) > 1
        return RowFormat(self.fmt, neutralize=not self.raw, table_name=name if tagged else None)

    def __enter__(self) -> TableOutput:
        from contextlib import ExitStack

        self._stack = ExitStack()
        self._staged = StagedFiles()  # every file of the run is renamed into place at the end, or none
        return self

    def start(self, name: str, columns: Sequence[str]) -> None:
        """Open a streamed table's destination. Its header goes out with its first rows, or from
        ``finish`` when it has none: a run that fails before any row leaves stdout empty, not a
        header without rows."""
        self._open(name)
        self._unwritten_headers[name] = columns

    def _write_header(self, name: str) -> None:
        handle = self._handles[name]
        if self.bom and self.fmt in ("csv", "tsv"):
            handle.write("\ufeff")
        handle.write(self.row_format(name).header(self._unwritten_headers.pop(name)))
        self._utf8_buffers[name] = buffer = utf8_buffer(handle)
        if buffer is not None:
            handle.flush()  # the header before the rows that go to its buffer

    def write_rows(self, name: str, rows: bytes) -> None:
        """A streamed table's rows, UTF-8 encoded (``RowFormat.rows``); the first non-empty rows
        after the table's header."""
        if not rows:  # a partition whose documents had no rows (or could not be read)
            return
        if name in self._unwritten_headers:
            self._write_header(name)
        buffer = self._utf8_buffers[name]
        if buffer is not None:
            buffer.write(rows)
        else:
            self._handles[name].write(rows.decode("utf-8"))

    def finish(self, tables: Mapping[str, AnyTable]) -> None:
        """Write ``tables`` (those not streamed, in their order) and put the files in place."""
        rest = {name: table for name, table in tables.items() if name not in self.streamed}
        for name in list(self._unwritten_headers):  # a streamed table without rows: its header alone
            self._write_header(name)
        if self.directory:
            self.written.extend(_write_each(Path(self.output), rest, fmt=self.fmt, bom=self.bom, raw=self.raw,
                                            opener=self._staged.open))
        elif self.streamed:  # the first table is in the stream already; the others follow it
            handle = self._handles[self.streamed[0]]
            if self.fmt == "jsonl":
                for name, table in rest.items():
                    write_jsonl(as_rows(table), handle, table_name=name)
            elif rest:
                render(rest, fmt=self.fmt, stream=handle, raw=self.raw)
        else:
            self.written.extend(write_tables(rest, fmt=self.fmt, stream=self.stream, output=self.output,
                                             bom=self.bom, raw=self.raw))
        if self.output is None:
            self.stream.flush()  # a full disk is reported here, not lost at exit
        stack, self._stack = self._stack, None
        try:
            stack.close()  # the streamed files, written whole
            self._staged.commit()
        finally:
            self._staged.discard()

    def __exit__(self, kind, error, traceback) -> None:
        if self._stack is not None:  # finish was not reached: the temporary files are removed
            try:
                self._stack.__exit__(kind, error, traceback)
            finally:
                self._staged.discard()

    def _open(self, name: str) -> TextIO:
        if self.output is None:
            handle = terminal_safe(self.stream) if self.fmt != "table" else self.stream
        else:
            target = table_path(self.output, name, self.fmt) if self.directory else Path(self.output)
            handle = self._stack.enter_context(self._staged.open(target))
            self.written.append(target)
        self._handles[name] = handle
        return handle


def utf8_buffer(handle: TextIO) -> IO[bytes] | None:
    """The binary buffer under a text stream that would write text to it as UTF-8, unchanged (no
    newline translation), where UTF-8 bytes can go as they are; else None (a StringIO, stdout in
    another encoding, whose characters it cannot hold must still fail as a text write fails)."""
    buffer = getattr(handle, "buffer", None)
    if buffer is None or os.linesep != "\n" or codec_name(getattr(handle, "encoding", None)) != "utf-8":
        return None
    return buffer


def codec_name(encoding: str | None) -> str | None:
    """``encoding``'s codec as Python names it ("UTF8" and "utf_8" are "utf-8"); None for none or
    one Python does not know."""
    try:
        return codecs.lookup(encoding).name if encoding else None
    except LookupError:
        return None


def check_writable(target: Path, *, as_directory: bool = False) -> None:
    """``OutputError`` naming ``target`` (a file, or ``as_directory`` a directory to fill) and the
    cause when it surely cannot be written: a file where a directory must be, a directory where
    the file must be, a directory we may not write in. (Checked before any work; ``atomic_open``
    still says why a write fails.)"""
    if target.is_dir() and not as_directory:
        raise OutputError(f"cannot write {target}: it is a directory")
    ancestor = target if as_directory else target.parent
    ancestor = ancestor if str(ancestor) else Path(".")
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise OutputError(f"cannot write {target}: {ancestor} is a file, not a directory")
    if ancestor.is_dir() and not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: permission denied in {ancestor}")


@contextmanager
def atomic_open(target: Path, *, binary: bool = False):
    """Open a temporary file beside ``target``; rename it over ``target`` only on success
    (``tempfiles``: a failure is a ``WriteError`` naming the file, and leaves nothing behind)."""
    with staged_files() as staged, staged.open(Path(target), binary=binary) as handle:
        yield handle
