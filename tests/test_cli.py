import ast
import io
import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SEEDS

from policyterms.cli import app

runner = CliRunner()
VOCAB_YAML = "terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 第六代移动通信, aliases: [6G], category: 未来信息}\n  - {term: 未来产业, category: 政策}\n"


@pytest.fixture
def vocab_file(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(VOCAB_YAML, encoding="utf-8")
    return path


def file_with(path, data: bytes):
    path.write_bytes(data)
    return path


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def test_csv_is_the_default_when_piped_and_reads_into_pandas(vocab_file):
    result = invoke("count", SEEDS / "004_a0e03639a4100763.txt", "--vocab", vocab_file)
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns) == ["doc_id", "term", "category", "count", "per_10k_chars"]
    counts = frame.groupby("term")["count"].sum().to_dict()  # over 004's two articles
    # 004: 量子科技 in "我们重点布局了量子科技、…" and "在量子科技、人工智能、生物制造…" = 2;
    # 6G in "…具身智能、6G等关键赛道" and "量子计算、脑机接口、6G、具身智能……" = 2
    assert counts["量子科技"] == 2 and counts["第六代移动通信"] == 2
    # stderr holds only the summary: 未来产业 90 (tests/test_seed_counts.py) + 量子科技 2 + 6G 2 = 94
    assert result.stderr == "policyterms: 2 documents read, 0 skipped, 94 hits of 3 terms\n"


def test_json_holds_every_table(vocab_file):
    result = invoke("count", SEEDS, "--vocab", vocab_file, "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"frequencies", "totals", "cooccurrence", "cooccurrence_totals", "vocabulary"}
    assert data["vocabulary"] == [{"name": "v", "description": "", "reference": "", "version": "",
                                   "source": str(vocab_file), "sha256": data["vocabulary"][0]["sha256"], "terms": 3}]
    pages = {row["doc_id"].split("#")[0] for row in data["frequencies"]}  # articles of every seed
    assert pages == {f"{SEEDS}/{p.name}" for p in sorted(SEEDS.glob("*.txt"))}
    assert all(row["unit"] == "sentence" for row in data["cooccurrence"])


def test_what_and_unit(vocab_file):
    result = invoke("count", SEEDS, "-v", vocab_file, "--what", "cooccurrence", "--unit", "document", "-f", "csv")
    assert result.stdout.splitlines()[0] == "doc_id,term_a,term_b,unit,count"
    assert ",document," in result.stdout


def test_what_cooccurrence_totals_alone(vocab_file):
    # sentence 1: 量子科技 + 第六代移动通信; sentence 2: 未来产业, 量子科技, 6G (= 第六代移动通信)
    text = "量子科技和第六代移动通信。未来产业与量子科技、6G。"
    result = invoke("count", "-", "--stdin", "text", "-v", vocab_file, "--what", "cooccurrence_totals", "-f", "csv", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "term_a,term_b,unit,count,documents",
        "量子科技,第六代移动通信,sentence,2,1",
        "量子科技,未来产业,sentence,1,1",
        "第六代移动通信,未来产业,sentence,1,1",
    ]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xlsx"])
def test_bom_with_a_format_that_has_none_is_one_usage_error(vocab_file, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    result = invoke("count", SEEDS, "-v", vocab_file, "--bom", "-f", fmt, "-o", target)
    assert result.exit_code == 2 and not target.exists()
    assert result.stderr == (f"policyterms: error: --bom is for CSV and TSV opened in Excel; {fmt.upper()} output has "
                             "no byte-order mark: drop --bom, or add --format csv\n")


def test_bom_starts_a_csv_file(vocab_file, tmp_path):
    result = invoke("count", SEEDS / "004_a0e03639a4100763.txt", "-v", vocab_file, "--bom", "-o", tmp_path / "c.csv")
    assert result.exit_code == 0
    assert (tmp_path / "c.csv").read_bytes().startswith("\ufeffdoc_id,term,".encode("utf-8"))


@pytest.mark.parametrize("option", ["-o", "--evidence"])
def test_an_output_under_a_file_is_one_line_naming_the_path_before_any_counting(vocab_file, tmp_path, option):
    file_with(tmp_path / "notes", b"x")
    target = tmp_path / "notes" / "c.csv"
    result = invoke("count", SEEDS, "-v", vocab_file, option, target)
    assert result.exit_code == 2
    assert result.stderr == f"policyterms: error: cannot write {target}: {tmp_path / 'notes'} is a file, not a directory\n"


def test_the_summary_of_level_category_counts_categories(vocab_file):
    text = "量子科技和6G。"  # 量子科技 and 6G (第六代移动通信): two terms, both in 未来信息
    by_term = invoke("count", "-", "--stdin", "text", "-v", vocab_file, input=text)
    by_category = invoke("count", "-", "--stdin", "text", "-v", vocab_file, "--level", "category", input=text)
    assert by_term.stderr == "policyterms: 1 document read, 0 skipped, 2 hits of 2 terms\n"
    assert by_category.stderr == "policyterms: 1 document read, 0 skipped, 2 hits of 1 category\n"


def test_table_format_prints_titles(vocab_file):
    result = invoke("count", SEEDS / "000_f7f3963a21b11a20.txt", "-v", vocab_file, "--format", "table")
    assert "Frequencies: " in result.stdout and "Corpus totals" in result.stdout
    assert "Co-occurrence: " in result.stdout


def test_several_tables_to_csv_is_a_usage_error(vocab_file):
    # checked before counting: the missing file is not even looked at
    result = invoke("count", SEEDS, "missing.txt", "-v", vocab_file, "--what", "both", "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("policyterms: error: CSV holds one table") and len(result.stderr.splitlines()) == 1


def test_output_file_and_directory(vocab_file, tmp_path):
    out = tmp_path / "counts.tsv"
    result = invoke("count", SEEDS, "-v", vocab_file, "-o", out, "--bom")
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("\ufeffdoc_id\tterm\t")
    result = invoke("count", SEEDS, "-v", vocab_file, "--what", "all", "-o", f"{tmp_path}/results/")
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "cooccurrence.csv", "cooccurrence_totals.csv", "documents.csv", "frequencies.csv", "totals.csv",
    ]


def test_unknown_output_suffix_is_a_usage_error(vocab_file, tmp_path):
    result = invoke("count", SEEDS, "-v", vocab_file, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2 and "add --format" in result.stderr


def test_stdin_document(vocab_file):
    result = invoke("count", "-", "--stdin", "text", "-v", vocab_file, input="发展未来产业，布局６Ｇ。")
    frame = pd.read_csv(io.StringIO(result.stdout))
    # 12 characters after normalization: 发展未来产业 , 布局 6g 。 → 1 hit = 833.333 per 10,000
    assert frame.values.tolist() == [["-", "第六代移动通信", "未来信息", 1, 833.333], ["-", "未来产业", "政策", 1, 833.333]]


def test_text_on_stdin_without_stdin_text_is_one_hint_and_exit_2(vocab_file):
    article = "".join(f"第{n}段：发展未来产业，布局６Ｇ。\n" for n in range(1, 107))  # 106 paragraphs
    result = invoke("count", "-", "-v", vocab_file, input=article)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "policyterms: error: stdin holds text, not a list of paths: to count the text itself, add --stdin text "
        "(cat article.txt | policyterms count - --stdin text)"
    ]


def test_a_few_stray_bytes_are_replaced_with_a_warning_and_strict_keeps_them_an_error(vocab_file, tmp_path):
    sentence = "各地要前瞻布局未来产业，推动量子科技取得突破。".encode("utf-8")  # 未来产业 1, 量子科技 1
    page = file_with(tmp_path / "page.txt", sentence * 30 + b"\xff\xfe" + sentence * 30 + b"\n")  # 2 in 4,143 bytes
    result = invoke("count", page, "-v", vocab_file, "--quiet")
    assert result.exit_code == 0
    assert result.stderr == (f"policyterms: warning: {page}: 2 invalid UTF-8 bytes replaced with U+FFFD and the rest "
                             "counted (--strict makes this an error)\n")
    counts = pd.read_csv(io.StringIO(result.stdout)).set_index("term")["count"].to_dict()
    assert counts == {"量子科技": 60, "未来产业": 60}
    strict = invoke("count", page, "-v", vocab_file, "--quiet", "--strict")
    assert strict.exit_code == 1 and strict.stderr.startswith(f"policyterms: error: {page}: cannot decode as utf-8")


def test_an_unknown_encoding_is_one_usage_error_not_one_per_file(vocab_file):
    result = invoke("count", SEEDS, "-v", vocab_file, "--encoding", "foo")
    assert result.exit_code == 2
    assert result.stderr == "policyterms: error: unknown encoding 'foo' for --encoding (e.g. utf-8, gb18030, big5)\n"


@pytest.mark.parametrize(
    "make, cause",
    [
        (lambda d: d / "missing.txt", "no such file or directory"),
        (lambda d: file_with(d / "empty.txt", b""), "empty file"),
        (lambda d: file_with(d / "image.txt", b"\x89PNG\x00\x00\x01"), "binary file"),
    ],
)
def test_bad_input_is_one_line_and_the_batch_goes_on_with_exit_3(vocab_file, tmp_path, make, cause):
    bad = make(tmp_path)
    result = invoke("count", bad, SEEDS / "000_f7f3963a21b11a20.txt", "-v", vocab_file, "--quiet")
    assert result.exit_code == 3  # partial: the good file was counted
    assert result.stderr.startswith(f"policyterms: error: {bad}: {cause}")
    assert len(result.stderr.splitlines()) == 1
    assert "000_f7f3963a21b11a20.txt#1,未来产业" in result.stdout  # the speech, 000's first article


def test_nothing_readable_is_exit_1(vocab_file, tmp_path):
    result = invoke("count", tmp_path / "missing.txt", "-v", vocab_file)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"policyterms: error: {tmp_path / 'missing.txt'}: no such file or directory",
        "policyterms: 0 documents read, 1 skipped, 0 hits of 0 terms",
    ]
    assert result.stdout == ""


@pytest.mark.parametrize("output", [["-f", "csv"], ["-f", "tsv", "--bom"], ["-f", "json"], ["-f", "jsonl"]])
def test_a_failed_run_writes_nothing_to_stdout_not_even_a_header(vocab_file, tmp_path, output):
    empty = file_with(tmp_path / "empty.txt", b"")
    vocab = ["-v", vocab_file]
    for command in (["count", *vocab], ["count", "--what", "documents", *vocab], ["cooc", *vocab], ["kwic", "6G", *vocab],
                    ["dupes"]):
        failed = invoke(*command, empty, tmp_path / "missing.txt", *output, "--quiet")
        assert (failed.exit_code, failed.stdout) == (1, ""), command


def test_a_partial_run_writes_what_it_counted(vocab_file, tmp_path):
    empty = file_with(tmp_path / "empty.txt", b"")
    good = file_with(tmp_path / "good.txt", "布局6G。".encode())
    partial = invoke("count", empty, good, "-v", vocab_file, "-f", "csv", "--quiet")
    assert partial.exit_code == 3
    # 布局6G。 is 5 characters with 1 hit: 10,000 / 5 = 2000 per 10k characters
    assert partial.stdout == f"doc_id,term,category,count,per_10k_chars\n{good},第六代移动通信,未来信息,1,2000.0\n"


def test_a_failed_run_puts_no_file_in_place(vocab_file, tmp_path):
    empty = file_with(tmp_path / "empty.txt", b"")
    result = invoke("count", empty, "-v", vocab_file, "-o", tmp_path / "counts.csv", "--evidence", tmp_path / "hits.csv")
    assert result.exit_code == 1
    assert not (tmp_path / "counts.csv").exists() and not (tmp_path / "hits.csv").exists()


def test_vocabulary_with_a_duplicate_term(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("terms:\n  - 量子科技\n  - 量子科技\n", encoding="utf-8")
    result = invoke("count", SEEDS, "-v", bad)
    assert result.exit_code == 1
    assert result.stderr == f"policyterms: error: {bad}:3: duplicate term '量子科技' (first at line 2)\n"
    assert result.stdout == ""


def test_vocab_check(vocab_file, tmp_path):
    ok = invoke("vocab", "check", vocab_file)
    assert ok.exit_code == 0 and ok.stdout == f"{vocab_file}: ok, 3 terms in 2 categories\n"
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms:\n  - {term: 量子科技, bad: 1}\n  - {term: [x]}\n", encoding="utf-8")
    result = invoke("vocab", "check", broken)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"policyterms: error: {broken}:2: unknown key 'bad' (allowed: term, aliases, category, note, weight)",
        f"policyterms: error: {broken}:3: term must be a string",
    ]
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("terms: [\n", encoding="utf-8")
    result = invoke("vocab", "check", syntax)
    assert result.exit_code == 1 and "Traceback" not in result.stderr and f"{syntax}:" in result.stderr


def test_vocab_show_groups_by_category(vocab_file):
    result = invoke("vocab", "show", "-v", vocab_file, "-f", "csv")
    assert result.stdout.splitlines() == [
        "category,term,aliases,note", "未来信息,量子科技,,", "未来信息,第六代移动通信,6G,", "政策,未来产业,,",
    ]


def test_unexpected_errors_are_one_line_unless_debug(vocab_file, monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("policyterms.pipeline.count", explode)
    result = invoke("count", SEEDS, "-v", vocab_file)
    assert result.exit_code == 1
    assert result.stderr == "policyterms: error: unexpected ZeroDivisionError: boom (run with --debug for the traceback)\n"
    result = invoke("--debug", "count", SEEDS, "-v", vocab_file)
    assert "Traceback" in result.stderr


def test_head_closing_the_pipe_is_quiet(vocab_file, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    many = tmp_path / "many"
    many.mkdir()
    # 3 rows × 2,000 documents ≈ 250 KB of CSV: more than a pipe holds, so `head` closes it early.
    for i in range(2000):
        (many / f"{i:04}.txt").write_text("量子科技，6G，未来产业。", encoding="utf-8")
    command = f"'{Path(sys.executable).parent / 'policyterms'}' count '{many}' -v '{vocab_file}' -f csv | head -n 2"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.stdout.splitlines()[0] == "doc_id,term,category,count,per_10k_chars"
    assert done.stderr == ""


# Batch runs (issue 3): a mixed batch, parallel output, progress, the results store ----------------

S000, S004 = "000_f7f3963a21b11a20.txt", "004_a0e03639a4100763.txt"


@pytest.fixture
def mixed_batch(tmp_path, monkeypatch):
    """Two seeds (004 in GB18030), a two-row CSV export, and one file of each kind that cannot be read."""
    import shutil

    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEEDS / S000, folder / "a-000.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "d-undecodable.txt").write_bytes(b"\x80\x80 abc")
    (folder / "e-unreadable.txt").write_text("量子科技", encoding="utf-8")
    (folder / "f-004-gb18030.txt").write_bytes((SEEDS / S004).read_text(encoding="utf-8").encode("gb18030"))
    pd.DataFrame({
        "url": ["https://a/1", "https://a/2"],
        "content": ["要推动量子科技、生物制造、氢能和核聚变能等成为新的经济增长点。",
                    "我们重点布局了量子科技、具身智能、6G等关键赛道，推动未来产业。"],
    }).to_csv(folder / "g-export.csv", index=False)
    # CI runs as root, which reads any file whatever its mode: refuse this one file instead.
    # (Worker processes are forked, so they inherit the patch.)
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if str(file).endswith("e-unreadable.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("policyterms.readers.text.open", refusing_open, raising=False)
    return folder


def test_a_mixed_batch_counts_every_good_document_names_every_bad_one_and_exits_3(vocab_file, mixed_batch):
    result = invoke("count", mixed_batch, "--glob", "*.txt", "--glob", "*.csv", "-v", vocab_file, "--jobs", "1")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"policyterms: error: {mixed_batch / 'b-empty.txt'}: empty file",
        f"policyterms: error: {mixed_batch / 'c-binary.txt'}: binary file (contains NUL bytes), not text",
        f"policyterms: error: {mixed_batch / 'd-undecodable.txt'}: not UTF-8 (invalid byte at 0) and not "
        "GB18030 or Big5 text; name the encoding with --encoding",
        f"policyterms: error: {mixed_batch / 'e-unreadable.txt'}: permission denied",
        # 000: 未来产业 26 + 量子科技 1 + 第六代移动通信 1 (tests/test_seed_counts.py) = 28;
        # 004 read from GB18030: 未来产业 90 + 量子科技 2 + 6G 2 = 94 (as from UTF-8);
        # the CSV's rows: 量子科技 = 1, and 量子科技 + 6G + 未来产业 = 3. 28 + 94 + 1 + 3 = 126, in
        # 000's 3 articles, 004's 2 and the 2 rows.
        "policyterms: 7 documents read, 4 skipped, 126 hits of 3 terms",
    ]
    frame = pd.read_csv(io.StringIO(result.stdout))
    by_document = frame.assign(doc_id=frame.doc_id.str.replace(r"\.txt#\d+$", ".txt", regex=True)).groupby("doc_id")["count"].sum().to_dict()
    assert by_document == {
        str(mixed_batch / "a-000.txt"): 28, str(mixed_batch / "f-004-gb18030.txt"): 94,
        f"{mixed_batch / 'g-export.csv'}#1": 1, f"{mixed_batch / 'g-export.csv'}#2": 3,
    }


def test_strict_stops_at_the_first_bad_input(vocab_file, mixed_batch):
    result = invoke("count", mixed_batch, "-v", vocab_file, "--strict", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == f"policyterms: error: {mixed_batch / 'b-empty.txt'}: empty file\n"
    assert result.stdout == ""


def test_quiet_silences_the_summary_but_not_the_errors(vocab_file, mixed_batch):
    result = invoke("count", mixed_batch, "-v", vocab_file, "--quiet")
    assert result.exit_code == 3
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == ["error"] * 4


def test_output_with_two_jobs_is_byte_identical_to_one(vocab_file, mixed_batch):
    args = ["count", mixed_batch, "--glob", "*.txt", "--glob", "*.csv", "-v", vocab_file, "--what", "all", "-f", "json"]
    one = invoke(*args, "--jobs", "1")
    two = invoke(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 3
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len(json.loads(one.stdout)["documents"]) == 7  # 3 + 2 articles, 2 rows
    window = ["count", SEEDS, "-v", vocab_file, "--unit", "window", "--what", "cooccurrence", "-f", "csv"]
    assert invoke(*window, "--jobs", "1").stdout == invoke(*window, "--jobs", "2").stdout


def test_dash_reads_the_paths_to_count_from_stdin(vocab_file, mixed_batch):
    listing = f"{mixed_batch / 'a-000.txt'}\n{mixed_batch / 'g-export.csv'}\n"
    result = invoke("count", "-", "-v", vocab_file, input=listing)
    assert result.exit_code == 0
    assert result.stderr == "policyterms: 5 documents read, 0 skipped, 32 hits of 3 terms\n"  # 28 + 1 + 3 in 3 articles, 2 rows


def test_table_input_with_named_columns(vocab_file, tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(
        json.dumps({"link": "https://a/9", "published": "2026-06-01", "body": "布局６Ｇ和量子科技，培育未来产业。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = invoke("count", export, "-v", vocab_file, "--text-column", "body", "--id-column", "link",
                    "--date-column", "published", "--what", "documents", "-f", "csv")
    assert result.stdout.splitlines() == [
        "doc_id,title,title_from,date,date_from,published,source,chars,hits",
        # 布局6g和量子科技,培育未来产业。 = 17 characters; 6G, 量子科技, 未来产业 = 3 hits. The one
        # line is a sentence, not a title: the file's stem is the title
        "https://a/9,export,file name,2026-06-01,column,,,17,3",
    ]
    missing = invoke("count", export, "-v", vocab_file, "--text-column", "text")
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"policyterms: error: {export}: no column 'text' for --text-column (columns: link, published, body)")


def test_progress_bar_on_a_terminal_only(vocab_file, tmp_path):
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(40):  # more than PROGRESS_MIN_DOCUMENTS
        (folder / f"{number:02}.txt").write_text("量子科技。" * 2000, encoding="utf-8")  # 2,000 hits each
    command = [str(Path(sys.executable).parent / "policyterms"), "count", str(folder), "-v", str(vocab_file), "-f", "csv"]
    environment = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}

    primary, secondary = pty.openpty()
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=secondary, env=environment, check=True)
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert b"counting" in terminal and b"40/40" in terminal  # the bar, drawn on the terminal
    assert b"40 documents read, 0 skipped, 80,000 hits of 1 term" in terminal
    assert run.stdout.count(b"\n") == 41  # the CSV is untouched: header + 40 rows

    piped = subprocess.run(command, capture_output=True, env=environment, check=True)
    assert piped.stderr == b"policyterms: 40 documents read, 0 skipped, 80,000 hits of 1 term\n"
    assert subprocess.run([*command, "-q"], capture_output=True, check=True).stderr == b""


def test_db_keeps_counts_and_db_export_writes_them(vocab_file, tmp_path):
    import shutil

    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(SEEDS / S000, folder / S000)
    db = tmp_path / "news.db"
    first = invoke("count", folder, "-v", vocab_file, "--db", db)
    assert first.stderr == "policyterms: 3 documents read, 0 skipped, 28 hits of 3 terms\n"  # 000's articles
    shutil.copy(SEEDS / S004, folder / S004)
    second = invoke("count", folder, "-v", vocab_file, "--db", db)
    assert second.stderr == "policyterms: 5 documents read (3 from the store), 0 skipped, 122 hits of 3 terms\n"
    assert second.stdout == invoke("count", folder, "-v", vocab_file).stdout
    exported = invoke("db", "export", db, "-f", "csv", "--quiet")
    assert exported.exit_code == 0 and exported.stdout == second.stdout
    info = invoke("db", "info", db, "-f", "csv")
    row = info.stdout.splitlines()[1].split(",")
    assert row[1:7] == ["v", "sentence", "5", "jieba", "5", "2"]  # 5 articles stored
    assert row[7:9] == ["", ""] and re.fullmatch(r"[0-9a-f]{64}", row[9])  # no version, no reference; the file's sha256


def test_the_readme_daily_pair_count_new_only_then_export_all(vocab_file, tmp_path):
    import shutil

    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(SEEDS / S000, folder / S000)
    db, today = tmp_path / "news.db", tmp_path / "today.csv"
    assert invoke("count", folder, "-v", vocab_file, "--db", db, "--new-only", "-o", today, "-q").exit_code == 0
    shutil.copy(SEEDS / S004, folder / S004)
    second = invoke("count", folder, "-v", vocab_file, "--db", db, "--new-only", "-o", today)
    # 004 alone (its 2 articles; 000's 3 are unchanged): grep -o → 未来产业 90 (tests/test_seed_counts.py),
    # 量子科技 2, 6G 2 = 94 hits of 3 terms
    assert second.stderr == ("policyterms: 2 documents read (and 3 unchanged since the store had them, left out by "
                             "--new-only), 0 skipped, 94 hits of 3 terms\n")
    assert {doc_id.split("#")[0] for doc_id in pd.read_csv(today).doc_id} == {str(folder / S004)}
    exported = invoke("db", "export", db, "--what", "all", "-o", f"{tmp_path / 'all'}/")
    assert exported.exit_code == 0 and exported.stderr == "policyterms: 5 documents read (5 from the store), 0 skipped, 122 hits of 3 terms\n"
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "cooccurrence.csv", "cooccurrence_totals.csv", "documents.csv", "frequencies.csv", "totals.csv",
    ]
    stored = {str(folder / name) for name in (f"{S000}#1", f"{S000}#2", f"{S000}#3", f"{S004}#1", f"{S004}#2")}
    assert set(pd.read_csv(tmp_path / "all" / "documents.csv").doc_id) == stored  # the pages' 3 and 2 articles


def test_cooc_writes_edge_lists_with_measures(tmp_path):
    vocab = tmp_path / "tiny.yaml"
    vocab.write_text("terms: [量子科技, 人工智能, 生物制造]\n", encoding="utf-8")
    (tmp_path / "d1.txt").write_text("量子科技和人工智能。量子科技。人工智能与生物制造。其他内容。", encoding="utf-8")
    result = invoke("cooc", tmp_path / "d1.txt", "-v", vocab, "--sort", "g2", "--top", "1")
    assert result.exit_code == 0, result.stderr
    # The pair worked out by hand in test_measures.py: the better of the two by G².
    assert result.stdout.splitlines() == [
        "term_a,term_b,unit,count,documents,units,count_a,count_b,jaccard,dice,pmi,npmi,g2",
        "人工智能,生物制造,sentence,1,1,4,2,1,0.5,0.666667,1.0,0.5,1.726092",
    ]
    both = invoke("cooc", tmp_path / "d1.txt", "-v", vocab, "--what", "both", "-o", f"{tmp_path}/edges/")
    assert both.exit_code == 0 and sorted(p.name for p in (tmp_path / "edges").iterdir()) == [
        "cooccurrence.csv", "cooccurrence_totals.csv"]
    window = invoke("cooc", tmp_path / "d1.txt", "-v", vocab, "--unit", "window")
    assert window.exit_code == 2 and "window" in window.stderr


def test_group_by_writes_the_groups_table(vocab_file):
    result = invoke("count", SEEDS, "-v", vocab_file, "--group-by", "year")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "group_by,group,group_documents,term,category,count,documents,per_10k_chars"
    # 量子科技 in the dated articles (2026), grep -o: 000#1 1, 001#1 1, 001#2 1, 003 1, 004#1 2 = 6 in 5
    # of the 9 dated articles (this vocabulary has no alias 量子技术, which the default one adds in 004)
    assert [line for line in lines if ",量子科技," in line][0].startswith("year,2026,9,量子科技,未来信息,6,5,")
    assert invoke("count", SEEDS, "-v", vocab_file, "--what", "groups").exit_code == 2


def test_level_category_and_rates_options(vocab_file, tmp_path):
    result = invoke("count", SEEDS / "004_a0e03639a4100763.txt", "-v", vocab_file, "--level", "category", "--rates",
                    "--what", "totals")
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header == "category,count,documents,per_10k_chars,per_10k_tokens,share"
    # 004, grep -o: 量子科技 2 + 6G 2 = 4 for 未来信息; 未来产业 90 for 政策. Shares of 94 hits.
    assert [row.split(",")[:2] + row.split(",")[-1:] for row in rows] == [
        ["未来信息", "4", "0.042553"], ["政策", "90", "0.957447"]]
    assert invoke("count", SEEDS, "-v", vocab_file, "--level", "category", "--db", tmp_path / "r.db").exit_code == 1


# ── dictionaries of other tools (dictionaries.py) ───────────────────────────────────────────────
DICTIONARIES = SEEDS.parent / "tests" / "fixtures" / "dictionaries"
# Sentence 1: 量子科技, 第六代移动通信, 氢能, 核聚变能; 2: 人工智能, 智能制造, 工业互联网; 3: 数字经济
# (数字化 is no term); 4: 大数据, 机器学习, 低空经济, 商业航天, 具身智能.
POLICY_TEXT = ("加快发展量子科技、第六代移动通信等未来产业，推进氢能和核聚变能产业化。人工智能赋能智能制造，工业互联网平台加快建设。"
               "数字经济规模持续扩大，数字化转型深入推进。大数据和机器学习支撑低空经济、商业航天和具身智能。")


@pytest.fixture
def policy_text(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text(POLICY_TEXT, encoding="utf-8")
    return path


@pytest.mark.parametrize("fixture", sorted(p.name for p in DICTIONARIES.iterdir()))
def test_vocab_import_counts_exactly_as_the_dictionary_does(tmp_path, policy_text, fixture):
    source = DICTIONARIES / fixture
    imported = tmp_path / "imported.yaml"
    converted = invoke("vocab", "import", source, "--wildcards", "prefix", "-o", imported)
    assert converted.exit_code == 0, converted.stderr
    checked = invoke("vocab", "check", imported)
    assert checked.exit_code == 0 and checked.stdout.startswith(f"{imported}: ok")
    for level in ("term", "category", "category:1"):
        direct = invoke("count", policy_text, "--vocab", source, "--wildcards", "prefix", "--level", level, "-f", "csv", "-q")
        again = invoke("count", policy_text, "--vocab", imported, "--level", level, "-f", "csv", "-q")
        assert direct.exit_code == 0 and direct.stdout == again.stdout and len(direct.stdout.splitlines()) > 1


def test_a_cntext_dictionary_counted_by_category(policy_text):
    result = invoke("count", policy_text, "--vocab", DICTIONARIES / "digital-cntext.yaml", "--level", "category",
                    "--what", "totals", "-f", "csv", "-q")
    # 人工智能技术: 人工智能, 机器学习; 大数据技术: 大数据; 数字技术应用: 人工智能 (in both), 智能制造, 工业互联网.
    assert result.stdout.splitlines() == [
        "category,count,documents,per_10k_chars",
        f"人工智能技术,2,1,{2e4 / 104:.3f}", f"大数据技术,1,1,{1e4 / 104:.3f}", f"数字技术应用,3,1,{3e4 / 104:.3f}",
    ]
    assert len(POLICY_TEXT) == 104  # characters, none of them whitespace


def test_count_warns_of_what_a_dictionary_cannot_honour(policy_text):
    source = DICTIONARIES / "future.dic"
    result = invoke("count", policy_text, "--vocab", source, "--level", "category:1", "-f", "csv")
    assert result.stderr.splitlines()[:1] == [
        f"policyterms: warning: {source}: 2 entries are wildcards (核聚变*, 数字*), counted as glob patterns "
        "(* any run of characters, ? one; in --match text a final * is a prefix); --wildcards skip leaves them out",
    ]
    # 未来产业: 量子科技 (in 未来产业 and in 未来产业/未来信息: once), 第六代移动通信, 氢能, 核聚变* (the 核聚变 of
    # 核聚变能), 人工智能; 数字经济: 人工智能, 数字* twice (数字经济, 数字化).
    assert [line.split(",")[1:3] for line in result.stdout.splitlines()] == [["category", "count"], ["未来产业", "5"], ["数字经济", "3"]]
    skipped = invoke("count", policy_text, "--vocab", source, "--wildcards", "skip", "--level", "category:1", "-f", "csv")
    assert skipped.stderr.splitlines()[0] == (f"policyterms: warning: {source}:10: '核聚变*' is a wildcard, left out "
                                              "(--wildcards skip; the default, glob, counts it)")
    assert [line.split(",")[1:3] for line in skipped.stdout.splitlines()] == [["category", "count"], ["未来产业", "4"], ["数字经济", "1"]]


def test_vocab_export_writes_liwc_and_names_what_it_cannot_keep():
    result = invoke("vocab", "export", "--to", "liwc", "--vocab", DICTIONARIES / "future-project.yaml")
    assert result.stdout == ("%\n1\t数字技术\n2\t未来产业\n\t3\t未来信息\n\t4\t未来能源\n%\n"
                             "人工智能\t1\t3\nAI\t1\t3\n量子科技\t3\n核聚变能\t4\n数字经济\t1\n")
    assert result.stderr == (
        "policyterms: warning: the aliases of 1 terms are written as entries of their own (the format has no aliases)\n"
        "policyterms: warning: the description, reference and version are not kept (the format has no place for them)\n"
    )


def test_vocab_show_tree_prints_nested_categories():
    result = invoke("vocab", "show", "--tree", "--vocab", DICTIONARIES / "future-project.yaml")
    assert result.stdout == (
        "数字技术 (2)\n  人工智能、数字经济\n"
        "未来产业 (3)\n  未来信息 (2)\n    人工智能、量子科技\n  未来能源 (1)\n    核聚变能\n"
    )


def test_kwic_category_takes_the_categories_under_it(policy_text):
    result = invoke("kwic", "--category", "未来产业", policy_text, "--vocab", DICTIONARIES / "future-project.yaml", "-f", "csv", "-q")
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["量子科技", "核聚变能", "人工智能"]


def test_unknown_level_is_one_line(policy_text):
    result = invoke("count", policy_text, "--level", "category:0")
    assert result.exit_code == 1 and result.stderr.startswith("policyterms: error: unknown level 'category:0'")


def test_the_vocabulary_metadata_goes_into_json_and_the_store(tmp_path, policy_text):
    source = DICTIONARIES / "future-project.yaml"
    data = json.loads(invoke("count", policy_text, "--vocab", source, "-f", "json", "-q").stdout)
    assert {key: data["vocabulary"][0][key] for key in ("name", "reference", "version", "terms")} == {
        "name": "未来产业词表（测试用）", "reference": "测试作者. 未来产业政策用语词表（示例）, 2026.", "version": "1.2", "terms": 4,
    }
    db = tmp_path / "r.db"
    assert invoke("count", policy_text, "--vocab", source, "--db", db, "-q").exit_code == 0
    info = pd.read_csv(io.StringIO(invoke("db", "info", db, "-f", "csv").stdout), dtype=str)
    assert info.loc[0, ["vocabulary", "vocabulary_version", "vocabulary_reference"]].tolist() == [
        "未来产业词表（测试用）", "1.2", "测试作者. 未来产业政策用语词表（示例）, 2026.",
    ]
    exported = json.loads(invoke("db", "export", db, "--what", "frequencies", "-f", "json", "-q").stdout)
    assert exported["vocabulary"][0]["reference"] == "测试作者. 未来产业政策用语词表（示例）, 2026."


def test_the_readme_counts_the_cntext_dictionary_on_the_seeds():
    result = invoke("count", SEEDS, "-v", DICTIONARIES / "digital-cntext.yaml", "-f", "csv", "-q", "--no-split")
    # grep -o 人工智能: 002 7, 004 2, 003 2 — one of 003's in its list of related headlines (line 138),
    # which cleaning drops as boilerplate.
    assert [line.split(",")[0:4:3] for line in result.stdout.splitlines()[1:]] == [
        [f"{SEEDS}/002_9ee848c3295ff6b6.txt", "7"], [f"{SEEDS}/003_9bdf75eb7510f3fc.txt", "1"],
        [f"{SEEDS}/004_a0e03639a4100763.txt", "2"],
    ]


def test_every_command_reads_a_dictionary_of_another_format(policy_text):
    lexicoder = DICTIONARIES / "future.lc3"
    # 量子科技, 第六代移动通信 (sentence 1), 氢能 and 核聚变* (the 核聚变 of 核聚变能, sentence 1).
    kwic = invoke("kwic", "--all", policy_text, "-v", lexicoder, "-f", "csv", "-q")
    assert [line.split(",")[1] for line in kwic.stdout.splitlines()[1:]] == ["量子科技", "第六代移动通信", "氢能", "核聚变*"]
    audit = invoke("audit", policy_text, "-v", lexicoder, "-f", "csv", "-q")
    assert audit.exit_code == 0 and [line.split(",")[0] for line in audit.stdout.splitlines()[1:]] == ["量子科技", "第六代移动通信", "氢能", "核聚变*"]
    words = invoke("count", policy_text, "-v", DICTIONARIES / "userdict.txt", "--vocab-category", "新词", "-f", "csv", "-q")
    assert words.stdout.splitlines()[1:] == [f"{policy_text},量子科技,新词,1,{1e4 / 104:.3f}", f"{policy_text},具身智能,新词,1,{1e4 / 104:.3f}"]


# Start-up: a plain run imports only what it uses --------------------------------------------

HEAVY_MODULES = ("pandas", "numpy", "pyarrow", "pydantic")
SEED_000 = SEEDS / "000_f7f3963a21b11a20.txt"


@pytest.mark.parametrize("arguments", [
    ["count", str(SEED_000), "-f", "csv"],
    ["count", str(SEED_000), "-f", "json", "--what", "all"],
    ["count", str(SEED_000), "-f", "jsonl", "--what", "both", "--jobs", "2"],
    ["count", str(SEEDS), "-f", "table", "--what", "all"],  # the terminal's layout works on rows too
    ["kwic", "6G", str(SEED_000), "-f", "table"],
    ["vocab", "show", "-f", "table"],
    ["kwic", "6G", str(SEED_000), "-f", "tsv"],
    ["vocab", "show", "-f", "csv"],
    ["--version"],
])
def test_a_plain_run_imports_neither_pandas_nor_numpy_nor_pyarrow_nor_pydantic(arguments):
    assert modules_imported_by(arguments, HEAVY_MODULES) == []


def modules_imported_by(arguments: list[str], modules) -> list[str]:
    """Which of ``modules`` a fresh process running ``policyterms ARGUMENTS`` imports (it must
    write some output, or the run proves nothing)."""
    script = (
        "import sys\n"
        f"sys.argv = ['policyterms', *{arguments!r}]\n"
        "from policyterms.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert finished.stdout, finished.stderr  # it did write its output
    return ast.literal_eval(finished.stderr.strip().splitlines()[-1])


def reports_folder(tmp_path):
    """Three report pages: one dated by its delivery line, one by its name's year, one not at all."""
    folder = tmp_path / "reports"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(
        "2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n各位代表：\n布局量子科技。\n",
        encoding="utf-8")
    (folder / "2025_天津市.txt").write_text("各位代表：\n布局量子科技。\n", encoding="utf-8")
    (folder / "c.txt").write_text("同志们！\n布局量子科技。\n", encoding="utf-8")
    return folder


def test_group_by_warns_once_with_the_documents_without_a_value(vocab_file, tmp_path):
    result = invoke("count", reports_folder(tmp_path), "-v", vocab_file, "--group-by", "year", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    # c.txt has no date anywhere: one warning, with the number
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == ['policyterms: warning: --group-by year: 1 of 3 documents have no date with a year; they are the group ""']
    groups = [line.split(",")[:3] for line in result.stdout.splitlines()[1:]]
    assert groups == [["year", "2025", "1"], ["year", "2026", "1"], ["year", "", "1"]]  # 量子科技 once in each
    by_month = invoke("count", reports_folder(tmp_path / "m"), "-v", vocab_file, "--group-by", "month", "-f", "csv")
    # 2025 is a year, not a month: 2 of 3 without a month
    assert "2 of 3 documents have no date with a month" in by_month.stderr


def test_group_by_an_unknown_field_is_a_usage_error_listing_the_fields(vocab_file, tmp_path):
    result = invoke("count", reports_folder(tmp_path), "-v", vocab_file, "--group-by", "yaer")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("policyterms: error: --group-by yaer: no document has this field; "
                             "the fields are: year, month, date, date_from, title, title_from\n")
    # Also when per-document tables are asked for: none of their rows reach stdout before the error.
    every_table = invoke("count", reports_folder(tmp_path / "all"), "-v", vocab_file, "--group-by", "yaer",
                         "--what", "all", "-f", "jsonl")
    assert every_table.exit_code == 2 and every_table.stdout == ""


@pytest.mark.parametrize("arguments, commands, groups", [
    (["count", "seeds/", "-f", "csv"], ["count"], []),
    (["--debug", "kwic", "6G", "seeds/"], ["kwic"], []),
    (["vocab", "show"], [], ["vocab"]),
    (["index", "attention", "seeds/"], ["index"], []),  # registered as "index", the function is index_command
    (["--version"], [], []),
])
def test_a_run_builds_only_the_command_it_names(arguments, commands, groups):
    from policyterms.cli import command_line

    lean = command_line(arguments)
    assert [info.name or info.callback.__name__ for info in lean.registered_commands] == commands
    assert [info.name for info in lean.registered_groups] == groups
    assert len(app.registered_commands) >= 8 and len(app.registered_groups) == 2  # the app itself is untouched


@pytest.mark.parametrize("arguments", [["--help"], [], ["cuont", "seeds/"], ["--version", "--help"], ["-h"]])
def test_help_and_typos_see_every_command(arguments):
    from policyterms.cli import command_line

    assert command_line(arguments) is app


def run_console(entry: str, *arguments: str) -> subprocess.CompletedProcess:
    """The console script's function (entry_point) or main() alone, in a process of its own;
    an atexit handler says whether the interpreter was torn down."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('torn down', file=sys.stderr))\n"
        f"from policyterms.cli import {entry}\n"
        f"{entry}()\n"
    )
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, timeout=120, env=environment)


@pytest.mark.parametrize("arguments, status", [
    (["count", str(SEEDS), "-f", "json", "--what", "all"], 0),  # 160 KB through a block-buffered pipe
    (["count", str(SEED_000), str(SEEDS / "missing.txt"), "-f", "csv"], 3),
    (["count", str(SEEDS / "missing.txt"), "-f", "csv"], 1),
    (["count", str(SEEDS), "--what", "groups", "-f", "csv"], 2),
    (["--version"], 0),
    (["vocab", "export", "--to", "liwc"], 0),  # written to sys.stdout, flushed by no one before the exit
    (["count", "--no-such-option"], 2),
])
def test_the_console_script_skips_teardown_and_loses_nothing(arguments, status):
    leaving = run_console("entry_point", *arguments)
    ending = run_console("main", *arguments)
    assert leaving.returncode == ending.returncode == status, leaving.stderr
    assert leaving.stdout == ending.stdout and leaving.stdout.count(b"\n") == ending.stdout.count(b"\n")
    assert ending.stderr.endswith(b"torn down\n")
    assert leaving.stderr + b"torn down\n" == ending.stderr


def test_the_console_script_writes_a_file_whole(tmp_path):
    leaving = run_console("entry_point", "count", str(SEEDS), "--what", "all", "-o", str(tmp_path / "a") + "/")
    ending = run_console("main", "count", str(SEEDS), "--what", "all", "-o", str(tmp_path / "b") + "/")
    assert leaving.returncode == ending.returncode == 0
    written = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert written == sorted(path.name for path in (tmp_path / "b").iterdir()) and len(written) == 5
    for name in written:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


OTHER_COMMANDS = ("policyterms.audit", "policyterms.discover", "policyterms.dedup", "policyterms.indices",
                  "policyterms.report", "policyterms.plots", "policyterms.charts")
# One document: no pool, no tokens, no cluster.
NOT_FOR_COUNT = (*OTHER_COMMANDS, "multiprocessing", "concurrent.futures", "jieba", "dask", "distributed")
NOT_FOR_HELP = (*NOT_FOR_COUNT, "policyterms.pipeline", "policyterms.batch", "policyterms.vocab", "yaml")


@pytest.mark.parametrize("arguments, unwanted", [
    (["count", str(SEED_000), "-f", "csv"], NOT_FOR_COUNT),
    (["--version"], NOT_FOR_HELP),
    (["--help"], NOT_FOR_HELP),
    (["count", "--help"], NOT_FOR_HELP),
])
def test_a_run_imports_only_its_own_command(arguments, unwanted):
    assert modules_imported_by(arguments, unwanted) == []


def test_stdout_in_an_encoding_without_chinese_is_one_line_saying_what_to_do(tmp_path):
    """PYTHONIOENCODING=latin-1 (or a latin-1 locale): the rows cannot be written to stdout; the
    user hears why and what to do, in one line; a file given with -o is UTF-8 whatever stdout is."""
    from pathlib import Path

    policyterms = str(Path(sys.executable).parent / "policyterms")
    environment = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run([policyterms, "count", str(SEEDS), "-f", "csv"], capture_output=True, env=environment,
                          timeout=120, check=False)
    assert done.returncode == 1
    [line] = done.stderr.decode("latin-1").splitlines()
    assert line.startswith("policyterms: error: stdout's encoding") and "PYTHONIOENCODING=utf-8" in line
    assert "-o FILE" in line and "Traceback" not in line
    written = subprocess.run([policyterms, "count", str(SEEDS), "-f", "csv", "-o", str(tmp_path / "f.csv"), "-q"],
                             capture_output=True, env=environment, timeout=120, check=False)
    assert written.returncode == 0 and "未来产业" in (tmp_path / "f.csv").read_text(encoding="utf-8")


def test_max_vocab_mb_lets_a_large_dictionary_in(tmp_path, policy_text):
    big = tmp_path / "big.txt"
    # 120,000 filler lines of 10 bytes (1.2 MB), then 量子科技 (once in the text, sentence 1).
    big.write_text("".join(f"词{n:07d}\n" for n in range(120_000)) + "量子科技\n", encoding="utf-8")
    refused = invoke("count", policy_text, "-v", big, "-f", "csv", "-q")
    assert refused.exit_code == 1 and "--max-vocab-mb N allows more" in refused.stderr
    allowed = invoke("count", policy_text, "-v", big, "--max-vocab-mb", "2", "-f", "csv", "-q")
    assert allowed.stdout.splitlines()[1:] == [f"{policy_text},量子科技,big,1,{1e4 / 104:.3f}"]


def test_vocab_show_tree_of_a_file_nested_1405_levels_is_one_error_line(tmp_path):
    deep = tmp_path / "deep.dic"
    deep.write_text("%\n" + "".join(f"{chr(9) * depth}{depth + 1}\t层{depth}\n" for depth in range(1405)) + "%\n量子科技\t1405\n",
                    encoding="utf-8")
    result = invoke("vocab", "show", "--tree", "--vocab", deep)
    assert result.exit_code == 1
    # Line 1 is "%", level n is on line n + 1: the 33rd level, line 34, is one too many.
    assert result.stderr == f"policyterms: error: {deep}:34: categories nested more than 32 levels deep\n"


def test_what_scores_from_a_weighted_dicx_and_weights_never_change_counts(tmp_path, policy_text):
    weighted = DICTIONARIES / "weighted.dicx"
    result = invoke("count", policy_text, "-v", weighted, "--what", "scores", "-f", "csv", "-q")
    # POLICY_TEXT holds 量子科技 (positive 2), 人工智能 (positive 1.5) and 氢能 (negative -2) once each.
    assert result.stdout.splitlines() == [
        "doc_id,category,score,scored_hits,mean", f"{policy_text},positive,3.5,2,1.75", f"{policy_text},negative,-2.0,1,-2.0",
    ]
    marks = tmp_path / "marks.dicx"
    marks.write_text("DicTerm,positive,negative\n人工智能,X,\n氢能,,X\n量子科技,X,\n", encoding="utf-8")
    counted = [invoke("count", policy_text, "-v", path, "--level", "category", "-f", "csv", "-q").stdout.splitlines()[1:]
               for path in (weighted, marks)]
    assert counted[0] == counted[1] == [f"{policy_text},positive,2,{2e4 / 104:.3f}", f"{policy_text},negative,1,{1e4 / 104:.3f}"]


def test_match_tokens_counts_whole_tokens_and_text_stays_the_default(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("扩大规模。大，是规模。", encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("大\n", encoding="utf-8")
    # The text holds 大 twice (in 扩大, and alone before the comma); jieba's tokens hold it once.
    default = invoke("count", text, "-v", words, "-f", "csv", "-q")
    tokens = invoke("count", text, "-v", words, "--match", "tokens", "-f", "csv", "-q")
    assert [line.split(",")[3] for line in default.stdout.splitlines()[1:]] == ["2"]
    assert [line.split(",")[3] for line in tokens.stdout.splitlines()[1:]] == ["1"]
