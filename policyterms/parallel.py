"""Map a function over a stream of work items in worker processes, results in input order.

Used by the pipeline to spread documents over ``--jobs`` processes. Each worker builds its own
state once (``setup()``: the matcher, the tokenizer, a read-only store connection) and then
applies it to chunks of items. At most a few chunks per worker are in flight, so a long input
stream (a table of a million rows) is never read ahead into memory; results come back in the
order the items went in, so the output does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")

MAX_CHUNK_ITEMS = 32  # items per task sent to a worker: fewer round trips, less parent CPU
CHUNKS_IN_FLIGHT_PER_WORKER = 3

_worker_function: Callable | None = None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    setup: Callable[[], Callable[[Item], Out]], items: Iterable[Item], *, jobs: int, total: int | None = None
) -> Iterator[Out]:
    """``setup()`` once per worker, then its function over ``items``; results in input order.

    ``jobs == 1`` runs in this process, with no pool at all. ``total`` (the number of items, when
    known) lets a short input be cut into chunks small enough to keep every worker busy."""
    if jobs <= 1:
        function = setup()
        for item in items:
            yield function(item)
        return
    # fork shares the imported modules with the workers instead of importing them again in each
    # (pandas alone takes 0.2 s); where fork does not exist, the platform's default is used.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(setup,))
    try:
        # Start every worker now, before this process starts any thread of its own (a progress
        # bar, pyarrow's pool): forking a process that has threads can deadlock the child.
        pool.submit(int).result()
        pending: deque[Future] = deque()
        iterator = iter(items)
        size = chunk_items(total, jobs)
        chunks = iter(lambda: list(islice(iterator, size)), [])
        for chunk in chunks:
            pending.append(pool.submit(_run_chunk, chunk))
            if len(pending) >= jobs * CHUNKS_IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunk_items(total: int | None, jobs: int) -> int:
    """Items per chunk: at most MAX_CHUNK_ITEMS, and small enough that each worker gets several
    chunks (a run of 40 documents on 2 workers must not go to one of them)."""
    if total is None:
        return MAX_CHUNK_ITEMS
    return max(1, min(MAX_CHUNK_ITEMS, total // (jobs * CHUNKS_IN_FLIGHT_PER_WORKER)))


def _start_worker(setup: Callable[[], Callable]) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker_function
    _worker_function = setup()


def _run_chunk(chunk: list) -> list:
    assert _worker_function is not None, "worker not set up"
    return [_worker_function(item) for item in chunk]
