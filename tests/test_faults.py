"""Faults and hostile input found by probing (issue 16): each failure the probe found, reproduced
small, and what a user gets now.

The documents are written by each test; the counts asserted are of terms written into them.
"""

import csv
import io
import os
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

from policyterms.cli import app
from policyterms.errors import SHOWN_PER_CAUSE
from policyterms.names import doc_id_for, original_path, printable

runner = CliRunner()
GOOD_TEXT = "量子科技是未来产业。发展量子科技和6G。\n"  # 量子科技 twice, 6G once
VOCAB_YAML = "terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 第六代移动通信, aliases: [6G], category: 未来信息}\n"


@pytest.fixture
def vocab_file(tmp_path):
    path = tmp_path / "vocab.yaml"
    path.write_text(VOCAB_YAML, encoding="utf-8")
    return path


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def counts_in(csv_text: str) -> dict[tuple[str, str], int]:
    frame = pd.read_csv(io.StringIO(csv_text), keep_default_na=False)
    return {(row.doc_id, row.term): row.count for row in frame.itertuples()}


# 1. File names that are not UTF-8 ------------------------------------------------------------

GBK_NAME = b"\xc1\xbf.txt"  # 量 in GBK: not valid UTF-8


def gbk_corpus(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as handle:
        handle.write("量子科技。\n".encode())  # 量子科技 once
    return folder


def test_doc_id_of_a_name_that_is_not_utf8_is_escaped_and_reversible():
    name = os.fsdecode(b"d/\xc1\xbf\\x.txt")  # a backslash too: doubled, so the escape can be undone
    doc_id = doc_id_for(name)
    assert doc_id == "d/\\xc1\\xbf\\\\x.txt"
    doc_id.encode("utf-8")  # any UTF-8 writer takes it
    assert os.fsencode(original_path(doc_id)) == b"d/\xc1\xbf\\x.txt"
    assert doc_id_for("政策/报告.txt") == "政策/报告.txt" == original_path("政策/报告.txt")
    assert doc_id_for(doc_id) == doc_id  # applied once wherever a name enters: idempotent


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_name_that_is_not_utf8_is_counted_like_any_input(tmp_path, vocab_file, jobs):
    folder = gbk_corpus(tmp_path)
    result = invoke("count", folder, "-v", vocab_file, "--what", "frequencies", "-f", "csv", "--jobs", jobs)
    assert result.exit_code == 0, result.stderr
    counts = counts_in(result.stdout)
    assert counts[(f"{folder}/\\xc1\\xbf.txt", "量子科技")] == 1
    assert counts[(f"{folder}/a.txt", "量子科技")] == 2


def test_a_name_that_is_not_utf8_does_not_stop_a_db_run_and_reruns_come_from_the_store(tmp_path, vocab_file):
    folder = gbk_corpus(tmp_path)
    db = tmp_path / "d.db"
    first = invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "frequencies", "-f", "csv")
    assert first.exit_code == 0, first.stderr
    again = invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "frequencies", "-f", "csv")
    assert again.exit_code == 0, again.stderr
    assert "2 from the store" in again.stderr
    assert again.stdout == first.stdout
    exported = invoke("db", "export", db, "--what", "frequencies", "-f", "csv")
    assert counts_in(exported.stdout)[(f"{folder}/\\xc1\\xbf.txt", "量子科技")] == 1


def test_an_unreadable_file_whose_name_is_not_utf8_is_named_escaped(tmp_path, vocab_file):
    folder = gbk_corpus(tmp_path)
    with open(os.path.join(os.fsencode(folder), b"\xd5\xfe.txt"), "wb"):
        pass  # empty
    result = invoke("count", folder, "-v", vocab_file, "-f", "csv")
    assert result.exit_code == 3
    assert f"policyterms: error: {folder}/\\xd5\\xfe.txt: empty file\n" in result.stderr


def test_control_characters_in_names_are_escaped_on_stderr(tmp_path, vocab_file):
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    hostile = tmp_path / "x\x1b]0;owned\x07\x1b[2J.txt"
    hostile.write_bytes(b"")
    result = invoke("count", tmp_path / "a.txt", hostile, "-v", vocab_file, "-f", "csv")
    assert result.exit_code == 3
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert f"{tmp_path}/x\\x1b]0;owned\\x07\\x1b[2J.txt: empty file" in result.stderr
    assert printable("a\u202etxt.exe\nb\tc") == "a\\u202etxt.exe\\nb\tc"


def test_control_characters_and_markup_in_names_are_escaped_in_the_terminal_table(tmp_path, vocab_file):
    hostile = tmp_path / "x\x1b[2J[bold]y.txt"
    hostile.write_text(GOOD_TEXT, encoding="utf-8")
    for what in ("frequencies", "documents"):  # the doc_id as a title, and in a cell
        result = invoke("count", hostile, "-v", vocab_file, "--what", what, "-f", "table")
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "x\\x1b[2J[bold]y.txt" in result.stdout.replace("\n", "")


def test_a_flood_of_one_error_is_summarised_after_the_first_screenful(tmp_path, vocab_file):
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    for number in range(SHOWN_PER_CAUSE + 30):
        (tmp_path / f"empty{number:03}.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    result = invoke("count", tmp_path, "-v", vocab_file, "-f", "csv")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert sum(line.startswith(f"policyterms: error: {tmp_path}/empty") for line in lines) == SHOWN_PER_CAUSE
    assert "policyterms: error: … and 30 more input(s): empty file" in lines
    assert any("bin.txt: binary file" in line for line in lines)  # another cause: still shown
    assert lines[-1] == "policyterms: 1 document read, 51 skipped, 3 hits of 2 terms"


# 6. CSV/TSV injection through a carriage return ------------------------------------------------

INJECTED = "=cmd|' -C calc'!A0"  # the probe's, with no / (a file name holds it)


def read_back(data: str, *, sep: str) -> tuple[list[list[str]], pd.DataFrame]:
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=sep))
    frame = pd.read_csv(io.StringIO(data, newline=""), sep=sep, keep_default_na=False, dtype=str)
    return rows, frame


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_a_carriage_return_in_a_file_name_cannot_start_a_row_or_a_formula(tmp_path, vocab_file, fmt, sep):
    hostile = tmp_path / f"a\r{INJECTED}\n+1\t2,\"3\".txt"
    hostile.write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("count", hostile, "-v", vocab_file, "--what", "frequencies", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    rows, frame = read_back(result.stdout, sep=sep)
    # The doc_id, each line after a break quoted against formulas: a CSV reader sees it whole.
    doc_id = f"{tmp_path}/a\r'{INJECTED}\n'+1\t2,\"3\".txt"
    assert rows == [
        ["doc_id", "term", "category", "count", "per_10k_chars"],
        [doc_id, "量子科技", "未来信息", "2", "1000.0"],  # 2 in 20 characters (10 per sentence)
        [doc_id, "第六代移动通信", "未来信息", "1", "500.0"],
    ]
    assert frame.values.tolist() == rows[1:]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_raw_keeps_the_lines_of_a_cell_as_they_are_but_still_quotes_them(tmp_path, vocab_file):
    hostile = tmp_path / f"a\r{INJECTED}.txt"
    hostile.write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("count", hostile, "-v", vocab_file, "--what", "frequencies", "-f", "csv", "--raw")
    rows, frame = read_back(result.stdout, sep=",")
    assert rows[1][0] == f"{tmp_path}/a\r{INJECTED}.txt" == frame.doc_id[0]
    assert len(rows) == 3


# 3. Every regex on document text is linear -------------------------------------------------------

ADVERSARIAL_UNITS = [
    "[", "*a ", "[a](",  # the probe's: minutes for 50-100 KB before
    "![", "![a](", "[a][", "<a", "[bookmark:", "**a", "~~a", "`a", "来源：", "\n \n", " ", "[[a](b)",
]
MEGABYTE = 1_000_000


def _cleaning_and_stripping_steps():
    from policyterms.clean import drop_boilerplate
    from policyterms.match import paragraph_starts, sentence_starts
    from policyterms.normalize import normalize
    from policyterms.readers.formats import join_lines, strip_markdown
    from policyterms.readers.metadata import read_bylines

    return {
        "drop_boilerplate": drop_boilerplate,
        "strip_markdown": strip_markdown,
        "read_bylines": read_bylines,
        "normalize": normalize,
        "units": lambda text: sentence_starts(text, paragraph_starts(text)),
        "pdf join_lines": lambda text: join_lines(text.split("\n")),
    }


def _seconds(step, text) -> float:
    import time

    started = time.perf_counter()
    step(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", ADVERSARIAL_UNITS)
def test_each_cleaning_and_stripping_step_is_linear_on_a_megabyte_of_adversarial_text(unit):
    text = "量子科技。" + unit * (MEGABYTE // len(unit)) + "x\n"
    # A plain pass over the same characters in Python: about 30 ms for 1 MB here. A step that
    # rescans the rest of a line from each position takes hours on this text, not a second.
    plain = min(_seconds(lambda t: sum(1 for _ in t), text) for _ in range(2))
    for name, step in _cleaning_and_stripping_steps().items():
        seconds = _seconds(step, text)
        assert seconds < 100 * plain + 0.5, f"{name} took {seconds:.2f} s on {unit!r} × {MEGABYTE // len(unit)}"


def test_the_probes_markdown_of_brackets_is_counted_in_seconds(tmp_path, vocab_file):
    import time

    document = tmp_path / "b.md"
    document.write_text("量子科技。" + "[" * 51200 + "\n" + "*a " * 34000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = invoke("count", document, "-v", vocab_file, "--what", "frequencies", "-f", "csv")
    assert time.perf_counter() - started < 20  # 156 s for the first line alone before
    assert counts_in(result.stdout) == {(str(document), "量子科技"): 1}


# 5. Workers die with their parent --------------------------------------------------------------


def _children_of(pid: int) -> set[int]:
    children = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:  # ppid
                children.add(int(entry))
    return children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie is dead
    except OSError:
        return False


def _slow_corpus(folder):
    folder.mkdir()
    for number in range(40):  # about 1 MB each: a run of several seconds on two workers
        (folder / f"{number:02}.txt").write_text(("量子科技是未来产业的方向之一，" * 70 + "\n") * 1000, encoding="utf-8")
    return folder


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc (Linux)")
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_no_worker_is_left_when_the_parent_is_killed(tmp_path, vocab_file, signal_name):
    import signal
    import subprocess
    import sys
    import time

    corpus = _slow_corpus(tmp_path / "corpus")
    output = tmp_path / "out.csv"
    parent = subprocess.Popen(
        [sys.executable, "-c", "from policyterms.cli import main; main()",
         "count", str(corpus), "-v", str(vocab_file), "--jobs", "2", "-o", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        time.sleep(0.05)
        workers = _children_of(parent.pid)
    assert len(workers) >= 2 and parent.poll() is None, "the run ended before it could be killed"
    time.sleep(0.5)  # into the counting
    parent.send_signal(getattr(signal, signal_name))
    returncode = parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # a failing run must not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left
    if signal_name == "SIGTERM":
        assert returncode == 128 + signal.SIGTERM
        assert "Traceback" not in parent.stderr.read().decode()
    assert not output.exists()
    if signal_name == "SIGKILL":  # no process can clean up after SIGKILL: the next run removes what it left
        (tmp_path / "small.txt").write_text("量子科技", encoding="utf-8")
        assert subprocess.run(
            [sys.executable, "-c", "from policyterms.cli import main; main()", "count", str(tmp_path / "small.txt"),
             "-v", str(vocab_file), "-o", str(output)], capture_output=True,
        ).returncode == 0
    assert not list(tmp_path.glob(".out.csv.*"))  # no temporary file left behind


# 2 and 7. A .docx zip bomb, a PDF of many pages ---------------------------------------------------


def _docx_with_body(path, paragraph_xml: bytes, *, copies: int):
    """A real .docx (python-docx's), its body replaced by ``copies`` of ``paragraph_xml``,
    streamed into the zip so that the test never holds the expanded XML."""
    import zipfile

    import docx

    template = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("量子科技")
    document.save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                target.writestr(member, source.read(member))
                continue
            head, _, tail = source.read(member).partition(b"<w:body>")
            with target.open("word/document.xml", "w") as stream:
                stream.write(head + b"<w:body>")
                for _ in range(copies):
                    stream.write(paragraph_xml)
                stream.write(b"</w:body></w:document>")
    return path


PARAGRAPH = "<w:p><w:r><w:t>量子科技和6G。</w:t></w:r></w:p>".encode()  # 量子科技 once, 6G once


def test_a_docx_zip_bomb_is_refused_from_its_directory_naming_the_limit_and_the_option(tmp_path, vocab_file):
    import zipfile

    bomb = _docx_with_body(tmp_path / "bomb.docx", PARAGRAPH * 1000, copies=300)  # 15.9 MB of XML
    assert bomb.stat().st_size < 200_000  # a small file
    with zipfile.ZipFile(bomb) as archive:
        expanded = sum(member.file_size for member in archive.infolist()) / (1 << 20)
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("count", tmp_path / "a.txt", bomb, "-v", vocab_file, "--max-mb", "1", "-f", "csv")
    assert result.exit_code == 3  # the batch goes on
    error = next(line for line in result.stderr.splitlines() if "bomb.docx" in line)
    assert error.startswith(f"policyterms: error: {bomb}: too large: a .docx that expands to {expanded:,.1f} MB,")
    assert "more than the 2 MB (2 × --max-mb) it may" in error and "raise the limit with --max-mb" in error
    assert counts_in(result.stdout)[(f"{tmp_path}/a.txt", "量子科技")] == 2


def test_a_docx_under_its_expansion_limit_is_read_and_its_text_checked(tmp_path, vocab_file):
    small = _docx_with_body(tmp_path / "small.docx", PARAGRAPH, copies=3)
    result = invoke("count", small, "-v", vocab_file, "--max-mb", "1", "--what", "frequencies", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert counts_in(result.stdout)[(str(small), "量子科技")] == 3  # one per paragraph copied
    # XML of 1.1 MB (under 2 × 1 MB) whose text is 1.1 million letters: over the 1 MB of text allowed.
    long_paragraph = ("<w:p><w:r><w:t>" + "a" * 1100 + "</w:t></w:r></w:p>").encode()
    wordy = _docx_with_body(tmp_path / "wordy.docx", long_paragraph, copies=1000)
    result = invoke("count", wordy, "-v", vocab_file, "--max-mb", "1", "-f", "csv")
    assert result.exit_code == 1
    assert f"{wordy}: too large: more than 1 million characters of text extracted" in result.stderr
    assert "raise the limit with --max-mb" in result.stderr


def _pdf_of_blank_pages(path, pages: int):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_a_pdf_of_more_pages_than_the_limit_is_refused_before_its_text_is_read(tmp_path, vocab_file):
    pdf = _pdf_of_blank_pages(tmp_path / "pages.pdf", 101)  # the limit at --max-mb 1 is 100 pages
    result = invoke("count", pdf, "-v", vocab_file, "--max-mb", "1", "-f", "csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"policyterms: error: {pdf}: too many pages: 101, more than the 100 a PDF may have "
        "(100 per MB of --max-mb); split it, or raise the limit with --max-mb"
    )
    raised = invoke("count", pdf, "-v", vocab_file, "--max-mb", "2", "-f", "csv")
    assert f"{pdf}: PDF has no text layer" in raised.stderr  # read: blank pages have no text


# 4. Evidence, kwic and titles are bounded ------------------------------------------------------


def test_evidence_of_a_line_without_a_sentence_end_is_cut_around_each_hit(tmp_path, vocab_file):
    from policyterms.evidence import CUT, SENTENCE_CONTEXT

    document = tmp_path / "line.txt"
    document.write_text("量子科技" * 5000, encoding="utf-8")  # one "sentence" of 5,000 hits
    evidence = tmp_path / "hits.csv"
    result = invoke("count", document, "-v", vocab_file, "--evidence", evidence, "--what", "totals", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = pd.read_csv(evidence, keep_default_na=False)
    assert len(rows) == 5000 and set(rows.sentence) == {1}
    longest = 2 * SENTENCE_CONTEXT + len("量子科技") + 2 * len(CUT)
    assert rows.sentence_text.str.len().max() == longest  # was the whole 20,000-character line
    first, middle, last = rows.sentence_text[0], rows.sentence_text[2500], rows.sentence_text[4999]
    assert first == "量子科技" * 26 + CUT  # 4 + 100 characters, then cut
    assert middle == CUT + "量子科技" * 51 + CUT and last == CUT + "量子科技" * 26
    assert evidence.stat().st_size < 5000 * 1000  # linear in the hits: about 1 KB a row at most


def test_a_title_is_one_line_of_bounded_length(tmp_path, vocab_file):
    from policyterms.readers.metadata import GIVEN_TITLE_MAX_CHARS as TITLE_MAX_CHARS

    document = tmp_path / "line.txt"
    document.write_text("量子科技" * 5000, encoding="utf-8")  # its first line is its whole text
    table = tmp_path / "t.csv"
    pd.DataFrame({"title": ["6G\n" + "量子科技" * 3000, "短标题"], "text": [GOOD_TEXT, GOOD_TEXT]}).to_csv(table, index=False)
    result = invoke("count", document, table, "-v", vocab_file, "--what", "documents", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    titles = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False).set_index("doc_id").title
    assert titles[str(document)] == "line"  # a 20,000-character line is text, not a title: the file's name is
    assert titles[f"{table}#1"] == "6G"  # a title given is its first line
    assert titles[f"{table}#2"] == "短标题"
    from policyterms.readers.metadata import short_title

    assert short_title("量" * 1000) == "量" * (TITLE_MAX_CHARS - 1) + "…"


# 8. --db runs with different --what keep each other's counts --------------------------------------


def test_a_frequencies_run_saving_after_a_full_run_keeps_its_cooccurrence_counts(tmp_path, vocab_file, monkeypatch):
    import policyterms
    from policyterms.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")  # 量子科技 and 6G in the second sentence
    (corpus / "b.txt").write_text("6G。量子科技。\n", encoding="utf-8")  # never in one sentence
    db = tmp_path / "results.db"
    full = policyterms.count([corpus], store=db, vocab=vocab_file, tables=["frequencies", "cooccurrence"])
    # The race the probe found: a --what totals run started at the same time looked the documents
    # up before the full run had saved them, counted them itself, and saves last, without pairs.
    monkeypatch.setattr(Store, "lookup", lambda self, *args, **kwargs: None)
    policyterms.count([corpus], store=db, vocab=vocab_file, tables=["frequencies"])
    monkeypatch.undo()
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM counts WHERE pairs IS NULL").fetchone() == (0,)
    exported = policyterms.export(db, tables=["frequencies", "cooccurrence"])
    pd.testing.assert_frame_equal(exported.cooccurrence, full.cooccurrence)
    pairs = {(row.doc_id, row.term_a, row.term_b): row.count for row in exported.cooccurrence.itertuples()}
    assert pairs == {(f"{corpus}/a.txt", "量子科技", "第六代移动通信"): 1}
    result = invoke("db", "export", db, "--what", "both", "-f", "json")
    assert result.exit_code == 0, result.stderr


# 9. Output: all or nothing, errors that name the file, no temporary file left --------------------


def test_o_dir_writes_every_table_or_none_when_the_disk_fills(tmp_path, vocab_file, monkeypatch):
    import errno

    import policyterms.render as render_module

    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    first = invoke("count", tmp_path / "a.txt", "-v", vocab_file, "-o", f"{out}/")
    assert first.exit_code == 0, first.stderr
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    assert sorted(before) == ["cooccurrence.csv", "cooccurrence_totals.csv", "frequencies.csv", "totals.csv"]
    (tmp_path / "a.txt").write_text("量子科技。\n", encoding="utf-8")  # the next run's tables differ
    calls = []
    real_render = render_module.render

    def full_after_two_tables(tables, **kwargs):
        calls.append(list(tables))
        if len(calls) == 2:  # frequencies and co-occurrence are streamed: totals written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_render(tables, **kwargs)

    monkeypatch.setattr(render_module, "render", full_after_two_tables)
    second = invoke("count", tmp_path / "a.txt", "-v", vocab_file, "-o", f"{out}/")
    assert second.exit_code == 1
    failed_table = calls[1][0]
    assert second.stderr.splitlines()[0] == f"policyterms: error: cannot write {out}/{failed_table}.csv: No space left on device"
    assert "unexpected" not in second.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # the first run's, all of them


def test_a_file_that_cannot_be_created_is_named_with_the_cause(tmp_path, vocab_file, monkeypatch):
    import tempfile

    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")

    def denied(*args, dir=None, **kwargs):
        raise PermissionError(13, "Permission denied", dir)

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # root ignores file modes: the call says no instead
    result = invoke("count", tmp_path / "a.txt", "-v", vocab_file, "--what", "totals", "-o", tmp_path / "r.csv")
    assert result.exit_code == 1
    assert result.stderr == f"policyterms: error: cannot write {tmp_path}/r.csv: Permission denied\n"


def test_a_full_disk_on_stdout_is_one_line_naming_the_cause(tmp_path, vocab_file):
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-c", "from policyterms.cli import main; main()",
             "count", str(tmp_path / "a.txt"), "-v", str(vocab_file), "--what", "totals", "-f", "csv", "-q"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    assert run.returncode == 1
    assert run.stderr == "policyterms: error: writing the output: No space left on device\n"


def test_temporary_files_are_removed_on_an_exit_and_stale_ones_by_the_next_run(tmp_path, vocab_file):
    import subprocess
    import sys

    from policyterms.tempfiles import staged_files

    target = tmp_path / "r.csv"
    with pytest.raises(SystemExit):
        with staged_files() as staged, staged.open(target) as handle:
            handle.write("doc_id\n")
            raise SystemExit(143)  # what SIGTERM becomes in the CLI
    assert [path.name for path in tmp_path.iterdir()] == ["vocab.yaml"]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid no process has now: a run killed by SIGKILL
    stale = tmp_path / f".r.csv.{gone.pid}.k9x2ab7q.tmp"
    stale.write_text("half a table")
    live = tmp_path / f".r.csv.{os.getppid()}.m3c8zz0e.tmp"  # a run still writing (pytest's parent)
    live.write_text("a table being written")
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("count", tmp_path / "a.txt", "-v", vocab_file, "--what", "totals", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert not stale.exists() and live.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [live.name, "a.txt", "r.csv", "vocab.yaml"]


def test_docx_paragraph_text_is_python_docx_s_without_its_xpath(tmp_path):
    import docx

    from policyterms.readers.formats import paragraph_text

    document = docx.Document()
    paragraph = document.add_paragraph("量子")
    run = paragraph.add_run("科技")
    run.add_tab()
    run.add_text("6G")
    run.add_break()
    paragraph.add_run("未来-产业")
    document.add_paragraph("")
    path = tmp_path / "runs.docx"
    document.save(path)
    # A hyperlink's runs count as python-docx counts them; a deleted run (w:del) does not.
    from docx.oxml import parse_xml

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    extra = parse_xml(
        f'<w:p {namespace}><w:hyperlink><w:r><w:t>脑机</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">接口 </w:t>'
        '<w:noBreakHyphen/><w:cr/><w:ptab/></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>'
    )
    paragraphs = [*docx.Document(path).paragraphs, docx.text.paragraph.Paragraph(extra, None)]
    assert [paragraph_text(p._p) for p in paragraphs] == [p.text for p in paragraphs]
    assert paragraph_text(extra) == "脑机接口 -\n\t"


# 9. Table inputs stream: reading memory is flat in the number of rows -----------------------------


def _peak_bytes_reading(path) -> tuple[int, int]:
    import tracemalloc

    from policyterms.readers.tables import iter_table_documents

    tracemalloc.start()
    try:
        rows = sum(1 for _ in iter_table_documents(str(path)))
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_table_holds_one_row_at_a_time(tmp_path, monkeypatch):
    from policyterms.readers import tables

    # Two constants of reading, whatever the rows: the encoding is detected from the first 1 MB,
    # and the file decoded once, in 1 MB chunks, before any row is used. Made small here, so that
    # both tables are larger than they and what is measured is what grows with the rows.
    monkeypatch.setattr(tables, "DETECT_BYTES", 16 * 1024)
    monkeypatch.setattr(tables, "_CHECK_CHUNK_BYTES", 16 * 1024)
    def table(rows: int):
        path = tmp_path / f"rows{rows}.csv"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("id,title,text\n")
            handle.writelines(f"{number},标题{number},量子科技{number}\n" for number in range(rows))
        return path

    small_rows, small_peak = _peak_bytes_reading(table(1_000))
    large_rows, large_peak = _peak_bytes_reading(table(20_000))
    assert (small_rows, large_rows) == (1_000, 20_000)
    # 20 times the rows, about the same memory (the csv reader's buffer, one row): not 20 times.
    assert large_peak < 2 * small_peak + 256 * 1024, (small_peak, large_peak)


def _with_declared_size(path, member: str, size: int) -> None:
    """Rewrite ``member``'s uncompressed size in the zip's local header and central directory:
    a bomb that lies about what it expands to."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, local + 22, size)  # local file header: uncompressed size
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, size)  # central directory: uncompressed size
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_a_docx_bomb_that_lies_about_its_size_is_read_no_further_than_it_says(tmp_path, vocab_file):
    bomb = _docx_with_body(tmp_path / "liar.docx", PARAGRAPH * 1000, copies=300)  # 15.9 MB of XML
    _with_declared_size(bomb, "word/document.xml", 1000)  # says 1,000 bytes: under every limit
    result = invoke("count", bomb, "-v", vocab_file, "--max-mb", "1", "-f", "csv")
    assert result.exit_code == 1
    # Inflated and counted chunk by chunk: refused at the limit (2 × --max-mb), whatever it says.
    assert result.stderr.splitlines()[0] == (
        f"policyterms: error: {bomb}: too large: a .docx whose members inflate to more than the 2 MB (2 × --max-mb) "
        "it may (stopped after 2.0 MB, whatever its headers say); a zip bomb? If not, raise the limit with --max-mb"
    )


# Round 3 (issue 25) --------------------------------------------------------------------------
# 1. Nothing in an output location is unpickled; a record is reused only when it is this run's.


class _Touches:
    """A pickle that, when loaded, creates a file: what a planted record could do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
        yield client


@pytest.fixture
def own_key(tmp_path, monkeypatch):
    """This test's user: a record key of its own (records.py keeps it outside the output)."""
    monkeypatch.setenv("POLICYTERMS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("POLICYTERMS_RECORD_KEY", raising=False)


def _two_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(GOOD_TEXT, encoding="utf-8")  # 量子科技 twice, 6G once, in each
    return folder


def _on_cluster(client, folder, out, vocab_file):
    from policyterms.cluster import count_on_cluster

    outcome = count_on_cluster([str(folder)], client=client, output=f"{out}/", vocab=vocab_file,
                               tables=("frequencies", "totals"), partition_size=1)  # one file a partition
    totals = pd.read_parquet(out / "totals.parquet")
    frequencies = pd.read_parquet(out / "frequencies")
    return (outcome, dict(zip(totals.term, totals["count"])),
            {(row.doc_id, row.term): row.count for row in frequencies.itertuples()})


def test_a_planted_pickle_in_the_output_is_never_loaded(dask_client, tmp_path, vocab_file, own_key):
    import pickle

    folder, out = _two_files(tmp_path), tmp_path / "out"
    marker = tmp_path / "pwned"
    (out / "_partitions").mkdir(parents=True)
    planted = pickle.dumps(_Touches(marker))
    (out / "_partitions" / "part-00000.pickle").write_bytes(planted)  # a first run into a planted prefix
    outcome, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert not marker.exists()
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    # A rerun, with pickles where the records are and where the old engine kept them
    (out / "_partitions" / "part-00000.json").write_bytes(planted)
    (out / "_partitions" / "part-00001.pickle").write_bytes(planted)
    outcome, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert not marker.exists()
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    assert [p["resumed"] for p in outcome.manifest["partitions"]] == [False, True]
    notes = [str(w) for w in outcome.result.warnings if "part-00000.json" in str(w)]
    assert len(notes) == 1 and "not reused" in notes[0] and "counted again" in notes[0]


def test_a_forged_record_changes_no_count(dask_client, tmp_path, vocab_file, own_key):
    import hashlib
    import json

    folder, out = _two_files(tmp_path), tmp_path / "out"
    first, totals, frequencies = _on_cluster(dask_client, folder, out, vocab_file)
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    record_file = out / "_partitions" / "part-00000.json"
    record = json.loads(record_file.read_text())
    assert record["partial"]["corpus"]["term_counts"] == [[0, 2], [1, 1]]  # a.txt: 量子科技 twice, 6G once
    record["partial"]["corpus"]["term_counts"] = [[0, 1000], [1, 1]]
    forged = json.dumps(record, sort_keys=True).encode()
    record_file.write_bytes(forged)
    again, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    assert [p["resumed"] for p in again.manifest["partitions"]] == [False, True]
    # The forger rewrites the manifest too, with every checksum it can compute: none verifies.
    record_file.write_bytes(forged)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["records"]["00000"] = hashlib.sha256(forged).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest))
    again, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    assert [p["resumed"] for p in again.manifest["partitions"]] == [False, True]
    # A per-document part replaced under an intact record: counted again too
    part = out / "frequencies" / "part-00001.parquet"
    part.write_bytes((out / "frequencies" / "part-00000.parquet").read_bytes())
    again, totals, frequencies = _on_cluster(dask_client, folder, out, vocab_file)
    assert [p["resumed"] for p in again.manifest["partitions"]] == [True, False]
    assert frequencies == {(f"{folder}/a.txt", "量子科技"): 2, (f"{folder}/a.txt", "第六代移动通信"): 1,
                           (f"{folder}/b.txt", "量子科技"): 2, (f"{folder}/b.txt", "第六代移动通信"): 1}


def test_records_of_another_user_are_not_reused(dask_client, tmp_path, vocab_file, monkeypatch):
    folder, out = _two_files(tmp_path), tmp_path / "out"
    monkeypatch.setenv("POLICYTERMS_STATE_DIR", str(tmp_path / "alice"))
    _on_cluster(dask_client, folder, out, vocab_file)
    again, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert [p["resumed"] for p in again.manifest["partitions"]] == [True, True]
    monkeypatch.setenv("POLICYTERMS_STATE_DIR", str(tmp_path / "mallory"))
    again, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert [p["resumed"] for p in again.manifest["partitions"]] == [False, False]
    assert totals == {"量子科技": 4, "第六代移动通信": 2}


# 2. Content, not only mtime: an edit to the same size with the mtime put back is counted again

EDITED_TEXT = "量子科技是量子科技。发展量子科技和6G。\n"  # 未来产业 → 量子科技 (same bytes): 量子科技 3 times, 6G once


def _edit_keeping_size_and_mtime(path):
    stat = path.stat()
    data = EDITED_TEXT.encode("utf-8")
    assert len(data) == len(GOOD_TEXT.encode("utf-8")) == stat.st_size
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size


def test_a_dask_rerun_counts_a_file_edited_to_its_size_with_its_mtime_put_back(dask_client, tmp_path, vocab_file,
                                                                               own_key):
    folder, out = _two_files(tmp_path), tmp_path / "out"
    _on_cluster(dask_client, folder, out, vocab_file)
    _edit_keeping_size_and_mtime(folder / "a.txt")
    again, totals, frequencies = _on_cluster(dask_client, folder, out, vocab_file)
    assert [p["resumed"] for p in again.manifest["partitions"]] == [False, True]
    assert totals == {"量子科技": 5, "第六代移动通信": 2}
    assert frequencies[(f"{folder}/a.txt", "量子科技")] == 3
    blake = {entry["path"]: entry["blake2b"] for entry in again.manifest["inputs"]}
    import hashlib
    assert blake[f"{folder}/a.txt"] == hashlib.blake2b(EDITED_TEXT.encode(), digest_size=32).hexdigest()


def test_a_db_rerun_counts_a_file_edited_to_its_size_with_its_mtime_put_back(tmp_path, vocab_file):
    folder, db = _two_files(tmp_path), tmp_path / "d.db"
    first = invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "totals", "-f", "csv")
    assert first.exit_code == 0, first.stderr
    assert dict(pd.read_csv(io.StringIO(first.stdout))[["term", "count"]].values) == {"量子科技": 4, "第六代移动通信": 2}
    _edit_keeping_size_and_mtime(folder / "a.txt")
    again = invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "totals", "-f", "csv")
    assert again.exit_code == 0, again.stderr
    assert dict(pd.read_csv(io.StringIO(again.stdout))[["term", "count"]].values) == {"量子科技": 5, "第六代移动通信": 2}


# 3. A bounded vocabulary: a term's length, the automaton's build, and signals during it


def test_a_term_longer_than_the_limit_is_an_error_with_file_and_line(tmp_path):
    from policyterms.vocab import MAX_TERM_CHARS

    path = tmp_path / "long.yaml"
    path.write_text("terms:\n  - {term: 量子科技}\n  - {term: " + "人" * 300_000 + "}\n"
                    "  - {term: 氢能, aliases: [" + "氢" * (MAX_TERM_CHARS + 1) + "]}\n", encoding="utf-8")
    result = invoke("vocab", "check", path)
    assert result.exit_code == 1
    assert f"{path}:3: term of 300,000 characters, more than the 200 a term or alias may have" in result.stderr
    assert f"{path}:4: alias of 201 characters" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_term_that_normalizes_past_the_limit_is_refused(tmp_path):
    path = tmp_path / "nfkc.yaml"
    path.write_text("terms:\n  - {term: " + "\ufdfa" * 20 + "}\n", encoding="utf-8")  # 20 characters, 18 each in NFKC
    result = invoke("vocab", "check", path)
    assert result.exit_code == 1 and f"{path}:2: term of 360 characters once normalized (NFKC)" in result.stderr


def test_a_long_cell_of_a_dicx_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "long.dicx"
    path.write_text("DicTerm,未来信息\n量子科技,X\n" + "人" * 100_000 + ",X\n", encoding="utf-8")
    result = invoke("vocab", "check", path)
    assert result.exit_code == 1 and f"{path}:3: entry of 100,000 characters" in result.stderr


def test_the_library_refuses_a_long_term_too():
    from policyterms import Term
    from policyterms.errors import VocabularyError

    with pytest.raises(VocabularyError, match="more than the 200"):
        Term("人" * 201)


def _largest_vocabulary(path, *, seed=5):
    """As many distinct 200-character terms of 20 different characters as a 1 MB file holds."""
    import random

    shuffle = random.Random(seed)
    lines, size = ["terms:"], 7
    while True:
        line = "  - " + "".join(chr(0x4E00 + shuffle.randrange(20)) for _ in range(200))
        if size + len(line.encode()) + 1 > 1_000_000:
            break
        lines.append(line)
        size += len(line.encode()) + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_the_automaton_build_is_linear_in_the_vocabulary_size():
    import random
    import time

    from policyterms import Vocabulary
    from policyterms.match import Matcher

    shuffle = random.Random(3)
    terms = list(dict.fromkeys("".join(chr(0x4E00 + shuffle.randrange(3)) for _ in range(200)) for _ in range(3200)))

    def build(count):
        vocabulary = Vocabulary.from_terms(terms[:count])
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            Matcher(vocabulary)
            best = min(best, time.perf_counter() - began)
        return best

    small, large = build(800), build(3200)
    assert large < 1.0  # the largest vocabulary a file may hold is about 1,650 such terms
    assert large / small < 8  # 4 × the size: about 4 × the time (it was the square of a term's length)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_signal_ends_a_run_with_the_largest_vocabulary_within_a_second(tmp_path, signal_name):
    import signal
    import subprocess
    import sys
    import time

    vocabulary, document = tmp_path / "big.yaml", tmp_path / "a.txt"
    assert _largest_vocabulary(vocabulary) > 1600
    document.write_text(GOOD_TEXT, encoding="utf-8")
    command = [sys.executable, "-m", "policyterms.cli", "count", str(document), "-v", str(vocabulary), "-f", "csv"]
    waits = []
    for delay in (0.15, 0.3, 0.45):  # reading the YAML, building the automaton, counting
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        sent = time.monotonic()
        run.send_signal(getattr(signal, signal_name))
        _, stderr = run.communicate(timeout=30)
        waits.append(time.monotonic() - sent)
        assert b"Traceback" not in stderr
    assert max(waits) < 1.0, waits


# 4. Decompression measured, not declared


def _lying_bomb(path, *, inflated_mb: int, declared: int):
    """A .docx whose word/document.xml inflates to ``inflated_mb`` MB (of one repeated paragraph)
    while its local header and central directory say ``declared`` bytes."""
    _docx_with_body(path, PARAGRAPH * 1000, copies=inflated_mb * 2**20 // (len(PARAGRAPH) * 1000))
    _with_declared_size(path, "word/document.xml", declared)
    return path


# The CLI, reporting its own peak resident memory at exit (VmHWM: this process's, from its exec on;
# a child's ru_maxrss also counts the pages it shared, forked, with a large test process).
_PEAK_REPORTING_CLI = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("peak-kB " + line.split()[1] + "\\n")
atexit.register(peak)
from policyterms.cli import main
main()
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM from /proc (Linux)")
def test_a_docx_that_declares_100000_bytes_and_inflates_to_far_more_is_refused_at_the_limit(tmp_path, vocab_file):
    import subprocess
    import sys
    import time

    bomb = _lying_bomb(tmp_path / "liar.docx", inflated_mb=1024, declared=100_000)
    assert bomb.stat().st_size < 8 * 2**20  # 1 GB of XML in a few MB
    began = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _PEAK_REPORTING_CLI, "count", str(bomb), "-v", str(vocab_file),
                          "-f", "csv"], capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - began
    assert run.returncode == 1, run.stderr
    assert f"{bomb}: too large: a .docx whose members inflate to more than the 64 MB (2 × --max-mb)" in run.stderr
    assert "stopped after 64.0 MB, whatever its headers say" in run.stderr
    peak_kb = int(run.stderr.rsplit("peak-kB ", 1)[1].split()[0])
    assert peak_kb < 300 * 1024, peak_kb  # it inflated the whole 1 GB before (2.1 GB for the probe's 3.2 GB)
    assert seconds < 20, seconds


# 5. GB18030 read when it decodes, whatever the detector thinks


def _collected_speeches_in_gbk(path, *, copies: int) -> int:
    """Several MB of real policy prose in GBK: the seeds' text without 量, 移 and 6 (so neither
    term can occur in it), each copy followed by GOOD_TEXT. Returns how many copies hold
    GOOD_TEXT (量子科技 twice and 6G once in each). The first megabyte, which the detector reads,
    ends in the middle of a two-byte character, as the probe's file did."""
    import re

    from conftest import SEEDS
    from policyterms.readers.decoding import DETECT_BYTES

    prose = "".join(path_.read_text(encoding="utf-8") for path_ in sorted(SEEDS.glob("*.txt")))
    prose = re.sub("[量移6６]", "", prose)
    prose = "".join(char for char in prose if char.encode("gbk", "ignore"))
    for header in ("讲话汇编\n", "讲话汇编 \n"):
        data = (header + (prose + GOOD_TEXT) * copies).encode("gbk")
        try:
            data[:DETECT_BYTES].decode("gbk")
        except UnicodeDecodeError:
            break  # cut inside a character
    else:
        raise AssertionError("no header cuts the first megabyte inside a character")
    path.write_bytes(data)
    return copies


def test_a_gbk_file_that_decodes_strictly_is_read_as_gb18030(tmp_path, vocab_file):
    from policyterms.readers.decoding import decodes_as_han, detect_encoding

    path = tmp_path / "讲话汇编.txt"
    copies = _collected_speeches_in_gbk(path, copies=60)
    data = path.read_bytes()
    assert len(data) > 3 * 2**20
    assert detect_encoding(data, source=str(path)) == "gb18030"
    assert decodes_as_han(data, "gb18030") and not decodes_as_han(data, "big5")
    result = invoke("count", path, "-v", vocab_file, "--what", "totals", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    totals = dict(pd.read_csv(io.StringIO(result.stdout))[["term", "count"]].values)
    assert totals == {"量子科技": 2 * copies, "第六代移动通信": copies}


def test_a_big5_file_is_still_read_as_big5(tmp_path):
    from policyterms.readers.decoding import detect_encoding

    text = "量子科技與第六代行動通訊是未來產業的重要方向，政府將加強基礎研究與人才培養。\n" * 2000
    assert detect_encoding(text.encode("big5"), source="t.txt") == "big5"
    assert detect_encoding(b"x" + text.encode("big5"), source="t.txt") == "big5"


# 6. Escapes everywhere a text reaches a terminal; files keep the bytes

HOSTILE_NAME = "a\x1b[2J\x07\x1b]0;title\x07\x1b]8;;x\x07b.txt"  # ESC, clear screen, BEL, OSC 0, OSC 8


def _on_a_terminal(args, cwd):
    """stdout and stderr of the CLI run with its stdout a pseudo-terminal."""
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    run = subprocess.Popen([sys.executable, "-m", "policyterms.cli", *map(str, args)], stdout=follower,
                           stderr=subprocess.PIPE, cwd=cwd)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, stderr = run.communicate(timeout=60)
    return run.returncode, b"".join(chunks).decode("utf-8"), stderr.decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_text_formats_on_a_terminal_show_control_characters_escaped(tmp_path, vocab_file, fmt):
    (tmp_path / HOSTILE_NAME).write_text(GOOD_TEXT, encoding="utf-8")
    status, shown, stderr = _on_a_terminal(["count", HOSTILE_NAME, "-v", vocab_file, "-f", fmt, "--what",
                                            "frequencies"], tmp_path)
    assert status == 0, stderr
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;title\\x07" in shown.replace("\\u001b", "\\x1b").replace("\\u0007", "\\x07")
    assert "量子科技" in shown


def test_a_file_keeps_the_name_s_bytes(tmp_path, vocab_file):
    (tmp_path / HOSTILE_NAME).write_text(GOOD_TEXT, encoding="utf-8")
    status, _, stderr = _on_a_terminal(["count", HOSTILE_NAME, "-v", vocab_file, "-f", "csv", "--what",
                                        "frequencies", "--raw", "-o", "out.csv"], tmp_path)
    assert status == 0, stderr
    written = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert HOSTILE_NAME in written  # (--raw: no formula prefix; the name starts with a letter anyway)


def test_vocab_tree_on_a_terminal_escapes_category_names_and_keeps_them_in_a_file(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text('terms:\n  - {term: 量子科技, category: "未来\\e]0;title\\a信息"}\n', encoding="utf-8")
    status, shown, stderr = _on_a_terminal(["vocab", "show", "-v", path, "--tree"], tmp_path)
    assert status == 0, stderr
    assert "\x1b" not in shown and "\x07" not in shown and "未来\\x1b]0;title\\x07信息" in shown
    piped = invoke("vocab", "show", "-v", path, "--tree")
    assert "未来\x1b]0;title\x07信息" in piped.stdout


def test_terminal_safe_leaves_files_and_pipes_alone():
    from policyterms.names import TerminalText, terminal_safe

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, plain = Tty(), io.StringIO()
    assert terminal_safe(plain) is plain
    wrapped = terminal_safe(tty)
    assert isinstance(wrapped, TerminalText) and terminal_safe(wrapped) is wrapped
    wrapped.write("a\x1bb\tc\n\r\u202e")
    assert tty.getvalue() == "a\\x1bb\tc\n\\r\\u202e"
    assert not hasattr(wrapped, "buffer")


# 7. The Dask engine's edges, as the local engine's


def test_a_name_that_is_not_utf8_on_the_dask_engine(dask_client, tmp_path, vocab_file, own_key):
    import json

    folder, out = gbk_corpus(tmp_path), tmp_path / "out"
    outcome, totals, frequencies = _on_cluster(dask_client, folder, out, vocab_file)
    assert frequencies[(f"{folder}/\\xc1\\xbf.txt", "量子科技")] == 1
    assert frequencies[(f"{folder}/a.txt", "量子科技")] == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    assert f"{folder}/\\xc1\\xbf.txt" in [entry["path"] for entry in manifest["inputs"]]
    again, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)  # a rerun is not stopped by it either
    assert [p["resumed"] for p in again.manifest["partitions"]] == [True, True]
    assert totals == {"量子科技": 3, "第六代移动通信": 1}


def _parquet_dataset(tmp_path):
    """ds/: two Parquet files of two rows each, every row GOOD_TEXT (量子科技 twice, 6G once)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "ds"
    folder.mkdir()
    for name in ("part-0.parquet", "part-1.parquet"):
        pq.write_table(pa.Table.from_pylist([{"content": GOOD_TEXT}, {"content": GOOD_TEXT}]), folder / name)
    return folder


@pytest.mark.parametrize("given", ["ds", "ds/*.parquet"])
def test_a_folder_of_parquet_files_and_a_quoted_glob_on_both_engines(dask_client, tmp_path, vocab_file, own_key,
                                                                     given, monkeypatch):
    from policyterms.cluster import count_on_cluster

    _parquet_dataset(tmp_path)
    monkeypatch.chdir(tmp_path)
    local = invoke("count", given, "-v", vocab_file, "--what", "totals", "-f", "csv")
    assert local.exit_code == 0, local.stderr
    assert dict(pd.read_csv(io.StringIO(local.stdout))[["term", "count"]].values) == {"量子科技": 8, "第六代移动通信": 4}
    from policyterms.batch import InputOptions

    outcome = count_on_cluster([given], client=dask_client, output="out/", vocab=vocab_file, tables=("totals",),
                               inputs=InputOptions())
    totals = pd.read_parquet(tmp_path / "out" / "totals.parquet")
    assert dict(zip(totals.term, totals["count"])) == {"量子科技": 8, "第六代移动通信": 4}
    assert outcome.manifest["complete"] is True and outcome.manifest["documents"] == 4
    assert outcome.manifest["options"]["inputs"]["globs"] is None  # the defaults, not "*.txt …"
    assert all(len(entry["blake2b"]) == 64 for entry in outcome.manifest["inputs"])
    assert len(outcome.manifest["vocabulary"]["file_sha256"]) == 64


def test_a_run_that_skipped_an_input_says_it_is_not_complete(dask_client, tmp_path, vocab_file, own_key):
    from policyterms.cluster import count_on_cluster

    folder = _two_files(tmp_path)
    outcome = count_on_cluster([str(folder), str(tmp_path / "missing.txt")], client=dask_client,
                               output=f"{tmp_path}/out/", vocab=vocab_file, tables=("totals",))
    assert outcome.manifest["complete"] is False
    assert outcome.manifest["skipped"] == [{"input": str(tmp_path / "missing.txt"), "reason": "no such file or directory"}]


def test_an_output_that_is_a_file_is_refused_before_a_cluster_starts(tmp_path, vocab_file):
    import time

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    began = time.monotonic()
    result = invoke("count", tmp_path, "-v", vocab_file, "--scheduler", "local:2", "-o", f"{tmp_path / 'afile'}/")
    assert result.exit_code != 0
    assert time.monotonic() - began < 3  # a LocalCluster of 2 processes takes longer than this to start
    assert str(tmp_path / "afile") in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_wrong_scheduler_address_fails_within_5_seconds_in_one_line(tmp_path, vocab_file):
    import socket
    import time

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again: nothing listens there
    began = time.monotonic()
    result = invoke("count", tmp_path, "-v", vocab_file, "--scheduler", f"tcp://127.0.0.1:{port}", "-o", f"{tmp_path}/out/")
    assert time.monotonic() - began < 5
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port} within 4 s" in lines[0]
    assert "\\n" not in lines[0]


# 9. File symlinks out of the input folder


def test_a_link_to_a_file_outside_the_folder_is_skipped_with_a_warning(tmp_path, vocab_file):
    folder = _two_files(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("量子科技" * 5, encoding="utf-8")
    os.symlink(secret, folder / "c.txt")
    result = invoke("count", folder, "-v", vocab_file, "--what", "totals", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert dict(pd.read_csv(io.StringIO(result.stdout))[["term", "count"]].values) == {"量子科技": 4, "第六代移动通信": 2}
    warned = [line for line in result.stderr.splitlines() if "c.txt" in line]
    assert warned == [f"policyterms: warning: {folder / 'c.txt'}: skipped: a link to a file outside the folder "
                      "(--follow-symlinks reads it)"]
    followed = invoke("count", folder, "-v", vocab_file, "--what", "totals", "-f", "csv", "--follow-symlinks")
    assert dict(pd.read_csv(io.StringIO(followed.stdout))[["term", "count"]].values) == {"量子科技": 9, "第六代移动通信": 2}


# 9. A full disk under --db is one line naming the store


def test_a_full_disk_under_db_is_one_line_naming_the_store(tmp_path, vocab_file, monkeypatch):
    from policyterms import store

    folder, db = _two_files(tmp_path), tmp_path / "d.db"
    assert invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "totals", "-f", "csv").exit_code == 0
    for number in range(400):  # new texts: rows to store, more than the pages the file has room for
        (folder / f"new{number:03d}.txt").write_text(f"量子科技 {number}", encoding="utf-8")
    opened = store.Store.__init__

    def full(self, path, *, readonly=False):
        opened(self, path, readonly=readonly)
        if not readonly:  # SQLite's own "disk is full": no page may be added to the file
            pages = self._db.execute("PRAGMA page_count").fetchone()[0]
            self._db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(store.Store, "__init__", full)
    result = invoke("count", folder, "-v", vocab_file, "--db", db, "--what", "totals", "-f", "csv", "--jobs", "1")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"policyterms: error: {db}: cannot write to the results database (database or disk is full); "
                     "nothing of this batch was stored: free some space, or use another --db"]


def test_temporary_files_a_killed_dask_run_left_are_removed_at_the_next_start(dask_client, tmp_path, vocab_file,
                                                                              own_key):
    folder, out = _two_files(tmp_path), tmp_path / "out"
    (out / "frequencies").mkdir(parents=True)
    (out / "_partitions").mkdir()
    left = [out / ".manifest.json.0123abcd.tmp", out / "frequencies" / ".part-00000.parquet.deadbeef.tmp",
            out / "_partitions" / ".part-00001.json.cafe0042.tmp"]
    for path in left:
        path.write_bytes(b"half")
    kept = out / "frequencies" / ".notes.tmp"  # not a name put makes
    kept.write_bytes(b"mine")
    _, totals, _ = _on_cluster(dask_client, folder, out, vocab_file)
    assert totals == {"量子科技": 4, "第六代移动通信": 2}
    assert not any(path.exists() for path in left) and kept.exists()
