"""CPU time of each step of a frequency count over a corpus, in one process (best of 5).

Each step's functions run over the whole corpus, read (and, for the later steps, cleaned and
normalized) beforehand, so that a step's figure is its own. Compare two versions of the code by
running the script with each on PYTHONPATH, one after the other:

    .venv/bin/python benchmarks/steps.py                       # benchmarks/corpus/10MB
    (cd /tmp && PYTHONPATH=/path/to/other/checkout /work/main/.venv/bin/python /work/main/benchmarks/steps.py /work/main/benchmarks/corpus/10MB)

The corpus is one of batch_throughput.py's (it builds them).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import time
from pathlib import Path

from policyterms.clean import drop_boilerplate, looks_traditional
from policyterms.match import Matcher
from policyterms.readers.articles import article_spans
from policyterms.readers.decoding import decode
from policyterms.readers.text import read_bytes
from policyterms.render import write_delimited
from policyterms.rows import Rows
from policyterms.stats import FREQUENCY_COLUMNS, DocumentCounts, frequency_rows
from policyterms.dictionaries import load_vocabulary

normalize_module = importlib.import_module("policyterms.normalize")  # (the package exports the function)
CORPUS = Path(__file__).resolve().parent / "corpus" / "10MB"


def best_of(function, runs: int = 5) -> float:
    """The least CPU time of ``runs`` calls, in ms."""
    least = float("inf")
    for _ in range(runs):
        start = time.process_time()
        function()
        least = min(least, time.process_time() - start)
    return least * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS), help="a folder of .txt files")
    corpus = parser.parse_args().corpus
    paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(corpus) for name in names)
    vocabulary = load_vocabulary(None)
    matcher = Matcher(vocabulary)
    texts = [decode(read_bytes(path), source=path) for path in paths]
    cleaned = [drop_boilerplate(text) for text in texts]
    normalized = [normalize_module.normalize(text, offsets=False).text for text in cleaned]
    counts = [DocumentCounts(doc_id=path, metadata={}, chars=normalize_module.non_space_length(text),
                             term_counts=matcher.term_counts(text))
              for path, text in zip(paths, normalized)]
    frequencies = Rows(tuple(FREQUENCY_COLUMNS), [row for r in counts for row in frequency_rows(r, vocabulary)])
    steps = {
        "reading and decoding": lambda: [decode(read_bytes(path), source=path) for path in paths],
        "boilerplate": lambda: [drop_boilerplate(text) for text in texts],
        "article boundaries": lambda: [article_spans(text) for text in texts],
        "Traditional Chinese check": lambda: [looks_traditional(text) for text in cleaned],
        "normalization, no offsets": lambda: [normalize_module.normalize(text, offsets=False) for text in cleaned],
        "normalization, with offsets": lambda: [normalize_module.normalize(text) for text in cleaned],
        "matching (frequencies)": lambda: [matcher.term_counts(text) for text in normalized],
        "characters counted": lambda: [normalize_module.non_space_length(text) for text in normalized],
        f"CSV of the frequencies ({len(frequencies.rows):,} rows)":
            lambda: write_delimited(frequencies, io.StringIO(), separator=","),
    }
    compiled = "with" if getattr(normalize_module, "_speedups", None) is not None else "without"
    print(f"{len(paths):,} documents in {corpus}; normalization {compiled} its C loops; CPU ms, best of 5")
    for name, function in steps.items():
        print(f"{name:40s} {best_of(function):8.1f}")


if __name__ == "__main__":
    main()
