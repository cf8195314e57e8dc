"""Near-duplicates (policyterms/dedup.py): signatures, clusters, count(dedup=...), the dupes report.

Seeds 000 and 001 both carry Xi Jinping's speech 《前瞻布局和发展未来产业》 (《求是》 2026 No. 11):
000 with half-width commas and blank lines between paragraphs, 001 with full-width punctuation,
indented paragraphs, a photo caption in the middle and five other wordings (战略高度, 积极稳步推进,
单兵突进, 产业共促, 加强科技前沿). But each file then goes on with other articles: 000 with two
长江日报 pages (武汉 foreign affairs, flood supplies), 001 with 人民日报's summary of the same speech
and two other 人民日报 items. So the *speeches* are near-duplicates, the *files* are not.

Both files are read as pages of articles by default (readers/articles.py): the speeches are the
documents 000#1 and 001#1, and ``dupes seeds/`` finds them at the default threshold. The tests of
whole files read them with ``--no-split`` (``PAGES``).
"""

import re
import subprocess
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SEEDS, seed_text

import policyterms
from policyterms import dedup
from policyterms.batch import InputOptions
from policyterms.cli import app
from policyterms.errors import PolicytermsError

S000, S001, S002, S003, S004 = (
    "000_f7f3963a21b11a20.txt", "001_8594340499d60f29.txt", "002_9ee848c3295ff6b6.txt",
    "003_9bdf75eb7510f3fc.txt", "004_a0e03639a4100763.txt",
)
SPEECH_000 = seed_text(S000).split("(刊载于")[0]  # the speech up to its source line
SPEECH_001 = seed_text(S001).split("来源：《求是》")[0]
runner = CliRunner()
PAGES = InputOptions(split=False)  # each seed one document, as a whole file


def plain_shingles(text: str, size: int = 5) -> set[str]:
    """An independent reference: the shingles as Python strings (no hashing), letters and digits only."""
    kept = "".join(c for c in unicodedata.normalize("NFKC", text).lower() if unicodedata.category(c)[0] in "LN")
    return {kept[i : i + size] for i in range(len(kept) - size + 1)}


def standard_error(j: float) -> float:
    return (j * (1 - j) / dedup.PERMUTATIONS) ** 0.5


# Comparable text and exact similarity ------------------------------------------------------------


def test_comparable_text_drops_layout_and_folds_width_and_case():
    assert dedup.comparable_text("  第六代移动通信（６Ｇ），\n\n 平\n台_AI。") == "第六代移动通信6g平台ai"


def test_formatting_alone_changes_nothing():
    """The same speech with 001's layout: full-width punctuation, indented paragraphs, no blank lines."""
    relaid = "\n".join("  " + line for line in SPEECH_000.replace(",", "，").replace("(", "（").split("\n") if line)
    assert relaid != SPEECH_000
    assert dedup.jaccard(SPEECH_000, relaid) == 1.0
    assert np.array_equal(dedup.signature(SPEECH_000), dedup.signature(relaid))


def test_exact_similarity_of_the_speech_in_000_and_001():
    a, b = plain_shingles(SPEECH_000), plain_shingles(SPEECH_001)
    # 001's caption (2026年2月9日至10日…国家信创园考察) and its five other wordings are the difference.
    assert (len(a), len(b), len(a & b)) == (1682, 1755, 1652)
    assert dedup.jaccard(SPEECH_000, SPEECH_001) == pytest.approx(1652 / (1682 + 1755 - 1652))  # 0.9255
    estimate = dedup.similarity(dedup.signature(SPEECH_000), dedup.signature(SPEECH_001))
    assert abs(estimate - 0.9255) < 3 * standard_error(0.9255)
    assert [c.members for c in dedup.clusters([dedup.signature(SPEECH_000), dedup.signature(SPEECH_001)])] == [(0, 1)]


def test_exact_similarity_of_files_000_and_001():
    """The files share the speech and nothing else: 1,657 of 6,265 shingles, Jaccard 0.2645."""
    a, b = plain_shingles(seed_text(S000)), plain_shingles(seed_text(S001))
    assert (len(a), len(b), len(a & b)) == (5105, 2817, 1657)
    exact = dedup.jaccard(seed_text(S000), seed_text(S001))
    assert exact == pytest.approx(1657 / 6265)
    estimate = dedup.similarity(dedup.signature(seed_text(S000)), dedup.signature(seed_text(S001)))
    assert abs(estimate - exact) < 3 * standard_error(exact)


def test_the_hashed_shingles_are_the_plain_ones():
    for name in (S000, S001, S003):
        assert dedup.shingle_hashes(seed_text(name)).size == len(plain_shingles(seed_text(name)))


@pytest.mark.parametrize("pair", [(S002, S004), (S000, S002), (S003, S004), (S001, S003)])
def test_different_seeds_are_far_apart_and_not_clustered(pair):
    texts = [seed_text(name) for name in pair]
    assert dedup.jaccard(*texts) < 0.06  # every pair but 000–001: 0.03–0.055
    sigs = [dedup.signature(text) for text in texts]
    assert dedup.similarity(*sigs) < 0.1
    assert dedup.clusters(sigs, 0.2) == [] and dedup.clusters(sigs) == []


# Signatures ------------------------------------------------------------------------------------


def test_signature_shape_and_short_and_empty_texts():
    sig = dedup.signature(seed_text(S003))
    assert sig.shape == (128,) and sig.dtype == np.uint64
    assert dedup.similarity(dedup.signature("量子"), dedup.signature("量子")) == 1.0  # shorter than a shingle
    assert dedup.is_empty(dedup.signature("，。 \n——")) and not dedup.is_empty(sig)


def test_signatures_are_the_same_in_another_process():
    """Worker processes and later runs must agree: no per-process hash seed is involved."""
    code = (
        "import sys; from policyterms import dedup; "
        "sys.stdout.write(dedup.signature(open(sys.argv[1], encoding='utf-8').read()).tobytes().hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(SEEDS / S003)], capture_output=True, text=True, check=True,
        env={"PYTHONHASHSEED": "12345"},
    )
    assert other.stdout == dedup.signature(seed_text(S003)).tobytes().hex()


def test_long_texts_are_hashed_in_chunks_like_short_ones():
    text = seed_text(S002) * 3  # more shingles than one chunk
    assert dedup.shingle_hashes(text).size > dedup._CHUNK
    assert dedup.similarity(dedup.signature(text), dedup.signature(seed_text(S002))) > 0.95


# Clusters --------------------------------------------------------------------------------------


def sig_of(values: list[int]) -> np.ndarray:
    """A made-up signature: ``values`` repeated to 128 positions."""
    return np.resize(np.array(values, dtype=np.uint64), dedup.PERMUTATIONS)


def test_the_first_in_input_order_is_kept_and_later_ones_join_the_most_similar():
    a = sig_of(list(range(128)))
    b = a.copy(); b[:16] += 1000  # 112/128 = 0.875 like a
    c = a.copy(); c[:64] += 1000  # 0.5 like a, 0.625 like b
    d = np.arange(500, 628, dtype=np.uint64)  # like nothing
    e = c.copy(); e[64:80] += 7  # 0.875 like c, 0.375 like a
    found = dedup.clusters([a, b, c, d, e], 0.8)
    assert found == [dedup.Cluster(0, ((1, 0.875),)), dedup.Cluster(2, ((4, 0.875),))]
    # b is not a kept document, so c (0.625 like b) is compared with a only and starts its own cluster
    assert dedup.clusters([a, b, c], 0.6) == [dedup.Cluster(0, ((1, 0.875),))]


def test_a_document_like_two_kept_ones_joins_the_more_similar():
    a = sig_of(list(range(128)))
    x = a.copy(); x[:90] += 1000  # 38/128 like a: kept apart at 0.5
    f = a.copy(); f[:51] = x[:51]  # like a at 51..127 (77/128 = 0.60); like x at 0..50 and 90..127 (89/128 = 0.70)
    assert dedup.clusters([a, x, f], 0.5) == [dedup.Cluster(1, ((2, 89 / 128),))]


def test_a_document_added_later_does_not_change_what_is_kept():
    a = sig_of(list(range(128)))
    b = a.copy(); b[:8] += 1
    assert dedup.clusters([a, b]) == [dedup.Cluster(0, ((1, 0.9375),))]
    assert dedup.clusters([a, b, a.copy()])[0].kept == 0


def brute_force_clusters(signatures, threshold):
    """The same rule as dedup.clusters, comparing each document with every kept one (no bands)."""
    kept, folded = [], {}
    for index, sig in enumerate(signatures):
        scores = [float(np.mean(signatures[k] == sig)) for k in kept]
        if scores and max(scores) >= threshold:
            best = scores.index(max(scores))
            folded.setdefault(kept[best], []).append((index, max(scores)))
        else:
            kept.append(index)
    return [dedup.Cluster(k, tuple(members)) for k, members in sorted(folded.items())]


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 0.9, 0.97])
def test_bands_lose_no_pair(threshold):
    rng = np.random.default_rng(7)
    bases = [rng.integers(0, 2**63, 128, dtype=np.uint64) for _ in range(6)]
    signatures = []
    for _ in range(120):  # variants of the bases, each with a random share of positions changed
        sig = bases[rng.integers(6)].copy()
        changed = rng.choice(128, size=rng.integers(0, 100), replace=False)
        sig[changed] = rng.integers(0, 2**63, changed.size, dtype=np.uint64)
        signatures.append(sig)
    assert dedup.clusters(signatures, threshold) == brute_force_clusters(signatures, threshold)
    # The worst case for the bands: the most disagreements the threshold allows, one per band.
    width = dedup.band_width(threshold)
    least_agreeing = int(np.ceil(threshold * 128 - 1e-9))
    a = np.arange(128, dtype=np.uint64)
    b = a.copy(); b[np.arange(128 - least_agreeing) * width] += 1000
    assert dedup.clusters([a, b], threshold) == [dedup.Cluster(0, ((1, least_agreeing / 128),))]


def test_texts_without_letters_or_digits_are_never_duplicates():
    empty = dedup.signature("。。。")
    assert dedup.clusters([empty, empty.copy(), dedup.signature("")]) == []


@pytest.mark.parametrize("bad", [0, -0.1, 1.5])
def test_threshold_outside_0_1_is_refused(bad):
    with pytest.raises(PolicytermsError, match="threshold"):
        dedup.clusters([], bad)


# count(dedup=...) ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_without_001():
    return policyterms.count([SEEDS / n for n in (S000, S002, S003, S004)], tables=("documents", "frequencies", "totals"),
                             inputs=PAGES)


def totals_of(result) -> dict[str, tuple[int, int]]:
    return {row.term: (row.count, row.documents) for row in result.totals.itertuples()}


def test_count_dedup_at_the_default_folds_no_whole_seed_file():
    result = policyterms.count([SEEDS], dedup=0.8, tables=("totals",), inputs=PAGES)
    assert result.folded == []
    assert totals_of(result)["量子科技"] == (15, 5)  # 1 + 2 + 8 + 1 + 3 (test_seed_counts.py)


def test_exact_similarity_of_the_speech_articles():
    """The articles 000#1 and 001#1: the speeches with their titles and closing lines."""
    first, second = (policyterms.read_documents(str(SEEDS / name))[0].text for name in (S000, S001))
    assert first.startswith("\n\n前瞻布局和发展未来产业") and first.rstrip().endswith("(刊载于2026年第11期《求是》杂志)")
    assert second.startswith(" 前瞻布局和发展未来产业") and second.rstrip().endswith("来源：《求是》2026/11")
    a, b = plain_shingles(first), plain_shingles(second)
    # the speeches' 1,652 shared shingles; the closing lines share none
    assert (len(a), len(b), len(a & b)) == (1697, 1765, 1652)
    assert dedup.jaccard(first, second) == pytest.approx(1652 / (1697 + 1765 - 1652))  # 0.9127


def test_count_dedup_at_the_default_counts_the_speech_once():
    result = policyterms.count([SEEDS], dedup=0.8, tables=("documents", "totals"))
    assert [(f.doc_id, f.kept) for f in result.folded] == [(f"{SEEDS / S001}#1", f"{SEEDS / S000}#1")]
    assert abs(result.folded[0].similarity - 0.9127) < 3 * standard_error(0.9127)
    # 量子科技 (test_seed_counts.py, ARTICLES): 000#1 1, 001#1 1, 001#2 1, 002#1 8, 003 1, 004#1 3 = 15 in
    # 6 articles; without 001#1's (the speech's 第一): 14 in 5
    assert totals_of(result)["量子科技"] == (14, 5)
    assert f"{SEEDS / S001}#1" not in set(result.documents.doc_id) and result.summary.documents == 12


def test_count_dedup_folds_001_into_000_and_counts_as_without_it(seeds_without_001):
    result = policyterms.count([SEEDS], dedup=0.2, tables=("documents", "frequencies", "totals"), inputs=PAGES)
    assert [(f.doc_id, f.kept) for f in result.folded] == [(str(SEEDS / S001), str(SEEDS / S000))]
    assert abs(result.folded[0].similarity - 0.2645) < 3 * standard_error(0.2645)
    # 量子科技: 15 over the five seeds, of which 2 in 001 ("要推动量子科技、生物制造" in the speech,
    # "在量子科技、生物制造等领域" in the summary): 13 in 4 documents once 001 is folded.
    assert totals_of(result)["量子科技"] == (13, 4)
    assert list(result.documents.doc_id) == [str(SEEDS / n) for n in (S000, S002, S003, S004)]
    for name in ("documents", "frequencies", "totals"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(seeds_without_001, name))
    assert result.summary.documents == 4


def test_count_dedup_folds_the_same_with_two_workers():
    one = policyterms.count([SEEDS], dedup=0.2, tables=("totals",), jobs=1, inputs=PAGES)
    two = policyterms.count([SEEDS], dedup=0.2, tables=("totals",), jobs=2, inputs=PAGES)
    assert one.folded == two.folded
    pd.testing.assert_frame_equal(one.totals, two.totals)


def test_with_db_signatures_are_made_again_and_every_document_is_stored(tmp_path, seeds_without_001):
    """The store keeps counts, not signatures: a rerun reads the texts anyway (to hash them), so
    their signatures are made again; folded documents' counts are stored like any other's."""
    db = tmp_path / "r.db"
    first = policyterms.count([SEEDS], dedup=0.2, store=db, tables=("totals",), inputs=PAGES)
    second = policyterms.count([SEEDS], dedup=0.2, store=db, tables=("totals",), inputs=PAGES)
    assert second.summary.from_store == 4  # 000, 002, 003, 004; 001 came from the store too but is folded
    assert first.folded == second.folded and len(second.folded) == 1
    pd.testing.assert_frame_equal(second.totals, seeds_without_001.totals)
    assert len(policyterms.export(db, tables=("documents",)).documents) == 5
    undeduplicated = policyterms.count([SEEDS], store=db, tables=("totals",), inputs=PAGES)
    assert undeduplicated.summary.from_store == 5 and totals_of(undeduplicated)["量子科技"] == (15, 5)


def test_count_refuses_a_bad_threshold_before_reading():
    with pytest.raises(PolicytermsError, match="threshold"):
        policyterms.count(["no/such/path"], dedup=0)


# The dupes report and the CLI ------------------------------------------------------------------


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_dupes_csv_lists_the_cluster():
    documents = policyterms.count([SEEDS], tables=("documents",), inputs=PAGES).documents
    chars = dict(zip(documents.doc_id, documents.chars))  # the chars column is count's
    result = invoke("dupes", SEEDS, "--threshold", "0.2", "--format", "csv", "--no-split")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "cluster,doc_id,kept,similarity,chars"
    assert lines[1] == f"1,{SEEDS / S000},True,1.0,{chars[str(SEEDS / S000)]}"
    cluster, doc_id, kept, similarity, n = lines[2].split(",")
    assert (cluster, doc_id, kept, n) == ("1", str(SEEDS / S001), "False", str(chars[str(SEEDS / S001)]))
    assert abs(float(similarity) - 0.2645) < 3 * standard_error(0.2645)
    assert len(lines) == 3
    assert result.stderr == (
        "policyterms: 5 documents compared, 0 skipped, 1 cluster of near-duplicates (1 document count --dedup would fold)\n"
    )


def test_dupes_at_the_default_threshold_finds_the_speech_articles_in_every_format(tmp_path):
    speeches = [f"{SEEDS / S000}#1", f"{SEEDS / S001}#1"]
    found = invoke("dupes", SEEDS, "-f", "json")
    assert found.exit_code == 0, found.stderr
    rows = __import__("json").loads(found.stdout)["duplicates"]
    assert [(r["cluster"], r["doc_id"], r["kept"]) for r in rows] == [(1, speeches[0], True), (1, speeches[1], False)]
    assert found.stderr == (
        "policyterms: 13 documents compared, 0 skipped, 1 cluster of near-duplicates (1 document count --dedup would fold)\n"
    )
    assert invoke("dupes", SEEDS, "-f", "csv").stdout.splitlines()[1].startswith(f"1,{speeches[0]},True,1.0,")
    assert len(invoke("dupes", SEEDS, "-f", "jsonl", "-q").stdout.splitlines()) == 2
    # whole files are not near-duplicates (0.26)
    assert invoke("dupes", SEEDS, "-f", "csv", "--no-split").stdout == "cluster,doc_id,kept,similarity,chars\n"
    result = invoke("dupes", SEEDS, "--threshold", "0.2", "-o", f"{tmp_path}/out/", "--no-split")
    assert result.exit_code == 0
    assert pd.read_csv(tmp_path / "out" / "duplicates.csv").kept.tolist() == [True, False]
    table = invoke("dupes", SEEDS, "--threshold", "0.2", "-f", "table", "--no-split").stdout
    assert "001_8594340499d60f29.txt   False" in table


def test_count_dedup_says_on_stderr_what_it_folded():
    result = invoke("count", SEEDS, "--dedup", "--threshold", "0.2", "--what", "totals", "-f", "csv", "--no-split")
    assert result.exit_code == 0, result.stderr
    folded_line, summary = result.stderr.splitlines()
    assert re.fullmatch(
        rf"policyterms: folded {re.escape(str(SEEDS / S001))} into {re.escape(str(SEEDS / S000))} \(similarity 0\.\d{{3}}\)",
        folded_line,
    )
    assert summary.startswith("policyterms: 4 documents read")
    assert "\n量子科技,未来信息,13,4," in result.stdout
    quiet = invoke("count", SEEDS, "--dedup", "--threshold", "0.2", "--what", "totals", "-f", "csv", "-q", "--no-split")
    assert quiet.stderr == "" and quiet.stdout == result.stdout


def test_threshold_without_dedup_is_a_usage_error():
    result = invoke("count", SEEDS, "--threshold", "0.5")
    assert result.exit_code == 2 and "--dedup" in result.stderr
    assert invoke("dupes", SEEDS, "--threshold", "1.5").exit_code == 2
