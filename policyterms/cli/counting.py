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
    WHAT_TABLES, BomOption, DateColumnOption, DbOption, EncodingOption, EngineChoice, FollowSymlinksOption,
    FormatOption, GlobOption, GroupByOption, IdColumnOption, JobsOption, KeepBoilerplateOption, MatchChoice,
    MaxMbOption, MaxVocabMbOption, MeasureChoice, NoSplitOption, OutputFormat, OutputOption, OutputOptions,
    PathsArgument, QuietOption, RawOption, SegmenterChoice, ShadowedOption, StdinChoice, StdinOption, StrictOption,
    T2sOption, TextColumnOption, UnitChoice, VocabCategoryOption, VocabOption, What, WhatOption, WildcardChoice,
    WildcardsOption, ZerosOption, input_options, print_written,
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


