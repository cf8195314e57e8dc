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
    counts = dict(zip(frame.term, frame["count"]))
    # 004: 量子科技 in "我们重点布局了量子科技、…" and "在量子科技、人工智能、生物制造…" = 2;
    # 6G in "…具身智能、6G等关键赛道" and "量子计算、脑机接口、6G、具身智能……" = 2
    assert counts["量子科技"] == 2 and counts["第六代移动通信"] == 2
    assert result.stderr == ""


def test_json_holds_every_table(vocab_file):
    result = invoke("count", SEEDS, "--vocab", vocab_file, "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"frequencies", "totals", "cooccurrence", "cooccurrence_totals"}
    assert {row["doc_id"] for row in data["frequencies"]} == {f"{SEEDS}/{p.name}" for p in sorted(SEEDS.glob("*.txt"))}
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
    result = invoke("count", "-", "-v", vocab_file, input="发展未来产业，布局６Ｇ。")
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
def test_bad_input_is_one_line_exit_1_and_the_batch_goes_on(vocab_file, tmp_path, make, cause):
    bad = make(tmp_path)
    result = invoke("count", bad, SEEDS / "000_f7f3963a21b11a20.txt", "-v", vocab_file)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"policyterms: error: {bad}: {cause}")
    assert len(result.stderr.splitlines()) == 1
    assert "000_f7f3963a21b11a20.txt,未来产业" in result.stdout  # the good file was counted


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
    for command in (["count"], ["vocab", "check"], ["vocab", "show"]):
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
