"""Documents through an analysis, in worker processes: the input side every command shares.

paths → sources (``readers.iter_sources``) → tasks → partitions (consecutive chunks of tasks) → a
worker reads (and cleans) each document of a partition and applies the command's analysis to it →
each partition's output in input order. This is the one seam every engine runs: the local pool
(parallel.py) and a cluster run the same picklable ``PartitionRunner`` over the same partitions. ``count``, ``kwic``, ``audit`` and the others
differ only in the analysis (a callable ``Document -> result``, built once per worker). Inputs
that cannot be read do not stop a run: they are collected in a ``Batch`` (unless ``strict``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from .clean import Cleaner, cleaner, looks_traditional, traditional_warning
from .errors import InputError, InputWarning
from .parallel import ITEMS_IN_FLIGHT_PER_WORKER, available_cores, ordered_map
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
MAX_PARTITION_DOCUMENTS = 128  # documents per partition: 32 cost the parent of a 200 MB run 0.3 s more CPU
PARTITIONS_PER_WORKER = 8  # at least, where the run is small enough: so that the workers end together


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
    metadata: bool = True  # False: a file's title, date and source are not looked for (no table shows them)
    follow_symlinks: bool = False  # True: a folder's links to files outside it are read (else skipped, with a warning)

    def cleaner(self) -> Cleaner | None:
        return cleaner(keep_boilerplate=self.keep_boilerplate, t2s=self.t2s)
    max_mb: float | None = MAX_DOCUMENT_MB  # a larger document is skipped with a reason (None: no limit)


@dataclass
class Batch:
    """What a run over inputs saw besides its results: the inputs it could not read, the warnings."""

    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)


@dataclass(slots=True)
class PartitionResult:
    """What a worker sends back for one partition (a chunk of the inputs, in input order): the
    inputs it could not read, the warnings, and the analysis' output for the documents it read —
    by default their results as a list; an analysis with a ``partition(results)`` method sends
    that instead (``count``: rows already formatted, and an additive partial of the sums)."""

    documents: int  # documents tried (read or refused)
    errors: list[InputError]
    warnings: list[InputWarning]
    output: object
    traditional: list[str] = field(default_factory=list)  # documents in Traditional Chinese read without --t2s


def each_partition(
    paths: Iterable[str | os.PathLike],
    analysis: Callable[[], Analysis],
    *,
    batch: Batch,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> Iterator[object]:
    """The inputs under ``paths`` cut into partitions; ``analysis()`` built once per worker process
    and applied to every document of each partition; each partition's output, in input order,
    whatever ``jobs`` (None: one worker per core; 1: in this process, through the same function).

    Inputs that cannot be read, and those the analysis refuses with an ``InputError``, go to
    ``batch.errors`` — or, with ``strict``, the first is raised. ``progress(done, total)`` is
    called after each partition (``total`` is None while the inputs are still being listed, and
    when table inputs make it unknown)."""
    workers = jobs or available_cores()
    # As many sources as the workers' first partitions in flight: a longer run (its total not
    # known yet) is cut in partitions of the most documents.
    listing = Listing(iter_sources(paths, globs=inputs.globs, stdin=inputs.stdin, follow_symlinks=inputs.follow_symlinks),
                      first=workers * ITEMS_IN_FLIGHT_PER_WORKER * MAX_PARTITION_DOCUMENTS)
    if listing.total is not None:
        workers = max(1, min(workers, listing.total))  # no pool for a single document
    setup = partition_runner(analysis, inputs, strict=strict)
    parts = partitions(_tasks(listing, inputs, strict=strict), size=partition_size(listing.total, workers))
    done = 0
    traditional: list[str] = []
    for result in ordered_map(setup, parts, jobs=workers):
        batch.warnings.extend(result.warnings)
        traditional.extend(result.traditional)
        if strict and result.errors:
            raise result.errors[0]
        batch.errors.extend(result.errors)
        done += result.documents
        yield result.output
        if progress is not None:
            progress(done, listing.total)
    if traditional:  # one warning for the run, not one per document
        batch.warnings.append(traditional_warning(traditional))


class Listing:
    """The sources of a run (iterated once), listed as far as its first partitions need: a run
    of many files starts counting before all of them are listed (18,824 files take 0.08 s), and
    lists the rest while its workers count the first ``first`` sources.

    ``total``, the documents in all: known once every source is listed (at once for a run of at
    most ``first`` sources), and only when each source is one document (a table's rows are not
    counted beforehand); None until then, and for tables."""

    def __init__(self, sources: Iterator[Source | InputError | InputWarning], *, first: int) -> None:
        self._sources = sources
        self._head = list(islice(sources, first + 1))
        self._complete = len(self._head) <= first
        self.total = _documents_in(self._head) if self._complete else None

    def __iter__(self) -> Iterator[Source | InputError | InputWarning]:
        yield from self._head
        if not self._complete:
            rest = list(self._sources)  # the workers are counting the first partitions meanwhile
            self._complete, self.total = True, _documents_in(self._head + rest)
            yield from rest


def _documents_in(sources: list[Source | InputError | InputWarning]) -> int | None:
    """The documents ``sources`` hold (an input that cannot be read counts as one), or None when
    one of them is a table."""
    if any(isinstance(s, Source) and s.is_table for s in sources):
        return None
    return sum(not isinstance(s, InputWarning) for s in sources)


def partition_runner(analysis: Callable[[], Analysis], inputs: InputOptions, *, strict: bool = False) -> PartitionRunner:
    """The runner of one partition for these input options: what every engine sends its workers."""
    return PartitionRunner(analysis, inputs.encoding, inputs.cleaner(), max_document_bytes(inputs.max_mb),
                           strict=strict, check_traditional=not inputs.t2s, split=inputs.split,
                           metadata=inputs.metadata)


def each_document(
    paths: Iterable[str | os.PathLike],
    analysis: Callable[[], Analysis],
    **options,
) -> Iterator[Out]:
    """``each_partition`` for an analysis whose output is one result per document: the results
    in input order."""
    for results in each_partition(paths, analysis, **options):
        yield from results


def partitions(tasks: Iterable[Task | InputError | InputWarning], *, size: int) -> Iterator[list]:
    """Consecutive chunks of ``size`` tasks; a warning travels with the next chunk, so warnings
    stay in input order with the errors."""
    iterator = iter(tasks)
    return iter(lambda: list(islice(iterator, size)), [])


def partition_size(total: int | None, jobs: int) -> int:
    """Documents per partition: at most MAX_PARTITION_DOCUMENTS (fewer round trips, a small
    constant of parent work each), and small enough that each worker gets PARTITIONS_PER_WORKER
    (a run of 40 documents on 2 workers must not go to one of them, and the last partitions of
    a slow analysis, ``vocab suggest`` at 40 ms a document, must not keep one worker busy long
    after the other). ``total`` None (not known yet): the most."""
    if total is None:
        return MAX_PARTITION_DOCUMENTS
    return max(1, min(MAX_PARTITION_DOCUMENTS, total // (jobs * PARTITIONS_PER_WORKER)))


@dataclass(frozen=True)
class PartitionRunner:
    """Picklable: builds, in a worker, the function that runs one partition — reads each task,
    applies the analysis, and hands the results to the analysis' ``partition`` method if it has
    one. The analysis (a matcher, a tokenizer: not picklable) is built once per worker process."""

    analysis: Callable[[], Analysis]
    encoding: str | None
    clean: Cleaner | None = None
    max_bytes: int | None = None
    strict: bool = False  # stray bytes in UTF-8 stay an error
    check_traditional: bool = False
    split: bool = False  # a file holding several articles is one document per article (readers/articles.py)
    metadata: bool = True

    def __call__(self) -> Callable[[list], PartitionResult]:
        analyse = self.analysis()
        finish = getattr(analyse, "partition", None)

        def run(partition: list) -> PartitionResult:
            result = PartitionResult(0, [], [], None)
            results = []
            for task in partition:
                if isinstance(task, InputWarning):
                    result.warnings.append(task)
                    continue
                result.documents += 1
                if isinstance(task, InputError):
                    result.errors.append(task)
                    continue
                outcome = self._read_and_analyse(task, analyse, result)
                if isinstance(outcome, InputError):
                    result.errors.append(outcome)
                else:
                    results.extend(outcome)
            result.output = finish(results) if finish is not None else results
            return result

        return run

    def _read_and_analyse(self, task: Task, analyse: Analysis, result: PartitionResult) -> list | InputError:
        """The analysis of each document of one task (a file holding several articles has several),
        or the InputError that stopped it; what the user should hear about the file (stray bytes
        replaced, Traditional Chinese) goes to ``result``."""
        source = task.doc_id if isinstance(task, Document) else task
        try:
            if isinstance(task, Document):  # a table row or stdin's text: read in the parent, cleaned here
                check_size(source, len(task.text), self.max_bytes)  # a table row's text, in characters
                documents = [task if self.clean is None else clean_document(task, self.clean)]
            else:
                documents = read_documents(task, encoding=self.encoding, clean=self.clean, max_bytes=self.max_bytes,
                                           strict=self.strict, split=self.split, metadata=self.metadata)
            for document in documents:
                result.warnings.extend(document.notes)
            if self.check_traditional and any(looks_traditional(document.text) for document in documents):
                result.traditional.append(source)
            return [analyse(document) for document in documents]
        except InputError as error:
            return error
        except Exception as error:  # noqa: BLE001 - one document's failure must not end a batch of thousands
            cause = (str(error).splitlines() or [""])[0][:200]
            return InputError(source, f"unexpected {type(error).__name__} while reading or counting it: {cause}")


def clean_document(document: Document, clean: Cleaner) -> Document:
    return dataclasses.replace(document, text=check_not_empty(clean(document.text), source=document.doc_id))


def _tasks(
    sources: Iterable[Source | InputError | InputWarning], inputs: InputOptions, *, strict: bool = False
) -> Iterator[Task | InputError | InputWarning]:
    """Sources → work for the workers. Files go as paths (a worker reads them); table rows and
    stdin's text are read here, as they come, one row at a time."""
    for source in sources:
        if not isinstance(source, Source):
            yield source
        elif source.is_table:
            yield from iter_table_documents(source.path, columns=inputs.columns, encoding=inputs.encoding)
        elif source.path == STDIN:
            try:
                yield read_document(STDIN, encoding=inputs.encoding, max_bytes=max_document_bytes(inputs.max_mb),
                                    strict=strict)
            except InputError as error:
                yield error
        else:
            yield source.path
