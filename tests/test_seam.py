"""The partition seam (batch.each_partition, stats.Partial, pipeline.count): every table the same
for any number of workers and any partition size, equal to a plain one-document-at-a-time
reference, and the same bytes whether the rows are streamed by the workers or written at the end."""

import io
import json
import random
from collections import Counter
from itertools import combinations

import pytest
from typer.testing import CliRunner

from conftest import SEEDS

import policyterms
from policyterms import batch
from policyterms.cli import app
from policyterms.match import Matcher, paragraph_starts, sentence_starts, unit_index
from policyterms.normalize import normalize
from policyterms.readers import read_documents
from policyterms.render import render
from policyterms.stats import rate
from policyterms.dictionaries import load_vocabulary

TABLES = ("documents", "frequencies", "totals", "groups", "cooccurrence", "cooccurrence_totals")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seeds' sentences shuffled into 60 short documents, some dated, some without any term."""
    folder = tmp_path_factory.mktemp("corpus")
    sentences = [s + "。" for path in sorted(SEEDS.glob("*.txt"))
                 for s in path.read_text(encoding="utf-8").split("。") if len(s.strip()) > 8]
    rng = random.Random(12)
    for number in range(60):
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 12)))
        date = f"date: 202{number % 4}-0{number % 9 + 1}-15\n" if number % 3 else ""
        (folder / f"{number:03}.txt").write_text(f"---\n{date}source: S{number % 5}\n---\n{body}\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # an error in the middle of a partition
    return folder


def as_json(result) -> dict:
    return {name: json.loads(result.tables([name])[name].to_json(orient="split", index=False)) for name in TABLES}


@pytest.mark.parametrize("size", [1, 3, 7, 32])
@pytest.mark.parametrize("jobs", [1, 2])
def test_every_table_is_the_same_for_any_jobs_and_partition_size(corpus, monkeypatch, jobs, size):
    options = dict(group_by="year", rates=True, shadowed=True)
    expected = as_json(policyterms.count([corpus, SEEDS], jobs=1, **options))
    monkeypatch.setattr(batch, "MAX_PARTITION_DOCUMENTS", size)
    result = policyterms.count([corpus, SEEDS], jobs=jobs, **options)
    assert as_json(result) == expected
    assert [str(e) for e in result.errors] == [f"{corpus / 'empty.txt'}: empty file"]


def reference_tables(paths, vocabulary):
    """A straightforward reference: each document read, normalized and matched on its own, every
    table summed with plain loops (no partial, no partitions)."""
    matcher = Matcher(vocabulary)
    clean = batch.InputOptions().cleaner()  # boilerplate is dropped by default, as count does
    names = [t.name for t in vocabulary.terms]
    documents = []
    articles = []
    for path in paths:
        try:
            articles.extend(read_documents(str(path), clean=clean))  # a page of several articles: each its own
        except policyterms.InputError:
            continue
    for document in articles:
        normalized = normalize(document.text)
        hits = matcher.find(normalized.text).hits
        starts = sentence_starts(normalized.original, paragraph_starts(normalized.original))
        by_sentence = {}
        for hit in hits:
            by_sentence.setdefault(unit_index(starts, normalized.to_original(hit.start)), set()).add(hit.term)
        pairs = Counter(pair for terms in by_sentence.values() for pair in combinations(sorted(terms), 2))
        chars = sum(1 for c in normalized.text if not c.isspace())
        documents.append((document.doc_id, Counter(h.term for h in hits), pairs, chars))
    frequencies = [[doc, names[t], vocabulary.terms[t].category, n, rate(n, chars)]
                   for doc, counts, _, chars in documents for t, n in sorted(counts.items())]
    all_chars = sum(chars for *_, chars in documents)
    totals = []
    for t, term in enumerate(vocabulary.terms):
        n = sum(counts[t] for _, counts, _, _ in documents)
        if n:
            totals.append([term.name, term.category, n, sum(1 for _, c, _, _ in documents if c[t]), rate(n, all_chars)])
    cooccurrence = [[doc, names[a], names[b], "sentence", n]
                    for doc, _, pairs, _ in documents for (a, b), n in sorted(pairs.items())]
    pair_totals = Counter()
    pair_documents = Counter()
    for _, _, pairs, _ in documents:
        pair_totals.update(pairs)
        pair_documents.update(pairs.keys())
    cooccurrence_totals = [[names[a], names[b], "sentence", n, pair_documents[(a, b)]]
                           for (a, b), n in sorted(pair_totals.items())]
    return {"frequencies": frequencies, "totals": totals, "cooccurrence": cooccurrence,
            "cooccurrence_totals": cooccurrence_totals}


def test_the_seam_equals_a_one_document_at_a_time_reference(corpus):
    paths = sorted(corpus.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    vocabulary = load_vocabulary()
    expected = reference_tables(paths, vocabulary)
    result = policyterms.count(paths, jobs=2, tables=list(expected))
    for name, rows in expected.items():
        assert result.tables([name])[name].values.tolist() == rows, name


def cli(*args) -> bytes:
    outcome = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert outcome.exit_code in (0, 3), outcome.stderr
    return outcome.stdout_bytes


@pytest.mark.parametrize("arguments", [
    ("-f", "csv"),
    ("-f", "tsv", "--what", "cooccurrence", "--unit", "paragraph"),
    ("-f", "csv", "--what", "documents"),
    ("-f", "jsonl", "--what", "all", "--group-by", "source"),
    ("-f", "csv", "--level", "category", "--zeros", "--shadowed"),
])
def test_rows_streamed_by_the_workers_are_the_bytes_of_the_whole_table(corpus, arguments):
    """The CLI streams per-document rows formatted in the workers; rendering the library's
    tables at the end gives the same bytes."""
    streamed = cli("count", corpus, SEEDS, "--jobs", "2", *arguments)
    fmt = arguments[1]
    what = dict(zip(arguments[::2], arguments[1::2]))
    tables = {"all": ("documents", "frequencies", "totals", "cooccurrence", "cooccurrence_totals", "groups")}.get(
        what.get("--what"), (what.get("--what", "frequencies"),))
    result = policyterms.count(
        [corpus, SEEDS], tables=tables, unit=what.get("--unit", "sentence"), group_by=what.get("--group-by"),
        level=what.get("--level", "term"), zeros="--zeros" in arguments, shadowed="--shadowed" in arguments,
    )
    whole = io.StringIO()
    render({name: result.rows(name) for name in tables}, fmt=fmt, stream=whole)
    assert streamed.decode("utf-8") == whole.getvalue()
