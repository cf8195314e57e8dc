"""The script a user would write without policyterms: jieba.lcut + Counter over the vocabulary.

This is benchmark (a) of benchmarks/batch_throughput.py, kept as a file of its own so that what
is measured can be read. It is deliberately plain — what the pandas-plus-jieba script in a
notebook looks like: the vocabulary's terms and aliases added to jieba's dictionary, every
.txt file read, segmented, and the tokens that are vocabulary words counted. (It also counts
less than policyterms: jieba's tokens split terms that the text holds; see docs/performance.md.)

    python benchmarks/naive_jieba.py CORPUS_DIR VOCAB.yaml OUT.csv
"""

import collections
import logging
import pathlib
import sys

import jieba
import pandas as pd
import yaml


def main(corpus: str, vocab_file: str, out: str) -> None:
    jieba.setLogLevel(logging.WARNING)
    vocabulary = yaml.safe_load(pathlib.Path(vocab_file).read_text(encoding="utf-8"))
    term_of = {}
    for entry in vocabulary["terms"]:
        entry = {"term": entry} if isinstance(entry, str) else entry
        for word in [entry["term"], *entry.get("aliases", [])]:
            term_of[str(word)] = entry["term"]
            jieba.add_word(str(word))
    rows = []
    for path in sorted(pathlib.Path(corpus).rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        counts = collections.Counter(term_of[token] for token in jieba.lcut(text) if token in term_of)
        rows.extend((str(path), term, n) for term, n in counts.items())
    pd.DataFrame(rows, columns=["doc_id", "term", "count"]).to_csv(out, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
