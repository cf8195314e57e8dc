"""store.py and count(store=...): counts kept between runs, only new text counted, SIGKILL-safe."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import SEEDS, seed_text

import policyterms
from policyterms import StoreError, Term, Vocabulary
from policyterms.batch import InputOptions
from policyterms.store import Store

PAGES = InputOptions(split=False)  # each file one document
BIN = Path(sys.executable).parent


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def same_tables(one, other, names=None):
    for name in names or one.tables():
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), check_dtype=True)


def test_a_rerun_counts_only_the_new_files_and_reports_over_all(corpus, tmp_path):
    db = tmp_path / "results.db"
    first = policyterms.count([corpus], store=db)
    assert (first.summary.documents, first.summary.from_store) == (13, 0)  # the seeds' 13 articles
    (corpus / "new.txt").write_text("要推动量子科技、生物制造、氢能和核聚变能等成为新的经济增长点。", encoding="utf-8")
    second = policyterms.count([corpus], store=db)
    assert (second.summary.documents, second.summary.from_store) == (14, 13)
    same_tables(second, policyterms.count([corpus]))


def test_changed_text_is_counted_again(corpus, tmp_path):
    db = tmp_path / "results.db"
    policyterms.count([corpus], store=db)
    changed = corpus / "000_f7f3963a21b11a20.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n量子科技。", encoding="utf-8")
    again = policyterms.count([corpus], store=db)
    assert again.summary.from_store == 12  # only 000's last article changed
    row = again.frequencies[(again.frequencies.doc_id == f"{changed}#3") & (again.frequencies.term == "量子科技")]
    assert row["count"].tolist() == [1]  # the line added; the flood page had none (tests/test_seed_counts.py)


def test_other_settings_are_counted_apart(corpus, tmp_path):
    db = tmp_path / "results.db"
    policyterms.count([corpus], store=db)
    paragraph = policyterms.count([corpus], store=db, unit="paragraph")
    assert paragraph.summary.from_store == 0
    same_tables(paragraph, policyterms.count([corpus], unit="paragraph"))
    other_vocab = Vocabulary.from_terms([Term("量子科技")])
    assert policyterms.count([corpus], store=db, vocab=other_vocab).summary.from_store == 0
    assert policyterms.count([corpus], store=db).summary.from_store == 13


def test_a_frequencies_run_stores_the_pairs_too_so_export_has_every_table(corpus, tmp_path):
    db = tmp_path / "results.db"
    policyterms.count([corpus], store=db, tables=["frequencies"])
    exported = policyterms.export(db)
    assert exported.warnings == []
    same_tables(exported, policyterms.count([corpus]), ["frequencies", "totals", "cooccurrence", "cooccurrence_totals"])


def test_export_writes_what_is_stored_and_says_what_is_not(corpus, tmp_path):
    # Window co-occurrence needs jieba, so a frequencies-only window run stores no pairs.
    db = tmp_path / "results.db"
    policyterms.count([corpus], store=db, tables=["frequencies"], unit="window")
    exported = policyterms.export(db, tables=["frequencies", "totals", "cooccurrence", "cooccurrence_totals"])
    assert exported.cooccurrence is None and exported.cooccurrence_totals is None
    assert exported.frequencies.equals(policyterms.count([corpus]).frequencies)
    assert [str(w) for w in exported.warnings] == [
        f"{db}: 13 stored document(s) have no co-occurrence counts (counted for frequencies only); run count again "
        "with --db and --what cooccurrence to add them; the co-occurrence tables are not written"
    ]
    with pytest.raises(StoreError, match="13 stored document\\(s\\) have no co-occurrence counts"):
        policyterms.export(db, tables=["cooccurrence"])  # nothing asked for is stored
    with_pairs = policyterms.count([corpus], store=db, unit="window", tables=["cooccurrence"])
    assert with_pairs.summary.from_store == 0  # counted again, this time with windows
    assert policyterms.count([corpus], store=db, unit="window").summary.from_store == 13  # the 13 articles of the seeds


def test_new_only_tables_hold_only_the_documents_counted_in_this_run(corpus, tmp_path):
    db = tmp_path / "results.db"
    first = policyterms.count([corpus], store=db, new_only=True)
    # the seeds are 13 articles, 10 with hits (001#3, 001#4 and 002#3 name no term)
    assert first.frequencies.doc_id.nunique() == 10 and first.summary.left_out == 0
    (corpus / "new.txt").write_text("要推动量子科技、生物制造、氢能和核聚变能等成为新的经济增长点。", encoding="utf-8")
    second = policyterms.count([corpus], store=db, new_only=True)
    # new.txt names 量子科技, 生物制造, 氢能 and 核聚变能 once each (氢能和核聚变能: two terms)
    assert set(second.frequencies.doc_id) == {str(corpus / "new.txt")}
    assert dict(zip(second.frequencies.term, second.frequencies["count"])) == {
        "生物制造": 1, "量子科技": 1, "氢能": 1, "核聚变能": 1,
    }
    same_tables(second, policyterms.count([corpus / "new.txt"]), ["frequencies", "cooccurrence"])
    assert (second.summary.documents, second.summary.left_out) == (1, 13)
    assert str(second.summary).startswith("1 document read (and 13 unchanged since the store had them, left out by --new-only)")
    assert policyterms.export(db).frequencies.doc_id.nunique() == 11  # the store has them all


def test_new_only_needs_a_store(corpus):
    with pytest.raises(policyterms.PolicytermsError, match="--new-only needs --db"):
        policyterms.count([corpus], new_only=True)


def test_export_equals_the_count_of_everything_stored(corpus, tmp_path):
    db = tmp_path / "results.db"
    policyterms.count([corpus / "000_f7f3963a21b11a20.txt", corpus / "001_8594340499d60f29.txt"], store=db)
    policyterms.count([corpus], store=db, jobs=2)
    exported = policyterms.export(db)
    same_tables(exported, policyterms.count(sorted(str(p) for p in corpus.iterdir())))


def test_the_database_must_be_ours(tmp_path):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(StoreError, match="not one policyterms wrote"):
        Store(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="garbage.db: cannot use as a results database"):
        Store(garbage)
    with pytest.raises(StoreError, match="no such results database"):
        policyterms.export(tmp_path / "missing.db")


def make_corpus(folder: Path, documents: int) -> None:
    """Many small documents, each a different window of the seeds' text."""
    text = "".join(seed_text(p.name) for p in sorted(SEEDS.glob("*.txt")))
    folder.mkdir()
    for number in range(documents):
        start = (number * 97) % (len(text) - 1500)
        (folder / f"{number:05}.txt").write_text(text[start : start + 1500], encoding="utf-8")


def stored_documents(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_run_killed_half_way_leaves_a_consistent_database_and_the_next_finishes_the_job(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 3000)
    db = tmp_path / "results.db"
    # whole files (--no-split): windows of the seeds can hold the same article, whose counts the store reuses
    command = [str(BIN / "policyterms"), "count", str(corpus), "--db", str(db), "--what", "all", "-o", f"{tmp_path}/partial/",
               "--no-split"]
    run = subprocess.Popen([*command, "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while stored_documents(db) == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert run.poll() is None, "the run ended before it could be killed"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    committed = stored_documents(db)
    assert 0 < committed < 3000, "the run was not killed half way"
    assert not (tmp_path / "partial").exists() or not list((tmp_path / "partial").glob("*.csv"))

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # every stored document has its counts: batches are whole transactions
        orphans = connection.execute(
            "SELECT COUNT(*) FROM documents d LEFT JOIN counts c "
            "ON c.content_hash = d.content_hash AND c.settings_id = d.settings_id WHERE c.chars IS NULL"
        ).fetchone()[0]
        assert orphans == 0 and committed % 200 == 0  # whole batches of STORE_BATCH_DOCUMENTS

    resumed = policyterms.count([corpus], store=db, jobs=2, inputs=PAGES)
    assert resumed.summary.from_store == committed and resumed.summary.documents == 3000
    clean = policyterms.count([corpus], inputs=PAGES)
    same_tables(resumed, clean)
    same_tables(policyterms.export(db), clean)


def test_rates_recount_stored_documents_without_token_counts_once(corpus, tmp_path):
    db = tmp_path / "results.db"
    policyterms.count([corpus], store=db, tables=["frequencies"])
    with_tokens = policyterms.count([corpus], store=db, rates=True, tables=["frequencies"])
    assert with_tokens.summary.from_store == 0  # stored without token counts: counted again
    again = policyterms.count([corpus], store=db, rates=True, tables=["frequencies"])
    assert again.summary.from_store == 13
    pd.testing.assert_frame_equal(again.frequencies, with_tokens.frequencies)


def test_terms_in_several_categories_and_the_vocabulary_metadata_come_back_from_the_store(tmp_path):
    from dataclasses import replace

    from policyterms.store import _terms_json

    vocab = replace(
        Vocabulary.from_terms([Term("人工智能", ("数字技术", "未来产业/未来信息"), ("AI",)), Term("量子科技", "未来信息")]),
        name="词表", reference="作者. 题名, 2026.", version="1.0", description="测试",
    )
    (tmp_path / "a.txt").write_text("人工智能和量子科技。", encoding="utf-8")
    db = tmp_path / "r.db"
    policyterms.count([tmp_path / "a.txt"], vocab=vocab, store=db)
    with Store(db) as store:
        loaded, *_ = store.load()
    assert loaded.terms == vocab.terms
    assert (loaded.name, loaded.reference, loaded.version, loaded.description) == ("词表", "作者. 题名, 2026.", "1.0", "测试")
    # One category is kept as a string, as before several were allowed: the settings id of a
    # vocabulary without a term in several categories did not change.
    assert _terms_json(Vocabulary.from_terms([Term("量子科技", "未来信息")])) == [["量子科技", "未来信息", []]]
    assert _terms_json(vocab)[0] == ["人工智能", ["数字技术", "未来产业/未来信息"], ["AI"]]


def test_a_schema_2_store_gains_the_vocabulary_metadata_column(tmp_path):
    db = tmp_path / "old.db"
    (tmp_path / "a.txt").write_text("量子科技。", encoding="utf-8")
    policyterms.count([tmp_path / "a.txt"], store=db)
    with sqlite3.connect(db) as old:  # as schema 2 had it: no vocabulary_metadata
        old.execute("ALTER TABLE settings DROP COLUMN vocabulary_metadata")
        old.execute("UPDATE info SET value = '2' WHERE key = 'schema_version'")
    again = policyterms.count([tmp_path / "a.txt"], store=db)
    assert again.summary.from_store == 1
    with sqlite3.connect(db) as new:
        assert new.execute("SELECT value FROM info WHERE key = 'schema_version'").fetchone() == ("4",)
        (metadata,) = new.execute("SELECT vocabulary_metadata FROM settings").fetchone()
    assert '"name": "future-industries"' in metadata


def test_documents_say_where_their_date_came_from(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    # the delivery line under the title dates the first; the second has only its name's year
    (folder / "2026_北京市.txt").write_text(
        "2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n各位代表：\n发展量子科技。\n",
        encoding="utf-8")
    (folder / "2025_天津市.txt").write_text("各位代表：\n发展量子科技。\n", encoding="utf-8")
    db = tmp_path / "results.db"
    policyterms.count([folder], store=db)
    query = "SELECT doc_id, title, date, date_from FROM documents ORDER BY doc_id"
    with sqlite3.connect(db) as connection:
        assert connection.execute(query).fetchall() == [
            (str(folder / "2025_天津市.txt"), "2025_天津市", "2025", "file name"),
            (str(folder / "2026_北京市.txt"), "2026年北京市政府工作报告", "2026-01-25", "delivery line"),
        ]
        # a file of schema 2 (no date_from column) gets the column when it is next opened
        connection.execute("ALTER TABLE documents DROP COLUMN date_from")
        connection.execute("UPDATE info SET value = '2' WHERE key = 'schema_version'")
    Store(db).close()
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT value FROM info WHERE key = 'schema_version'").fetchone() == ("4",)
        assert connection.execute("SELECT DISTINCT date_from FROM documents").fetchall() == [("",)]
