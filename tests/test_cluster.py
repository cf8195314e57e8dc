"""count --engine dask (policyterms/cluster.py): every table equal to the local engine's, a killed
worker, resume, bad inputs, the refusals. One in-process cluster and one 2-process LocalCluster
serve the whole module (the CLI reaches the latter by its tcp:// address)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from conftest import SEEDS, seed_text
from policyterms.batch import InputOptions
from policyterms.cli import app
from policyterms.cluster import check_cluster_options, count_on_cluster, parse_size, plan_partitions
from policyterms.errors import UsageError

runner = CliRunner()
ALL_TABLES = ("documents", "frequencies", "totals", "groups", "cooccurrence", "cooccurrence_totals")
PER_DOCUMENT = ("documents", "frequencies", "cooccurrence")
CORPUS = ("totals", "groups", "cooccurrence_totals")
WITHOUT_GROUPS = ("documents", "frequencies", "totals", "cooccurrence", "cooccurrence_totals")

VOCAB_YAML = """\
terms:
  - {term: 量子科技, category: 未来信息}
  - {term: 生物制造, category: 未来制造}
  - {term: 第六代移动通信, aliases: [6G], category: 未来信息}
"""


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def processes():
    """A LocalCluster of 2 worker processes (one thread each), for the module."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def in_process():
    """A cluster of 2 worker threads inside this process."""
    with Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=":0") as client:
        yield client


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The seeds' sentences shuffled into 60 rows, as Parquet (row groups of 4 rows) and JSON Lines,
    with one row of empty text (row 8) in both, a line that is not JSON after row 20 (JSONL row
    22) and a blank line after row 30 (not a row)."""
    directory = tmp_path_factory.mktemp("dataset")
    sentences = [s + "。" for path in sorted(SEEDS.glob("*.txt")) for s in seed_text(path.name).split("。") if len(s) > 8]
    shuffle = random.Random(13)
    rows = []
    for number in range(60):
        text = "".join(shuffle.sample(sentences, 6))
        rows.append({"url": f"https://example.gov.cn/{number}", "date": f"202{number % 3}-0{1 + number % 9}-15",
                     "source": ["新华社", "人民日报"][number % 2], "content": text})
    rows[7]["content"] = "  "
    pq.write_table(pa.Table.from_pylist(rows), directory / "news.parquet", row_group_size=4)
    with open(directory / "news.jsonl", "w", encoding="utf-8") as handle:
        for number, row in enumerate(rows, start=1):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            if number == 21:
                handle.write("{not json\n")
            if number == 31:
                handle.write("\n")
    return directory


def local_tables(tmp_path: Path, *args) -> dict[str, pd.DataFrame]:
    """Every table of `count --jobs 2`, as Parquet read back."""
    out = tmp_path / "local"
    result = invoke("count", *args, "--jobs", "2", "--what", "all", "-f", "parquet", "-o", f"{out}/")
    assert result.exit_code in (0, 3), result.stderr
    return {path.stem: pd.read_parquet(path) for path in out.glob("*.parquet")}


def cluster_tables(out: Path, names) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / name) if name in PER_DOCUMENT else pd.read_parquet(out / f"{name}.parquet")
            for name in names}


def assert_same_tables(cluster: dict, local: dict) -> None:
    assert set(cluster) == set(local)
    for name in local:
        pd.testing.assert_frame_equal(cluster[name], local[name], obj=name)


# Every table, as the local engine makes it ----------------------------------------------------


def test_seeds_every_table_equal_to_jobs_2_on_processes(processes, tmp_path):
    out = tmp_path / "out"
    result = invoke("count", SEEDS, "--group-by", "year", "--what", "all", "--scheduler", processes.scheduler.address,
                    "--partition-size", "20KB", "-o", f"{out}/")
    assert result.exit_code == 0, result.stderr
    parts = sorted(path.name for path in (out / "frequencies").iterdir())
    assert len(parts) > 1 and parts[0] == "part-00000.parquet"  # the seeds (17 to 60 KB each) in several partitions
    local = local_tables(tmp_path, SEEDS, "--group-by", "year")
    assert set(local) == set(ALL_TABLES)
    assert_same_tables(cluster_tables(out, ALL_TABLES), local)


def test_seeds_csv_parts_are_the_local_csv_byte_for_byte(processes, tmp_path):
    out, local = tmp_path / "out", tmp_path / "local"
    assert invoke("count", SEEDS, "--what", "all", "--scheduler", processes.scheduler.address, "--partition-size", "20KB",
                  "-f", "csv", "-o", f"{out}/").exit_code == 0
    assert invoke("count", SEEDS, "--what", "all", "--jobs", "2", "-o", f"{local}/").exit_code == 0
    for name in PER_DOCUMENT:
        parts = sorted((out / name).glob("part-*.csv"))
        header, *_ = parts[0].read_text(encoding="utf-8").splitlines(keepends=True)
        body = "".join(part.read_text(encoding="utf-8").split("\n", 1)[1] for part in parts)
        assert header + body == (local / f"{name}.csv").read_text(encoding="utf-8"), name
    for name in ("totals", "cooccurrence_totals"):
        assert (out / f"{name}.csv").read_bytes() == (local / f"{name}.csv").read_bytes(), name


@pytest.mark.parametrize("name", ["news.parquet", "news.jsonl"])
def test_dataset_every_table_equal_to_jobs_2_in_process(in_process, dataset, tmp_path, name):
    out = tmp_path / "out"
    outcome = count_on_cluster([str(dataset / name)], client=in_process, output=f"{out}/", tables=ALL_TABLES,
                               group_by="source", partition_size=parse_size("8KB"))
    assert len(outcome.manifest["partitions"]) > 3  # row groups / blocks of 8 KB, not one partition
    assert_same_tables(cluster_tables(out, ALL_TABLES), local_tables(tmp_path, dataset / name, "--group-by", "source"))


def test_dataset_with_id_and_date_columns_on_processes(processes, dataset, tmp_path):
    out = tmp_path / "out"
    options = ("--id-column", "url", "--date-column", "date", "--group-by", "month")
    result = invoke("count", dataset / "news.parquet", dataset / "news.jsonl", *options, "--what", "all",
                    "--scheduler", processes.scheduler.address, "--partition-size", "10KB", "-o", f"{out}/")
    assert result.exit_code == 3, result.stderr  # the bad rows
    cluster = cluster_tables(out, ALL_TABLES)
    assert cluster["frequencies"]["doc_id"].iloc[0] == "https://example.gov.cn/0"
    assert_same_tables(cluster, local_tables(tmp_path, dataset / "news.parquet", dataset / "news.jsonl", *options))


# Exact counts, read from the fixture ----------------------------------------------------------


def test_counts_of_a_small_jsonl_in_blocks(in_process, tmp_path):
    vocab = tmp_path / "v.yaml"
    vocab.write_text(VOCAB_YAML, encoding="utf-8")
    data = tmp_path / "small.jsonl"
    lines = [
        {"text": "加快量子科技攻关，发展生物制造。"},  # row 1: 量子科技 1, 生物制造 1
        {"text": "推进6G研发。量子科技和6G协同。"},  # row 2: 第六代移动通信 2 (6G twice), 量子科技 1
        {"text": "第六代移动通信标准。"},  # row 3: 第六代移动通信 1
    ]
    data.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out"
    count_on_cluster([str(data)], client=in_process, output=f"{out}/", partition_size=40, vocab=vocab,
                     tables=("frequencies", "totals"))
    frequencies = pd.read_parquet(out / "frequencies")
    assert len(list((out / "frequencies").glob("part-*.parquet"))) == 3  # 40 bytes: one row per block
    assert list(zip(frequencies["doc_id"], frequencies["term"], frequencies["count"])) == [
        (f"{data}#1", "量子科技", 1), (f"{data}#1", "生物制造", 1),
        (f"{data}#2", "量子科技", 1), (f"{data}#2", "第六代移动通信", 2),
        (f"{data}#3", "第六代移动通信", 1),
    ]
    totals = pd.read_parquet(out / "totals.parquet")
    # 量子科技 in rows 1 and 2; 生物制造 in row 1; 第六代移动通信 2 + 1 in rows 2 and 3
    assert list(zip(totals["term"], totals["count"], totals["documents"])) == [
        ("量子科技", 2, 2), ("生物制造", 1, 1), ("第六代移动通信", 3, 2)]


# Faults ---------------------------------------------------------------------------------------


def test_a_killed_worker_gives_the_same_tables(processes, dataset, tmp_path):
    out = tmp_path / "out"
    inputs = (SEEDS, dataset / "news.parquet", dataset / "news.jsonl")  # about 60 partitions of 3 KB
    command = [sys.executable, "-m", "policyterms.cli", "count", *map(str, inputs),
               "--what", "all", "--scheduler", processes.scheduler.address, "--partition-size", "3KB", "-q",
               "-o", f"{out}/"]
    pids = processes.run(os.getpid)  # worker address → its process
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and run.poll() is None:
        busy = [worker for worker, keys in processes.processing().items() if keys and worker in pids]
        if busy and (out / "_partitions").is_dir() and any((out / "_partitions").iterdir()):
            killed = pids[busy[0]]
            os.kill(killed, signal.SIGKILL)  # a worker with a task running, after the first partition is written
        time.sleep(0.02)
    _, stderr = run.communicate(timeout=120)
    assert killed is not None, "the run ended before a worker could be killed"
    assert run.returncode == 3, stderr  # row 8 has no text, a JSON Lines line is not JSON
    processes.wait_for_workers(2, timeout=60)
    assert killed not in processes.run(os.getpid).values()  # the nanny started a new worker
    assert_same_tables(cluster_tables(out, WITHOUT_GROUPS),
                       local_tables(tmp_path, *inputs))


def test_a_rerun_skips_written_partitions(in_process, dataset, tmp_path):
    out = tmp_path / "out"
    options = dict(client=in_process, output=f"{out}/", tables=ALL_TABLES, group_by="year", partition_size=parse_size("6KB"))
    first = count_on_cluster([str(SEEDS), str(dataset / "news.jsonl")], **options)
    parts = sorted((out / "frequencies").glob("part-*.parquet"))
    assert len(parts) == len(first.manifest["partitions"]) > 4
    # An interrupted run: the last partition's record (written after its tables) is missing.
    last = len(parts) - 1
    (out / "_partitions" / f"part-{last:05d}.json").unlink()
    before = {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in parts}
    second = count_on_cluster([str(SEEDS), str(dataset / "news.jsonl")], **options)
    after = {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in (out / "frequencies").glob("part-*.parquet")}
    assert [p["resumed"] for p in second.manifest["partitions"]] == [True] * last + [False]
    assert {name: after[name] for name in before if name != parts[-1].name} == \
        {name: stamp for name, stamp in before.items() if name != parts[-1].name}  # not rewritten
    assert after[parts[-1].name] != before[parts[-1].name]  # counted again
    assert second.manifest["skipped"] == first.manifest["skipped"]  # the bad rows, from the records
    assert_same_tables(cluster_tables(out, ALL_TABLES),
                       local_tables(tmp_path, SEEDS, dataset / "news.jsonl", "--group-by", "year"))


def test_a_rerun_with_other_settings_is_refused(in_process, tmp_path):
    out = tmp_path / "out"
    count_on_cluster([str(SEEDS)], client=in_process, output=f"{out}/", tables=("frequencies",))
    with pytest.raises(UsageError, match="other settings"):
        count_on_cluster([str(SEEDS)], client=in_process, output=f"{out}/", tables=("frequencies",), zeros=True)


def test_bad_rows_and_files_are_skipped_named_and_exit_3(processes, dataset, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    out = tmp_path / "out"
    result = invoke("count", dataset / "news.jsonl", broken, tmp_path / "missing.jsonl", "--scheduler",
                    processes.scheduler.address, "--partition-size", "10KB", "-o", f"{out}/")
    assert result.exit_code == 3
    named = [line for line in result.stderr.splitlines() if line.startswith("policyterms: error: ")]
    assert any(f"{dataset / 'news.jsonl'}#8: empty text in column 'content'" in line for line in named)
    assert any(f"{dataset / 'news.jsonl'}#22: not JSON" in line for line in named)
    assert any(str(broken) in line and "not a Parquet file" in line for line in named)
    assert any("missing.jsonl" in line for line in named)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["input"] for entry in manifest["skipped"]} == {
        f"{dataset / 'news.jsonl'}#8", f"{dataset / 'news.jsonl'}#22", str(broken), str(tmp_path / "missing.jsonl")}
    # 61 lines with text, one of them not JSON and one with empty text: 59 documents counted
    assert manifest["documents"] == 59 and manifest["rows"]["frequencies"] == len(pd.read_parquet(out / "frequencies"))
    assert "policyterms: 59 documents read, 4 skipped" in result.stderr


def test_manifest_records_inputs_partitions_and_timings(in_process, tmp_path):
    out = tmp_path / "out"
    outcome = count_on_cluster([str(SEEDS)], client=in_process, output=f"{out}/", tables=("frequencies", "totals"),
                               partition_size=parse_size("30KB"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == outcome.manifest
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [entry["path"] for entry in manifest["inputs"]] == [str(path) for path in seeds]
    assert [entry["size"] for entry in manifest["inputs"]] == [path.stat().st_size for path in seeds]
    assert all("mtime" in entry for entry in manifest["inputs"])
    assert sorted(p for part in manifest["partitions"] for p in part["inputs"]) == [str(path) for path in seeds]
    assert manifest["rows"]["frequencies"] == len(pd.read_parquet(out / "frequencies"))
    assert manifest["settings_id"] and manifest["vocabulary"]["terms"] > 100
    assert {"plan_s", "count_s", "total_s"} <= set(manifest["timings"])


# Refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--db", "x.db"], "--db is one SQLite file"),
    (["-f", "table"], "use --format parquet"),
    (["-f", "xlsx"], "use --format parquet"),
    (["--evidence", "hits.csv"], "--evidence is not written by a cluster"),
    (["--dedup"], "--dedup compares every document"),
    (["--rates"], "--what totals with --rates"),
    (["--strict"], "--strict cannot stop"),
])
def test_what_cannot_run_on_a_cluster_is_refused(tmp_path, args, message):
    result = invoke("count", SEEDS, "--scheduler", "local:2", "-o", f"{tmp_path}/out/", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "out").exists()  # refused before any cluster or file


def test_jobs_and_a_scheduler_for_the_local_engine_are_refused(tmp_path):
    assert "--jobs is for the local engine" in invoke("count", SEEDS, "--scheduler", "local:2", "--jobs", "2",
                                                      "-o", f"{tmp_path}/").stderr
    assert "--scheduler is for --engine dask" in invoke("count", SEEDS, "--engine", "local", "--scheduler", "local:2",
                                                        "-o", f"{tmp_path}/").stderr


def test_stdin_no_output_directory_and_no_scheduler_are_refused(tmp_path):
    assert "reads no stdin" in invoke("count", "-", "--scheduler", "local:2", "-o", f"{tmp_path}/").stderr
    assert "add -o OUT/" in invoke("count", SEEDS, "--scheduler", "local:2").stderr
    assert "add -o OUT/" in invoke("count", SEEDS, "--scheduler", "local:2", "-o", tmp_path / "counts.csv").stderr
    assert "needs --scheduler" in invoke("count", SEEDS, "--engine", "dask", "-o", f"{tmp_path}/").stderr
    assert "for --engine dask" in invoke("count", SEEDS, "--partition-size", "1MB").stderr
    assert "not a size" in invoke("count", SEEDS, "--scheduler", "local:2", "--partition-size", "lots",
                                  "-o", f"{tmp_path}/").stderr


def test_without_dask_installed_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    result = invoke("count", SEEDS, "--scheduler", "local:2", "-o", f"{tmp_path}/")
    assert result.exit_code == 2
    assert result.stderr == "policyterms: error: --engine dask needs dask.distributed: pip install 'policyterms[dask]'\n"


def test_the_library_refuses_as_the_cli_does(tmp_path):
    with pytest.raises(UsageError, match="--db"):
        check_cluster_options(paths=[str(SEEDS)], output=f"{tmp_path}/", fmt="parquet", tables=("totals",), store="x.db")


# Plans and sizes ------------------------------------------------------------------------------


def test_partition_sizes():
    assert parse_size("128MB") == 128 * 10**6
    assert parse_size("1GiB") == 2**30
    assert parse_size("64kb") == 64_000
    assert parse_size("5000") == 5000
    with pytest.raises(UsageError):
        parse_size("0MB")


def test_plan_keeps_input_order_and_files_with_their_sizes(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    partitions, files = plan_partitions([str(SEEDS)], InputOptions(), size=40_000, run_id="x")
    # files are added until a partition holds 40,000 bytes
    sizes = [path.stat().st_size for path in seeds]
    expected, current, held = [], [], 0
    for path, size in zip(seeds, sizes):
        current.append(str(path))
        held += size
        if held >= 40_000:
            expected.append(current)
            current, held = [], 0
    expected += [current] if current else []
    assert [list(p.items) for p in partitions] == expected
    assert [files[str(path)]["size"] for path in seeds] == sizes
    again, _ = plan_partitions([str(SEEDS)], InputOptions(), size=40_000, run_id="x")
    assert [p.key for p in again] == [p.key for p in partitions]  # a rerun finds its partitions by key
    other, _ = plan_partitions([str(SEEDS)], InputOptions(), size=40_000, run_id="y")
    assert not {p.key for p in other} & {p.key for p in partitions}


def _dies_on_the_second_partition(job):
    """In a worker: the process ends at once on partition 1, as one killed for its memory would."""
    from policyterms import cluster

    if job.partition.number == 1:
        time.sleep(0.5)  # the worker reports the partition before first (its messages go out in batches)
        os._exit(1)
    return cluster.run_partition(job)


def test_a_partition_that_kills_its_workers_is_skipped_and_named(tmp_path, monkeypatch):
    import cloudpickle
    import dask

    from policyterms import cluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    monkeypatch.setattr(cluster, "run_partition", _dies_on_the_second_partition)
    out = tmp_path / "out"
    seeds = sorted(SEEDS.glob("*.txt"))
    # Given up at the first death; one task at a time on the worker, so that no other task dies with it.
    config = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
    try:
        with dask.config.set(config), \
                LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as one, \
                Client(one) as client:
            outcome = count_on_cluster([str(SEEDS)], client=client, output=f"{out}/", tables=("frequencies", "totals"),
                                       partition_size=1)  # 1 byte: one seed per partition
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    errors = outcome.result.errors
    assert [error.source for error in errors] == [str(seeds[1])]
    assert "died each time it was tried" in errors[0].cause
    assert not (out / "frequencies" / "part-00001.parquet").exists()
    assert not (out / "_partitions" / "part-00001.json").exists()  # a rerun tries it again
    others = [path for index, path in enumerate(seeds) if index != 1]
    local = local_tables(tmp_path, *others)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "frequencies"), local["frequencies"])


def test_fsspec_urls_in_and_out(in_process, dataset, tmp_path):
    """Inputs and outputs as URLs (fsspec's memory:// filesystem stands in for s3://: the
    in-process workers share it): a directory walked for tables, Parquet row groups and JSON
    Lines blocks read through fsspec, parts and corpus tables written there."""
    import fsspec

    memory = fsspec.filesystem("memory")
    for name in ("news.parquet", "news.jsonl"):
        memory.pipe(f"/corpus/{name}", (dataset / name).read_bytes())
    outcome = count_on_cluster(["memory://corpus/"], client=in_process, output="memory://counts/", tables=ALL_TABLES,
                               group_by="year", partition_size=parse_size("10KB"))
    try:
        assert len(outcome.manifest["partitions"]) > 2
        assert [entry["path"] for entry in outcome.manifest["inputs"]] == [
            "memory:///corpus/news.jsonl", "memory:///corpus/news.parquet"]  # the directory, sorted
        cluster = {name: pd.read_parquet(f"memory://counts/{name}" if name in PER_DOCUMENT
                                         else f"memory://counts/{name}.parquet") for name in ALL_TABLES}
        for name in PER_DOCUMENT:  # doc_ids name the URL: FILE#ROW of the same rows
            cluster[name]["doc_id"] = cluster[name]["doc_id"].str.replace("memory:///corpus/", f"{dataset}/")
        assert_same_tables(cluster, local_tables(tmp_path, dataset / "news.jsonl", dataset / "news.parquet",
                                                 "--group-by", "year"))
    finally:
        memory.rm("/corpus", recursive=True)
        memory.rm("/counts", recursive=True)


def test_category_level_zeros_and_shadowed_as_locally(in_process, tmp_path):
    out = tmp_path / "out"
    count_on_cluster([str(SEEDS)], client=in_process, output=f"{out}/", tables=WITHOUT_GROUPS, level="category",
                     zeros=True, shadowed=True, unit="paragraph", partition_size=parse_size("30KB"))
    assert_same_tables(cluster_tables(out, WITHOUT_GROUPS),
                       local_tables(tmp_path, SEEDS, "--level", "category", "--zeros", "--shadowed", "--unit", "paragraph"))


def test_progress_counts_partitions(in_process, tmp_path):
    calls = []
    outcome = count_on_cluster([str(SEEDS)], client=in_process, output=f"{tmp_path}/out/", tables=("totals",),
                               partition_size=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 5) for n in range(1, 6)]  # 1 byte: each of the 5 seeds is a partition
    assert len(outcome.manifest["partitions"]) == 5


def test_no_dashboard_link_without_bokeh_on_the_scheduler(in_process):
    import importlib.util

    from policyterms.cluster import dashboard_link

    has_bokeh = importlib.util.find_spec("bokeh") is not None
    assert (dashboard_link(in_process) is not None) == has_bokeh
