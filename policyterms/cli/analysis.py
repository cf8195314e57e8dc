"""The analyses beyond counts: index (attention, first-seen, change, EPU) and audit."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ..readers.limits import MAX_DOCUMENT_MB
from .app import app
from .options import (
    COUNTING, OUTPUT, BomOption, DateColumnOption, EncodingOption, FormatOption, GlobOption, IdColumnOption,
    JobsOption, KeepBoilerplateOption, MaxMbOption, NoSplitOption, OutputOption, OutputOptions, PathsArgument,
    QuietOption, RawOption, SegmenterChoice, SegmenterOption, StdinChoice, StdinOption, StrictOption, T2sOption,
    TextColumnOption, VocabCategoryOption, VocabOption, WildcardChoice, WildcardsOption, ZerosOption, choice_of,
    input_options,
)
from .running import finish, finish_run, progress_bar, read_vocab, reporting_errors


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
    typer.Option("--group-by", "-G", metavar="FIELDS", rich_help_panel=COUNTING,
                 help="year, month, source or fields: region,year."),
]
AllOfOption = Annotated[
    Optional[str], typer.Option("--all-of", metavar="NAMES", rich_help_panel=COUNTING,
                                help="epu: categories a unit must all hold.")
]
ShareUnitOption = Annotated[
    ShareUnitChoice, typer.Option("--share-unit", metavar="UNIT", rich_help_panel=COUNTING,
                                  help="epu: a share of document or sentence.")
]
IndexCategoryOption = Annotated[
    Optional[list[str]], typer.Option("--category", "-c", metavar="NAME", rich_help_panel=COUNTING,
                                      help="Only this category's hits (repeatable).")
]


@app.command("index")
def index_command(
    name: Annotated[str, typer.Argument(
        metavar="INDEX", show_default=False, callback=choice_of(IndexChoice),
        help="attention, first-seen, change or epu.")],
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
    vocab: VocabOption = None,
    group_by: IndexGroupByOption = None,
    category: IndexCategoryOption = None,
    all_of: AllOfOption = None,
    share_unit: ShareUnitOption = ShareUnitChoice.document,
    measure: Annotated[AttentionMeasure, typer.Option(
        "--measure", metavar="MEASURE", rich_help_panel=COUNTING,
        help="change: of per_10k_tokens or per_10k_chars.")] = AttentionMeasure.per_10k_tokens,
    per_document: Annotated[bool, typer.Option(
        "--per-document", rich_help_panel=OUTPUT, help="attention: a row per document.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
) -> None:
    """Compute an index of policy-text studies over groups of documents.

    policyterms index attention reports/ --group-by year
    policyterms index first-seen news/ -f csv
    policyterms index change reports/ --group-by year --measure per_10k_chars
    policyterms index epu news/ -v epu.yaml --all-of 经济,政策,不确定 -G month

    attention: hits per 10,000 tokens and characters, per
    group (--group-by).

    first-seen: per term, the first date and document that
    hold it.

    change: a group's attention minus that of the period
    before, and in %.

    epu: the share of documents (or sentences) holding a term
    of every --all-of category (Baker, Bloom & Davis 2016),
    scaled to a mean of 100.

    Formulas and citations: docs/analysis.md
    """
    from ..indices import compute

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


# ── audit: where token-based tools undercount ─────────────────────────────────────────────────
class AuditWhat(str, Enum):
    terms = "terms"
    hits = "hits"
    both = "both"


AUDIT_TABLES = {AuditWhat.terms: ("audit",), AuditWhat.hits: ("audit_hits",), AuditWhat.both: ("audit", "audit_hits")}


@app.command()
def audit(
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
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    vocab_category: VocabCategoryOption = None,
    segmenter: SegmenterOption = SegmenterChoice.jieba,
    what: Annotated[AuditWhat, typer.Option(
        "--what", metavar="TABLES", rich_help_panel=OUTPUT,
        help="terms (a row per term), hits (per hit) or both.")] = AuditWhat.terms,
    zeros: ZerosOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,
) -> None:
    """Per term, how many hits jieba's tokens split apart or swallow.

    policyterms audit seeds/
    policyterms audit seeds/ --what hits -f csv -o hits.csv
    policyterms audit news/ --what both -o audit/

    A script that counts jieba's tokens misses those hits.
    split, swallowed: plain jieba (as jieba.lcut in a script);
    split_with_vocab, swallowed_with_vocab: jieba with the
    vocabulary's words added; example: the tokens around the
    first hit plain jieba misses, those of the hit in [ ].
    """
    from ..audit import audit as audit_segmentation

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
