"""Map a function over a stream of work items in worker processes, results in input order.

Used by the pipeline to spread documents over ``--jobs`` processes. Each worker builds its own
state once (``setup()``: the matcher, the tokenizer, a read-only store connection) and then
applies it to chunks of items. At most a few chunks per worker are in flight, so a long input
stream (a table of a million rows) is never read ahead into memory; results come back in the
order the items went in, so the output does not depend on the number of workers.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
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
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(setup, os.getpid())
    )
    finished = False
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
        finished = True
    finally:
        if not finished:  # stopped (SIGTERM, Ctrl-C, an error): do not wait for the chunks in flight
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def chunk_items(total: int | None, jobs: int) -> int:
    """Items per chunk: at most MAX_CHUNK_ITEMS, and small enough that each worker gets several
    chunks (a run of 40 documents on 2 workers must not go to one of them)."""
    if total is None:
        return MAX_CHUNK_ITEMS
    return max(1, min(MAX_CHUNK_ITEMS, total // (jobs * CHUNKS_IN_FLIGHT_PER_WORKER)))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now; the shutdown that follows then writes to their closed pipes, which
    must not kill this process by SIGPIPE (the CLI restores its default action for `| head`)."""
    if hasattr(signal, "SIGPIPE") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _start_worker(setup: Callable[[], Callable], parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is not the worker's
    _die_with_parent(parent)
    global _worker_function
    _worker_function = setup()


def _run_chunk(chunk: list) -> list:
    assert _worker_function is not None, "worker not set up"
    return [_worker_function(item) for item in chunk]


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """A worker ends when its parent does, even by SIGKILL: killed cron runs must not leave
    workers behind. On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG);
    elsewhere (and should that fail) a daemon thread checks the parent's pid every second."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)
