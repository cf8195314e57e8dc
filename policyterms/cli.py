"""The ``policyterms`` command: parse options, call the library, render. Nothing else."""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer

from . import __version__
from .errors import OutputError, PolicytermsError, VocabularyError
from .pipeline import count as count_terms
from .render import check_destination, format_for_path, is_directory_target, write_tables
from .vocab import Vocabulary, load_vocabulary

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

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


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


class UnitChoice(str, Enum):
    document = "document"
    paragraph = "paragraph"
    sentence = "sentence"
    window = "window"


class What(str, Enum):
    frequencies = "frequencies"
    totals = "totals"
    cooccurrence = "cooccurrence"
    documents = "documents"
    both = "both"
    all = "all"


WHAT_TABLES = {
    What.frequencies: ("frequencies",),
    What.totals: ("totals",),
    What.cooccurrence: ("cooccurrence",),
    What.documents: ("documents",),
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
VocabOption = Annotated[
    Optional[Path],
    typer.Option("--vocab", "-v", help="Vocabulary YAML file. Default: the installed future-industries.yaml."),
]


@dataclass(frozen=True)
class OutputOptions:
    fmt: OutputFormat | None
    output: str | None
    bom: bool

    def resolved_format(self) -> str:
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
        check_destination(names, fmt=self.resolved_format(), output=self.output)

    def write(self, tables: dict[str, pd.DataFrame]) -> None:
        written = write_tables(tables, fmt=self.resolved_format(), stream=sys.stdout, output=self.output, bom=self.bom)
        if sys.stderr.isatty():  # a note for people; scripts and cron get a quiet stderr
            for path in written:
                typer.echo(f"wrote {path}", err=True)


_state = {"debug": False}


def _error(message: str) -> None:
    typer.echo(f"policyterms: error: {message}", err=True)


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
    except OutputError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except PolicytermsError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence before a user sees a traceback
        if _state["debug"]:
            traceback.print_exc()
        else:
            _error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        raise typer.Exit(EXIT_ERROR) from None


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
    paths: Annotated[list[str], typer.Argument(help="Files, directories (.txt and .md inside, recursively) or - for stdin.")],
    vocab: VocabOption = None,
    unit: Annotated[UnitChoice, typer.Option("--unit", "-u", help="Co-occurrence unit.")] = UnitChoice.sentence,
    window: Annotated[int, typer.Option("--window", "-w", min=1, help="Window size in tokens (±N) for --unit window.")] = 5,
    what: Annotated[
        Optional[What],
        typer.Option("--what", help="Tables to write. Default: frequencies for CSV/TSV on stdout, else both."),
    ] = None,
    zeros: Annotated[bool, typer.Option("--zeros", help="Also list terms with a count of 0.")] = False,
    shadowed: Annotated[
        bool, typer.Option("--shadowed", help="Add a column of matches that lost their characters to another term's hit (not counted).")
    ] = False,
    encoding: Annotated[Optional[str], typer.Option("--encoding", "-e", help="Input encoding (default: UTF-8, else GB18030).")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """Count vocabulary terms per document, their co-occurrence, and corpus totals.

    Examples:

      policyterms count seeds/

      policyterms count seeds/ --format csv | python -c "import pandas,sys; print(pandas.read_csv(sys.stdin))"

      policyterms count seeds/ --what both -o results/   # one CSV per table
    """
    with reporting_errors():
        options = OutputOptions(fmt, output, bom)
        names = WHAT_TABLES[what or _default_what(options)]
        options.check(list(names))
        result = count_terms(
            paths, vocab=vocab, unit=unit.value, window=window, zeros=zeros, shadowed=shadowed, encoding=encoding,
            tables=names,
        )
        for error in result.errors:
            _error(str(error))
        options.write(result.tables(names))
        if result.errors:
            raise typer.Exit(EXIT_ERROR)


def _default_what(options: OutputOptions) -> What:
    one_table_stream = options.resolved_format() in ("csv", "tsv") and (
        options.output is None or not is_directory_target(options.output)
    )
    return What.frequencies if one_table_stream else What.both


@vocab_app.command("check")
def vocab_check(files: Annotated[list[Path], typer.Argument(help="Vocabulary YAML files.")]) -> None:
    """Validate vocabulary files: every problem as FILE:LINE: message, exit 1 if any.

    Example: policyterms vocab check vocab/future-industries.yaml
    """
    with reporting_errors():
        failed = False
        for file in files:
            try:
                vocabulary = load_vocabulary(file)
            except VocabularyError as exc:
                for problem in exc.problems:
                    _error(problem)
                failed = True
                continue
            typer.echo(f"{file}: ok, {len(vocabulary)} terms in {len(vocabulary.categories)} categories")
        if failed:
            raise typer.Exit(EXIT_ERROR)


@vocab_app.command("show")
def vocab_show(vocab: VocabOption = None, fmt: FormatOption = None, output: OutputOption = None, bom: BomOption = False) -> None:
    """Print a vocabulary's terms by category (the default vocabulary unless --vocab).

    Example: policyterms vocab show --format csv > terms.csv
    """
    with reporting_errors():
        vocabulary = load_vocabulary(vocab)
        OutputOptions(fmt, output, bom).write({"terms": vocabulary_frame(vocabulary)})


def vocabulary_frame(vocabulary: Vocabulary) -> pd.DataFrame:
    """Terms grouped by category, categories in order of first appearance."""
    order = {category: index for index, category in enumerate(vocabulary.categories)}
    terms = sorted(enumerate(vocabulary.terms), key=lambda item: (order[item[1].category], item[0]))
    rows = [(t.category, t.name, "; ".join(t.aliases), t.note) for _, t in terms]
    return pd.DataFrame.from_records(rows, columns=["category", "term", "aliases", "note"])


def main() -> None:
    # `policyterms count … | head` must end quietly, as other Unix tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()


if __name__ == "__main__":
    main()
