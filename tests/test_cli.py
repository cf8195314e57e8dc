import io
import json

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
    assert set(data) == {"frequencies", "totals", "cooccurrence", "cooccurrence_totals"}
    pages = {row["doc_id"].split("#")[0] for row in data["frequencies"]}  # articles of every seed
    assert pages == {f"{SEEDS}/{p.name}" for p in sorted(SEEDS.glob("*.txt"))}
    assert all(row["unit"] == "sentence" for row in data["cooccurrence"])


def test_what_and_unit(vocab_file):
    result = invoke("count", SEEDS, "-v", vocab_file, "--what", "cooccurrence", "--unit", "document", "-f", "csv")
    assert result.stdout.splitlines()[0] == "doc_id,term_a,term_b,unit,count"
    assert ",document," in result.stdout


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
        f"policyterms: error: {broken}:2: unknown key 'bad' (allowed: term, aliases, category, note)",
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

    monkeypatch.setattr("policyterms.cli.count_terms", explode)
    result = invoke("count", SEEDS, "-v", vocab_file)
    assert result.exit_code == 1
    assert result.stderr == "policyterms: error: unexpected ZeroDivisionError: boom (run with --debug for the traceback)\n"
    result = invoke("--debug", "count", SEEDS, "-v", vocab_file)
    assert "Traceback" in result.stderr


def test_help_has_examples():
    for command in (["count"], ["cooc"], ["vocab", "check"], ["vocab", "show"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0 and "policyterms " in result.stdout and "xample" in result.stdout


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
        "doc_id,title,date,date_from,source,chars,hits",
        # 布局6g和量子科技,培育未来产业。 = 17 characters; 6G, 量子科技, 未来产业 = 3 hits. The one
        # line is a sentence, not a title: the file's stem is the title
        "https://a/9,export,2026-06-01,column,,17,3",
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
    assert info.stdout.splitlines()[1].split(",")[1:] == ["v", "sentence", "5", "jieba", "5", "2"]  # 5 articles stored


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
                             "the fields are: year, month, date, date_from, title\n")
