"""The Dask engine beside the local one: `count --scheduler local:N` against `count --jobs N`.

On the corpus of benchmarks/batch_throughput.py (the seeds' sentences shuffled into documents
of realistic lengths, in folders of 1,000 files), side by side in one run, alternating A B A B:

  (a) local   policyterms count DIR --what frequencies -f csv -o OUT/ --jobs N
  (b) dask    policyterms count DIR --what frequencies -f csv -o OUT/ --scheduler local:N
              --partition-size SIZE

Each command runs as its own process; wall time includes start-up and writing the tables. For
the Dask runs, the manifest's timings split the wall time: the cluster's start-up (N worker
processes spawned and connected), planning the partitions, and counting. The per-task overhead
is the mean gap, on each worker, between the end of one task and the start of its next (the
manifest records where and when each partition ran, and how long it took there: reading,
counting, writing its parts), as a share of a partition's mean time. Target (issue 13): under
5%. What the run's wall time holds besides (the process's imports, the cluster's shut-down) is
printed too. The frequencies of both engines are compared: they must be the same rows.

    .venv/bin/python benchmarks/cluster_throughput.py                    # 50 MB, N = this machine's cores
    .venv/bin/python benchmarks/cluster_throughput.py --sizes 200 --workers 16 --partition-size 8MB

Figures are printed and written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from batch_throughput import BIN, corpus, corpus_files, machine  # noqa: E402 - the same corpus, the same machine line

POLICYTERMS = BIN / "policyterms"


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the command and every process under it
    (the workers too: each is waited for by its parent): on a shared machine the CPU time says
    what the engine costs when the wall time says how busy the others were."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {completed.returncode}: {completed.stderr[-2000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def frequencies_text(directory: Path) -> str:
    """The frequency rows of a run: one CSV, or a directory of parts (each with its header)."""
    single = directory / "frequencies.csv"
    if single.exists():
        return single.read_text(encoding="utf-8")
    parts = sorted((directory / "frequencies").glob("part-*.csv"))
    header = parts[0].read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
    return header + "".join(part.read_text(encoding="utf-8").split("\n", 1)[1] for part in parts)


def task_gaps(partitions: list[dict]) -> list[float]:
    """On each worker, the time from the end of one task to the start of its next: what the
    engine adds per task (the scheduler's round trip, the task's arguments and result), apart
    from the tail where a worker has nothing left to do."""
    gaps = []
    by_worker: dict[str, list[dict]] = {}
    for partition in partitions:
        by_worker.setdefault(partition["worker"], []).append(partition)
    for tasks in by_worker.values():
        tasks.sort(key=lambda p: p["began"])
        gaps += [later["began"] - (earlier["began"] + earlier["seconds"]) for earlier, later in zip(tasks, tasks[1:])]
    return gaps


def bench(megabytes: int, *, workdir: Path, workers: int, partition_size: str, repeat: int) -> dict:
    folder = corpus(megabytes, workdir)
    documents = len(corpus_files(folder))
    size_mb = sum(path.stat().st_size for path in corpus_files(folder)) / 10**6
    local_times, dask_times, local_cpu, dask_cpu, manifests = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        local_out, dask_out = Path(scratch) / "local", Path(scratch) / "dask"
        common = [str(POLICYTERMS), "count", str(folder), "--what", "frequencies", "-f", "csv", "-q"]
        for _ in range(repeat):
            shutil.rmtree(local_out, ignore_errors=True)
            wall, cpu = run([*common, "-o", f"{local_out}/", "--jobs", str(workers)])
            local_times.append(wall), local_cpu.append(cpu)
            shutil.rmtree(dask_out, ignore_errors=True)  # a fresh OUT: nothing to resume
            wall, cpu = run([*common, "-o", f"{dask_out}/", "--scheduler", f"local:{workers}",
                             "--partition-size", partition_size])
            dask_times.append(wall), dask_cpu.append(cpu)
            manifests.append(json.loads((dask_out / "manifest.json").read_text(encoding="utf-8")))
        same = frequencies_text(local_out) == frequencies_text(dask_out)
    best = min(range(repeat), key=lambda i: dask_times[i])
    manifest = manifests[best]
    timings = manifest["timings"]
    partitions = manifest["partitions"]
    mean_task = sum(p["seconds"] for p in partitions) / len(partitions)
    overhead = statistics.mean(task_gaps(partitions) or [0.0])
    return {
        "megabytes": round(size_mb, 1), "documents": documents, "workers": workers, "partition_size": partition_size,
        "partitions": len(partitions), "repeat": repeat,
        "local_s": [round(t, 2) for t in local_times], "dask_s": [round(t, 2) for t in dask_times],
        "local_median_s": round(statistics.median(local_times), 2), "dask_median_s": round(statistics.median(dask_times), 2),
        "dask_over_local": round(statistics.median(dask_times) / statistics.median(local_times), 2),
        "local_cpu_s": [round(t, 2) for t in local_cpu], "dask_cpu_s": [round(t, 2) for t in dask_cpu],
        "cpu_dask_over_local": round(statistics.median(dask_cpu) / statistics.median(local_cpu), 2),
        "cluster_start_s": timings.get("cluster_start_s"), "plan_s": timings["plan_s"], "count_s": timings["count_s"],
        "dask_counting_mb_per_s": round(size_mb / timings["count_s"], 1),
        "local_mb_per_s": round(size_mb / statistics.median(local_times), 1),
        "dask_best_s": round(dask_times[best], 2), "dask_total_s": timings["total_s"],
        "mean_partition_s": round(mean_task, 3), "overhead_per_task_s": round(overhead, 4),
        "overhead_share": round(overhead / mean_task, 4), "same_frequencies": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50], help="corpus sizes in MB")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="N: --jobs N and local:N")
    parser.add_argument("--partition-size", default="4MB", help="the Dask engine's --partition-size")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine, alternating")
    parser.add_argument("--workdir", type=Path, default=HERE / "corpus", help="where the corpora are kept")
    arguments = parser.parse_args()
    arguments.workdir.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "date": dt.date.today().isoformat(), "sizes": []}
    print(results["machine"])
    for megabytes in arguments.sizes:
        figures = bench(megabytes, workdir=arguments.workdir, workers=arguments.workers,
                        partition_size=arguments.partition_size, repeat=arguments.repeat)
        results["sizes"].append(figures)
        print(f"{figures['megabytes']} MB, {figures['documents']:,} documents, {figures['partitions']} partitions "
              f"of {figures['partition_size']}, {figures['workers']} workers:")
        print(f"  --jobs {figures['workers']}          median {figures['local_median_s']:.2f} s "
              f"({figures['local_mb_per_s']} MB/s)  runs {figures['local_s']}")
        print(f"  --scheduler local:{figures['workers']}  median {figures['dask_median_s']:.2f} s  runs {figures['dask_s']}"
              f"  ({figures['dask_over_local']}x the local time)")
        print(f"  CPU seconds (all processes): --jobs {statistics.median(figures['local_cpu_s']):.2f}, "
              f"local:{figures['workers']} {statistics.median(figures['dask_cpu_s']):.2f} "
              f"({figures['cpu_dask_over_local']}x)")
        print(f"    of which cluster start-up {figures['cluster_start_s']} s, planning {figures['plan_s']} s, "
              f"counting {figures['count_s']} s ({figures['dask_counting_mb_per_s']} MB/s)")
        print(f"    per-task overhead {figures['overhead_per_task_s'] * 1000:.1f} ms = "
              f"{figures['overhead_share']:.1%} of a partition's {figures['mean_partition_s']} s (target < 5%)")
        print(f"    the rest of the wall time (imports, cluster shut-down): "
              f"{figures['dask_best_s'] - figures['dask_total_s']:.2f} s")
        print(f"  same frequency rows: {figures['same_frequencies']}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"cluster_throughput-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
