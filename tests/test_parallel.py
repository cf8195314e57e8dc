"""parallel.ordered_map: results in input order, state built once per worker, no read-ahead."""

import functools
import os

import pytest

from policyterms.batch import MAX_PARTITION_DOCUMENTS, PARTITIONS_PER_WORKER, partition_size, partitions
from policyterms.parallel import ITEMS_IN_FLIGHT_PER_WORKER, ordered_map


class Tagger:
    """Worker state: records which process built it and how often."""

    built = 0

    def __init__(self, offset: int) -> None:
        Tagger.built += 1
        self.offset = offset
        self.built_in = os.getpid()
        self.builds_here = Tagger.built

    def __call__(self, item: int) -> tuple[int, int, int]:
        return item + self.offset, self.built_in, self.builds_here


def test_results_come_in_input_order_and_each_worker_builds_its_state_once():
    results = list(ordered_map(functools.partial(Tagger, 1000), range(500), jobs=2))
    assert [value for value, _, _ in results] == list(range(1000, 1500))
    workers = {pid for _, pid, _ in results}
    assert len(workers) == 2 and os.getpid() not in workers
    assert {builds for _, _, builds in results} == {1}  # one build in each worker process


def test_one_job_runs_here_without_a_pool():
    results = list(ordered_map(functools.partial(Tagger, 0), range(10), jobs=1))
    assert [value for value, _, _ in results] == list(range(10))
    assert {pid for _, pid, _ in results} == {os.getpid()}


def test_the_input_is_not_read_ahead():
    taken = []

    def items():
        for number in range(10_000):
            taken.append(number)
            yield number

    stream = ordered_map(functools.partial(Tagger, 0), items(), jobs=2)
    next(stream)
    # when the first result arrives, at most the items in flight have been taken from the input
    assert len(taken) <= 2 * ITEMS_IN_FLIGHT_PER_WORKER + 1
    stream.close()


class Divider:
    def __call__(self, item: int) -> float:
        return 1 / item


def test_an_exception_in_a_worker_reaches_the_caller():
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(Divider, [1, 0, 2], jobs=2))


def test_a_short_input_is_cut_small_enough_for_every_worker():
    assert partition_size(None, 2) == MAX_PARTITION_DOCUMENTS
    assert partition_size(100_000, 2) == MAX_PARTITION_DOCUMENTS
    assert partition_size(40, 2) == 40 // (2 * PARTITIONS_PER_WORKER) == 2
    assert partition_size(591, 2) == 36  # vocab suggest's 6 MB: 17 partitions for 2 workers, not 7 of 98
    assert partition_size(3, 2) == 1


def test_partitions_are_consecutive_chunks_of_the_input():
    assert list(partitions(range(7), size=3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(partitions([], size=3)) == []
