"""The examples run as a user would run them, against the seeds."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from conftest import ROOT, SEEDS

BIN = Path(sys.executable).parent


def test_batch_script_writes_csvs(tmp_path):
    env = {**os.environ, "POLICYTERMS": str(BIN / "policyterms")}
    done = subprocess.run(
        ["bash", str(ROOT / "examples" / "batch.sh"), str(SEEDS), str(tmp_path / "out")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["cooccurrence-paragraph.csv", "cooccurrence.csv", "cooccurrence_totals.csv",
                     "documents.csv", "frequencies.csv", "totals.csv"]
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", encoding="utf-8-sig")
    assert len(documents) == 13  # the seeds' articles (README, "Articles inside pages")
    paragraph = pd.read_csv(tmp_path / "out" / "cooccurrence-paragraph.csv", encoding="utf-8-sig")
    assert set(paragraph.unit) == {"paragraph"}


def test_api_example_prints_the_directions_table():
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "api.py")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header == ["term", "量子科技", "生物制造", "氢能", "核聚变能", "脑机接口", "具身智能", "第六代移动通信"]
    rows = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()[1:6]}
    # 000: the speech names each direction once, in "要推动量子科技、生物制造、氢能和核聚变能、脑机接口、具身智能、第六代移动通信等"
    assert rows["000_f7f3963a21b11a20.txt"] == ["1"] * 7
    # 004: 脑机接口 6 and 具身智能 6, each read off the text (see tests/test_seed_counts.py)
    assert rows["004_a0e03639a4100763.txt"][4:6] == ["6", "6"]
