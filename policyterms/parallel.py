"""Map a function over a stream of work items in worker processes, results in input order.

The local engine of the partition seam (batch.py): spreads partitions over ``--jobs`` processes.
Each worker builds its own state once (``setup()``: the matcher, the tokenizer, a read-only store
connection) and then applies it to one partition at a time. At most a few partitions per worker
are in flight, so a long input stream (a table of a million rows) is never read ahead into
memory; results come back in the order the partitions went in, so the output does not depend on
the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")

ITEMS_IN_FLIGHT_PER_WORKER = 3  # queued items per worker: enough to keep it busy, never the whole input

_worker_function: Callable | None = None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    setup: Callable[[], Callable[[Item], Out]], items: Iterable[Item], *, jobs: int
) -> Iterator[Out]:
    """``setup()`` once per worker, then its function over ``items`` (partitions); results in
    input order.

    ``jobs == 1`` runs in this process, with no pool at all."""
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
        for item in items:
            pending.append(pool.submit(_run, item))
            if len(pending) >= jobs * ITEMS_IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(setup: Callable[[], Callable]) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker_function
    _worker_function = setup()


def _run(item: object) -> object:
    assert _worker_function is not None, "worker not set up"
    return _worker_function(item)
