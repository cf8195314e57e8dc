"""Hostile input: every input that cannot be read gets one line naming it, fast, and the rest of
the batch goes on (exit 3). Nothing hangs, nothing runs out of memory, nothing is quadratic.

The documents here are small and written by each test; the counts are of terms written into them.
"""

import os
import tempfile
import time

import pytest
from typer.testing import CliRunner

from policyterms import Document, InputError, Term, Vocabulary
from policyterms.batch import Batch, InputOptions, each_document
from policyterms.cli import app
from policyterms.errors import VocabularyError
from policyterms.pipeline import DocumentCounter, count
from policyterms.readers import iter_sources, read_document
from policyterms.readers import text as text_reader
from policyterms.readers.limits import MB, read_at_most
from policyterms.readers.text import document_from_bytes, split_front_matter
from policyterms.dictionaries import load_vocabulary

runner = CliRunner()
GOOD_TEXT = "量子科技是未来产业。发展量子科技和6G。\n"  # 量子科技 twice, 6G once

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi")),
        "terms: *i",
    ]
) + "\n"


@pytest.fixture
def vocab():
    return Vocabulary.from_terms([Term("量子科技", "未来信息"), Term("第六代移动通信", "未来信息", ("6G",))])


@pytest.fixture
def vocab_file(tmp_path):
    path = tmp_path / "vocab.yaml"
    path.write_text("terms:\n  - 量子科技\n  - {term: 第六代移动通信, aliases: [6G]}\n", encoding="utf-8")
    return path


def counted(result) -> dict[tuple[str, str], int]:
    return {(row.doc_id, row.term): row.count for row in result.frequencies.itertuples()}


# The vocabulary -------------------------------------------------------------------------------


def test_alias_bomb_vocabulary_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(VocabularyError, match=r"bomb.yaml: YAML anchors and aliases \(&name, \*name\) are not allowed"):
        load_vocabulary(path)
    assert time.perf_counter() - started < 2


def test_vocabulary_of_100000_terms_is_refused_within_2_seconds_with_a_clear_message(tmp_path):
    path = tmp_path / "huge.yaml"
    lines = ["terms:"] + [f"  - {{term: 术语{i:06d}, aliases: [T{i}], category: 类{i % 20}}}" for i in range(100_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(app, ["count", str(path), "--vocab", str(path), "-q"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"policyterms: error: {path}: too large for a vocabulary: {path.stat().st_size / MB:,.1f} MB, more than its "
        "limit of 1 MB (--max-vocab-mb N allows more; from Python, load_vocabulary(path, max_mb=N))"
    ]
    assert elapsed < 2


def test_vocabulary_from_a_pipe_is_read_and_a_fifo_without_writer_does_not_hang(tmp_path, vocab_file):
    read_end, write_end = os.pipe()  # what `--vocab <(…)` names: /dev/fd/N
    os.write(write_end, vocab_file.read_bytes())
    os.close(write_end)
    try:
        assert [term.name for term in load_vocabulary(f"/dev/fd/{read_end}").terms] == ["量子科技", "第六代移动通信"]
    finally:
        os.close(read_end)
    fifo = tmp_path / "vocab-fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(VocabularyError, match="vocab-fifo.yaml: empty vocabulary file"):  # at once
        load_vocabulary(fifo)


def test_a_device_is_not_read_as_a_vocabulary():
    with pytest.raises(VocabularyError, match=r"/dev/zero: not a regular file \(a character device\)"):
        load_vocabulary("/dev/zero")


# Documents: size and linear time -----------------------------------------------------------


def test_a_200_mb_single_line_file_is_skipped_unread_and_the_batch_goes_on(tmp_path, vocab):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:  # sparse: 200 MB that take no disk and no time to write
        handle.truncate(200 * MB)
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    started = time.perf_counter()
    result = count([big, good], vocab=vocab, tables=["frequencies"])
    assert time.perf_counter() - started < 2
    assert [str(error) for error in result.errors] == [
        f"{big}: too large: 200.0 MB, more than the 32 MB a document may have; split it, or raise the limit with --max-mb"
    ]
    assert counted(result) == {(str(good), "量子科技"): 2, (str(good), "第六代移动通信"): 1}


def test_the_limit_can_be_raised_or_lifted(tmp_path, vocab):
    doc = tmp_path / "doc.txt"
    doc.write_text(GOOD_TEXT * 20_000, encoding="utf-8")  # 1.1 MB
    refused = count([doc], vocab=vocab, tables=["frequencies"], inputs=InputOptions(max_mb=1))
    assert [error.cause.split(";")[0] for error in refused.errors] == [
        "too large: 1.1 MB, more than the 1 MB a document may have"
    ]
    lifted = count([doc], vocab=vocab, tables=["frequencies"], inputs=InputOptions(max_mb=None))
    assert counted(lifted) == {(str(doc), "量子科技"): 40_000, (str(doc), "第六代移动通信"): 20_000}


def test_a_pipe_or_stdin_is_read_up_to_the_limit_and_no_further():
    class Endless:
        """A stream that never ends, like `yes`: read_at_most must stop after the limit."""

        def __init__(self):
            self.given = 0

        def read(self, size):
            self.given += size
            return b"y" * size

    stream = Endless()
    with pytest.raises(InputError, match=r"^-: too large: more than the 1 MB a document may have"):
        read_at_most(stream, source="-", max_bytes=MB)
    assert stream.given == MB + 1


# Text that once took quadratic time: a run of spaces or tabs that never reaches a line break
# made the blank-line pattern rescan the run from every position (20,000 spaces: 12 s; these
# 1,000,000 would have taken hours). Linear, each takes well under a second.
QUADRATIC_ONCE = {
    "spaces after a full stop": "量子科技。" + " " * 1_000_000 + "6G",
    "tabs between Han characters": "量子科技" + "\t" * 1_000_000 + "量子科技",
    "spaces after a year": "2026" + " " * 1_000_000 + "量子科技，6G",
    "spaces after a line break": "量子科技\n" + " " * 1_000_000 + "\n6G",
}


@pytest.mark.parametrize("text", QUADRATIC_ONCE.values(), ids=QUADRATIC_ONCE.keys())
def test_long_runs_of_whitespace_are_read_and_counted_in_linear_time(text, vocab):
    counter = DocumentCounter(vocab, unit="paragraph")
    started = time.perf_counter()
    counts = counter.count_document(document_from_bytes(text.encode(), source="x.txt"))
    assert time.perf_counter() - started < 5
    assert sum(counts.term_counts.values()) == 2


def test_a_million_short_words_do_not_become_a_million_strings(vocab):
    # count_chars once split the text into words: 200 MB of "ab 6G x " took 8.7 GB.
    counts = DocumentCounter(vocab, cooccurrence=False).count_document(Document("w.txt", "ab 6G x " * 100_000))
    assert (counts.chars, counts.term_counts) == (500_000, {1: 100_000})


# Documents: what cannot be read ---------------------------------------------------------------


def test_a_file_of_nul_bytes_is_binary(tmp_path):
    path = tmp_path / "zeros.txt"
    path.write_bytes(b"\x00" * 100_000)
    with pytest.raises(InputError, match=r"zeros.txt: binary file \(contains NUL bytes\), not text$"):
        read_document(str(path))


def test_invalid_bytes_in_the_middle_of_a_gb18030_file_name_the_byte(tmp_path):
    text = "量子科技和人工智能是未来产业的重点，推动第六代移动通信发展。" * 20
    data = text.encode("gb18030")
    path = tmp_path / "gbk.txt"
    path.write_bytes(data[:600] + b"\xff" + data[600:])  # 600: between two characters
    with pytest.raises(InputError) as caught:
        read_document(str(path))
    assert str(caught.value) == (
        f"{path}: cannot decode as gb18030 (invalid byte at 600: illegal multibyte sequence); "
        "name the encoding with --encoding"
    )


def test_a_directory_loop_via_symlinks_is_walked_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "doc.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "a" / "up").symlink_to(tmp_path)  # a -> .. -> a -> …
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a")
    (tmp_path / "x.txt").symlink_to(tmp_path / "y.txt")  # x.txt -> y.txt -> x.txt
    (tmp_path / "y.txt").symlink_to(tmp_path / "x.txt")
    found = [str(item) for item in iter_sources([tmp_path])]
    assert found == [
        f"Source(path='{tmp_path / 'a' / 'doc.txt'}', is_table=False)",
        f"{tmp_path / 'x.txt'}: cannot read (Too many levels of symbolic links)",
        f"{tmp_path / 'y.txt'}: cannot read (Too many levels of symbolic links)",
    ]


def test_a_tree_deeper_than_pythons_recursion_limit_is_walked():
    # Not in tmp_path: pytest removes old tmp_paths with shutil.rmtree, which recurses and would
    # fail on this tree in a later session were this test interrupted before its own clean-up.
    levels = [tempfile.mkdtemp(prefix="policyterms-deep-")]
    for _ in range(1200):  # each level was a generator frame: RecursionError at about 1000
        levels.append(os.path.join(levels[-1], "d"))
        os.mkdir(levels[-1])  # one at a time: os.makedirs itself recurses
    deep_file = os.path.join(levels[-1], "deep.txt")
    with open(deep_file, "w", encoding="utf-8") as handle:
        handle.write(GOOD_TEXT)
    try:
        assert [source.path for source in iter_sources([levels[0]])] == [deep_file]
    finally:  # removed bottom up: shutil.rmtree recurses too
        os.remove(deep_file)
        for level in reversed(levels):
            os.rmdir(level)


def test_a_fifo_in_a_directory_is_skipped_with_a_warning_not_waited_on(tmp_path, vocab):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    result = count([tmp_path], vocab=vocab, tables=["frequencies"])
    assert [str(warning) for warning in result.warnings] == [
        f"{tmp_path / 'pipe.txt'}: skipped: a named pipe, not a regular file"
    ]
    assert result.errors == []
    assert counted(result) == {(str(tmp_path / "good.txt"), "量子科技"): 2, (str(tmp_path / "good.txt"), "第六代移动通信"): 1}


def test_a_fifo_named_explicitly_is_read_when_written_to_and_never_waited_on_otherwise(tmp_path, vocab):
    # `policyterms count <(curl …)` names a pipe: it is read, as cat would.
    read_end, write_end = os.pipe()
    os.write(write_end, GOOD_TEXT.encode())
    os.close(write_end)
    try:
        assert read_document(f"/dev/fd/{read_end}").text == GOOD_TEXT
    finally:
        os.close(read_end)
    # A FIFO nobody writes to: one line, at once (a blocking open would wait for ever).
    os.mkfifo(tmp_path / "idle.txt")
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"idle.txt: empty named pipe \(nothing was written to it\)$"):
        read_document(str(tmp_path / "idle.txt"))
    assert time.perf_counter() - started < 2


def test_a_device_named_explicitly_is_refused():
    with pytest.raises(InputError, match=r"^/dev/zero: not a regular file \(a character device\)$"):
        read_document("/dev/zero")


def _unreadable(monkeypatch, path):
    """Reading ``path`` fails as it does without read permission (root ignores permission bits,
    so the failure is made by replacing open in the reader)."""
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(text_reader, "open", refusing_open, raising=False)


def test_a_file_without_read_permission_is_named_and_the_batch_goes_on(tmp_path, vocab, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_TEXT, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    _unreadable(monkeypatch, locked)
    result = count([locked, good], vocab=vocab, tables=["frequencies"])
    assert [str(error) for error in result.errors] == [f"{locked}: permission denied"]
    assert counted(result) == {(str(good), "量子科技"): 2, (str(good), "第六代移动通信"): 1}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permission bits; "
                    "the message is tested with a refusing open in the test above")
def test_a_file_without_read_permission_for_real(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_TEXT, encoding="utf-8")
    locked.chmod(0)
    with pytest.raises(InputError, match="locked.txt: permission denied$"):
        read_document(str(locked))


def test_an_unexpected_failure_of_one_document_does_not_end_the_batch(tmp_path):
    class Fragile:
        def __call__(self, document):
            if "坏" in document.text:
                raise ZeroDivisionError("division by zero")
            return document.doc_id

    (tmp_path / "a.txt").write_text("坏", encoding="utf-8")
    (tmp_path / "b.txt").write_text("好", encoding="utf-8")
    batch = Batch()
    assert list(each_document([tmp_path], Fragile, batch=batch)) == [str(tmp_path / "b.txt")]
    assert [str(error) for error in batch.errors] == [
        f"{tmp_path / 'a.txt'}: unexpected ZeroDivisionError while reading or counting it: division by zero"
    ]


# Front matter: YAML inside a document ---------------------------------------------------------


def test_an_alias_bomb_in_front_matter_is_not_metadata():
    text = "---\n" + BILLION_LAUGHS.replace("terms: *i", "title: *i") + "---\n量子科技。\n"
    started = time.perf_counter()
    metadata, body = split_front_matter(text)
    assert time.perf_counter() - started < 1  # str() of the title was 9**9 "lol"s
    assert (metadata, body) == ({}, text)


@pytest.mark.parametrize(
    "front",
    ["[" * 5000, "date: 2026-02-30", "n: " + "1" * 5000],
    ids=["nested 5000 deep", "no such date", "5000-digit integer"],
)
def test_front_matter_that_yaml_cannot_construct_is_text(front):
    text = f"---\n{front}\n---\n量子科技。\n"
    assert split_front_matter(text) == ({}, text)


# One run over all of it -------------------------------------------------------------------------


def test_a_hostile_batch_gets_one_line_each_and_exit_3(tmp_path, vocab_file):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (docs / "nul.txt").write_bytes(b"\x00" * 1000)
    gb = ("量子科技是重点。" * 20).encode("gb18030")
    (docs / "gb.txt").write_bytes(gb[:64] + b"\x80" + gb[64:])
    (docs / "loop").symlink_to(docs)
    os.mkfifo(docs / "fifo.txt")
    with open(docs / "big.txt", "wb") as handle:
        handle.truncate(40 * MB)
    (docs / "bomb.txt").write_text("---\n" + BILLION_LAUGHS + "---\n6G。\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(docs), "--vocab", str(vocab_file), "--format", "csv", "-j", "2"])
    assert result.exit_code == 3
    messages = [line for line in result.stderr.splitlines() if not line.startswith("policyterms: 2 documents")]
    assert messages == [
        f"policyterms: warning: {docs / 'fifo.txt'}: skipped: a named pipe, not a regular file",
        f"policyterms: error: {docs / 'big.txt'}: too large: 40.0 MB, more than the 32 MB a document may have; "
        "split it, or raise the limit with --max-mb",
        f"policyterms: error: {docs / 'gb.txt'}: cannot decode as gb18030 (invalid byte at 64: illegal multibyte "
        "sequence); name the encoding with --encoding",
        f"policyterms: error: {docs / 'nul.txt'}: binary file (contains NUL bytes), not text",
    ]
    rows = [line.rsplit(",", 1)[0] for line in result.stdout.splitlines()]  # without per_10k_chars
    assert rows == [
        "doc_id,term,category,count",
        f"{docs / 'bomb.txt'},第六代移动通信,,1",  # the front matter was refused, not the text
        f"{docs / 'good.txt'},量子科技,,2",
        f"{docs / 'good.txt'},第六代移动通信,,1",
    ]


def test_max_mb_0_lifts_the_limit_on_the_command_line(tmp_path, vocab_file):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(40 * MB)  # 40 MB of NUL bytes: read once the limit is lifted, then refused as binary
    result = runner.invoke(app, ["count", str(big), "--vocab", str(vocab_file), "--max-mb", "0", "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"policyterms: error: {big}: binary file (contains NUL bytes), not text\n"
