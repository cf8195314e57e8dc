"""policyterms vocab: check, show, import, export and suggest."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..defaults import DEFAULT_CATEGORY, DEFAULT_MIN_COUNT, DEFAULT_TOP
from ..errors import VocabularyError
from ..names import for_stream
from ..readers.limits import MAX_DOCUMENT_MB
from .app import vocab_app
from .options import (
    COUNTING, OUTPUT, BomOption, EncodingOption, FormatOption, GlobOption, IdColumnOption, JobsOption,
    KeepBoilerplateOption, MaxMbOption, MaxVocabMbOption, NoSplitOption, OutputOption, OutputOptions, PathsArgument,
    QuietOption, RawOption, StdinChoice, StdinOption, T2sOption, TextColumnOption, VocabCategoryOption, VocabOption,
    WildcardChoice, WildcardsOption, input_options,
)
from .running import EXIT_ERROR, finish_run, print_error, print_warning, progress_bar, read_vocab, reporting_errors

if TYPE_CHECKING:
    from ..rows import Rows
    from ..vocab import Vocabulary


@vocab_app.command("check")
def vocab_check(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILES...", show_default=False, help="YAML vocabularies or dictionaries (docs/counting.md).")],
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: VocabCategoryOption = None,
) -> None:
    """Validate vocabulary files: every problem as FILE:LINE: message.

    policyterms vocab check vocab/future-industries.yaml

    Exit 1 if any file has a problem. What a dictionary of
    another format holds that exact matching cannot honour is
    named in a warning.
    """
    with reporting_errors():
        failed = False
        for file in files:
            try:
                vocabulary = read_vocab(file, wildcards, category, max_vocab_mb)
            except VocabularyError as exc:
                for problem in exc.problems:
                    print_error(problem)
                failed = True
                continue
            typer.echo(f"{file}: ok, {len(vocabulary)} terms in {len(vocabulary.categories)} categories")
        if failed:
            raise typer.Exit(EXIT_ERROR)


@vocab_app.command("show")
def vocab_show(
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: VocabCategoryOption = None,
    tree: Annotated[bool, typer.Option(
        "--tree", rich_help_panel=OUTPUT, help="The tree of nested categories.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Print a vocabulary's terms by category (the default one unless --vocab).

    policyterms vocab show --format csv > terms.csv
    policyterms vocab show --vocab my.dic --tree

    --tree draws nested categories (未来产业/未来信息) as a tree, with
    the number of terms of each.
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
    file: Annotated[Path, typer.Argument(
        metavar="FILE", show_default=False, help="Another tool's dictionary (docs/counting.md).")],
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: VocabCategoryOption = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", rich_help_panel=OUTPUT, help="The YAML to write (default: stdout).")] = None,
) -> None:
    """Convert another tool's dictionary to the project's YAML.

    policyterms vocab import digital.yaml -o digital-terms.yaml
    policyterms vocab import LIWC2015.dic --wildcards prefix -o liwc.yaml

    Reads LIWC .dic, LIWC-22 .dicx, WordStat .cat, Lexicoder
    .lc3, cntext and quanteda YAML, jieba user dictionaries
    and word lists. Every term, its categories and the
    dictionary's name, description and reference are kept;
    what cannot be honoured (wildcards, rules, weights) is
    named in a warning.
    """
    from ..dictionaries import export_dictionary

    with reporting_errors():
        vocabulary = read_vocab(file, wildcards, category, max_vocab_mb)
        text, _ = export_dictionary(vocabulary, to="yaml")
        write_text(f"# policyterms vocab import {file.name}\n" + text, output)


@vocab_app.command("export")
def vocab_export(
    to: Annotated[ExportChoice, typer.Option(
        "--to", metavar="FORMAT", rich_help_panel=OUTPUT, show_default=False,
        help="liwc, dicx, cntext, quanteda, jieba, wordstat, lexicoder or yaml.")],
    vocab: VocabOption = None,
    wildcards: WildcardsOption = WildcardChoice.glob,
    max_vocab_mb: MaxVocabMbOption = 1,
    category: VocabCategoryOption = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", rich_help_panel=OUTPUT, help="The file to write (default: stdout).")] = None,
) -> None:
    """Write the vocabulary in another tool's format.

    policyterms vocab export --to liwc -o future.dic
    policyterms vocab export --to jieba -o userdict.txt

    liwc: .dic; dicx: LIWC-22; cntext, quanteda: YAML; jieba:
    a user dictionary; wordstat: .cat; lexicoder: .lc3. What
    the format cannot hold (aliases, notes, metadata) is named
    in a warning.
    """
    from ..dictionaries import export_dictionary

    with reporting_errors():
        vocabulary = read_vocab(vocab, wildcards, category, max_vocab_mb)
        text, lost = export_dictionary(vocabulary, to=to.value)
        for loss in lost:
            print_warning(loss)
        write_text(text, output)


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(for_stream(text, sys.stdout))
        return
    from ..render import atomic_open

    with atomic_open(output) as handle:
        handle.write(text)


@vocab_app.command("suggest")
def vocab_suggest(
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
    reference: Annotated[Optional[list[str]], typer.Option(
        "--reference", "-r", metavar="PATH", rich_help_panel=COUNTING,
        help="Rank by keyness against these (repeatable).")] = None,
    min_count: Annotated[int, typer.Option(
        "--min-count", "-m", metavar="N", min=1, rich_help_panel=COUNTING,
        help="Leave out candidates seen fewer times.")] = DEFAULT_MIN_COUNT,
    no_background: Annotated[bool, typer.Option(
        "--no-background", rich_help_panel=COUNTING,
        help="No keyness against general Chinese (jieba's words).")] = False,
    top: Annotated[int, typer.Option(
        "--top", "-n", metavar="N", min=1, rich_help_panel=OUTPUT, help="How many candidates to list.")] = DEFAULT_TOP,
    yaml_file: Annotated[Optional[Path], typer.Option(
        "--yaml", metavar="FILE", rich_help_panel=OUTPUT, help="Also write them as a vocabulary file.")] = None,
    into: Annotated[Optional[Path], typer.Option(
        "--into", metavar="FILE", rich_help_panel=OUTPUT,
        help="Add them to this vocabulary, by category.")] = None,
    category: Annotated[str, typer.Option(
        "--category", metavar="NAME", rich_help_panel=OUTPUT,
        help="--yaml, --into: for candidates of no category.")] = DEFAULT_CATEGORY,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
) -> None:
    """Rank the phrases and new words the vocabulary lacks, for curators.

    policyterms vocab suggest seeds/ --top 20
    policyterms vocab suggest reports/ --top 40 --yaml new-terms.yaml
    policyterms vocab suggest reports/ --top 10 --into my-vocab.yaml

    Candidates are runs of 2-4 jieba tokens that hold no term,
    and the items of 、 lists that stand beside vocabulary
    terms (their siblings, whose category they get); scored as
    phrases, by keyness against general Chinese and by how
    often they stand in such lists. --into keeps the file's
    comments and refuses a term already there.
    docs/curation.md: "Finding new terms".
    """
    from ..discover import add_to_vocabulary, suggest, vocabulary_file
    from ..render import check_writable

    with reporting_errors():
        options = OutputOptions(fmt, output, bom, raw)
        options.check(["candidates"])
        for target in (yaml_file, into):
            if target is not None:
                check_writable(target)
        into_text = read_vocabulary_text(into) if into is not None else None
        with progress_bar(enabled=not quiet) as progress:
            found = suggest(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), reference=reference, top=top, min_count=min_count, background=not no_background,
                inputs=input_options(globs, text_column, id_column, None, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split), jobs=jobs, progress=progress,
            )
        for target in (yaml_file, into):
            if target is not None and found.candidates.empty:  # a vocabulary of no terms would not load
                print_warning(f"{target}: no candidates, nothing written")
        if yaml_file is not None and not found.candidates.empty:
            write_text(vocabulary_file(found.candidates, category=category, source=" ".join(paths)), yaml_file)
        if into is not None and not found.candidates.empty:
            write_text(add_to_vocabulary(into_text, found.candidates, source=str(into), category=category), into)
        finish_run(
            options, {"candidates": found.candidates}, warnings=found.warnings, errors=found.errors,
            summary=found.summary, documents=found.documents, quiet=quiet,
        )


def read_vocabulary_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError([f"{path}: cannot be read ({exc.strerror if isinstance(exc, OSError) else 'not UTF-8'})"]) from None


def category_tree(vocabulary: Vocabulary) -> str:
    """Nested categories as an indented tree, each with its number of terms (those of its
    subcategories included), the terms under the category they are in."""
    from ..vocab import NO_CATEGORY, PATH_SEPARATOR

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
    from ..rows import Rows

    order = {category: index for index, category in enumerate(vocabulary.categories)}
    terms = sorted(enumerate(vocabulary.terms), key=lambda item: (order[(item[1].categories or ("",))[0]], item[0]))
    rows = [(t.category, t.name, "; ".join(t.aliases), t.note) for _, t in terms]
    return Rows(("category", "term", "aliases", "note"), rows)
