"""The ``policyterms`` command: parse options, call the library, render. Nothing else."""

from __future__ import annotations

import copy
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__
from .defaults import DEFAULT_CATEGORY, DEFAULT_MIN_COUNT, DEFAULT_THRESHOLD, DEFAULT_TOP, DEFAULT_WIDTH
from .errors import OutputError, PolicytermsError, UsageError, VocabularyError, without_floods
from .measures import MEASURES
from .names import for_stream, printable
from .parallel import available_cores
from .readers.limits import MAX_DOCUMENT_MB

# Start-up: only what --help needs (the options' types and defaults) is imported above; each
# command imports the modules it runs when it runs, so `count` does not import what `report` needs.
if TYPE_CHECKING:
    from .audit import AuditResult
    from .batch import InputOptions, Progress
    from .pipeline import Result
    from .render import AnyTable, TableOutput
    from .rows import Rows
    from .vocab import Vocabulary

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PROGRESS_MIN_DOCUMENTS = 20  # fewer than this finish before a bar would be worth showing

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Count the terms of a curated vocabulary in Chinese policy documents.\n\n"
    "Example: policyterms count seeds/ --format csv > counts.csv",
)
vocab_app = typer.Typer(no_args_is_help=True, help="Check and show vocabularies.")
app.add_typer(vocab_app, name="vocab")
db_app = typer.Typer(no_args_is_help=True, help="The results database that count --db keeps.")
app.add_typer(db_app, name="db")


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
    from .batch import InputOptions
    from .readers import DEFAULT_GLOBS, TableColumns, check_encoding

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
        from .render import format_for_path, is_directory_target

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
        from .render import check_destination

        self.check_bom()
        check_destination(names, fmt=self.resolved_format(), output=self.output, stream=sys.stdout)

    def check_bom(self) -> None:
        fmt = self.resolved_format()
        if self.bom and fmt not in BOM_FORMATS:
            raise OutputError(f"--bom is for CSV and TSV opened in Excel; {fmt.upper()} output has no byte-order mark: "
                              "drop --bom, or add --format csv")

    def write(self, tables: dict[str, AnyTable]) -> None:
        from .render import write_tables

        self.check_bom()
        written = write_tables(
            tables, fmt=self.resolved_format(), stream=sys.stdout, output=self.output, bom=self.bom, raw=self.raw
        )
        if self.output is None:
            sys.stdout.flush()  # a full disk is reported here, not lost at exit
        _wrote(written)

    def open(self, names: tuple[str, ...], *, stream_tables: tuple[str, ...] = ()) -> TableOutput:
        """Where the tables go, with ``stream_tables`` written as the documents are counted."""
        from .render import TableOutput

        return TableOutput(names, fmt=self.resolved_format(), stream=sys.stdout, output=self.output, bom=self.bom,
                           raw=self.raw, stream_tables=stream_tables)


def _wrote(paths: list[Path]) -> None:
    if sys.stderr.isatty():  # a note for people; scripts and cron get a quiet stderr
        for path in paths:
            typer.echo(f"wrote {path}", err=True)


_state = {"debug": False}


def _error(message: str) -> None:
    typer.echo(f"policyterms: error: {printable(message)}", err=True)


def _warn(message: str) -> None:
    typer.echo(f"policyterms: warning: {printable(message)}", err=True)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Our own errors become one line on stderr and exit 1 (2 for output-option misuse);
    anything else too, unless --debug asks for the traceback."""
    try:
        yield
    except VocabularyError as exc:
        for problem in exc.problems:
            _error(problem)
        raise typer.Exit(EXIT_ERROR) from None
    except (OutputError, UsageError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except PolicytermsError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
        raise
    except OSError as exc:  # stdout on a full disk, a file that went away: the path and the cause
        _error(f"{exc.filename or 'writing the output'}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_ERROR) from None
    except UnicodeEncodeError as exc:
        if not _in_stdout_encoding(exc):
            _unexpected(exc)
        _error(f"stdout's encoding ({sys.stdout.encoding}) cannot hold the text ({exc.object[exc.start:exc.end]!r}): "
               "set PYTHONIOENCODING=utf-8, or write a file with -o FILE (always UTF-8)")
        raise typer.Exit(EXIT_ERROR) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence before a user sees a traceback
        _unexpected(exc)


def _unexpected(exc: Exception) -> None:
    if _state["debug"]:
        traceback.print_exc()
    else:
        _error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
    raise typer.Exit(EXIT_ERROR) from None


def _in_stdout_encoding(exc: UnicodeEncodeError) -> bool:
    """The error came from writing to stdout in an encoding other than UTF-8 (PYTHONIOENCODING,
    or a locale such as en_US.ISO-8859-1): the text cannot be written there at all."""
    from .render import codec_name

    stdout = codec_name(sys.stdout.encoding)
    return stdout not in (None, "utf-8") and codec_name(exc.encoding) == stdout


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyterms {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def count(
    paths: PathsArgument,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    vocab_category: VocabCategoryOption = None,
    match: Annotated[MatchChoice, typer.Option("--match", help="text: substrings of the text (the default, right for policy terms); tokens: whole jieba tokens, as cntext and quanteda count (general dictionaries).")] = MatchChoice.text,
    unit: Annotated[UnitChoice, typer.Option("--unit", "-u", help="Co-occurrence unit.")] = UnitChoice.sentence,
    window: Annotated[int, typer.Option("--window", "-w", min=1, help="Window size in tokens (±N) for --unit window.")] = 5,
    what: WhatOption = None,
    group_by: GroupByOption = None,
    level: Annotated[
        str, typer.Option("--level", "-l", help="term, or category (a category's count: the sum of its terms' hits), or category:N to roll nested categories (a/b) up to their first N levels.")
    ] = "term",
    rates: Annotated[
        bool, typer.Option("--rates", help="Add per_10k_tokens, share (of the document's hits) and tfidf; segments every document (slower).")
    ] = False,
    zeros: ZerosOption = False,
    shadowed: ShadowedOption = False,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    jobs: JobsOption = None,
    segmenter: Annotated[
        SegmenterChoice, typer.Option("--segmenter", help="Tokenizer for --unit window: jieba, or rjieba (faster; pip install rjieba).")
    ] = SegmenterChoice.jieba,
    db: DbOption = None,
    new_only: Annotated[
        bool, typer.Option("--new-only", help="With --db: write only the documents counted in this run (new or changed text), not those the database had.")
    ] = False,
    strict: StrictOption = False,
    evidence: Annotated[
        Optional[Path], typer.Option("--evidence", help="Also write one row per hit (place, sentence) to this file; format from its suffix (default CSV).")
    ] = None,
    dedup: DedupOption = False,
    threshold: ThresholdOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    engine: Annotated[
        Optional[EngineChoice], typer.Option("--engine", help="local (the default): worker processes on this machine (--jobs); dask: a Dask cluster (--scheduler), tables to -o OUT/ one file per partition (pip install 'policyterms\\[dask]').")
    ] = None,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="The Dask cluster: local:N (N worker processes here) or tcp://HOST:8786; implies --engine dask.")
    ] = None,
    partition_size: Annotated[
        Optional[str], typer.Option("--partition-size", help="--engine dask: about this much input per task (default 128MB): files, Parquet row groups, JSON Lines blocks.")
    ] = None,
    connect_timeout: Annotated[
        float, typer.Option("--connect-timeout", min=0.1, help="--engine dask: seconds to wait for the scheduler (default 4).")
    ] = 4.0,
) -> None:
    """Count vocabulary terms per document, their co-occurrence, and corpus totals.

    Exit status: 0 all inputs counted, 1 error (nothing counted, or --strict), 2 usage error,
    3 some inputs could not be read (each named on stderr; the rest were counted).

    Examples:

      policyterms count seeds/

      policyterms count seeds/ --format csv | python -c "import pandas,sys; print(pandas.read_csv(sys.stdin))"

      policyterms count seeds/ --what both -o results/   # one CSV per table

      policyterms count seeds/ -o counts.xlsx   # one sheet per table

      policyterms count news/ --db news.db --new-only -o today.csv   # daily: only what is new

      policyterms count export.jsonl --text-column content --id-column url

      policyterms count seeds/ --evidence hits.csv   # every hit, to check any number by reading

      policyterms count news/ --group-by month -o by-month.csv   # when did a term rise?

      policyterms count seeds/ --level category --rates --what both -o by-category.xlsx

      policyterms count news/ --dedup   # reposts of one article counted once (see: policyterms dupes)

      policyterms count report.docx page.html scan.pdf --t2s

      policyterms count s3://bucket/news/ --scheduler tcp://10.0.0.5:8786 -o s3://bucket/counts/   # on a cluster
    """
    from .pipeline import RowStream, streamable_tables
    from .pipeline import count as count_terms
    from .render import format_for_path

    with reporting_errors():
        if engine is EngineChoice.local and scheduler is not None:
            raise UsageError("--scheduler is for --engine dask; the local engine's workers are --jobs")
        if engine is EngineChoice.dask or scheduler is not None:
            count_on_cluster(
                paths, scheduler=scheduler, partition_size=partition_size, connect_timeout=connect_timeout, what=what, group_by=group_by, quiet=quiet,
                fmt=fmt, output=output, bom=bom, raw=raw, refused=dict(db=db, new_only=new_only, evidence=evidence is not None,
                dedup=dedup, rates=rates, strict=strict, stdin_text=stdin is StdinChoice.text, jobs=jobs),
                vocab=read_vocab(vocab, wildcards, vocab_category, max_vocab_mb), unit=unit.value, window=window, zeros=zeros,
                shadowed=shadowed, segmenter=segmenter.value, level=level, rates=rates,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split,
                                       follow_symlinks),
            )
            return
        if partition_size is not None:
            raise UsageError("--partition-size is for --engine dask (the local engine sizes its partitions itself)")
        options = OutputOptions(fmt, output, bom, raw)
        names = tables_for(what, group_by, options)
        options.check(list(names))
        evidence_options = None
        if evidence is not None:  # a file name with no known suffix gets CSV
            evidence_options = OutputOptions(None if format_for_path(evidence) else OutputFormat.csv, str(evidence), bom, raw)
            evidence_options.check(["evidence"])
        threshold = dedup_threshold(dedup, threshold)
        # Per-document tables go out as their rows come back from the workers: the parent keeps none.
        # (Not with --strict: a run it stops writes nothing. Nor to stdout with --group-by a field:
        # that no document has it is a usage error known only at the end, and written rows stay written.)
        from .stats import PERIODS

        field_to_stdout = group_by is not None and group_by not in PERIODS and output is None
        streamed = () if strict or field_to_stdout else streamable_tables(
            names, rates=rates, dedup=threshold is not None or new_only)
        with options.open(names, stream_tables=streamed) as out:
            stream = RowStream({name: out.row_format(name) for name in out.streamed}, out.start, out.write_rows)
            with progress_bar(enabled=not quiet) as progress:
                result = count_terms(
                    paths, vocab=read_vocab(vocab, wildcards, vocab_category, max_vocab_mb), unit=unit.value, window=window, zeros=zeros, shadowed=shadowed,
                    tables=names, inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split,
                                       follow_symlinks),
                    jobs=jobs,
                    segmenter=segmenter.value, store=db, strict=strict, progress=progress, evidence=evidence is not None,
                    group_by=group_by, dedup=threshold, level=level, rates=rates, new_only=new_only, stream=stream,
                    match=match.value,
                )
            report_folded(result, quiet=quiet)
            if evidence is not None:
                evidence_options.write({"evidence": result.rows("evidence")})
            finish(result, options, names, quiet=quiet, out=out)


def count_on_cluster(
    paths: list[str], *, scheduler: str | None, partition_size: str | None, what: What | None, group_by: str | None,
    connect_timeout: float = 4.0,
    quiet: bool, fmt: OutputFormat | None, output: str | None, bom: bool, raw: bool, refused: dict, **count_options,
) -> None:
    """count --engine dask: the tables to OUT/ (cluster.py), the inputs' errors and the summary
    on stderr, the Dask dashboard's address when the scheduler has one."""
    import time

    from . import cluster

    started = time.perf_counter()
    options = OutputOptions(fmt or OutputFormat.parquet, output, bom, raw)
    names = tables_for(what, group_by, options)
    cluster.check_cluster_options(
        paths=paths, output=output, fmt=options.resolved_format(), tables=names, store=refused["db"],
        new_only=refused["new_only"], evidence=refused["evidence"], dedup=refused["dedup"], rates=refused["rates"],
        strict=refused["strict"],
    )
    if refused["stdin_text"]:
        raise UsageError("--engine dask reads no stdin: name the files, directories or URLs")
    if refused["jobs"] is not None:
        raise UsageError("--jobs is for the local engine: a cluster's workers are its own (local:N, or dask worker --nworkers)")
    options.check_bom()
    if scheduler is None:
        raise UsageError("--engine dask needs --scheduler: local:N (N workers on this machine) or tcp://HOST:8786")
    size = cluster.parse_size(partition_size) if partition_size is not None else cluster.DEFAULT_PARTITION_BYTES
    with cluster.connect(scheduler, timeout=connect_timeout) as client:
        timings = {"cluster_start_s": round(time.perf_counter() - started, 3)}
        if not quiet and (link := cluster.dashboard_link(client)):
            typer.echo(f"policyterms: Dask dashboard: {link}", err=True)
        with progress_bar(enabled=not quiet, minimum=1, label="partitions") as progress:
            outcome = cluster.count_on_cluster(
                paths, client=client, output=output, fmt=options.resolved_format(), tables=names, partition_size=size,
                raw=raw, bom=bom, progress=progress, scheduler=scheduler, timings=timings, group_by=group_by,
                **count_options,
            )
    result = outcome.result
    report_inputs(result.warnings, result.errors)
    _wrote([Path(output) / name for name in outcome.written])
    if not quiet:
        typer.echo(f"policyterms: {result.summary}", err=True)
    if result.errors:
        raise typer.Exit(EXIT_PARTIAL if result.summary.documents else EXIT_ERROR)


def read_vocab(path: Path | None, wildcards: WildcardChoice, category: str | None, max_mb: float = 1) -> Vocabulary:
    """The --vocab file (any dictionary format), with a warning for each entry it cannot honour."""
    from .dictionaries import load_vocabulary

    vocabulary = load_vocabulary(path, wildcards=wildcards.value, category=category, max_mb=max_mb)
    for warning in vocabulary.warnings:
        _warn(warning)
    return vocabulary


def vocabulary_table(vocabulary: Vocabulary) -> Rows:
    """The vocabulary's own metadata as a one-row table (JSON output: so a paper can cite it)."""
    from .rows import Rows

    record = {**vocabulary.metadata, "terms": len(vocabulary)}
    return Rows(tuple(record), [tuple(record.values())])


def finish(
    result: Result | AuditResult, options: OutputOptions, names: tuple[str, ...], *, quiet: bool,
    out: TableOutput | None = None,
) -> None:
    """A run's warnings and errors, the tables (those ``out`` has not streamed), the summary
    line; then the exit status."""
    from .pipeline import Result

    if isinstance(result, Result):
        tables = result.output_tables([name for name in names if out is None or name not in out.streamed])
    else:
        tables = result.tables(names)
    if options.resolved_format() == "json" and getattr(result, "vocabulary", None) is not None:
        tables = {**tables, "vocabulary": vocabulary_table(result.vocabulary)}
    finish_run(
        options, tables, warnings=result.warnings, errors=result.errors, summary=str(result.summary),
        documents=result.summary.documents, quiet=quiet, out=out,
    )


def finish_run(
    options: OutputOptions,
    tables: dict[str, AnyTable],
    *,
    warnings: list,
    errors: list,
    summary: str,
    documents: int,
    quiet: bool,
    out: TableOutput | None = None,
) -> None:
    """Every command that reads documents ends so: the inputs' warnings and errors on stderr, the
    tables, the summary line; exit 3 when some inputs could not be read, 1 when none could."""
    report_inputs(warnings, errors)
    if out is None:
        options.write(tables)
    else:
        out.finish(tables)
        _wrote(out.written)
    if not quiet:
        typer.echo(f"policyterms: {summary}", err=True)
    if errors:
        raise typer.Exit(EXIT_PARTIAL if documents else EXIT_ERROR)


def report_inputs(warnings: list, errors: list) -> None:
    for warning in without_floods(warnings):
        _warn(warning)
    for error in without_floods(errors):
        _error(error)


@contextmanager
def progress_bar(*, enabled: bool, minimum: int = PROGRESS_MIN_DOCUMENTS, label: str = "counting") -> Iterator[Progress | None]:
    """A rich progress bar on stderr, for people at a terminal and runs of more than a few
    documents (``minimum``; a cluster's bar counts partitions); None (no bar, no output) otherwise."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
    task = None

    def advance(done: int, total: int | None) -> None:
        nonlocal task
        if task is None:
            if total is not None and total < minimum:
                return
            bar.start()
            task = bar.add_task("counting", total=total)
        bar.update(task, completed=done, total=total)  # a long run's total is known once its inputs are listed

    try:
        yield advance
    finally:
        if task is not None:
            bar.stop()


def tables_for(what: What | None, group_by: str | None, options: OutputOptions) -> tuple[str, ...]:
    """The tables --what names; the groups table is the point of --group-by, and needs it."""
    if what is None:
        return ("groups",) if group_by else WHAT_TABLES[_default_what(options)]
    if what is What.groups and not group_by:
        raise OutputError("--what groups needs --group-by (year, month, source or a metadata field)")
    return WHAT_TABLES[what] + (("groups",) if what is What.all and group_by else ())


def _default_what(options: OutputOptions) -> What:
    from .render import ONE_TABLE_FORMATS, is_directory_target

    one_table_stream = options.resolved_format() in ONE_TABLE_FORMATS and (
        options.output is None or not is_directory_target(options.output)
    )
    return What.frequencies if one_table_stream else What.both


class CoocUnit(str, Enum):
    document = "document"
    paragraph = "paragraph"
    sentence = "sentence"


class CoocWhat(str, Enum):
    corpus = "corpus"
    documents = "documents"
    both = "both"


COOC_TABLES = {
    CoocWhat.corpus: ("cooccurrence_totals",),
    CoocWhat.documents: ("cooccurrence",),
    CoocWhat.both: ("cooccurrence_totals", "cooccurrence"),
}
# count or an association measure: cooc's --sort, report's and plot's --measure
MeasureChoice = Enum("MeasureChoice", {name: name for name in ("count", *MEASURES)}, type=str)


@app.command()
def cooc(
    paths: PathsArgument,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    unit: Annotated[CoocUnit, typer.Option("--unit", "-u", help="The units pairs are counted in.")] = CoocUnit.sentence,
    min_count: Annotated[int, typer.Option("--min-count", "-m", min=1, help="Leave out pairs seen in fewer units.")] = 1,
    top: Annotated[Optional[int], typer.Option("--top", "-n", min=1, help="Keep the N best pairs (per document in the per-document table).")] = None,
    sort: Annotated[MeasureChoice, typer.Option("--sort", "-s", help="Best first by this measure.")] = MeasureChoice.count,
    what: Annotated[
        Optional[CoocWhat], typer.Option("--what", help="The corpus edge list (default), the per-document edge lists, or both.")
    ] = None,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    db: DbOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Co-occurrence edge lists with association measures: count, Jaccard, Dice, PMI, NPMI and
    log-likelihood G² over units (formulas in docs/analysis.md), per document and over the corpus.

    Examples:

      policyterms cooc seeds/ --sort g2 --top 10

      policyterms cooc seeds/ --unit paragraph --min-count 2 --what both -o edges/
    """
    from .pipeline import cooc as cooc_pairs

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        names = COOC_TABLES[what or CoocWhat.corpus]
        options.check(list(names))
        with progress_bar(enabled=not quiet) as progress:
            result = cooc_pairs(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), unit=unit.value, min_count=min_count, top=top, sort=sort.value,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
                jobs=jobs, store=db, strict=strict, progress=progress,
            )
        finish(result, options, names, quiet=quiet)


@app.command()
def kwic(
    arguments: Annotated[
        list[str], typer.Argument(metavar="[TERM] PATHS...", help="A term or alias, then files and directories; without TERM when --category or --all is given.")
    ],
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="Every term of this category.")] = None,
    all_terms: Annotated[bool, typer.Option("--all", "-a", help="Every term of the vocabulary.")] = False,
    width: Annotated[int, typer.Option("--width", "-w", min=0, help="Characters of context on each side.")] = DEFAULT_WIDTH,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    vocab_category: VocabCategoryOption = None,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Keyword in context: every hit of a term (any of its aliases), a category or every term, with
    the original text around it and its place (start, end: character offsets in the document).

    Examples:

      policyterms kwic 6G seeds/

      policyterms kwic --category 未来信息 seeds/ --width 30 --format csv > lines.csv
    """
    from .pipeline import kwic as concordance

    with reporting_errors():
        if category is not None and all_terms:
            raise OutputError("give --category or --all, not both")
        term, paths = (None, arguments) if category is not None or all_terms else (arguments[0], arguments[1:])
        if not paths:
            raise OutputError(f"no files to search for '{term}' (usage: policyterms kwic TERM PATHS...)")
        options = OutputOptions(fmt, output, bom, raw)
        options.check(["kwic"])
        with progress_bar(enabled=not quiet) as progress:
            result = concordance(
                paths, term=term, category=category, vocab=read_vocab(vocab, wildcards, vocab_category, max_vocab_mb), width=width,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
                jobs=jobs, strict=strict, progress=progress,
            )
        finish(result, options, ("kwic",), quiet=quiet)


# Near-duplicates: count --dedup and the dupes report ---------------------------------------------

DedupOption = Annotated[
    bool, typer.Option("--dedup", help="Count near-duplicate documents once: the first of each cluster (see dupes).")
]
ThresholdOption = Annotated[
    Optional[float],
    typer.Option(
        "--threshold", min=0.0, max=1.0,
        help=f"Near-duplicates: the least Jaccard similarity of two documents' 5-character shingles (default {DEFAULT_THRESHOLD}).",
    ),
]


def dedup_threshold(dedup: bool, threshold: float | None) -> float | None:
    if threshold is not None and not dedup:
        raise typer.BadParameter("--threshold applies to --dedup; add --dedup", param_hint="--threshold")
    return (DEFAULT_THRESHOLD if threshold is None else threshold) if dedup else None


def report_folded(result: Result, *, quiet: bool) -> None:
    if not quiet:
        for fold in result.folded:
            typer.echo(f"policyterms: folded {fold.doc_id} into {fold.kept} (similarity {fold.similarity:.3f})", err=True)


@app.command()
def dupes(
    paths: PathsArgument,
    threshold: ThresholdOption = None,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """List clusters of near-duplicate documents (the same article reposted with other layout):
    cluster, doc_id, kept (the one count --dedup keeps: the first in input order), similarity to
    the kept one (estimated Jaccard index of 5-character shingles of letters and digits), chars.

    Exit status as for count.

    Examples:

      policyterms dupes news/

      policyterms dupes seeds/ --threshold 0.2 --format csv
    """
    from .dedup import find_duplicates

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        options.check(["duplicates"])
        with progress_bar(enabled=not quiet) as progress:
            found = find_duplicates(
                paths, threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
                inputs=input_options(globs, text_column, id_column, None, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
                jobs=jobs, strict=strict, progress=progress,
            )
        finish_run(
            options, {"duplicates": found.duplicates}, warnings=found.warnings, errors=found.errors,
            summary=str(found), documents=found.documents, quiet=quiet,
        )


DictionaryCategoryOption = Annotated[
    Optional[str],
    typer.Option("--category", "--vocab-category", help="The category of a dictionary that has none (word list, jieba user dictionary). Default: the file's name."),
]


@vocab_app.command("check")
def vocab_check(
    files: Annotated[list[Path], typer.Argument(help="Vocabulary files: YAML, or a dictionary of another tool (README: Dictionaries).")],
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: DictionaryCategoryOption = None,
) -> None:
    """Validate vocabulary files: every problem as FILE:LINE: message, exit 1 if any; what a
    dictionary of another format holds that exact matching cannot honour, as warnings.

    Example: policyterms vocab check vocab/future-industries.yaml
    """
    with reporting_errors():
        failed = False
        for file in files:
            try:
                vocabulary = read_vocab(file, wildcards, category, max_vocab_mb)
            except VocabularyError as exc:
                for problem in exc.problems:
                    _error(problem)
                failed = True
                continue
            typer.echo(f"{file}: ok, {len(vocabulary)} terms in {len(vocabulary.categories)} categories")
        if failed:
            raise typer.Exit(EXIT_ERROR)


@vocab_app.command("show")
def vocab_show(
    vocab: VocabOption = None, fmt: FormatOption = None, output: OutputOption = None, bom: BomOption = False,
    raw: RawOption = False, tree: Annotated[bool, typer.Option("--tree", help="Print the tree of (nested) categories and their terms.")] = False,
    wildcards: WildcardsOption = WildcardChoice.glob, category: DictionaryCategoryOption = None,
    max_vocab_mb: MaxVocabMbOption = 1,
) -> None:
    """Print a vocabulary's terms by category (the default vocabulary unless --vocab); --tree
    draws nested categories (未来产业/未来信息) as a tree, with the number of terms of each.

    Examples:

      policyterms vocab show --format csv > terms.csv

      policyterms vocab show --vocab my.dic --tree
    """
    with reporting_errors():
        vocabulary = read_vocab(vocab, wildcards, category, max_vocab_mb)
        if tree:
            sys.stdout.write(for_stream(category_tree(vocabulary), sys.stdout))  # escaped on a terminal, as is in a file
            return
        OutputOptions(fmt, output, bom, raw).write({"terms": vocabulary_frame(vocabulary)})


class ExportChoice(str, Enum):
    yaml = "yaml"
    liwc = "liwc"
    dicx = "dicx"
    cntext = "cntext"
    quanteda = "quanteda"
    jieba = "jieba"
    wordstat = "wordstat"
    lexicoder = "lexicoder"


@vocab_app.command("import")
def vocab_import(
    file: Annotated[Path, typer.Argument(help="A dictionary: LIWC .dic, LIWC-22 .dicx, WordStat .cat, Lexicoder .lc3, cntext or quanteda YAML, jieba user dictionary, word list.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The YAML file to write (default: stdout).")] = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: DictionaryCategoryOption = None,
) -> None:
    """Convert a dictionary of another tool to the project's YAML, keeping every term, its
    categories and the dictionary's name, description and reference; what cannot be honoured
    (wildcards, rules, weights) is named in a warning with its line.

    Examples:

      policyterms vocab import digital.yaml -o digital-terms.yaml

      policyterms vocab import LIWC2015.dic --wildcards prefix -o liwc.yaml
    """
    from .dictionaries import export_dictionary

    with reporting_errors():
        vocabulary = read_vocab(file, wildcards, category, max_vocab_mb)
        text, _ = export_dictionary(vocabulary, to="yaml")
        write_text(f"# policyterms vocab import {file.name}\n" + text, output)


@vocab_app.command("export")
def vocab_export(
    to: Annotated[ExportChoice, typer.Option("--to", help="liwc (.dic), dicx (LIWC-22), cntext or quanteda (YAML), jieba (user dictionary), wordstat (.cat), lexicoder (.lc3), yaml.")],
    vocab: VocabOption = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The file to write (default: stdout).")] = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: DictionaryCategoryOption = None,
) -> None:
    """Write the vocabulary (the default one unless --vocab) in another tool's format; what the
    format cannot hold (aliases, notes, metadata) is named in a warning.

    Examples:

      policyterms vocab export --to liwc -o future.dic

      policyterms vocab export --to jieba -o userdict.txt   # for scripts that still segment with jieba
    """
    from .dictionaries import export_dictionary

    with reporting_errors():
        vocabulary = read_vocab(vocab, wildcards, category, max_vocab_mb)
        text, lost = export_dictionary(vocabulary, to=to.value)
        for loss in lost:
            _warn(loss)
        write_text(text, output)


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(for_stream(text, sys.stdout))
        return
    from .render import atomic_open

    with atomic_open(output) as handle:
        handle.write(text)


@vocab_app.command("suggest")
def vocab_suggest(
    paths: PathsArgument,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    reference: Annotated[
        Optional[list[str]], typer.Option("--reference", "-r", help="Reference documents (repeatable): rank by keyness (G²) against them.")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many candidates to list.")] = DEFAULT_TOP,
    min_count: Annotated[int, typer.Option("--min-count", "-m", min=1, help="Leave out candidates seen fewer times.")] = DEFAULT_MIN_COUNT,
    yaml_file: Annotated[
        Optional[Path], typer.Option("--yaml", help="Also write the candidates as vocabulary entries, to paste under 'terms:'.")
    ] = None,
    category: Annotated[
        str, typer.Option("--category", help="--yaml: the category of candidates that share no sentence with a vocabulary term (the others go under the category they keep most company with).")
    ] = DEFAULT_CATEGORY,
    background: Annotated[
        bool, typer.Option("--background/--no-background", help="Rank against jieba's dictionary as general Chinese (default), or as phrases only.")
    ] = True,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Rank phrases and new words of the documents that the vocabulary lacks, for curators.

    Candidates are runs of 2-4 jieba tokens (no punctuation, numbers or function words) that contain no term or alias and are not part of one, scored as phrases (frequency, cohesion: PMI of their parts, entropy of their neighbours), by keyness against general Chinese (Log Ratio against jieba's dictionary) and by the company they keep with each category of the vocabulary (NPMI over sentences; the best category is named). docs/curation.md: "Finding new terms".

    Examples:

      policyterms vocab suggest seeds/ --top 20

      policyterms vocab suggest news/2026/ --reference news/2024/ --yaml new-terms.yaml
    """
    from .discover import suggest, yaml_fragment
    from .render import atomic_open, check_writable

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        options.check(["candidates"])
        if yaml_file is not None:
            check_writable(yaml_file)
        with progress_bar(enabled=not quiet) as progress:
            found = suggest(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), reference=reference, top=top, min_count=min_count, background=background,
                inputs=input_options(globs, text_column, id_column, None, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split), jobs=jobs, progress=progress,
            )
        if yaml_file is not None:
            with atomic_open(yaml_file) as handle:
                handle.write(yaml_fragment(found.candidates, category=category, source=" ".join(paths)))
        finish_run(
            options, {"candidates": found.candidates}, warnings=found.warnings, errors=found.errors,
            summary=found.summary, documents=found.documents, quiet=quiet,
        )


# Indices: attention, first seen, change, EPU share (indices.py) -----------------------------------


class IndexChoice(str, Enum):
    attention = "attention"
    first_seen = "first-seen"
    change = "change"
    epu = "epu"


class ShareUnitChoice(str, Enum):
    document = "document"
    sentence = "sentence"


class AttentionMeasure(str, Enum):
    per_10k_tokens = "per_10k_tokens"
    per_10k_chars = "per_10k_chars"


IndexGroupByOption = Annotated[
    Optional[str],
    typer.Option("--group-by", "-G", help="Groups: year, month, source or any metadata FIELD; several joined by commas (region,year). The last is the period of change and epu (default: year)."),
]
AllOfOption = Annotated[
    Optional[str], typer.Option("--all-of", help="epu: the categories a unit must all hold a term of, e.g. 经济,政策,不确定.")
]
ShareUnitOption = Annotated[
    ShareUnitChoice, typer.Option("--share-unit", help="epu: the share of documents, or of sentences.")
]
IndexCategoryOption = Annotated[
    Optional[list[str]], typer.Option("--category", "-c", help="attention, change: count only the hits of this category's terms (repeatable).")
]


@app.command("index")
def index_command(
    name: Annotated[IndexChoice, typer.Argument(help="attention, first-seen, change or epu.")],
    paths: PathsArgument,
    vocab: VocabOption = None,
    group_by: IndexGroupByOption = None,
    category: IndexCategoryOption = None,
    all_of: AllOfOption = None,
    share_unit: ShareUnitOption = ShareUnitChoice.document,
    measure: Annotated[
        AttentionMeasure, typer.Option("--measure", help="change: of attention per 10,000 tokens or per 10,000 characters.")
    ] = AttentionMeasure.per_10k_tokens,
    per_document: Annotated[
        bool, typer.Option("--per-document", help="attention: one row per document (with its group fields) instead of one per group.")
    ] = False,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Compute an index of policy-text studies (formulas and citations in the README, "Indices").

    attention: hits per 10,000 tokens and per 10,000 characters, per group of --group-by (per document without it).

    first-seen: per term, the first date and document that hold it.

    change: a group's attention minus its attention the year (month) before, and in percent.

    epu: the share of documents (--share-unit sentence: sentences) per period holding a term of every --all-of category (Baker, Bloom & Davis 2016), and that share scaled to a mean of 100.

    Examples:

      policyterms index attention reports.csv --id-column id --group-by region,year -o attention.xlsx

      policyterms index first-seen news/ -f csv

      policyterms index change reports/ --group-by year --measure per_10k_chars

      policyterms index epu news/ -v epu.yaml --all-of 经济,政策,不确定 --group-by month
    """
    from .indices import compute

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        table_name = name.value.replace("-", "_")
        options.check([table_name])
        with progress_bar(enabled=not quiet) as progress:
            found = compute(
                paths, index=name.value, vocab=vocab, group_by=group_by, categories=category, all_of=all_of,
                unit=share_unit.value, measure=measure.value, per_document=per_document,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb),
                jobs=jobs, strict=strict, progress=progress,
            )
        finish_run(
            options, {table_name: found.table}, warnings=found.warnings, errors=found.errors,
            summary=found.summary, documents=found.documents, quiet=quiet,
        )


DbArgument = Annotated[Path, typer.Argument(help="The results database (count --db FILE).")]


@db_app.command("export")
def db_export(
    db: DbArgument,
    what: WhatOption = None,
    group_by: GroupByOption = None,
    zeros: ZerosOption = False,
    shadowed: ShadowedOption = False,
    settings: Annotated[
        Optional[str], typer.Option("--settings", help="Settings id to export (see db info). Default: the latest used.")
    ] = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Write the tables of every document the database holds (ordered by doc_id), as count would.

    Example: policyterms db export news.db --what all -o results/
    """
    from .pipeline import export as export_store

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        names = tables_for(what, group_by, options)
        options.check(list(names))
        result = export_store(db, tables=names, zeros=zeros, shadowed=shadowed, group_by=group_by, settings=settings)
        stored = tuple(name for name in names if getattr(result, name) is not None)  # the rest: in a warning
        finish(result, options, stored, quiet=quiet)


@db_app.command("info")
def db_info(
    db: DbArgument, fmt: FormatOption = None, output: OutputOption = None, bom: BomOption = False, raw: RawOption = False
) -> None:
    """List the settings (vocabulary, unit) the database holds counts for, latest first.

    Example: policyterms db info news.db
    """
    from .rows import Rows
    from .store import Store

    with reporting_errors():
        if not db.is_file():
            raise PolicytermsError(f"{db}: no such results database")
        with Store(db) as store:
            rows = store.settings()
        columns = ["settings", "vocabulary", "unit", "window", "segmenter", "documents", "run",
                   "vocabulary_version", "vocabulary_reference", "vocabulary_sha256"]
        OutputOptions(fmt, output, bom, raw).write({"settings": Rows(tuple(columns), [tuple(row) for row in rows])})


# ── audit: where token-based tools undercount ─────────────────────────────────────────────────
class AuditWhat(str, Enum):
    terms = "terms"
    hits = "hits"
    both = "both"


AUDIT_TABLES = {AuditWhat.terms: ("audit",), AuditWhat.hits: ("audit_hits",), AuditWhat.both: ("audit", "audit_hits")}


@app.command()
def audit(
    paths: PathsArgument,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    what: Annotated[
        AuditWhat, typer.Option("--what", help="terms: one row per term; hits: one row per hit; both.")
    ] = AuditWhat.terms,
    zeros: ZerosOption = False,
    segmenter: Annotated[
        SegmenterChoice, typer.Option("--segmenter", help="jieba, or rjieba (the same tokens on Chinese text).")
    ] = SegmenterChoice.jieba,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Per term, how many of its hits jieba's tokens split apart or swallow into a longer token.

    A script that counts jieba's tokens misses those hits.

    split, swallowed: plain jieba (its own dictionary, as jieba.lcut in a script).

    split_with_vocab, swallowed_with_vocab: jieba with the vocabulary's words added (policyterms' own tokens).

    example: the tokens around the first hit plain jieba misses; those that hold the hit are bracketed.

    Examples:

      policyterms audit seeds/

      policyterms audit seeds/ --what hits -f csv -o hits.csv

      policyterms audit news/ --what both -o audit/
    """
    from .audit import audit as audit_segmentation

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        names = AUDIT_TABLES[what]
        options.check(list(names))
        inputs = input_options(globs, text_column, id_column, None, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split)
        with progress_bar(enabled=not quiet) as progress:
            result = audit_segmentation(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), tables=names, segmenter=segmenter.value, zeros=zeros, inputs=inputs, jobs=jobs, strict=strict,
                progress=progress,
            )
        finish(result, options, names, quiet=quiet)


def category_tree(vocabulary: Vocabulary) -> str:
    """Nested categories as an indented tree, each with its number of terms (those of its
    subcategories included), the terms under the category they are in."""
    from .vocab import NO_CATEGORY, PATH_SEPARATOR

    children: dict[tuple[str, ...], dict[str, None]] = {}
    terms: dict[tuple[str, ...], list[str]] = {}
    for name in vocabulary.categories:
        path = tuple((name or NO_CATEGORY).split(PATH_SEPARATOR))
        for depth in range(len(path)):
            children.setdefault(path[:depth], {})[path[depth]] = None
    for term in vocabulary.terms:
        for name in term.categories or (NO_CATEGORY,):
            terms.setdefault(tuple(name.split(PATH_SEPARATOR)), []).append(term.name)
    lines: list[str] = []

    def draw(path: tuple[str, ...]) -> None:
        for name in children.get(path, {}):
            node = (*path, name)
            under = {t for key, found in terms.items() if key[: len(node)] == node for t in found}
            lines.append(f"{'  ' * len(path)}{name} ({len(under)})")
            if node in terms:
                lines.append(f"{'  ' * len(node)}{'、'.join(terms[node])}")
            draw(node)

    draw(())
    return "".join(f"{line}\n" for line in lines)


def vocabulary_frame(vocabulary: Vocabulary) -> Rows:
    """Terms grouped by category, categories in order of first appearance."""
    from .rows import Rows

    order = {category: index for index, category in enumerate(vocabulary.categories)}
    terms = sorted(enumerate(vocabulary.terms), key=lambda item: (order[(item[1].categories or ("",))[0]], item[0]))
    rows = [(t.category, t.name, "; ".join(t.aliases), t.note) for _, t in terms]
    return Rows(("category", "term", "aliases", "note"), rows)


# Pictures: the HTML report and the static plots (report.py, plots.py; imported only when used) -----



class PeriodChoice(str, Enum):
    month = "month"
    year = "year"


class PlotKind(str, Enum):
    network = "network"
    heatmap = "heatmap"
    trend = "trend"
    xray = "xray"


MeasureOption = Annotated[
    MeasureChoice, typer.Option("--measure", help="Edge width and pair ranking: count or an association measure (see cooc).")
]
MinCountOption = Annotated[int, typer.Option("--min-count", "-m", min=1, help="Draw pairs seen together in at least this many units.")]
TopOption = Annotated[int, typer.Option("--top", "-n", min=0, help="Draw the N strongest pairs by --measure (0: all).")]
PeriodOption = Annotated[PeriodChoice, typer.Option("--period", help="Period of the term-over-time chart.")]


@app.command()
def report(
    paths: PathsArgument,
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write (- for stdout).")],
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    unit: Annotated[UnitChoice, typer.Option("--unit", "-u", help="Co-occurrence unit.")] = UnitChoice.sentence,
    window: Annotated[int, typer.Option("--window", "-w", min=1, help="Window size in tokens (±N) for --unit window.")] = 5,
    measure: MeasureOption = MeasureChoice.count,
    min_count: MinCountOption = 1,
    top: TopOption = 0,
    kwic: Annotated[int, typer.Option("--kwic", min=0, help="Keyword-in-context lines shown per term.")] = 3,
    period: PeriodOption = PeriodChoice.month,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write one self-contained HTML report (opens offline): summary, co-occurrence network,
    term × document heatmap, terms over time, sortable tables and keyword-in-context lines.

    Example: policyterms report seeds/ -o report.html --measure npmi --min-count 2
    """
    from . import report as reports

    with reporting_errors():
        reports.check_report_path(output)
        settings = reports.Settings(unit=unit.value, measure=measure.value, min_count=min_count, top=top or None,
                                    kwic_lines=kwic, period=period.value)
        with progress_bar(enabled=not quiet) as progress:
            data = reports.collect(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), settings=settings, window=window, jobs=jobs, strict=strict, progress=progress,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
            )
        _check_pictures(data.result, quiet=quiet)
        if (font_problem := reports.local_font_warning(data)) is not None:
            _warn(font_problem)
        reports.write_report(data, output)
        _finish_pictures(data.result, output, quiet=quiet)


@app.command()
def plot(
    kind: Annotated[PlotKind, typer.Argument(help="network, heatmap, trend or xray.")],
    paths: PathsArgument,
    output: Annotated[str, typer.Option("--output", "-o", help="The image to write: FILE.png, FILE.svg or FILE.pdf.")],
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    unit: Annotated[UnitChoice, typer.Option("--unit", "-u", help="Co-occurrence unit (network).")] = UnitChoice.sentence,
    window: Annotated[int, typer.Option("--window", "-w", min=1, help="Window size in tokens (±N) for --unit window.")] = 5,
    measure: MeasureOption = MeasureChoice.count,
    min_count: MinCountOption = 1,
    top: TopOption = 60,
    terms: Annotated[
        Optional[int], typer.Option("--terms", min=1, help="The N most frequent terms (heatmap: 30, trend: 8, xray: 12).")
    ] = None,
    period: PeriodOption = PeriodChoice.month,
    font: Annotated[
        Optional[Path], typer.Option("--font", help="Font file for the labels (default: an installed CJK font).")
    ] = None,
    width: Annotated[float, typer.Option("--width", min=1, max=100, help="Width in inches.")] = 10.0,
    height: Annotated[float, typer.Option("--height", min=1, max=100, help="Height in inches.")] = 7.0,
    dpi: Annotated[int, typer.Option("--dpi", min=50, max=1200, help="Dots per inch (PNG; fixes the pixel size).")] = 200,
    title: Annotated[Optional[str], typer.Option("--title", help="Title above the plot (default: what it shows).")] = None,
    index: Annotated[
        Optional[IndexChoice], typer.Option("--index", help="trend: draw this index (see: policyterms index) over the periods of --group-by.")
    ] = None,
    group_by: IndexGroupByOption = None,
    category: IndexCategoryOption = None,
    all_of: AllOfOption = None,
    share_unit: ShareUnitOption = ShareUnitChoice.document,
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    date_column: DateColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Draw a publication plot with matplotlib: the co-occurrence network, the term × document
    heatmap, terms over time (or an index over time, --index), or the x-ray of where each term's
    hits fall along each document, as PNG, SVG or PDF (by -o's suffix), labels in a CJK font.

    Examples:

      policyterms plot network seeds/ -o network.png --measure npmi --top 40

      policyterms plot heatmap seeds/ -o heatmap.pdf --width 8 --height 4 --terms 20

      policyterms plot trend news/ -o trend.svg --title 未来产业政策用语

      policyterms plot xray seeds/ -o xray.png --terms 6   # where each term's hits fall along each document

      policyterms plot trend reports.csv --index attention --group-by region,year -o attention.png

      policyterms plot trend news/ -v epu.yaml --index epu --all-of 经济,政策,不确定 --group-by month -o epu.png
    """
    from . import charts, plots
    from .pipeline import count as count_terms

    with reporting_errors():
        plots.plot_format(output)
        if index is not None:
            if kind is not PlotKind.trend:
                raise OutputError("--index draws a trend: use plot trend --index NAME")
            _plot_index(index, paths, output, vocab=vocab, group_by=group_by, category=category, all_of=all_of,
                        share_unit=share_unit, font=font, size=(width, height), dpi=dpi, title=title, jobs=jobs,
                        strict=strict, quiet=quiet,
                        inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb))
            return
        charts.check_measure(measure.value, unit.value)
        with progress_bar(enabled=not quiet) as progress:
            trend = kind is PlotKind.trend
            result = count_terms(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), unit=unit.value, window=window, measures=unit is not UnitChoice.window,
                tables=("documents", "frequencies", "totals", "cooccurrence_totals", *(("groups",) if trend else ())),
                group_by=period.value if trend else None, jobs=jobs, strict=strict, progress=progress,
                evidence=kind is PlotKind.xray,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
            )
        _check_pictures(result, quiet=quiet)
        figure, chosen = plots.make_plot(
            kind.value, result, measure=measure.value, min_count=min_count, top=top or None, terms=terms,
            font_path=font, size=(width, height), dpi=dpi, title=title,
        )
        plots.save(figure, output, font=chosen, dpi=dpi)
        _finish_pictures(result, output, quiet=quiet)


def _plot_index(
    index: IndexChoice, paths: list[str], output: str, *, vocab: Path | None, group_by: str | None,
    category: list[str] | None, all_of: str | None, share_unit: ShareUnitChoice, font: Path | None,
    size: tuple[float, float], dpi: int, title: str | None, inputs: InputOptions, jobs: int | None, strict: bool,
    quiet: bool,
) -> None:
    """plot trend --index: the index's table (as policyterms index computes it) drawn over its periods."""
    from . import plots
    from .indices import compute

    with progress_bar(enabled=not quiet) as progress:
        found = compute(paths, index=index.value, vocab=vocab, group_by=group_by, categories=category, all_of=all_of,
                        unit=share_unit.value, inputs=inputs, jobs=jobs, strict=strict, progress=progress)
    report_inputs(found.warnings, found.errors)
    if not found.documents and found.errors:
        raise typer.Exit(EXIT_ERROR)
    figure, chosen = plots.make_index_plot(found.table, index=index.value, group_by=group_by, font_path=font,
                                           size=size, dpi=dpi, title=title)
    plots.save(figure, output, font=chosen, dpi=dpi)
    if not quiet:
        typer.echo(f"policyterms: {found.summary}; wrote {output}", err=True)
    if found.errors:
        raise typer.Exit(EXIT_PARTIAL)


def _check_pictures(result: Result, *, quiet: bool) -> None:
    """Warnings and unreadable inputs on stderr; when nothing could be read, stop (exit 1) before
    writing a picture of nothing."""
    report_inputs(result.warnings, result.errors)
    if not result.summary.documents and result.errors:
        if not quiet:
            typer.echo(f"policyterms: {result.summary}", err=True)
        raise typer.Exit(EXIT_ERROR)


def _finish_pictures(result: Result, output: str, *, quiet: bool) -> None:
    if not quiet:
        typer.echo(f"policyterms: {result.summary}" + (f"; wrote {output}" if output != "-" else ""), err=True)
    if result.errors:
        raise typer.Exit(EXIT_PARTIAL)


def main() -> None:
    # `policyterms count … | head` must end quietly, as other Unix tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # SIGTERM (what `timeout` and cron's kill send) unwinds as an exit: the worker pool is torn
    # down, a half-written output's temporary file removed, a --db transaction rolled back.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    command_line(sys.argv[1:])()


def command_line(arguments: list[str]) -> typer.Typer:
    """The app with only the command that ``arguments`` name (none for a bare --version): Typer
    builds every registered command's options from its signature before it parses anything
    (25 ms for all of them, at every start), and a run needs only its own. Without a known
    command name (the overall --help, a typo that gets suggestions) it is the whole app."""
    name = next((argument for argument in arguments if not argument.startswith("-")), None)
    if name is None and "--version" in arguments and not {"-h", "--help"} & set(arguments):
        commands, groups = [], []
    else:
        commands = [info for info in app.registered_commands
                    if (info.name or typer.main.get_command_name(info.callback.__name__)) == name]
        groups = [info for info in app.registered_groups if info.name == name]
        if not commands and not groups:
            return app
    lean = copy.copy(app)
    lean.registered_commands, lean.registered_groups = commands, groups
    return lean


def _exit_on_signal(number: int, frame) -> None:
    signal.signal(number, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise SystemExit(128 + number)


def entry_point() -> None:
    """The console script: ``main()``, then, once stdout and stderr are flushed, the process ends
    with main's exit status without tearing the interpreter down (freeing every object and
    module a run made: about 50 ms of a one-document run). Every file a command writes is closed (and
    renamed into place) before main returns; should a flush fail, the interpreter ends as usual
    and reports it. Only here: the library and ``main()`` end as Python does."""
    try:
        main()
        status = EXIT_OK
    except SystemExit as stop:
        status = exit_status(stop.code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with the descriptor closed
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(status) from None
    os._exit(status)


def exit_status(code: object) -> int:
    """What the interpreter makes of ``SystemExit(code)``: None is 0, an int itself, anything
    else printed to stderr and 1."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":  # python -m policyterms.cli: main(), so that cProfile and coverage get to write their data
    main()
