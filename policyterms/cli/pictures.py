"""Pictures: the HTML report and the static plots (report.py, plots.py; imported only when used)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import OutputError, PlotWarning, UsageError
from ..readers.limits import MAX_DOCUMENT_MB
from .analysis import (
    AllOfOption, IndexCategoryOption, IndexChoice, IndexGroupByOption, ShareUnitChoice, ShareUnitOption,
)
from .app import app
from .options import (
    OUTPUT, DateColumnOption, EncodingOption, GlobOption, IdColumnOption, JobsOption, KeepBoilerplateOption,
    MaxMbOption, MeasureChoice, NoSplitOption, PathsArgument, QuietOption, StdinChoice, StdinOption, StrictOption,
    T2sOption, TextColumnOption, UnitChoice, UnitOption, VocabCategoryOption, VocabOption, WildcardChoice,
    WildcardsOption, WindowOption, choice_of, input_options,
)
from .running import EXIT_ERROR, EXIT_PARTIAL, print_warning, progress_bar, read_vocab, report_inputs, reporting_errors

if TYPE_CHECKING:
    from ..batch import InputOptions
    from ..pipeline import Result


# Pictures: the HTML report and the static plots (report.py, plots.py; imported only when used) -----


class PeriodChoice(str, Enum):
    month = "month"
    year = "year"


class PlotKind(str, Enum):
    network = "network"
    heatmap = "heatmap"
    trend = "trend"
    xray = "xray"


PICTURE = "Picture"  # the panel of what is drawn and how

MeasureOption = Annotated[
    MeasureChoice, typer.Option("--measure", metavar="MEASURE", rich_help_panel=PICTURE,
                                help="Edge width: count, jaccard, dice, pmi, npmi or g2.")
]
MinCountOption = Annotated[int, typer.Option(
    "--min-count", "-m", metavar="N", min=1, rich_help_panel=PICTURE, help="Pairs seen in N units or more.")]
PeriodOption = Annotated[Optional[PeriodChoice], typer.Option(
    "--period", metavar="PERIOD", show_default=False, rich_help_panel=PICTURE,
    help="Trend by month or year (default: by the dates' span).")]


@app.command()
def report(
    paths: PathsArgument,
    *,  # --output, required, after the input options: --help's panels keep their order
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
    vocab_category: VocabCategoryOption = None,
    unit: UnitOption = UnitChoice.sentence,
    window: WindowOption = 5,
    measure: MeasureOption = MeasureChoice.count,
    min_count: MinCountOption = 1,
    top: Annotated[int, typer.Option(
        "--top", "-n", metavar="N", min=0, rich_help_panel=PICTURE, help="The N strongest pairs (0: all).")] = 0,
    kwic: Annotated[int, typer.Option(
        "--kwic", metavar="N", min=0, rich_help_panel=PICTURE, help="Keyword-in-context lines per term.")] = 3,
    period: PeriodOption = None,
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", rich_help_panel=OUTPUT, show_default=False,
        help="The HTML file to write (- for stdout).")],
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,

) -> None:
    """Write one HTML report that opens offline.

    policyterms report seeds/ -o report.html
    policyterms report news/ -o report.html --measure npmi --min-count 2

    The page holds a summary, the co-occurrence network, the
    term × document heatmap, terms over time, sortable tables
    and keyword-in-context lines (docs/pictures.md).
    """
    from .. import report as reports

    with reporting_errors():
        reports.check_report_path(output)
        settings = reports.Settings(unit=unit.value, measure=measure.value, min_count=min_count, top=top or None,
                                    kwic_lines=kwic, period=period and period.value)
        with progress_bar(enabled=not quiet) as progress:
            data = reports.collect(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), settings=settings, window=window, jobs=jobs, strict=strict, progress=progress,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
            )
        _check_pictures(data.result, quiet=quiet)
        if (font_problem := reports.local_font_warning(data)) is not None:
            print_warning(font_problem)
        reports.write_report(data, output)
        _finish_pictures(data.result, output, quiet=quiet)


@app.command()
def plot(
    kind: Annotated[str, typer.Argument(
        metavar="KIND", show_default=False, callback=choice_of(PlotKind),
        help="network, heatmap, trend or xray.")],
    paths: PathsArgument,
    *,  # --output, required, after the input options: --help's panels keep their order
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
    vocab_category: VocabCategoryOption = None,
    unit: UnitOption = UnitChoice.sentence,
    window: WindowOption = 5,
    measure: MeasureOption = MeasureChoice.count,
    min_count: MinCountOption = 1,
    top: Annotated[int, typer.Option(
        "--top", "-n", metavar="N", min=0, rich_help_panel=PICTURE,
        help="network: the N strongest pairs (0: all).")] = 60,
    terms: Annotated[Optional[int], typer.Option(
        "--terms", metavar="N", min=1, rich_help_panel=PICTURE, show_default=False,
        help="The N most frequent terms (docs/pictures.md).")] = None,
    documents: Annotated[int, typer.Option(
        "--documents", metavar="N", min=0, rich_help_panel=PICTURE,
        help="xray: the N with the most hits (0: all).")] = 20,
    period: PeriodOption = None,
    index: Annotated[Optional[IndexChoice], typer.Option(
        "--index", metavar="INDEX", rich_help_panel=PICTURE, show_default=False,
        help="trend: an index over --group-by's periods.")] = None,
    group_by: IndexGroupByOption = None,
    category: IndexCategoryOption = None,
    all_of: AllOfOption = None,
    share_unit: ShareUnitOption = ShareUnitChoice.document,
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", rich_help_panel=OUTPUT, show_default=False,
        help="FILE.png, FILE.svg or FILE.pdf.")],
    font: Annotated[Optional[Path], typer.Option(
        "--font", metavar="FILE", rich_help_panel=OUTPUT, help="Font for the labels (default: a CJK font).")] = None,
    width: Annotated[float, typer.Option(
        "--width", metavar="INCHES", min=1, max=100, rich_help_panel=OUTPUT, help="Width.")] = 10.0,
    height: Annotated[float, typer.Option(
        "--height", metavar="INCHES", min=1, max=100, rich_help_panel=OUTPUT, help="Height.")] = 7.0,
    dpi: Annotated[int, typer.Option(
        "--dpi", metavar="N", min=50, max=1200, rich_help_panel=OUTPUT, help="Dots per inch (PNG).")] = 200,
    title: Annotated[Optional[str], typer.Option(
        "--title", metavar="TEXT", rich_help_panel=OUTPUT, help="Title (default: what it shows).")] = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    strict: StrictOption = False,

) -> None:
    """Draw a plot with matplotlib, as PNG, SVG or PDF (by -o's suffix).

    policyterms plot network seeds/ -o network.png --measure npmi --top 40
    policyterms plot heatmap seeds/ -o heatmap.pdf --terms 20
    policyterms plot trend news/ -o trend.svg --title 未来产业政策用语
    policyterms plot xray reports/ -o xray.png --documents 40
    policyterms plot trend reports.csv --index attention -G region,year -o a.png

    network: the co-occurrence network; heatmap: terms ×
    documents; trend: terms (or an index, --index) over time;
    xray: where each term's hits fall along each document.
    Labels in a CJK font (docs/pictures.md).
    """
    from .. import charts, plots
    from ..pipeline import count as count_terms

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
        if group_by is not None:  # not dropped in silence: the trend's own period is --period
            raise UsageError("--group-by groups an index: add --index NAME, or give the trend's period with --period")
        charts.check_measure(measure.value, unit.value)
        with progress_bar(enabled=not quiet) as progress:
            trend = kind is PlotKind.trend
            result = count_terms(
                paths, vocab=read_vocab(vocab, wildcards, vocab_category), unit=unit.value, window=window, measures=unit is not UnitChoice.window,
                tables=("documents", "frequencies", "totals", "cooccurrence_totals"),
                jobs=jobs, strict=strict, progress=progress,
                evidence=kind is PlotKind.xray,
                inputs=input_options(globs, text_column, id_column, date_column, encoding, stdin, keep_boilerplate, t2s, max_mb, no_split),
            )
        if trend:  # by the period asked for, or the one the documents' dates call for
            charts.add_trend_groups(result, period=period and period.value)
        _check_pictures(result, quiet=quiet)
        with plot_warnings():
            figure, chosen = plots.make_plot(
                kind.value, result, measure=measure.value, min_count=min_count, top=top or None, terms=terms,
                documents=documents or None, font_path=font, size=(width, height), dpi=dpi, title=title,
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
    from .. import plots
    from ..indices import compute

    with progress_bar(enabled=not quiet) as progress:
        found = compute(paths, index=index.value, vocab=vocab, group_by=group_by, categories=category, all_of=all_of,
                        unit=share_unit.value, inputs=inputs, jobs=jobs, strict=strict, progress=progress)
    report_inputs(found.warnings, found.errors)
    if not found.documents and found.errors:
        raise typer.Exit(EXIT_ERROR)
    with plot_warnings():
        figure, chosen = plots.make_index_plot(found.table, index=index.value, group_by=group_by, font_path=font,
                                               size=size, dpi=dpi, title=title)
        plots.save(figure, output, font=chosen, dpi=dpi)
    if not quiet:
        typer.echo(f"policyterms: {found.summary}; wrote {output}", err=True)
    if found.errors:
        raise typer.Exit(EXIT_PARTIAL)


@contextmanager
def plot_warnings() -> Iterator[None]:
    """The plots' warnings (plots.library_warnings: the drawing libraries', in our words) as
    policyterms warning lines, each once."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlotWarning)
        yield
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, PlotWarning)):
        print_warning(message)


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
