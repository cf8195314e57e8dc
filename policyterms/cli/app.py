"""The Typer app and its two command groups (vocab, db); the command modules register on them."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from .running import state

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Count the terms of a curated vocabulary in Chinese policy documents.\n\n"
    "policyterms count seeds/\n"
    "policyterms count seeds/ --format csv > counts.csv\n"
    "policyterms report seeds/ -o report.html\n\n"
    "Each command's options: policyterms COMMAND --help, and docs/options.md",
)
vocab_app = typer.Typer(no_args_is_help=True, help="Vocabularies: check, show, import, export, suggest terms.")
app.add_typer(vocab_app, name="vocab")
db_app = typer.Typer(no_args_is_help=True, help="The results database that count --db keeps.")
app.add_typer(db_app, name="db")


HELP_OPTIONS = frozenset({"-h", "--help"})


def help_without_ranges() -> None:
    """--help at 80 columns: an option's range ([x>=0.001]) widens the type column of every option
    beside it and squeezes their help into a few characters; a value out of range gets an error
    that names the range anyway. Set only when help is asked for: typer.rich_utils (rich's
    Markdown, tracebacks) takes 65 ms to import, more than a run of one document."""
    import typer.rich_utils

    typer.rich_utils.RANGE_STRING = ""


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
    state["debug"] = debug
