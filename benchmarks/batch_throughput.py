"""Batch throughput: `policyterms count` beside the naive jieba script and the matcher alone.

For each corpus size (default 10, 50 and 200 MB) it builds a corpus — the seeds' real sentences,
shuffled into documents of realistic lengths (log-normal, median 2,500 characters, 300 to
40,000), in folders of 1,000 files as a crawler would leave them — and then measures side by
side, in one run, on this machine:

  (a) naive     benchmarks/naive_jieba.py: jieba.lcut + Counter over the vocabulary's words
  (b) jobs=1    policyterms count DIR -f csv -o FILE --jobs 1   (the frequency table)
      jobs=N    the same with one worker per core
  (c) matcher   policyterms' Matcher.find alone over the same, already normalized, text: the ceiling
  (d) automaton ahocorasick-rs alone, leftmost-longest, over that text (the yardstick of b1/d)
  (e) copies    N runs of --jobs 1 at once, each over the whole corpus: what N independent
                processes get from this machine's cores (e/b1, the ceiling of --jobs N / --jobs 1:
                on a host whose cores slow each other it is below N)

and the start-up of one seed document, --version and --help against importing typer and
rich.table; with --analyses-mb, `vocab suggest` and `audit` over a corpus of that size (wall and
CPU time, --jobs 1 and N).

Each command runs as its own process; wall time includes start-up and writing the CSV. Memory
is the peak, over the run, of the summed proportional set size (PSS, from /proc/PID/smaps_rollup)
of the process and its workers, sampled every 0.1 s: pages the workers share with the parent
after fork are counted once, not once per process. MB are 10**6 bytes of UTF-8 input.

Targets (issue 12): b1/d >= 0.2; jobs=2/jobs=1 >= 1.85 on 2 cores; start-up at most 1.5 x the
import of typer and rich.table; on 16 cores jobs=16/jobs=1 >= 10 at 200 MB.

    .venv/bin/python benchmarks/batch_throughput.py                 # 10, 50 and 200 MB
    .venv/bin/python benchmarks/batch_throughput.py --sizes 50       # under 10 minutes
    .venv/bin/python benchmarks/batch_throughput.py --sizes 200 --naive-mb 50
    .venv/bin/python benchmarks/batch_throughput.py --sizes 200 --pss-jobs 16   # memory with 16 workers
    .venv/bin/python benchmarks/batch_throughput.py --sizes 200 --curve 1 2 4 8 16 --repeat 1   # on 16 cores

The corpora are kept in benchmarks/corpus/ (git-ignored) and rebuilt only when missing; each
run's figures are also written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT / "seeds"
VOCAB = ROOT / "vocab" / "future-industries.yaml"
BIN = Path(sys.executable).parent
# The console script, or (installed with pip --target, as on the device machine) the module.
POLICYTERMS = [str(BIN / "policyterms")] if (BIN / "policyterms").exists() else [sys.executable, "-m", "policyterms.cli"]
FILES_PER_FOLDER = 1000
MEDIAN_CHARS, SIGMA, MIN_CHARS, MAX_CHARS = 2500, 0.8, 300, 40_000
SAMPLE_SECONDS = 0.1
CORPUS_SEED = 2026  # the same corpus on every machine

SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]")
HAN = re.compile(r"[\u4e00-\u9fff]")


# The corpus ------------------------------------------------------------------------------------


def seed_sentences() -> list[str]:
    """Every sentence of the seeds with at least 8 Han characters (navigation lines have fewer)."""
    from policyterms import read_document

    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_document(str(path)).text
        for match in SENTENCE.finditer(text):
            sentence = match.group().strip()
            if len(HAN.findall(sentence)) >= 8:
                sentences.append(sentence)
    return sentences


def build_corpus(folder: Path, megabytes: int) -> None:
    """Documents of seed sentences in random order until the corpus holds ``megabytes`` of UTF-8."""
    sentences = seed_sentences()
    rng = random.Random(CORPUS_SEED)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    target, written, number = megabytes * 10**6, 0, 0
    while written < target:
        length = min(MAX_CHARS, max(MIN_CHARS, int(rng.lognormvariate(math.log(MEDIAN_CHARS), SIGMA))))
        title = rng.choice(sentences).rstrip("。！？!?")[:30]
        paragraphs, size = [], 0
        while size < length:
            paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        text = title + "\n\n" + "\n".join(paragraphs) + "\n"
        path = partial / f"{number // FILES_PER_FOLDER:04}" / f"{number:07}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written += len(data)
        number += 1
    partial.rename(folder)


def corpus(megabytes: int, workdir: Path) -> Path:
    folder = workdir / f"{megabytes}MB"
    if not folder.is_dir():
        print(f"building the {megabytes} MB corpus in {folder} …", file=sys.stderr)
        build_corpus(folder, megabytes)
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


# Measuring a command ---------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    seconds: float
    peak_mb: float
    megabytes: float
    documents: int
    hits: int | None = None

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds

    @property
    def documents_per_s(self) -> float:
        return self.documents / self.seconds


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(name: str, command: list[str], *, megabytes: float, documents: int) -> Run:
    """Run ``command`` once; wall time and the peak summed PSS of its process tree."""
    peak = 0
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_SECONDS):
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    returncode = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if returncode != 0:
        raise SystemExit(f"{name}: {' '.join(command)} exited with {returncode}")
    return Run(name, seconds, peak / 1000, megabytes, documents)


def csv_hits(path: Path) -> int:
    import pandas as pd

    return int(pd.read_csv(path)["count"].sum())


def normalized_texts(folder: Path) -> list[str]:
    """Every document of ``folder``, normalized: what (c) and (d) run over (not timed)."""
    from policyterms import normalize

    return [normalize(path.read_text(encoding="utf-8")).text for path in corpus_files(folder)]


def matcher_alone(texts: list[str], megabytes: float, documents: int) -> Run:
    """(c): Matcher.find over every document's normalized text."""
    from policyterms import Matcher, load_vocabulary

    matcher = Matcher(load_vocabulary(VOCAB))
    started = time.perf_counter()
    hits = sum(len(matcher.find(text).hits) for text in texts)
    return Run("(c) matcher alone", time.perf_counter() - started, float("nan"), megabytes, documents, hits)


def automaton_alone(texts: list[str], megabytes: float, documents: int) -> Run:
    """(d): ahocorasick-rs alone, leftmost-longest (``find_matches_as_indexes``), over the same
    normalized text: the issue's yardstick for a whole run on one core."""
    from ahocorasick_rs import AhoCorasick, MatchKind

    from policyterms import load_vocabulary

    automaton = AhoCorasick([surface for surface, _ in load_vocabulary(VOCAB).patterns()], matchkind=MatchKind.LeftmostLongest)
    started = time.perf_counter()
    hits = sum(len(automaton.find_matches_as_indexes(text)) for text in texts)
    return Run("(d) ahocorasick-rs alone", time.perf_counter() - started, float("nan"), megabytes, documents, hits)


def best_seconds(command: list[str], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def startup_ratios(repeat: int = 9) -> dict[str, float]:
    """Whole processes against ``python -c "import typer, rich.table"``, each run next to one of
    the yardstick (so that a machine's drift hits both), median of ``repeat`` pairs: one seed
    document to CSV, ``--version`` and ``--help`` (the issue's target: each at most 1.5).

    policyterms' modules are compiled first, as ``pip install`` leaves them: with
    PYTHONDONTWRITEBYTECODE=1 an editable install would otherwise compile them at every start."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "policyterms")], check=True)
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    yardstick = [sys.executable, "-c", "import typer, rich.table"]
    runs = {
        "one seed -f csv": [*POLICYTERMS, "count", seed, "-f", "csv", "-q"],
        "--version": [*POLICYTERMS, "--version"],
        "--help": [*POLICYTERMS, "--help"],
    }
    ratios = {}
    for name, command in runs.items():
        pairs = [(best_seconds(command, repeat=1), best_seconds(yardstick, repeat=1)) for _ in range(repeat)]
        ratios[name] = statistics.median(seconds / base for seconds, base in pairs)
        print(f"start-up: {name:<16} {statistics.median(s for s, _ in pairs):.3f} s = {ratios[name]:.2f} x "
              f"python -c 'import typer, rich.table' ({statistics.median(b for _, b in pairs):.3f} s; medians of {repeat} pairs)")
    return ratios


def single_seed_seconds(repeat: int = 3) -> float:
    """Best of ``repeat``: one seed document end to end, start-up included."""
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([*POLICYTERMS, "count", seed, "-f", "csv", "-q"], check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def analyses(megabytes: int, *, workdir: Path, jobs: int) -> dict:
    """``vocab suggest`` and ``audit`` over a corpus of ``megabytes`` (issue 12: 6 MB), with
    ``--jobs 1`` and ``--jobs N``: wall time, and the CPU time of the process and its workers —
    CPU over wall near N says the run kept N cores busy."""
    folder = corpus(megabytes, workdir)
    size = sum(path.stat().st_size for path in corpus_files(folder)) / 10**6
    print(f"\n== vocab suggest and audit, {size:.1f} MB ({folder})", flush=True)
    figures = {}
    print(f"{'run':<34} {'wall s':>8} {'CPU s':>8} {'CPU/wall':>9}")
    for command in (["vocab", "suggest"], ["audit"]):
        for job_count in (1, jobs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([*POLICYTERMS, *command, str(folder), "-f", "csv", "-q", "--jobs", str(job_count)],
                           check=True, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers' time is in their parent's
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            name = f"{' '.join(command)} --jobs {job_count}"
            figures[name] = {"wall_s": wall, "cpu_s": cpu}
            print(f"{name:<34} {wall:>8.1f} {cpu:>8.1f} {cpu / wall:>9.2f}", flush=True)
    return {"megabytes": size, "runs": figures}


# One size --------------------------------------------------------------------------------------


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time, with the highest peak memory of them all."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    middle = ordered[len(ordered) // 2]
    return Run(middle.name, middle.seconds, max(run.peak_mb for run in runs), middle.megabytes, middle.documents,
               middle.hits)


def bench_size(megabytes: int, *, workdir: Path, jobs: int, naive_mb: int | None, repeat: int,
               pss_jobs: int | None, curve: list[int]) -> dict:
    folder = corpus(megabytes, workdir)
    files = corpus_files(folder)
    size = sum(path.stat().st_size for path in files) / 10**6
    print(f"\n== {size:.1f} MB, {len(files):,} documents ({folder})", flush=True)
    runs: list[Run] = []
    extra: list[Run] = []
    with tempfile.TemporaryDirectory() as scratch:
        def count_run(job_count: int) -> Run:
            out = Path(scratch) / f"jobs{job_count}.csv"
            run = measure(
                f"(b) policyterms --jobs {job_count}",
                [*POLICYTERMS, "count", str(folder), "-f", "csv", "-o", str(out), "--jobs", str(job_count), "-q"],
                megabytes=size, documents=len(files),
            )
            run.hits = csv_hits(out)
            return run

        def copies_run(copies: int) -> Run:
            """``copies`` runs of --jobs 1 at once, each over the whole corpus: what this machine's
            cores give independent processes (no seam, no parent) — the ceiling of --jobs N."""
            outs = [Path(scratch) / f"copy{number}.csv" for number in range(copies)]
            started = time.perf_counter()
            processes = [subprocess.Popen([*POLICYTERMS, "count", str(folder), "-f", "csv", "-o", str(out),
                                           "--jobs", "1", "-q"], stdout=subprocess.DEVNULL) for out in outs]
            if any(process.wait() != 0 for process in processes):
                raise SystemExit(f"{copies} copies of --jobs 1 failed")
            return Run(f"(e) {copies} × --jobs 1 at once", time.perf_counter() - started, float("nan"),
                       size * copies, len(files) * copies)

        # --jobs 1, --jobs N and N copies of --jobs 1 in turn, so that a drift of the machine's
        # speed touches them alike.
        triples = [(count_run(1), count_run(jobs), copies_run(jobs)) for _ in range(repeat)]
        runs += [median_run([one for one, _, _ in triples]), median_run([many for _, many, _ in triples])]
        host = median_run([copies for _, _, copies in triples])
        # The same ratios pair by pair (each --jobs N and copies run beside its own --jobs 1):
        # a drift of the machine's speed between rounds moves these less than the medians' ratio.
        paired = {f"b{jobs}/b1": [one.seconds / many.seconds for one, many, _ in triples],
                  f"e{jobs}/b1": [jobs * one.seconds / copies.seconds for one, _, copies in triples]}
        same_output = (Path(scratch) / "jobs1.csv").read_bytes() == (Path(scratch) / f"jobs{jobs}.csv").read_bytes()
        scaling = [median_run([count_run(n) for _ in range(repeat)]) for n in curve]
        if pss_jobs is not None:  # memory with many workers, whatever the cores (the time means little then)
            extra.append(count_run(pss_jobs))
            same_output = same_output and (Path(scratch) / f"jobs{pss_jobs}.csv").read_bytes() == (
                Path(scratch) / "jobs1.csv").read_bytes()
        texts = normalized_texts(folder)
        runs.append(min((matcher_alone(texts, size, len(files)) for _ in range(repeat)), key=lambda run: run.seconds))
        runs.append(min((automaton_alone(texts, size, len(files)) for _ in range(repeat)), key=lambda run: run.seconds))
        del texts

        naive_folder, naive_files, naive_size = folder, files, size
        if naive_mb is not None and naive_mb < megabytes:
            naive_folder = corpus(naive_mb, workdir)  # the naive script is slow: measured on a smaller corpus
            naive_files = corpus_files(naive_folder)
            naive_size = sum(path.stat().st_size for path in naive_files) / 10**6
        out = Path(scratch) / "naive.csv"
        naive = measure(
            "(a) naive jieba script" + (f" ({naive_size:.0f} MB)" if naive_folder != folder else ""),
            [sys.executable, str(HERE / "naive_jieba.py"), str(naive_folder), str(VOCAB), str(out)],
            megabytes=naive_size, documents=len(naive_files),
        )
        naive.hits = csv_hits(out)
        runs.insert(0, naive)

    print(f"{'run':<34} {'wall s':>8} {'MB/s':>8} {'docs/s':>9} {'peak MB':>8} {'hits':>11}"
          f"   ((b): median of {repeat}, in turn; (c), (d): best of {repeat})")
    for run in runs + [host] + extra:
        peak = "" if math.isnan(run.peak_mb) else f"{run.peak_mb:.0f}"
        print(f"{run.name:<34} {run.seconds:>8.2f} {run.mb_per_s:>8.2f} {run.documents_per_s:>9,.0f} {peak:>8} "
              f"{'' if run.hits is None else format(run.hits, ','):>11}")
    naive, one, many, ceiling, automaton = runs
    ratios = {
        "b1/a": one.mb_per_s / naive.mb_per_s,
        f"b{jobs}/a": many.mb_per_s / naive.mb_per_s,
        f"b{jobs}/b1": many.mb_per_s / one.mb_per_s,  # target >= 1.85 on 2 cores
        f"e{jobs}/b1": host.mb_per_s / one.mb_per_s,  # what N independent processes get here: b{jobs}/b1's ceiling
        "b1/c": one.mb_per_s / ceiling.mb_per_s,
        f"b{jobs}/c": many.mb_per_s / ceiling.mb_per_s,
        "b1/d": one.mb_per_s / automaton.mb_per_s,  # target >= 0.2
    }
    print("ratios of MB/s: " + ", ".join(f"{name} = {value:.2f}" for name, value in ratios.items()))
    print(f"pair by pair ({repeat} rounds): " + ", ".join(
        f"{name} median {statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})" for name, values in paired.items()))
    if scaling:
        print(f"scaling curve ({len(os.sched_getaffinity(0))} cores; median of {repeat}):")
        print(f"{'--jobs':>8} {'wall s':>8} {'MB/s':>8} {'x --jobs 1':>11} {'peak MB':>8}")
        for n, run in zip(curve, scaling):
            print(f"{n:>8} {run.seconds:>8.2f} {run.mb_per_s:>8.2f} {scaling[0].seconds / run.seconds:>11.2f} "
                  f"{run.peak_mb:>8.0f}")
    counts = ", ".join(str(n) for n in (1, jobs, pss_jobs) if n is not None)
    print(f"--jobs {counts} wrote byte-identical CSV: {same_output}")
    return {"megabytes": size, "documents": len(files), "runs": [asdict(run) | {"mb_per_s": run.mb_per_s,
            "documents_per_s": run.documents_per_s} for run in runs + [host] + extra], "ratios": ratios,
            "paired_ratios": paired, "identical_output": same_output, "repeat": repeat,
            "curve": [{"jobs": n, "seconds": run.seconds, "peak_mb": run.peak_mb} for n, run in zip(curve, scaling)]}


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {cores} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200], help="corpus sizes in MB")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="workers for the parallel run")
    parser.add_argument("--analyses-mb", type=int, default=None,
                        help="also time vocab suggest and audit over a corpus of this many MB (issue 12: 6)")
    parser.add_argument("--naive-mb", type=int, default=None,
                        help="measure the naive script on a corpus of at most this many MB (it runs at ~1 MB/s)")
    parser.add_argument("--workdir", type=Path, default=HERE / "corpus", help="where corpora are kept")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each count command (the median is reported)")
    parser.add_argument("--pss-jobs", type=int, default=None,
                        help="one more run with this many workers, for its peak memory (on fewer cores its time means little)")
    parser.add_argument("--curve", type=int, nargs="*", default=[],
                        help="also run these --jobs counts (e.g. 1 2 4 8 16) and print the scaling curve")
    options = parser.parse_args()

    print(f"machine: {machine()}")
    import importlib.metadata as metadata

    versions = {name: metadata.version(name) for name in ("policyterms", "jieba", "ahocorasick-rs", "pandas")}
    print("versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()))
    seed_seconds = single_seed_seconds()
    print(f"one seed document end to end (best of 3): {seed_seconds:.2f} s")
    report = {"machine": machine(), "versions": versions, "date": dt.date.today().isoformat(),
              "single_seed_seconds": seed_seconds, "startup_ratios": startup_ratios(), "sizes": []}
    if options.analyses_mb:
        report["analyses"] = analyses(options.analyses_mb, workdir=options.workdir, jobs=options.jobs)
    for megabytes in options.sizes:
        report["sizes"].append(bench_size(megabytes, workdir=options.workdir, jobs=options.jobs, naive_mb=options.naive_mb,
                                          repeat=options.repeat, pss_jobs=options.pss_jobs, curve=options.curve))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    path = results / f"batch_throughput-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nfigures written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
