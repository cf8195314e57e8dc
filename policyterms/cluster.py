"""Counting on a Dask cluster: the partition seam (batch.py) run by ``dask.distributed`` workers.

The engine replaces the local pool (parallel.py), nothing else: ``pipeline.count`` builds the same
``Counting`` analysis, each worker runs the same ``PartitionRunner`` over a partition, and the
client merges the same partials into the corpus tables. So the tables cannot drift from a local run.

    inputs ─► partitions (file lists; Parquet row groups and JSON Lines blocks, readers/slices.py)
      each partition, in a worker: read ─► count ─► OUT/<table>/part-NNNNN.<suffix> (atomically)
         ─► OUT/_partitions/part-NNNNN.json: the partition's partial, errors and row counts (records.py)
      client: the partials, merged ─► OUT/totals…, OUT/cooccurrence_totals…, OUT/groups… ─► OUT/manifest.json

Each partition's output reaches storage before its task ends (a dying worker's memory is lost),
and its record is written last: a rerun into the same OUT with the same settings and unchanged
inputs (size, mtime or ETag, and content hash) skips every partition whose record the manifest
vouches for (records.py: a keyed checksum), and still has every partial for the corpus tables.
Nothing read back from OUT is ever unpickled: records are JSON, checked field by field.
A worker killed mid-run loses only its tasks in flight, which the scheduler runs again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import posixpath
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import __version__, records
from .batch import Batch, InputOptions, PartitionRunner, Progress, partition_runner
from .clean import traditional_warning
from .errors import InputError, InputWarning, PolicytermsError, UsageError
from .names import doc_id_for
from .pipeline import COOCCURRENCE_TABLES, DOCUMENT_TABLES, CountedPartition, Result, RowStream, count
from .readers import DEFAULT_GLOBS, Document, Source, TableColumns, iter_sources, iter_table_documents
from .readers.slices import LineBlock, RowGroups, line_blocks, numbered_blocks, parquet_slices, scan_block
from .render import FORMAT_SUFFIXES, RowFormat, encode, render
from .rows import Rows
from .stats import Partial
from .store import COUNTING_RULES_VERSION

if TYPE_CHECKING:
    from distributed import Client

DEFAULT_PARTITION_BYTES = 128 * 10**6
CLUSTER_FORMATS = ("parquet", "csv", "tsv", "jsonl")  # one file per partition: formats whose files concatenate
CORPUS_TABLES = ("totals", "cooccurrence_totals", "groups")
RECORDS = "_partitions"  # pyarrow and pandas skip names starting with _ or . in a table's directory
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
PROGRESS_SAVE_S = 5.0  # a run under way rewrites its manifest (the records' checksums) at most this often
TASKS_IN_FLIGHT_PER_THREAD = 3  # enough to keep a worker busy; a dataset of millions of partitions is not submitted at once
INSTALL_HINT = "pip install 'policyterms[dask]'"
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")  # put's temporary names
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
               "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def parse_size(text: str) -> int:
    """``128MB``, ``1GiB``, ``64kb``, ``5000`` → bytes."""
    match = _SIZE.fullmatch(text)
    unit = (match.group(2) or "").lower() if match else None
    if match is None or unit not in _SIZE_UNITS or float(match.group(1)) <= 0:
        raise UsageError(f"--partition-size: '{text}' is not a size (e.g. 128MB, 1GB, 512KiB)")
    return max(1, int(float(match.group(1)) * _SIZE_UNITS[unit]))


def is_url(path: str) -> bool:
    return "://" in path


# What cannot run on a cluster yet ---------------------------------------------------------------


def check_cluster_options(
    *, paths: Iterable[str], output: str | None, fmt: str, tables: Iterable[str], store: object = None,
    new_only: bool = False, evidence: bool = False, dedup: bool = False, rates: bool = False, strict: bool = False,
) -> None:
    """``UsageError`` (one line, saying what to use instead) for what the Dask engine cannot do."""
    if output is None or not (output.endswith(("/", os.sep)) or os.path.isdir(output)):
        raise UsageError("--engine dask writes a directory of tables: add -o OUT/ (with the trailing /)")
    if not is_url(output):  # before a cluster starts: a file where OUT/ must be, a folder we may not write in
        from pathlib import Path

        from .render import check_writable

        check_writable(Path(output), as_directory=True)
    if fmt not in CLUSTER_FORMATS:
        raise UsageError(f"--engine dask writes one file per partition, which {fmt.upper()} cannot join: "
                         f"use --format {' or '.join(CLUSTER_FORMATS)}")
    if "-" in paths:
        raise UsageError("--engine dask reads no stdin (the workers cannot see it): name the files, "
                         "directories or URLs")
    if store is not None or new_only:
        raise UsageError("--db is one SQLite file on this machine, which a cluster's workers cannot share: "
                         "count without --db, or use the local engine (--jobs)")
    if evidence:
        raise UsageError("--evidence is not written by a cluster yet: use the local engine (--jobs) for it")
    if dedup:
        raise UsageError("--dedup compares every document with every other before any row is written: "
                         "use the local engine (--jobs), or policyterms dupes first")
    if rates and "frequencies" in tables:
        raise UsageError("--rates' tf-idf needs every document's counts before the first frequency row: "
                         "use the local engine (--jobs), or --what totals with --rates")
    if strict:
        raise UsageError("--strict cannot stop a cluster's tasks in flight: without it, bad inputs are "
                         "skipped and named (exit 3); or use the local engine")


# Connecting -------------------------------------------------------------------------------------


DEFAULT_CONNECT_TIMEOUT_S = 4.0  # a wrong address fails within 5 s (Dask's own default waits 30 s)


@contextmanager
def connect(scheduler: str, *, timeout: float = DEFAULT_CONNECT_TIMEOUT_S) -> Iterator[Client]:
    """A client of ``local:N`` (a cluster of N worker processes on this machine, for this run) or
    of a running scheduler (``tcp://HOST:8786``), reached within ``timeout`` seconds."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(f"--engine dask needs dask.distributed: {INSTALL_HINT}") from None
    import logging

    if scheduler.startswith("local:"):
        workers = scheduler.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise UsageError(f"--scheduler {scheduler}: say local:N with N workers, e.g. local:4")
        # One thread per worker: counting is Python work that holds the GIL.
        with LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                          dashboard_address=":0",  # any free port: another cluster may hold 8787
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            client.run(_import_engine)
            yield client
        return
    if not re.match(r"^(tcp|tls|ws|wss|inproc)://", scheduler):
        raise UsageError(f"--scheduler {scheduler}: give local:N or a scheduler's address (tcp://HOST:8786)")
    try:
        client = Client(scheduler, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise PolicytermsError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s "
                               f"({one_line(exc)}); is it running? (--connect-timeout waits longer)") from None
    with client:
        client.run(_import_engine)
        yield client


def one_line(exc: BaseException) -> str:
    """An exception as one line of text: its type, and its message's first line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _import_engine() -> None:
    """In each worker, before the first task: the engine's modules imported (part of the
    cluster's start-up, not of the first partition's time)."""
    import importlib

    importlib.import_module("policyterms.cluster")


def _has_dashboard() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None  # the dashboard needs bokeh


def dashboard_link(client: Client) -> str | None:
    """The scheduler's dashboard, when it runs one (its HTTP service is there without bokeh too,
    with no dashboard in it)."""
    try:
        services = client.scheduler_info().get("services", {})
        has_bokeh = "dashboard" in services and client.run_on_scheduler(_has_dashboard)
    except Exception:  # noqa: BLE001 - only a note for the user
        return None
    return client.dashboard_link if has_bokeh else None


# Partitions -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableFile:
    """A CSV or TSV table read whole by one worker (a quoted cell may hold a newline, so its rows
    cannot be found from a byte offset)."""

    path: str
    columns: TableColumns
    encoding: str | None

    def documents(self) -> Iterator[Document | InputError]:
        return iter_table_documents(self.path, columns=self.columns, encoding=self.encoding)


Slice = TableFile | RowGroups | LineBlock
Item = str | Slice | InputError | InputWarning  # a file a worker reads, a slice of a table, what the plan found


@dataclass(frozen=True, slots=True)
class Partition:
    number: int
    items: tuple[Item, ...]
    key: str  # changes with the run's settings and the inputs' size and mtime/ETag

    def inputs(self) -> list[str]:
        return sorted({_item_path(item) for item in self.items if _item_path(item) is not None})

    def slices(self) -> list[dict]:
        """Which part of a table this partition holds (for the manifest)."""
        found = []
        for item in self.items:
            if isinstance(item, RowGroups):
                found.append({"path": item.path, "row_groups": list(item.groups), "rows_before": item.first_row})
            elif isinstance(item, LineBlock):
                found.append({"path": item.path, "bytes": [item.start, item.end], "rows_before": item.first_row})
        return found


def _item_path(item: Item) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, (TableFile, RowGroups, LineBlock)):
        return item.path
    return None


def _describe(item: Item, files: dict[str, dict]) -> list:
    if isinstance(item, str):
        return ["file", item, files.get(item)]
    if isinstance(item, (InputError, InputWarning)):
        return [type(item).__name__, str(item)]
    return [type(item).__name__, repr(item), files.get(item.path)]


def file_record(path: str) -> dict:
    """An input's size and mtime (or ETag, on object storage), and a local file's content hash
    (BLAKE2b of its bytes): what says it changed. A file edited to the same size with its mtime
    put back has another hash."""
    try:
        import fsspec

        fs, location = fsspec.core.url_to_fs(path)
        info = fs.info(location)
    except Exception:  # noqa: BLE001 - a file that is gone is reported when it is read
        return {"path": path}
    record = {"path": path, "size": info.get("size")}
    for name in ("ETag", "etag", "md5Hash", "mtime", "LastModified", "last_modified"):
        if info.get(name) is not None:
            value = info[name]
            record[name.lower()] = value if isinstance(value, (int, float, str)) else str(value)
    if "file" in _protocols(fs):
        try:
            record["blake2b"] = content_digest(location)
        except OSError:
            pass  # unreadable: its reader names the cause
    return record


def _protocols(fs) -> tuple[str, ...]:
    return (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)


def content_digest(path: str | os.PathLike) -> str:
    """BLAKE2b-256 of a local file's bytes (some 1 GB/s: a small part of counting them)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=32)).hexdigest()


Mapper = Callable[[Callable, list], list]  # (function, items) → [function(item) …]: here, or on the workers


def in_this_process(function: Callable, items: list) -> list:
    return [function(item) for item in items]


def plan_partitions(
    paths: Iterable[str], inputs: InputOptions, *, size: int, run_id: str, mapper: Mapper = in_this_process,
) -> tuple[list[Partition], dict[str, dict]]:
    """The inputs under ``paths`` as partitions, in input order, and each input file's record:
    text files in lists of about ``size`` bytes, every table file in slices of it. ``mapper``
    reads the tables' footers and counts the records of JSON Lines blocks (the engine has the
    workers do it: a dataset of thousands of files on object storage)."""
    files: dict[str, dict] = {}
    entries: list = []  # items; a table file's path in a list until its slices are known
    for source in _sources(paths, inputs):
        if isinstance(source, (InputError, InputWarning)):
            entries.append(source)
        elif not source.is_table and is_url(source.path):
            entries.append(InputError(source.path, "text files are read from a local or shared filesystem: mount "
                                                   "it, or export the documents to Parquet or JSON Lines"))
        elif not source.is_table:
            files[source.path] = file_record(source.path)
            entries.append(source.path)
        else:
            entries.append([source.path])
    tables = [entry[0] for entry in entries if isinstance(entry, list)]
    found = mapper(functools.partial(table_slices, size=size, columns=inputs.columns, encoding=inputs.encoding), tables)
    for path, (record, _) in zip(tables, found):
        files[path] = record
    sliced = iter(slices for _, slices in found)
    entries = [next(sliced) if isinstance(entry, list) else entry for entry in entries]
    entries = _numbered(entries, mapper, inputs)
    return _grouped(entries, files, size=size, run_id=run_id), files


def table_slices(path: str, *, size: int, columns: TableColumns, encoding: str | None) -> tuple[dict, list | InputError]:
    """A table file's record and its slices (JSON Lines blocks not yet numbered), or the
    ``InputError`` that makes it unreadable."""
    record = file_record(path)
    suffix = posixpath.splitext(path)[1].lower()
    try:
        if suffix == ".parquet":
            return record, parquet_slices(path, size=size, columns=columns)
        if suffix in (".jsonl", ".ndjson"):
            return record, [line_blocks(path, size=size, encoding=encoding)]
        if is_url(path):
            raise InputError(path, "CSV and TSV are read from a local or shared filesystem: mount it, "
                                   "or convert the table to Parquet or JSON Lines")
        return record, [TableFile(path, columns, encoding)]
    except InputError as error:
        return record, error


def _grouped(entries: list, files: dict[str, dict], *, size: int, run_id: str) -> list[Partition]:
    """Items into partitions: text files until they hold ``size`` bytes; a table's slice alone
    (with the errors and warnings before it)."""
    partitions: list[Partition] = []
    pending: list[Item] = []
    held = 0

    def close() -> None:
        nonlocal pending, held
        if pending:
            description = json.dumps([run_id, [_describe(item, files) for item in pending]], default=str)
            key = hashlib.sha256(description.encode("utf-8", "surrogatepass")).hexdigest()[:24]
            partitions.append(Partition(len(partitions), tuple(pending), key))
        pending, held = [], 0

    for item in entries:
        if isinstance(item, (TableFile, RowGroups, LineBlock)):
            if any(isinstance(p, str) for p in pending):
                close()
            pending.append(item)
            close()
        elif isinstance(item, str):
            pending.append(item)
            held += files[item].get("size") or 0
            if held >= size:
                close()
        else:
            pending.append(item)
    close()
    return partitions


def _numbered(entries: list, mapper: Mapper, inputs: InputOptions) -> list:
    """Items, with each JSON Lines file's blocks (a list in ``entries``) numbered: the records
    before each, the file's columns. Every block of every file is scanned in one map."""
    flat: list = []
    for entry in entries:
        if not isinstance(entry, list):
            flat.append(entry)
        else:
            flat.extend(entry)  # a table's slices; a JSON Lines file's blocks as one list in it
    blocks = [block for entry in flat if isinstance(entry, list) for block in entry]
    scans = iter(mapper(scan_block, blocks)) if blocks else iter(())
    numbered: list = []
    for entry in flat:
        if not isinstance(entry, list):
            numbered.append(entry)
            continue
        found = [next(scans) for _ in entry]
        try:
            numbered.extend(numbered_blocks(entry, found, columns=inputs.columns,
                                            given_encoding=inputs.encoding is not None))
        except InputError as error:
            numbered.append(error)
    return numbered


_TABLE_GLOBS = ("*.parquet", "*.jsonl", "*.ndjson", "*.csv", "*.tsv")


def _sources(paths: Iterable[str], inputs: InputOptions) -> Iterator[Source | InputError | InputWarning]:
    """Local paths found as the local engine finds them (the same order, the same doc_ids);
    fsspec URLs: a file, a glob, or a directory walked for the globs (default: the table suffixes)."""
    local: list[str] = []
    for path in paths:
        path = os.fspath(path)
        if not is_url(path):
            local.append(path)
            continue
        if local:
            yield from iter_sources(local, globs=inputs.globs, follow_symlinks=inputs.follow_symlinks)
            local = []
        yield from _url_sources(path, _TABLE_GLOBS if inputs.globs == DEFAULT_GLOBS else inputs.globs)
    if local:
        yield from iter_sources(local, globs=inputs.globs, follow_symlinks=inputs.follow_symlinks)


def _url_sources(url: str, globs: tuple[str, ...]) -> Iterator[Source | InputError]:
    import fnmatch

    import fsspec

    from .readers import is_table

    try:
        fs, root = fsspec.core.url_to_fs(url)
        protocol = url.split("://", 1)[0]
        if any(character in root for character in "*?["):
            found = sorted(fs.glob(root))
        elif fs.isdir(root):
            found = sorted(p for p in fs.find(root) if any(fnmatch.fnmatch(posixpath.basename(p), g) for g in globs))
        elif fs.exists(root):
            found = [root]
        else:
            yield InputError(url, "no such file or directory")
            return
    except ImportError as exc:
        yield InputError(url, f"no filesystem for this URL is installed ({exc}); e.g. pip install 'policyterms[s3]'")
        return
    except Exception as exc:  # noqa: BLE001 - credentials, network: the cause, in one line
        yield InputError(url, f"cannot list it ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
        return
    if not found:
        yield InputError(url, f"no file matches ({', '.join(globs)})")
    for path in found:
        name = path if "://" in path else f"{protocol}://{path}"
        yield Source(name, is_table(name))


# In the workers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartFile:
    """A streamed table's rows of one partition, as the bytes of its own file."""

    data: bytes
    rows: int


@dataclass(frozen=True, slots=True)
class PartFormat:
    """How a worker writes a per-document table's rows of one partition (``Counting``'s stream
    format, picklable): one whole file — Parquet, or CSV/TSV with its header, or JSON Lines."""

    fmt: str
    raw: bool = False
    bom: bool = False

    def rows(self, table: Rows) -> PartFile:
        if self.fmt == "parquet":
            return PartFile(parquet_bytes(table), len(table))
        text = RowFormat(self.fmt, neutralize=not self.raw)
        head = "\ufeff" if self.bom and self.fmt in ("csv", "tsv") else ""
        return PartFile((head + text.header(table.columns)).encode("utf-8") + text.rows(table), len(table))


def parquet_bytes(table: Rows) -> bytes:
    """A table as Parquet, as render writes it; a text column of a partition without rows is
    typed string too, so that every part of a table has one schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table.to_frame(), preserve_index=False)
    schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in arrow.schema],
                       metadata=arrow.schema.metadata)
    buffer = io.BytesIO()
    pq.write_table(arrow.cast(schema), buffer)
    return buffer.getvalue()


@dataclass(slots=True)
class PartitionDone:
    """What a partition's task returns to the client, and keeps in OUT/_partitions/ for a rerun
    (as data: ``record``/``from_record``, records.py)."""

    number: int
    key: str
    documents: int
    errors: list[InputError]
    warnings: list[InputWarning]
    traditional: list[str]
    partial: Partial
    rows: dict[str, int]
    seconds: float
    worker: str = ""  # host:pid of the process that ran it
    began: float = 0.0  # when it began there (epoch seconds): the gaps between tasks are the engine's overhead
    resumed: bool = False
    record_sha256: str = ""  # of the record's bytes as written: the client signs it in the manifest

    def record(self, identity: dict) -> dict:
        """The record's fields: ``identity`` (run id, settings id, vocabulary hash) and the outcome."""
        return {**identity, "number": self.number, "key": self.key, "documents": self.documents,
                "errors": records.problems_json(self.errors), "warnings": records.problems_json(self.warnings),
                "traditional": list(self.traditional), "partial": records.partial_json(self.partial),
                "rows": dict(self.rows), "seconds": self.seconds, "worker": self.worker, "began": self.began}

    @classmethod
    def from_record(cls, record: dict, identity: dict, *, number: int, key: str) -> PartitionDone:
        """The outcome a record holds, when it is one of this run's for this partition (same
        settings, same inputs); ``records.RecordRefused`` saying why not, otherwise."""
        for name, value in identity.items():
            records.expect(record, name, value, f"with other settings ({name} differs)")
        records.expect(record, "number", number, "for another partition")
        records.expect(record, "key", key, "from other inputs (a size, mtime or content hash differs)")
        traditional, rows = record.get("traditional"), record.get("rows")
        if not (isinstance(traditional, list) and all(isinstance(t, str) for t in traditional)):
            raise records.RecordRefused("its traditional-script names are not a list of names")
        if not (isinstance(rows, dict) and all(isinstance(r, int) and r >= 0 for r in rows.values())):
            raise records.RecordRefused("its rows are not counts per table")
        seconds, began = record.get("seconds"), record.get("began")
        return cls(number, key, records.count_of(record.get("documents"), "documents"),
                   records.errors_from_json(record.get("errors")), records.warnings_from_json(record.get("warnings")),
                   traditional, records.partial_from_json(record.get("partial")), rows,
                   seconds if isinstance(seconds, (int, float)) else 0.0, str(record.get("worker", "")),
                   began if isinstance(began, (int, float)) else 0.0, resumed=True)


@dataclass(frozen=True, slots=True)
class PartitionJob:
    """One task: a partition, the runner of the seam, where its tables go."""

    partition: Partition
    runner: PartitionRunner
    run_id: str
    output: str
    fmt: str
    identity: tuple[tuple[str, str], ...] = ()  # what the record says it was made with


_built = threading.local()  # per worker thread: (run id, the built partition function)


def run_partition(job: PartitionJob) -> PartitionDone:
    """In a worker: run the seam on one partition, write its tables and its record (JSON); return
    the outcome. The analysis (the matcher: not picklable) is built once per worker thread and run."""
    began, started = time.time(), time.perf_counter()
    if getattr(_built, "run_id", None) != job.run_id:
        _built.function, _built.run_id = job.runner(), job.run_id
    tasks: list = []
    for item in job.partition.items:
        tasks.extend(item.documents() if isinstance(item, (TableFile, RowGroups, LineBlock)) else [item])
    result = _built.function(tasks)
    counted: CountedPartition = result.output
    number = job.partition.number
    for name, part in counted.formatted.items():
        put(job.output, part_path(name, number, job.fmt), part.data)
    done = PartitionDone(number, job.partition.key, result.documents, result.errors, result.warnings,
                         result.traditional, counted.partial, {name: part.rows for name, part in counted.formatted.items()},
                         round(time.perf_counter() - started, 4), f"{socket.gethostname()}:{os.getpid()}", began)
    parts = {name: hashlib.sha256(part.data).hexdigest() for name, part in counted.formatted.items()}
    data = records.encode({**done.record(dict(job.identity)), "parts": parts})
    done.record_sha256 = hashlib.sha256(data).hexdigest()
    put(job.output, record_path(number), data)  # last: the partition is done
    return done


def part_path(table: str, number: int, fmt: str) -> str:
    return f"{table}/part-{number:05d}{FORMAT_SUFFIXES[fmt]}"


def record_path(number: int) -> str:
    return f"{RECORDS}/part-{number:05d}.json"


def located(output: str, relative: str = ""):
    """(the filesystem, the path) of ``relative`` under ``output``, a directory or an fsspec URL."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(output)
    join = posixpath.join if is_url(output) else os.path.join
    return fs, join(root, relative) if relative else root


def put(output: str, relative: str, data: bytes) -> None:
    """Write a file under ``output`` atomically: a temporary name beside it (starting with '.',
    which readers of a table's directory skip), then a rename."""
    fs, target = located(output, relative)
    directory, name = os.path.split(target) if not is_url(output) else posixpath.split(target)
    fs.makedirs(directory, exist_ok=True)
    temporary = target[: len(target) - len(name)] + f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with fs.open(temporary, "wb") as handle:
            handle.write(data)
        fs.mv(temporary, target)
    except BaseException:
        try:
            fs.rm(temporary)
        except Exception:  # noqa: BLE001 - the error that matters is the one being raised
            pass
        raise


def read_output(output: str, relative: str) -> bytes | None:
    fs, path = located(output, relative)
    try:
        with fs.open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


# The engine -------------------------------------------------------------------------------------


@dataclass
class RunLog:
    """What the manifest says about the partitions of a run."""

    files: dict[str, dict] = field(default_factory=dict)
    partitions: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)  # "NNNNN" → the record's checksum (records.py)


class DaskEngine:
    """``batch.each_partition`` on a Dask cluster, for ``pipeline.count(engine=...)``: partitions
    go to the workers, each writes its per-document tables under ``output``, and the partials come
    back in input order (whatever order the tasks end in), with the errors and warnings."""

    def __init__(self, client: Client, output: str, *, fmt: str, partition_bytes: int = DEFAULT_PARTITION_BYTES) -> None:
        self.client = client
        self.output = output
        self.fmt = fmt
        self.partition_bytes = partition_bytes
        self.log = RunLog()
        self.run_id = ""
        self.settings_id = ""
        self.identity: dict[str, str] = {}  # what a record must say it was made with
        self.key: bytes | None = None  # signs this run's records in the manifest (records.record_key)
        self.notes: list[InputWarning] = []  # records not reused, and why
        self._saved = 0.0

    def __call__(
        self, paths: Iterable[str], analysis: Callable, *, batch: Batch, inputs: InputOptions = InputOptions(),
        jobs: int | None = None, strict: bool = False, progress: Progress | None = None,
    ) -> Iterator[CountedPartition]:
        started = time.perf_counter()
        runner = partition_runner(analysis, inputs, strict=strict)
        self.settings_id = analysis.keywords.get("settings_id", "") if isinstance(analysis, functools.partial) else ""
        self.run_id = run_identity(runner, inputs, fmt=self.fmt, size=self.partition_bytes)
        vocabulary = analysis.args[0] if isinstance(analysis, functools.partial) and analysis.args else None
        self.identity = {"run_id": self.run_id, "settings_id": self.settings_id,
                         "vocabulary": terms_sha256(vocabulary) if vocabulary is not None else ""}
        self.key = records.record_key()
        self._claim_output()
        partitions, self.log.files = plan_partitions(list(paths), inputs, size=self.partition_bytes,
                                                     run_id=self.run_id, mapper=self._on_workers)
        self.log.timings["plan_s"] = round(time.perf_counter() - started, 3)
        counting = time.perf_counter()
        traditional: list[str] = []
        done_count = 0
        for done in self._results(partitions, runner):
            self.log.partitions.append({
                "number": done.number, "inputs": partitions[done.number].inputs(),
                **({"slices": slices} if (slices := partitions[done.number].slices()) else {}),
                "documents": done.documents,
                "rows": done.rows, "seconds": done.seconds, "worker": done.worker, "began": done.began,
                "resumed": done.resumed,
            })
            if done.record_sha256 and self.key is not None:
                self.log.checksums[f"{done.number:05d}"] = records.checksum(done.record_sha256, self.key)
            batch.warnings.extend(self.notes)
            self.notes.clear()
            batch.warnings.extend(done.warnings)
            traditional.extend(done.traditional)
            if strict and done.errors:
                raise done.errors[0]
            batch.errors.extend(done.errors)
            done_count += 1
            yield CountedPartition([], done.partial)
            if progress is not None:
                progress(done_count, len(partitions))
            self._save_progress()
        if traditional:
            batch.warnings.append(traditional_warning(traditional))
        self._remove_stale_parts(len(partitions))
        self._save_progress(now=True)
        self.log.timings["count_s"] = round(time.perf_counter() - counting, 3)

    def _on_workers(self, function: Callable, items: list) -> list:
        return self.client.gather(self.client.map(function, items, pure=False)) if items else []

    def _results(self, partitions: list[Partition], runner: PartitionRunner) -> Iterator[PartitionDone]:
        """Each partition's record, in partition order: read back from OUT when a run before
        wrote it (same key), else from its task; at most a few tasks per worker thread in flight."""
        from concurrent.futures import CancelledError

        from distributed import KilledWorker, as_completed

        waiting: dict[int, PartitionDone] = {}
        todo = iter(partitions)
        in_flight = as_completed()
        window = max(2, TASKS_IN_FLIGHT_PER_THREAD * max(1, sum(self.client.nthreads().values())))
        following = 0
        session = uuid.uuid4().hex[:12]  # task keys of this run only (a scheduler may outlive many runs)

        def submit_more() -> None:
            while in_flight.count() < window:
                partition = next(todo, None)
                if partition is None:
                    return
                resumed = self._recorded(partition)
                if resumed is not None:
                    waiting[partition.number] = resumed
                    continue
                job = PartitionJob(partition, runner, self.run_id, self.output, self.fmt,
                                   tuple(sorted(self.identity.items())))
                in_flight.add(self.client.submit(run_partition, job, pure=False,
                                                 key=f"policyterms-{session}-part-{partition.number:05d}"))

        submit_more()
        while following < len(partitions):
            while following in waiting:
                yield waiting.pop(following)
                following += 1
            if following >= len(partitions):
                break
            if in_flight.is_empty():
                submit_more()
                continue
            future = next(in_flight)
            try:
                done = future.result()
            except KilledWorker:  # its input killed every worker that tried it (out of memory?)
                done = self._given_up(partitions[int(future.key.rsplit("-", 1)[1])])
            except (OSError, TimeoutError, CancelledError) as exc:  # the scheduler (or the connection to it) is gone
                raise PolicytermsError(f"lost the Dask scheduler during the run ({one_line(exc)}); rerun to go on "
                                       "from the partitions written") from None
            except Exception as exc:  # a task that failed beyond an input's error: the run stops
                raise PolicytermsError(f"a partition failed on the cluster: {one_line(exc)}") from exc
            waiting[done.number] = done
            submit_more()

    def _given_up(self, partition: Partition) -> PartitionDone:
        """A partition whose workers died each time: its inputs skipped, its parts removed (a
        rerun tries it again), the run goes on."""
        self._remove_parts(lambda number: number == partition.number)
        self.log.checksums.pop(f"{partition.number:05d}", None)
        errors = [InputError(path, "the Dask worker counting it died each time it was tried (out of memory?); "
                                   "skipped, a rerun tries it again") for path in partition.inputs()]
        documents = sum(1 for item in partition.items if not isinstance(item, InputWarning))
        return PartitionDone(partition.number, partition.key, documents, errors, [], [], Partial(), {}, 0.0)

    def _recorded(self, partition: Partition) -> PartitionDone | None:
        """The partition's outcome from the record a run before wrote, when every check of
        records.py holds and its tables are the bytes it wrote; else None (counted again), with
        one line saying why when there was a record."""
        relative = record_path(partition.number)
        data = read_output(self.output, relative)
        if data is None:
            return None
        try:
            records.verify(data, self.key, self.log.checksums.get(f"{partition.number:05d}"))
            record = records.decode(data)
            done = PartitionDone.from_record(record, self.identity, number=partition.number, key=partition.key)
            self._check_parts(partition.number, record.get("parts"))
        except records.RecordRefused as why:
            self.log.checksums.pop(f"{partition.number:05d}", None)
            self.notes.append(InputWarning(posixpath.join(self.output, relative), f"not reused: {why}; counted again"))
            return None
        return done

    def _check_parts(self, number: int, parts: object) -> None:
        """``RecordRefused`` unless each per-document table's part is the file the record names."""
        if not (isinstance(parts, dict) and all(isinstance(v, str) for v in parts.values())):
            raise records.RecordRefused("it does not name its tables' files")
        for name, digest in parts.items():
            if name not in DOCUMENT_TABLES:
                raise records.RecordRefused(f"it names a table {name!r} that is not a per-document table")
            data = read_output(self.output, part_path(name, number, self.fmt))
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                raise records.RecordRefused(f"its {name} part is missing or not the one it wrote")

    def _claim_output(self) -> None:
        """Refuse an OUT that holds another run's tables (other settings); mark it as this run's,
        keeping the checksums of the records a run before with these settings wrote."""
        data = read_output(self.output, MANIFEST)
        if data is not None:
            try:
                previous = json.loads(data)
            except ValueError:
                previous = {}
            previous = previous if isinstance(previous, dict) else {}
            if previous.get("run_id") not in (None, self.run_id):
                raise UsageError(f"{self.output} holds the tables of a run with other settings (run "
                                 f"{previous.get('run_id')}, this one {self.run_id}): write to another -o, "
                                 "or empty it")
            listed = previous.get("records")
            if isinstance(listed, dict):
                self.log.checksums = {str(k): v for k, v in listed.items() if isinstance(v, str)}
        self._remove_temporary_files()
        self._save_progress(now=True)

    def _remove_temporary_files(self) -> None:
        """``put``'s temporary files that a killed run left (``.NAME.xxxxxxxx.tmp``)."""
        for directory in ("", *DOCUMENT_TABLES, RECORDS):
            fs, location = located(self.output, directory)
            try:
                if not fs.isdir(location):
                    continue
                for path in fs.ls(location, detail=False):
                    if _TEMPORARY.match(posixpath.basename(path)):
                        fs.rm(path)
            except FileNotFoundError:
                continue

    def _save_progress(self, *, now: bool = False) -> None:
        """The manifest of a run under way: not complete, with the checksums of the records
        written so far (a rerun after a kill reuses them), at most every few seconds."""
        if not now and time.monotonic() - self._saved < PROGRESS_SAVE_S:
            return
        put(self.output, MANIFEST, manifest_bytes({"policyterms": __version__, "run_id": self.run_id, "complete": False,
                                                   "records": dict(sorted(self.log.checksums.items()))}))
        self._saved = time.monotonic()

    def _remove_stale_parts(self, partitions: int) -> None:
        """Parts and records numbered beyond this run's partitions (a rerun over fewer inputs)."""
        self._remove_parts(lambda number: number >= partitions)

    def _remove_parts(self, chosen: Callable[[int], bool]) -> None:
        pattern = re.compile(r"part-(\d{5,})\.")
        for directory in (*DOCUMENT_TABLES, RECORDS):
            fs, location = located(self.output, directory)
            if not fs.isdir(location):
                continue
            for path in fs.ls(location, detail=False):
                found = pattern.match(posixpath.basename(path))
                if found and chosen(int(found.group(1))):
                    fs.rm(path)


def terms_sha256(vocabulary) -> str:
    """The vocabulary's terms, aliases and categories, hashed (64 hex digits)."""
    from .store import _terms_json

    return hashlib.sha256(json.dumps(_terms_json(vocabulary), ensure_ascii=False).encode()).hexdigest()


def run_identity(runner: PartitionRunner, inputs: InputOptions, *, fmt: str, size: int) -> str:
    """What the tables of a run depend on besides the inputs: the version, the analysis and its
    options, how inputs are read, the format and the partition size."""
    analysis = runner.analysis
    description = repr((
        __version__, COUNTING_RULES_VERSION, fmt, size, inputs,
        analysis.args if isinstance(analysis, functools.partial) else analysis,
        sorted(analysis.keywords.items()) if isinstance(analysis, functools.partial) else (),
        dataclasses.replace(runner, analysis=None, clean=None), inputs.cleaner() is not None,
    ))
    return hashlib.sha256(description.encode()).hexdigest()[:16]


# The library entry point ------------------------------------------------------------------------


@dataclass
class ClusterResult:
    """``count_on_cluster``'s outcome: the corpus tables (as ``count`` gives them, the per-document
    tables written under ``output``) and the manifest written beside them."""

    result: Result
    manifest: dict
    written: list[str]


def count_on_cluster(
    paths: Iterable[str],
    *,
    client: Client,
    output: str,
    fmt: str = "parquet",
    tables: Iterable[str] | None = None,
    partition_size: int = DEFAULT_PARTITION_BYTES,
    raw: bool = False,
    bom: bool = False,
    progress: Progress | None = None,
    scheduler: str | None = None,
    timings: dict[str, float] | None = None,
    **options,
) -> ClusterResult:
    """``pipeline.count`` on a Dask cluster: per-document tables to ``output/<table>/part-NNNNN``,
    corpus tables to ``output/<table>.<suffix>``, and ``output/manifest.json``. ``options`` are
    ``count``'s (vocab, unit, zeros, group_by, level, inputs …).

    >>> with connect("local:4") as client:                                  # doctest: +SKIP
    ...     count_on_cluster(["s3://bucket/news/"], client=client, output="counts/")
    """
    begun = time.perf_counter()
    paths = [os.fspath(path) for path in paths]
    names = tuple(tables) if tables is not None else ("frequencies", "totals", *COOCCURRENCE_TABLES)
    check_cluster_options(paths=paths, output=output if output.endswith("/") else output + "/", fmt=fmt,
                          tables=names, store=options.get("store"), new_only=options.get("new_only", False),
                          evidence=options.get("evidence", False), dedup=options.get("dedup") is not None,
                          rates=options.get("rates", False), strict=options.get("strict", False))
    per_document = [name for name in names if name in DOCUMENT_TABLES]
    stream = RowStream({name: PartFormat(fmt, raw=raw, bom=bom) for name in per_document},
                       start=lambda name, columns: None, write=_written_by_workers)
    engine = DaskEngine(client, output, fmt=fmt, partition_bytes=partition_size)
    engine.log.timings.update(timings or {})
    result = count(paths, tables=names, stream=stream, engine=engine, jobs=None, progress=progress, **options)
    merging = time.perf_counter()
    written = []
    for name in [name for name in names if name in CORPUS_TABLES]:
        table = result.rows(name)
        relative = f"{name}{FORMAT_SUFFIXES[fmt]}"
        put(output, relative, corpus_bytes(name, table, fmt=fmt, raw=raw, bom=bom))
        written.append(relative)
    engine.log.timings["corpus_tables_s"] = round(time.perf_counter() - merging, 3)
    engine.log.timings["total_s"] = round(time.perf_counter() - begun + engine.log.timings.get("cluster_start_s", 0), 3)
    manifest = _manifest(engine, result, names=names, fmt=fmt, scheduler=scheduler, options=options)
    put(output, MANIFEST, manifest_bytes(manifest))
    return ClusterResult(result, manifest, [*(f"{name}/" for name in per_document), *written, MANIFEST])


def manifest_bytes(manifest: dict) -> bytes:
    """The manifest as UTF-8 JSON; a file name that is not UTF-8 written as its doc_id (``\\xHH``)."""
    return json.dumps(_names_escaped(manifest), ensure_ascii=False, indent=2).encode("utf-8")


def _names_escaped(value: object) -> object:
    if isinstance(value, str):
        return doc_id_for(value)
    if isinstance(value, dict):
        return {_names_escaped(key): _names_escaped(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_names_escaped(item) for item in value]
    return value


def _written_by_workers(name: str, rows: bytes) -> None:
    raise AssertionError("the Dask engine's workers write the per-document tables")


def corpus_bytes(name: str, table, *, fmt: str, raw: bool, bom: bool) -> bytes:
    """A corpus table's file, by the writer every local run uses (render.py)."""
    if fmt == "parquet":
        return encode({name: table}, fmt="parquet", raw=raw)
    buffer = io.StringIO()
    render({name: table}, fmt=fmt, stream=buffer, bom=bom, raw=raw)
    return buffer.getvalue().encode("utf-8")


def _manifest(engine: DaskEngine, result: Result, *, names: tuple[str, ...], fmt: str, scheduler: str | None,
              options: dict) -> dict:
    from .store import _terms_json

    vocabulary = result.vocabulary
    rows = {name: sum(p["rows"].get(name, 0) for p in engine.log.partitions) for name in names if name in DOCUMENT_TABLES}
    rows.update({name: len(result.rows(name)) for name in names if name in CORPUS_TABLES})
    return {
        "policyterms": __version__,
        "manifest_version": MANIFEST_VERSION,
        "complete": not result.errors,  # every input counted (a skipped one is listed under "skipped")
        "run_id": engine.run_id,
        "settings_id": engine.settings_id,
        "counting_rules": COUNTING_RULES_VERSION,
        "vocabulary": {
            "name": vocabulary.name, "source": vocabulary.source, "file_sha256": vocabulary.digest,
            "terms_sha256": terms_sha256(vocabulary),
            "terms": len(vocabulary),
        },
        "scheduler": scheduler,
        "format": fmt,
        "partition_bytes": engine.partition_bytes,
        "options": {key: _plain(value) for key, value in sorted(options.items()) if key != "vocab"} | _globs_used(options),
        "tables": list(names),
        "rows": rows,
        "documents": result.summary.documents,
        "inputs": list(engine.log.files.values()),
        "partitions": engine.log.partitions,
        "skipped": [{"input": error.source, "reason": error.cause} for error in result.errors],
        "records": dict(sorted(engine.log.checksums.items())),
        "warnings": [str(warning) for warning in result.warnings],
        "timings": engine.log.timings,
    }


def _globs_used(options: dict) -> dict:
    """The inputs' globs as the user gave them: null for the defaults (a directory's text files,
    else its Parquet and JSON Lines files; a URL's tables), which are not one list of suffixes."""
    inputs = options.get("inputs")
    if not isinstance(inputs, InputOptions) or inputs.globs != DEFAULT_GLOBS:
        return {}
    return {"inputs": {**_plain(inputs), "globs": None}}


def _plain(value: object) -> object:
    """An option as JSON: a dataclass (InputOptions) as its fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in dataclasses.asdict(value).items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value if isinstance(value, (str, int, float, bool, type(None), dict)) else str(value)
