"""Documents through an analysis, in worker processes: the input side every command shares.

paths → sources (``readers.iter_sources``) → tasks → a worker reads (and cleans) each document and applies the
command's analysis to it → results in input order. ``count``, ``kwic``, ``audit`` and the others
differ only in the analysis (a callable ``Document -> result``, built once per worker). Inputs
that cannot be read do not stop a run: they are collected in a ``Batch`` (unless ``strict``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from .clean import Cleaner, cleaner
from .errors import InputError, InputWarning
from .parallel import available_cores, ordered_map
from .readers import (
    DEFAULT_GLOBS,
    STDIN,
    Document,
    Source,
    StdinMode,
    TableColumns,
    iter_sources,
    iter_table_documents,
    read_document,
    read_documents,
)
from .readers.limits import MAX_DOCUMENT_MB, check_size, max_document_bytes
from .readers.text import check_not_empty

Out = TypeVar("Out")
Analysis = Callable[[Document], Out]
Progress = Callable[[int, "int | None"], None]  # (documents done, documents in all or None if unknown)
Task = str | Document  # a file a worker reads itself, or a document already read (table rows, stdin)


@dataclass(frozen=True, slots=True)
class InputOptions:
    """How inputs are found and read: the same for every command that reads documents."""

    encoding: str | None = None
    globs: tuple[str, ...] = DEFAULT_GLOBS
    columns: TableColumns = TableColumns()
    stdin: StdinMode = "paths"
    # Cleaning (policyterms/clean.py), applied to every document as it is read:
    keep_boilerplate: bool = False  # True: keep web-page menus, tool bars, footers, page numbers
    t2s: bool = False  # True: Traditional Chinese converted to Simplified
    split: bool = True  # a file holding several articles is one document per article (readers/articles.py)

    def cleaner(self) -> Cleaner | None:
        return cleaner(keep_boilerplate=self.keep_boilerplate, t2s=self.t2s)
    max_mb: float | None = MAX_DOCUMENT_MB  # a larger document is skipped with a reason (None: no limit)


@dataclass
class Batch:
    """What a run over inputs saw besides its results: the inputs it could not read, the warnings."""

    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)


def each_document(
    paths: Iterable[str | os.PathLike],
    analysis: Callable[[], Analysis],
    *,
    batch: Batch,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> Iterator[Out]:
    """``analysis()`` once per worker, then applied to every document under ``paths``; its results
    in input order, whatever ``jobs`` (None: one worker per core).

    Inputs that cannot be read, and those the analysis refuses with an ``InputError``, go to
    ``batch.errors`` — or, with ``strict``, the first is raised. ``progress(done, total)`` is
    called after each document (``total`` is None when table inputs make it unknown)."""
    sources = list(iter_sources(paths, globs=inputs.globs, stdin=inputs.stdin))
    # Known when every source is one document; a table's rows are not counted beforehand.
    has_tables = any(isinstance(s, Source) and s.is_table for s in sources)
    known_total = None if has_tables else sum(not isinstance(s, InputWarning) for s in sources)
    workers = jobs or available_cores()
    if known_total is not None:
        workers = max(1, min(workers, known_total))  # no pool for a single document
    setup = _ReaderSetup(analysis, inputs.encoding, inputs.cleaner(), max_document_bytes(inputs.max_mb), inputs.split)
    done = 0
    for outcome in ordered_map(setup, _tasks(sources, inputs), jobs=workers, total=known_total):
        if isinstance(outcome, InputWarning):
            batch.warnings.append(outcome)
            continue
        done += 1
        if isinstance(outcome, Articles):  # one file, several articles: each is a document
            yield from outcome
            if progress is not None:
                progress(done, known_total)
            continue
        if isinstance(outcome, InputError):
            if strict:
                raise outcome
            batch.errors.append(outcome)
        else:
            yield outcome
        if progress is not None:
            progress(done, known_total)


@dataclass(frozen=True)
class _ReaderSetup:
    """Builds, in a worker, a function that reads a task and applies the analysis to it."""

    analysis: Callable[[], Analysis]
    encoding: str | None
    clean: Cleaner | None = None
    max_bytes: int | None = None
    split: bool = False

    def __call__(self) -> Callable[[Task | InputError | InputWarning], object]:
        analyse = self.analysis()

        def read_and_analyse(task: Task | InputError | InputWarning) -> object:
            if isinstance(task, (InputError, InputWarning)):
                return task
            source = task.doc_id if isinstance(task, Document) else task
            try:
                if isinstance(task, Document):  # a table row or stdin's text: read in the parent, cleaned here
                    check_size(source, len(task.text), self.max_bytes)  # a table row's text, in characters
                    document = task if self.clean is None else clean_document(task, self.clean)
                else:
                    documents = read_documents(task, encoding=self.encoding, clean=self.clean, max_bytes=self.max_bytes,
                                               split=self.split)
                    if len(documents) > 1:
                        return Articles(analyse(article) for article in documents)
                    document = documents[0]
                return analyse(document)
            except InputError as error:
                return error
            except Exception as error:  # noqa: BLE001 - one document's failure must not end a batch of thousands
                cause = (str(error).splitlines() or [""])[0][:200]
                return InputError(source, f"unexpected {type(error).__name__} while reading or counting it: {cause}")

        return read_and_analyse


class Articles(list):
    """The results of the articles of one file, in their order (``readers/articles.py``)."""


def clean_document(document: Document, clean: Cleaner) -> Document:
    return dataclasses.replace(document, text=check_not_empty(clean(document.text), source=document.doc_id))


def _tasks(sources: Iterable[Source | InputError | InputWarning], inputs: InputOptions) -> Iterator[Task | InputError | InputWarning]:
    """Sources → work for the workers. Files go as paths (a worker reads them); table rows and
    stdin's text are read here, as they come, one row at a time."""
    for source in sources:
        if not isinstance(source, Source):
            yield source
        elif source.is_table:
            yield from iter_table_documents(source.path, columns=inputs.columns, encoding=inputs.encoding)
        elif source.path == STDIN:
            try:
                yield read_document(STDIN, encoding=inputs.encoding, max_bytes=max_document_bytes(inputs.max_mb))
            except InputError as error:
                yield error
        else:
            yield source.path
