"""One place that writes tables (pandas DataFrames) in every output format, to a stream or file.

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

import io
import json
import os
import tempfile
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal, TextIO, get_args

import pandas as pd
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import terminal
from .errors import OutputError
from .spreadsheet import neutralize_frame, write_xlsx

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
    tables: Mapping[str, pd.DataFrame],
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
        directory = Path(output)
        written = []
        for name, frame in tables.items():
            target = directory / f"{name}{FORMAT_SUFFIXES[fmt]}"
            _write_file(target, {name: frame}, fmt=fmt, bom=bom, raw=raw)
            written.append(target)
        return written
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


def _write_file(target: Path, tables: Mapping[str, pd.DataFrame], *, fmt: Format, bom: bool, raw: bool) -> None:
    if fmt in BINARY_FORMATS:
        data = encode(tables, fmt=fmt, raw=raw)  # encoded first: a failure leaves no file behind
        with atomic_open(target, binary=True) as handle:
            handle.write(data)
    else:
        with atomic_open(target) as handle:
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


def encode(tables: Mapping[str, pd.DataFrame], *, fmt: Format, raw: bool = False) -> bytes:
    """The bytes of a binary format: a workbook of every table (xlsx), or one table (parquet)."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(_for_spreadsheets(tables, fmt=fmt, raw=raw), buffer)
    elif fmt == "parquet":
        (frame,) = tables.values()
        _write_parquet(frame, buffer)
    else:
        raise OutputError(f"'{fmt}' is not a binary format")
    return buffer.getvalue()


def _write_parquet(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    import pyarrow as pa  # imported here: only .parquet output (and input) needs it
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), stream)


def _for_spreadsheets(tables: Mapping[str, pd.DataFrame], *, fmt: str, raw: bool) -> Mapping[str, pd.DataFrame]:
    if raw or fmt not in SPREADSHEET_FORMATS:
        return tables
    return {name: neutralize_frame(frame) for name, frame in tables.items()}


def render(
    tables: Mapping[str, pd.DataFrame], *, fmt: Format, stream: TextIO, bom: bool = False, raw: bool = False
) -> None:
    """Write the text formats to ``stream``."""
    tables = _for_spreadsheets(tables, fmt=fmt, raw=raw)
    if bom and fmt in ("csv", "tsv"):
        stream.write("\ufeff")
    if fmt in ("csv", "tsv"):
        for frame in tables.values():
            frame.to_csv(stream, index=False, sep="," if fmt == "csv" else "\t", lineterminator="\n")
    elif fmt == "json":
        _write_json(tables, stream)
    elif fmt in BINARY_FORMATS:
        raise OutputError(f"{fmt.upper()} is a binary format: use write_tables or encode")
    elif fmt == "jsonl":
        tagged = len(tables) > 1
        for name, frame in tables.items():
            for record in frame.to_dict(orient="records"):
                line = {"table": name, **record} if tagged else record
                stream.write(json.dumps(line, ensure_ascii=False) + "\n")
    else:
        _render_rich(tables, stream)


def _write_json(tables: Mapping[str, pd.DataFrame], stream: TextIO) -> None:
    """One object with a list of records per table, one record per line.

    Written record by record with ``json.dumps``: ``json.dump(..., indent=2)`` runs the pure-Python
    encoder and took seconds for 100,000 rows."""
    stream.write("{")
    for index, (name, frame) in enumerate(tables.items()):
        stream.write(",\n" if index else "\n")
        stream.write(f"  {json.dumps(name)}: [")
        for number, record in enumerate(frame.to_dict(orient="records")):
            stream.write(",\n    " if number else "\n    ")
            stream.write(json.dumps(record, ensure_ascii=False))
        stream.write("\n  ]" if len(frame) else "]")
    stream.write("\n}\n")


def _render_rich(tables: Mapping[str, pd.DataFrame], stream: TextIO, *, width: int | None = None) -> None:
    is_terminal = hasattr(stream, "isatty") and stream.isatty()
    console = Console(file=stream, width=width or (None if is_terminal else _FILE_TABLE_WIDTH), highlight=False)
    for name, frame in tables.items():
        if name == "kwic" and not frame.empty:  # one line per hit, so that the hits line up
            shown, side = terminal.kwic_for_terminal(frame, width=console.width)
            widths = terminal.fixed_widths(shown, side)
            styles = {column: {**widths[column], **COLUMN_STYLES["kwic"].get(column, {})} for column in shown.columns}
            for doc_id, part in shown.groupby(frame["doc_id"], sort=False):
                console.print(rich_table(part, title=f"{TABLE_TITLES['kwic']}: {doc_id}", styles=styles, width=console.width))
        elif name in PER_DOCUMENT_TITLES and not frame.empty:
            for doc_id, part in frame.groupby("doc_id", sort=False):
                _print_fitted(console, part.drop(columns="doc_id"), title=f"{PER_DOCUMENT_TITLES[name]}: {doc_id}")
        else:
            _print_fitted(console, frame, title=TABLE_TITLES.get(name, name), styles=COLUMN_STYLES.get(name, {}))


def _print_fitted(console: Console, frame: pd.DataFrame, *, title: str, styles: Mapping[str, dict] | None = None) -> None:
    """The table, in parts of columns when its numbers and terms do not fit the width unwrapped."""
    groups = terminal.column_groups(frame, console.width)
    for number, columns in enumerate(groups, start=1):
        part = f" (part {number} of {len(groups)})" if len(groups) > 1 else ""
        console.print(rich_table(frame[columns], title=title + part, styles=styles, width=console.width))


def rich_table(
    frame: pd.DataFrame, *, title: str, styles: Mapping[str, dict] | None = None, width: int | None = None
) -> Table:
    """A rich Table; rich measures cell widths in terminal cells, so Chinese columns line up.
    Numbers and terms are not wrapped, headers stay whole (``terminal.column_options``)."""
    title_width = cell_len(title) if width is None else min(cell_len(title), width)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False, min_width=title_width)
    numeric = {column: pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns}
    for column in frame.columns:
        style = {"justify": "right" if numeric[column] else "left", **terminal.column_options(frame, column),
                 **(styles or {}).get(column, {})}
        table.add_column(str(column), **style)
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    if frame.empty:
        table.caption = "(no rows)"
    return table


def _cell(value: object) -> Text:
    """A cell as plain text: document text like "[bookmark: x]" must not be read as rich markup."""
    return Text(terminal.cell_text(value))


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
    """Open a temporary file beside ``target``; rename it over ``target`` only on success."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        check_writable(target)  # the cause a user can act on, when it is one of those
        raise OutputError(f"cannot write {target}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        with (io.open(fd, "wb") if binary else io.open(fd, "w", encoding="utf-8", newline="")) as handle:
            yield handle
        os.chmod(temp_name, 0o666 & ~_current_umask())  # mkstemp creates 0600; a result file is not secret
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
