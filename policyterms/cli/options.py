"""The options every command shares, declared once: their types, help and defaults, and the
objects they make (input_options, OutputOptions). Only what --help needs is imported here."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..defaults import DEFAULT_THRESHOLD
from ..errors import OutputError
from ..measures import MEASURES
from ..parallel import available_cores

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


def choice_of(choices: type[Enum]):
    """An argument's callback that reads a str as one of ``choices``: an argument typed as the
    Enum itself shows every choice in --help's type column (<attention|first-seen|change|epu>),
    too wide for 80 columns; the help text names them instead."""

    def parse(value: str) -> Enum:
        try:
            return choices(value)
        except ValueError:
            names = ", ".join(choice.value for choice in choices)
            raise typer.BadParameter(f"'{value}' is not one of: {names}") from None
    return parse


# The panels --help groups options in, in this order; long explanations live in docs/options.md.
INPUT, COUNTING, OUTPUT, BATCH = "Input", "Counting", "Output", "Batch"

# Output options, declared once and shared by every command that writes tables.
FormatOption = Annotated[
    Optional[OutputFormat],
    typer.Option("--format", "-f", metavar="FORMAT", rich_help_panel=OUTPUT, show_default=False,
                 help="table, csv, tsv, json, jsonl, xlsx or parquet."),
]
OutputOption = Annotated[
    Optional[str],  # a str, not a Path: Path would drop the trailing "/" that asks for a directory
    typer.Option("--output", "-o", metavar="FILE", rich_help_panel=OUTPUT,
                 help="Write to FILE, or DIR/ (a file per table)."),
]
BomOption = Annotated[
    bool, typer.Option("--bom", rich_help_panel=OUTPUT, help="CSV/TSV with a byte-order mark (Excel).")
]
RawOption = Annotated[
    bool,
    typer.Option("--raw", rich_help_panel=OUTPUT,
                 help="Keep cells that begin with = + - @ as is."),
]
WhatOption = Annotated[
    Optional[What],
    typer.Option("--what", metavar="TABLES", rich_help_panel=OUTPUT, show_default=False,
                 help="The tables to write (docs/options.md)."),
]
GroupByOption = Annotated[
    Optional[str],
    typer.Option("--group-by", "-G", metavar="FIELD", rich_help_panel=COUNTING,
                 help="Group by year, month, source or a field."),
]
ZerosOption = Annotated[bool, typer.Option("--zeros", rich_help_panel=OUTPUT, help="Also list terms counted 0 times.")]
ShadowedOption = Annotated[
    bool, typer.Option("--shadowed", rich_help_panel=OUTPUT,
                       help="Add matches inside longer terms' hits.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", rich_help_panel=OUTPUT, help="No summary or progress bar on stderr.")
]
VocabOption = Annotated[
    Optional[Path],
    typer.Option("--vocab", "-v", metavar="FILE", rich_help_panel=COUNTING, show_default=False,
                 help="Vocabulary or dictionary (docs/counting.md)."),
]


class WildcardChoice(str, Enum):
    glob = "glob"
    prefix = "prefix"
    skip = "skip"


WildcardsOption = Annotated[
    WildcardChoice,
    typer.Option("--wildcards", metavar="HOW", rich_help_panel=COUNTING,
                 help="Entries with * or ?: glob, prefix, skip."),
]
MaxVocabMbOption = Annotated[
    float,
    typer.Option("--max-vocab-mb", metavar="MB", min=0.001, rich_help_panel=COUNTING,
                 help="Refuse larger vocabulary files."),
]
VocabCategoryOption = Annotated[
    Optional[str],
    typer.Option("--vocab-category", metavar="NAME", rich_help_panel=COUNTING,
                 help="Category of a word list's terms."),
]

# Counting options shared by count, report and plot.
UnitOption = Annotated[
    UnitChoice, typer.Option("--unit", "-u", metavar="UNIT", rich_help_panel=COUNTING,
                             help="Co-occurrence unit (docs/options.md).")
]
WindowOption = Annotated[
    int, typer.Option("--window", "-w", metavar="N", min=1, rich_help_panel=COUNTING,
                      help="--unit window: ±N tokens.")
]
SegmenterOption = Annotated[
    SegmenterChoice, typer.Option("--segmenter", metavar="NAME", rich_help_panel=COUNTING,
                                  help="jieba, or rjieba (faster).")
]

# Input options, declared once and shared by every command that reads documents.
PathsArgument = Annotated[
    list[str],
    typer.Argument(metavar="PATHS...", show_default=False,
                   help="Files, folders, or - (see --stdin)."),
]
GlobOption = Annotated[
    Optional[list[str]],
    typer.Option("--glob", "-g", metavar="PATTERN", rich_help_panel=INPUT,
                 help="Files to read in folders (repeatable)."),
]
TextColumnOption = Annotated[
    Optional[str], typer.Option("--text-column", metavar="NAME", rich_help_panel=INPUT,
                                help="Tables: the text column.")
]
IdColumnOption = Annotated[
    Optional[str], typer.Option("--id-column", metavar="NAME", rich_help_panel=INPUT,
                                help="Tables: the doc_id column.")
]
DateColumnOption = Annotated[
    Optional[str], typer.Option("--date-column", metavar="NAME", rich_help_panel=INPUT,
                                help="Tables: the date column.")
]
EncodingOption = Annotated[
    Optional[str], typer.Option("--encoding", "-e", metavar="NAME", rich_help_panel=INPUT,
                                help="Input encoding (default: detected).")
]
StdinOption = Annotated[
    StdinChoice, typer.Option("--stdin", metavar="WHAT", rich_help_panel=INPUT,
                              help="What - reads: paths or text.")
]
JobsOption = Annotated[
    Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, rich_help_panel=BATCH, show_default=False,
                                help=f"Worker processes (default: {available_cores()}).")
]
StrictOption = Annotated[
    bool, typer.Option("--strict", rich_help_panel=BATCH, help="Stop at the first unreadable input.")
]
# The largest document read (larger ones are skipped with a reason; 0: no limit): hostile input.
MaxMbOption = Annotated[
    float, typer.Option("--max-mb", metavar="MB", min=0, rich_help_panel=INPUT,
                        help="Skip larger documents (0: no limit).")
]
DbOption = Annotated[
    Optional[Path], typer.Option("--db", metavar="FILE", rich_help_panel=BATCH,
                                 help="Keep counts here; a rerun adds new text.")
]
# Near-duplicates: count --dedup and dupes.
DedupOption = Annotated[
    bool, typer.Option("--dedup", rich_help_panel=INPUT, help="Count near-duplicates once.")
]
ThresholdOption = Annotated[
    Optional[float],
    typer.Option("--threshold", metavar="J", min=0.0, max=1.0, rich_help_panel=INPUT, show_default=False,
                 help=f"Least similarity (default {DEFAULT_THRESHOLD})."),
]
# Cleaning options, shared by every command that reads documents (batch.InputOptions).
KeepBoilerplateOption = Annotated[
    bool,
    typer.Option("--keep-boilerplate", rich_help_panel=INPUT,
                 help="Keep menus, footers, page numbers."),
]
T2sOption = Annotated[
    bool, typer.Option("--t2s", rich_help_panel=INPUT, help="Traditional to Simplified Chinese.")
]
FollowSymlinksOption = Annotated[
    bool, typer.Option("--follow-symlinks", rich_help_panel=INPUT, help="Read links to files outside a folder."),
]
NoSplitOption = Annotated[
    bool,
    typer.Option("--no-split", rich_help_panel=INPUT,
                 help="Read multi-article pages whole."),
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
