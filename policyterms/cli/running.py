"""What every command does around its work: errors as one line on stderr (tracebacks only with
--debug), warnings, the progress bar, the vocabulary, and the end of a run (tables, summary, exit
status)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import OutputError, PolicytermsError, UsageError, VocabularyError, without_floods
from ..names import printable
from .options import OutputOptions, WildcardChoice, print_written

if TYPE_CHECKING:
    from ..audit import AuditResult
    from ..batch import Progress
    from ..pipeline import Result
    from ..render import AnyTable, TableOutput
    from ..rows import Rows
    from ..vocab import Vocabulary

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PROGRESS_MIN_DOCUMENTS = 20  # fewer than this finish before a bar would be worth showing


state = {"debug": False}


def print_error(message: str) -> None:
    typer.echo(f"policyterms: error: {printable(message)}", err=True)


def print_warning(message: str) -> None:
    typer.echo(f"policyterms: warning: {printable(message)}", err=True)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Our own errors become one line on stderr and exit 1 (2 for output-option misuse);
    anything else too, unless --debug asks for the traceback."""
    try:
        yield
    except VocabularyError as exc:
        for problem in exc.problems:
            print_error(problem)
        raise typer.Exit(EXIT_ERROR) from None
    except (OutputError, UsageError) as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except PolicytermsError as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
        raise
    except OSError as exc:  # stdout on a full disk, a file that went away: the path and the cause
        print_error(f"{exc.filename or 'writing the output'}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_ERROR) from None
    except UnicodeEncodeError as exc:
        if not _in_stdout_encoding(exc):
            _unexpected(exc)
        print_error(f"stdout's encoding ({sys.stdout.encoding}) cannot hold the text ({exc.object[exc.start:exc.end]!r}): "
               "set PYTHONIOENCODING=utf-8, or write a file with -o FILE (always UTF-8)")
        raise typer.Exit(EXIT_ERROR) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence before a user sees a traceback
        _unexpected(exc)


def _unexpected(exc: Exception) -> None:
    if state["debug"]:
        traceback.print_exc()
    else:
        print_error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
    raise typer.Exit(EXIT_ERROR) from None


def _in_stdout_encoding(exc: UnicodeEncodeError) -> bool:
    """The error came from writing to stdout in an encoding other than UTF-8 (PYTHONIOENCODING,
    or a locale such as en_US.ISO-8859-1): the text cannot be written there at all."""
    from ..render import codec_name

    stdout = codec_name(sys.stdout.encoding)
    return stdout not in (None, "utf-8") and codec_name(exc.encoding) == stdout


def read_vocab(path: Path | None, wildcards: WildcardChoice, category: str | None, max_mb: float = 1) -> Vocabulary:
    """The --vocab file (any dictionary format), with a warning for each entry it cannot honour."""
    from ..dictionaries import load_vocabulary

    vocabulary = load_vocabulary(path, wildcards=wildcards.value, category=category, max_mb=max_mb)
    for warning in vocabulary.warnings:
        print_warning(warning)
    return vocabulary


def vocabulary_table(vocabulary: Vocabulary) -> Rows:
    """The vocabulary's own metadata as a one-row table (JSON output: so a paper can cite it)."""
    from ..rows import Rows

    record = {**vocabulary.metadata, "terms": len(vocabulary)}
    return Rows(tuple(record), [tuple(record.values())])


def finish(
    result: Result | AuditResult, options: OutputOptions, names: tuple[str, ...], *, quiet: bool,
    out: TableOutput | None = None,
) -> None:
    """A run's warnings and errors, the tables (those ``out`` has not streamed), the summary
    line; then the exit status."""
    from ..pipeline import Result

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
    tables, the summary line; exit 3 when some inputs could not be read, 1 when none could (and
    then no tables: stdout stays empty, no file is put in place)."""
    report_inputs(warnings, errors)
    failed = nothing_counted(errors, documents)
    if out is None and not failed:
        options.write(tables)
    elif out is not None and not failed:
        out.finish(tables)
        print_written(out.written)
    if not quiet:
        typer.echo(f"policyterms: {summary}", err=True)
    if errors:
        raise typer.Exit(EXIT_ERROR if failed else EXIT_PARTIAL)


def nothing_counted(errors: list, documents: int) -> bool:
    """A run that fails (exit 1): no input could be read. It writes no table, not even a header."""
    return bool(errors) and not documents


def report_inputs(warnings: list, errors: list) -> None:
    for warning in without_floods(warnings):
        print_warning(warning)
    for error in without_floods(errors):
        print_error(error)


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
