"""policyterms db: the results database that count --db keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import PolicytermsError
from .app import db_app
from .counting import tables_for
from .options import (
    COUNTING, BomOption, FormatOption, GroupByOption, OutputOption, OutputOptions, QuietOption, RawOption,
    ShadowedOption, WhatOption, ZerosOption,
)
from .running import finish, reporting_errors

DbArgument = Annotated[Path, typer.Argument(metavar="DB", show_default=False, help="The database of count --db.")]


@db_app.command("export")
def db_export(
    db: DbArgument,
    what: WhatOption = None,
    group_by: GroupByOption = None,
    zeros: ZerosOption = False,
    shadowed: ShadowedOption = False,
    settings: Annotated[Optional[str], typer.Option(
        "--settings", metavar="ID", rich_help_panel=COUNTING, help="Settings to export (default: the latest).")] = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    raw: RawOption = False,
) -> None:
    """Write the tables of every document the database holds, as count would.

    policyterms db export news.db --what all -o results/

    Documents in the order of their doc_id; --settings: see db
    info.
    """
    from ..pipeline import export as export_store

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
    """List the settings (vocabulary, unit) the database holds counts for.

    policyterms db info news.db

    The latest first.
    """
    from ..rows import Rows
    from ..store import Store

    with reporting_errors():
        if not db.is_file():
            raise PolicytermsError(f"{db}: no such results database")
        with Store(db) as store:
            rows = store.settings()
        columns = ["settings", "vocabulary", "unit", "window", "segmenter", "documents", "run",
                   "vocabulary_version", "vocabulary_reference", "vocabulary_sha256"]
        OutputOptions(fmt, output, bom, raw).write({"settings": Rows(tuple(columns), [tuple(row) for row in rows])})
