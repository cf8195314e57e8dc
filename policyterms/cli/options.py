"""The options every command shares, declared once: their types, help and defaults, and the
objects they make (input_options, OutputOptions). Only what --help needs is imported here."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import OutputError
from ..measures import MEASURES
from ..parallel import available_cores
from ..readers.limits import MAX_DOCUMENT_MB

if TYPE_CHECKING:
    from ..batch import InputOptions
    from ..render import AnyTable, TableOutput


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    parquet = "parquet"


class UnitChoice(str, Enum):
    document = "document"
    paragraph = "paragraph"
    sentence = "sentence"
    window = "window"


class StdinChoice(str, Enum):
    paths = "paths"
    text = "text"


class EngineChoice(str, Enum):
    local = "local"
    dask = "dask"


class SegmenterChoice(str, Enum):
    jieba = "jieba"
    rjieba = "rjieba"


class MatchChoice(str, Enum):
    text = "text"
    tokens = "tokens"


class What(str, Enum):
    frequencies = "frequencies"
    totals = "totals"
    cooccurrence = "cooccurrence"
    cooccurrence_totals = "cooccurrence_totals"
    documents = "documents"
    groups = "groups"
    scores = "scores"
    both = "both"
    all = "all"


WHAT_TABLES = {
    What.frequencies: ("frequencies",),
    What.totals: ("totals",),
    What.groups: ("groups",),
    What.cooccurrence: ("cooccurrence",),
    What.cooccurrence_totals: ("cooccurrence_totals",),
    What.documents: ("documents",),
    What.scores: ("scores",),
    What.both: ("frequencies", "totals", "cooccurrence", "cooccurrence_totals"),
    What.all: ("documents", "frequencies", "totals", "cooccurrence", "cooccurrence_totals"),
}

# Output options, declared once and shared by every command that writes tables.
FormatOption = Annotated[
    Optional[OutputFormat],
    typer.Option("--format", "-f", help="Output format. Default: table on a terminal, csv when piped, else from -o's suffix."),
]
OutputOption = Annotated[
    Optional[str],  # a str, not a Path: Path would drop the trailing "/" that asks for a directory
    typer.Option("--output", "-o", help="Write to this file (atomically), or to DIR/ with one file per table."),
]
BomOption = Annotated[bool, typer.Option("--bom", help="Start CSV/TSV with a UTF-8 byte-order mark, for Excel.")]
RawOption = Annotated[
    bool,
    typer.Option("--raw", help="Keep CSV/TSV/XLSX text cells that begin with = + - @ as they are (by default they get a leading ' so spreadsheets do not run them)."),
]
WhatOption = Annotated[
    Optional[What],
    typer.Option("--what", help="Tables to write. Default: groups with --group-by; else frequencies for a CSV/TSV/Parquet file or stdout, else both."),
]
GroupByOption = Annotated[
    Optional[str],
    typer.Option("--group-by", "-G", help="Term × group table by year, month, source or any metadata FIELD (front matter key, table column)."),
]
ZerosOption = Annotated[bool, typer.Option("--zeros", help="Also list terms with a count of 0.")]
ShadowedOption = Annotated[
    bool, typer.Option("--shadowed", help="Add a column of matches that lost their characters to another term's hit (not counted).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No summary line and no progress bar on stderr.")]
VocabOption = Annotated[
    Optional[Path],
    typer.Option("--vocab", "-v", help="Vocabulary YAML file, or a LIWC, LIWC-22, WordStat, Lexicoder, cntext, quanteda or jieba dictionary or a word list. Default: the installed future-industries.yaml."),
]


class WildcardChoice(str, Enum):
    glob = "glob"
    prefix = "prefix"
    skip = "skip"


WildcardsOption = Annotated[
    WildcardChoice,
    typer.Option("--wildcards", help="Dictionary entries with * or ? (LIWC, Lexicoder, WordStat, quanteda): glob (* any run of characters, ? one; in --match text a final * is a prefix), prefix (a final * cut off: the stem is the term), or skip (left out, each named in a warning)."),
]
MaxVocabMbOption = Annotated[
    float,
    typer.Option("--max-vocab-mb", min=0.001, help="Refuse a vocabulary file larger than this many MB (a guard against a wrong file; jieba's 5 MB dict.txt needs 6)."),
]
VocabCategoryOption = Annotated[
    Optional[str],
    typer.Option("--vocab-category", help="The category of a dictionary that has none (word list, jieba user dictionary). Default: the file's name."),
]

# Input options, declared once and shared by every command that reads documents.
PathsArgument = Annotated[
    list[str],
    typer.Argument(help="Files, directories (walked for --glob) or - for a list of paths on stdin (see --stdin)."),
]
GlobOption = Annotated[
    Optional[list[str]],
    typer.Option("--glob", "-g", help="File pattern for directories, repeatable (default: *.txt *.md *.docx *.pdf *.html *.htm); e.g. '2026-*/*.txt' or '*.csv'."),
]
TextColumnOption = Annotated[
    Optional[str], typer.Option("--text-column", help="Table inputs (.csv .tsv .jsonl .parquet): the column with the text (default: text or content).")
]
IdColumnOption = Annotated[
    Optional[str], typer.Option("--id-column", help="Table inputs: the column to use as doc_id (default FILE#ROW).")
]
DateColumnOption = Annotated[
    Optional[str], typer.Option("--date-column", help="Table inputs: the column with the date (default: date, if any).")
]
EncodingOption = Annotated[
    Optional[str], typer.Option("--encoding", "-e", help="Input encoding (default: UTF-8, or GB18030/Big5 detected).")
]
StdinOption = Annotated[
    StdinChoice, typer.Option("--stdin", help="What - reads: a list of paths (one per line or NUL-separated) or one document's text.")
]
JobsOption = Annotated[
    Optional[int], typer.Option("--jobs", "-j", min=1, help=f"Worker processes (default: one per core, {available_cores()} here).")
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Stop at the first input that cannot be read (exit 1).")]
# The largest document read (larger ones are skipped with a reason; 0: no limit): hostile input.
MaxMbOption = Annotated[
    float, typer.Option("--max-mb", min=0, help=f"Skip documents larger than this many MB (default {MAX_DOCUMENT_MB}; 0: no limit); also a .docx that expands to more than twice it, a PDF of more than 100 pages per MB, and text extracted beyond it.")
]
DbOption = Annotated[
    Optional[Path], typer.Option("--db", help="Keep counts in this SQLite file; a rerun counts only new or changed text.")
]
# Cleaning options, shared by every command that reads documents (batch.InputOptions).
KeepBoilerplateOption = Annotated[
    bool,
    typer.Option("--keep-boilerplate", help="Keep web pages' menus, tool bars, footers, image links and page numbers (dropped by default)."),
]
T2sOption = Annotated[bool, typer.Option("--t2s", help="Convert Traditional Chinese to Simplified before matching (腦機接口 → 脑机接口).")]
FollowSymlinksOption = Annotated[
    bool, typer.Option("--follow-symlinks", help="Read links in a folder to files outside it (skipped with a warning by default)."),
]
NoSplitOption = Annotated[
    bool,
    typer.Option("--no-split", help="Read a page holding several articles (newspaper page, magazine issue) whole, not as FILE#N articles."),
]


def input_options(
    globs: list[str] | None, text_column: str | None, id_column: str | None, date_column: str | None,
    encoding: str | None, stdin: StdinChoice, keep_boilerplate: bool, t2s: bool, max_mb: float, no_split: bool = False,
    follow_symlinks: bool = False,
) -> InputOptions:
    from ..batch import InputOptions
    from ..readers import DEFAULT_GLOBS, TableColumns, check_encoding

    check_encoding(encoding)  # one usage error, not one per file
    return InputOptions(
        encoding, tuple(globs or DEFAULT_GLOBS), TableColumns(text_column, id_column, date_column), stdin.value,
        keep_boilerplate=keep_boilerplate, t2s=t2s, max_mb=max_mb or None, split=not no_split,
        follow_symlinks=follow_symlinks,
    )


BOM_FORMATS = ("csv", "tsv")  # the formats Excel needs a byte-order mark to read as UTF-8


@dataclass(frozen=True)
class OutputOptions:
    fmt: OutputFormat | None
    output: str | None
    bom: bool
    raw: bool = False

    def resolved_format(self) -> str:
        from ..render import format_for_path, is_directory_target

        if self.fmt is not None:
            return self.fmt.value
        if self.output is not None:
            if is_directory_target(self.output):
                return "csv"
            by_suffix = format_for_path(self.output)
            if by_suffix is None:
                raise OutputError(f"cannot tell the format from the name '{self.output}'; add --format")
            return by_suffix
        return "table" if sys.stdout.isatty() else "csv"

    def check(self, names: list[str]) -> None:
        """Fail on an impossible destination before counting anything."""
        from ..render import check_destination

        self.check_bom()
        check_destination(names, fmt=self.resolved_format(), output=self.output, stream=sys.stdout)

    def check_bom(self) -> None:
        fmt = self.resolved_format()
        if self.bom and fmt not in BOM_FORMATS:
            raise OutputError(f"--bom is for CSV and TSV opened in Excel; {fmt.upper()} output has no byte-order mark: "
                              "drop --bom, or add --format csv")

    def write(self, tables: dict[str, AnyTable]) -> None:
        from ..render import write_tables

        self.check_bom()
        written = write_tables(
            tables, fmt=self.resolved_format(), stream=sys.stdout, output=self.output, bom=self.bom, raw=self.raw
        )
        if self.output is None:
            sys.stdout.flush()  # a full disk is reported here, not lost at exit
        print_written(written)

    def open(self, names: tuple[str, ...], *, stream_tables: tuple[str, ...] = ()) -> TableOutput:
        """Where the tables go, with ``stream_tables`` written as the documents are counted."""
        from ..render import TableOutput

        return TableOutput(names, fmt=self.resolved_format(), stream=sys.stdout, output=self.output, bom=self.bom,
                           raw=self.raw, stream_tables=stream_tables)



# count or an association measure: cooc's --sort, report's and plot's --measure
MeasureChoice = Enum("MeasureChoice", {name: name for name in ("count", *MEASURES)}, type=str)


def print_written(paths: list[Path]) -> None:
    if sys.stderr.isatty():  # a note for people; scripts and cron get a quiet stderr
        for path in paths:
            typer.echo(f"wrote {path}", err=True)
