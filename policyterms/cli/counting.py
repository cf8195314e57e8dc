"""count and the tables beside it: cooc (edge lists), kwic (concordance), dupes (near-duplicates)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..defaults import DEFAULT_THRESHOLD, DEFAULT_WIDTH
from ..errors import OutputError, UsageError
from ..readers.limits import MAX_DOCUMENT_MB
from .app import app
from .options import (
    BATCH, COUNTING, OUTPUT, WHAT_TABLES, BomOption, DateColumnOption, DbOption, DedupOption, EncodingOption,
    EngineChoice, FollowSymlinksOption, FormatOption, GlobOption, GroupByOption, IdColumnOption, JobsOption,
    KeepBoilerplateOption, MatchChoice, MaxMbOption, MaxVocabMbOption, MeasureChoice, NoSplitOption, OutputFormat,
    OutputOption, OutputOptions, PathsArgument, QuietOption, RawOption, SegmenterChoice, SegmenterOption,
    ShadowedOption, StdinChoice, StdinOption, StrictOption, T2sOption, TextColumnOption, ThresholdOption, UnitChoice,
    UnitOption, VocabCategoryOption, VocabOption, What, WhatOption, WildcardChoice, WildcardsOption, WindowOption,
    ZerosOption, input_options, print_written,
)
from .running import (
    EXIT_ERROR, EXIT_PARTIAL, finish, finish_run, nothing_counted, progress_bar, read_vocab, report_inputs,
    reporting_errors,
)

if TYPE_CHECKING:
    from ..pipeline import Result


@app.command()
def count(
    paths: PathsArgument,
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
    dedup: DedupOption = False,
    threshold: ThresholdOption = None,
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    vocab_category: VocabCategoryOption = None,
    match: Annotated[MatchChoice, typer.Option(
        "--match", metavar="HOW", rich_help_panel=COUNTING,
        help="text (substrings) or tokens.")] = MatchChoice.text,
    unit: UnitOption = UnitChoice.sentence,
    window: WindowOption = 5,
    segmenter: SegmenterOption = SegmenterChoice.jieba,
    group_by: GroupByOption = None,
    level: Annotated[str, typer.Option(
        "--level", "-l", metavar="LEVEL", rich_help_panel=COUNTING,
        help="term, category or category:N.")] = "term",
    rates: Annotated[bool, typer.Option(
        "--rates", rich_help_panel=COUNTING,
        help="Add per_10k_tokens, share and tfidf.")] = False,
    what: WhatOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    zeros: ZerosOption = False,
    shadowed: ShadowedOption = False,
    evidence: Annotated[Optional[Path], typer.Option(
        "--evidence", metavar="FILE", rich_help_panel=OUTPUT,
        help="Also write every hit to FILE.")] = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    db: DbOption = None,
    new_only: Annotated[bool, typer.Option(
        "--new-only", rich_help_panel=BATCH, help="With --db: only this run's new text.")] = False,
    strict: StrictOption = False,
    engine: Annotated[Optional[EngineChoice], typer.Option(
        "--engine", metavar="NAME", rich_help_panel=BATCH, show_default=False,
        help="local, or dask (docs/cluster.md).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS", rich_help_panel=BATCH,
        help="Dask: local:N or tcp://HOST:8786.")] = None,
    partition_size: Annotated[Optional[str], typer.Option(
        "--partition-size", metavar="SIZE", rich_help_panel=BATCH, show_default=False,
        help="Dask: input per task (default 128MB).")] = None,
    connect_timeout: Annotated[float, typer.Option(
        "--connect-timeout", metavar="SECONDS", min=0.1, rich_help_panel=BATCH,
        help="Dask: wait for the scheduler.")] = 4.0,
) -> None:
    """Count vocabulary terms per document, their co-occurrence, and corpus totals.

    policyterms count seeds/
    policyterms count seeds/ -f csv > counts.csv
    policyterms count seeds/ --what both -o results/    # one CSV per table
    policyterms count seeds/ -o counts.xlsx              # one sheet per table
    policyterms count news/ --group-by month -o by-month.csv
    policyterms count news/ --db news.db --new-only -o today.csv
    policyterms count export.jsonl --text-column content --id-column url
    policyterms count seeds/ --evidence hits.csv         # every hit, to check

    Exit status: 0 all counted, 1 nothing counted (or
    --strict), 2 usage error, 3 some inputs unreadable (named
    on stderr). Options: docs/options.md
    """
    from ..pipeline import RowStream, streamable_tables
    from ..pipeline import count as count_terms
    from ..render import format_for_path

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
        from ..stats import PERIODS

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
            if evidence is not None and not nothing_counted(result.errors, result.summary.documents):
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

    from .. import cluster

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
    print_written([Path(output) / name for name in outcome.written])
    if not quiet:
        typer.echo(f"policyterms: {result.summary}", err=True)
    if result.errors:
        raise typer.Exit(EXIT_PARTIAL if result.summary.documents else EXIT_ERROR)


def tables_for(what: What | None, group_by: str | None, options: OutputOptions) -> tuple[str, ...]:
    """The tables --what names; the groups table is the point of --group-by, and needs it."""
    if what is None:
        return ("groups",) if group_by else WHAT_TABLES[_default_what(options)]
    if what is What.groups and not group_by:
        raise OutputError("--what groups needs --group-by (year, month, source or a metadata field)")
    return WHAT_TABLES[what] + (("groups",) if what is What.all and group_by else ())


def _default_what(options: OutputOptions) -> What:
    from ..render import ONE_TABLE_FORMATS, is_directory_target

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


@app.command()
def cooc(
    paths: PathsArgument,
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
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    vocab_category: VocabCategoryOption = None,
    unit: Annotated[CoocUnit, typer.Option(
        "--unit", "-u", metavar="UNIT", rich_help_panel=COUNTING,
        help="The units pairs are counted in: document, paragraph or sentence.")] = CoocUnit.sentence,
    min_count: Annotated[int, typer.Option(
        "--min-count", "-m", metavar="N", min=1, rich_help_panel=COUNTING,
        help="Leave out pairs seen in fewer units.")] = 1,
    top: Annotated[Optional[int], typer.Option(
        "--top", "-n", metavar="N", min=1, rich_help_panel=OUTPUT,
        help="Keep the N best pairs (per document in the per-document table).")] = None,
    sort: Annotated[MeasureChoice, typer.Option(
        "--sort", "-s", metavar="MEASURE", rich_help_panel=OUTPUT,
        help="Best first by count, jaccard, dice, pmi, npmi or g2.")] = MeasureChoice.count,
    what: Annotated[Optional[CoocWhat], typer.Option(
        "--what", metavar="TABLES", rich_help_panel=OUTPUT, show_default=False,
        help="corpus (the default), documents, or both.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    db: DbOption = None,
    strict: StrictOption = False,
) -> None:
    """Co-occurrence edge lists with association measures, per document and corpus.

    policyterms cooc seeds/ --sort g2 --top 10
    policyterms cooc seeds/ --unit paragraph --min-count 2 --what both -o edges/

    Measures: count, Jaccard, Dice, PMI, NPMI and log-
    likelihood G² over units (formulas: docs/analysis.md).
    Exit status as for count.
    """
    from ..pipeline import cooc as cooc_pairs

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
    arguments: Annotated[list[str], typer.Argument(
        metavar="[TERM] PATHS...", show_default=False,
        help="A term or alias, then files and directories (no TERM with --category or --all).")],
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
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    vocab_category: VocabCategoryOption = None,
    category: Annotated[Optional[str], typer.Option(
        "--category", "-c", metavar="NAME", rich_help_panel=COUNTING, help="Every term of this category.")] = None,
    all_terms: Annotated[bool, typer.Option(
        "--all", "-a", rich_help_panel=COUNTING, help="Every term of the vocabulary.")] = False,
    width: Annotated[int, typer.Option(
        "--width", "-w", metavar="N", min=0, rich_help_panel=OUTPUT,
        help="Characters of context on each side.")] = DEFAULT_WIDTH,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
) -> None:
    """Keyword in context: every hit of a term, a category or every term.

    policyterms kwic 6G seeds/
    policyterms kwic --category 未来信息 seeds/ --width 30 -f csv > lines.csv

    Each line has the text around the hit and its place
    (start, end: character offsets in the document). Exit
    status as for count.
    """
    from ..pipeline import kwic as concordance

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
    globs: GlobOption = None,
    text_column: TextColumnOption = None,
    id_column: IdColumnOption = None,
    encoding: EncodingOption = None,
    stdin: StdinOption = StdinChoice.paths,
    keep_boilerplate: KeepBoilerplateOption = False,
    t2s: T2sOption = False,
    max_mb: MaxMbOption = MAX_DOCUMENT_MB,
    no_split: NoSplitOption = False,
    threshold: ThresholdOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
) -> None:
    """List clusters of near-duplicate documents (one article, reposted).

    policyterms dupes news/
    policyterms dupes seeds/ --threshold 0.2 --format csv

    Columns: cluster, doc_id, kept (the one count --dedup
    keeps: the first in input order), similarity to it
    (Jaccard index of 5-character shingles, estimated), chars.
    Exit status as for count.
    """
    from ..dedup import find_duplicates

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
