"""Map a function over a stream of work items in worker processes, results in input order.

The local engine of the partition seam (batch.py): spreads partitions over ``--jobs`` processes.
Each worker builds its own state once (``setup()``: the matcher, the tokenizer, a read-only store
connection) and then applies it to one partition at a time. At most a few partitions per worker
are in flight, so a long input stream (a table of a million rows) is never read ahead into
memory; results come back in the order the partitions went in, so the output does not depend on
the number of workers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

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
    # A pool only for jobs > 1: a run in this process does not import multiprocessing (start-up).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

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
        for item in items:
            pending.append(pool.submit(_run, item))
            if len(pending) >= jobs * ITEMS_IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        if not finished:  # stopped (SIGTERM, Ctrl-C, an error): do not wait for the chunks in flight
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


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


def _run(item: object) -> object:
    assert _worker_function is not None, "worker not set up"
    return _worker_function(item)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """A worker ends when its parent does, even by SIGKILL: killed cron runs must not leave
    workers behind. On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG);
    elsewhere (and should that fail) a daemon thread checks the parent's pid every second."""
    if sys.platform.startswith("linux"):
        import ctypes

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
