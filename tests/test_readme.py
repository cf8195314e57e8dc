"""The README's console examples print what the commands print today.

A ```console block holds ``$ command`` lines, each followed by what it prints: stdout's lines and,
starting with ``policyterms:``, stderr's (a terminal interleaves the two; they are compared apart).
Each command runs in the repository root with this environment's ``policyterms`` first on PATH.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def console_examples(markdown: str, *, mentioning: str) -> list[tuple[str, list[str]]]:
    """(command, printed lines) of every ``$`` line in the console blocks that mention ``mentioning``."""
    examples: list[tuple[str, list[str]]] = []
    for block in CONSOLE_BLOCK.findall(markdown):
        if mentioning not in block:
            continue
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return examples


DUPES_EXAMPLES = console_examples((ROOT / "README.md").read_text(encoding="utf-8"), mentioning="$ policyterms dupes")


def test_the_dupes_section_has_its_two_examples():
    assert [command.split()[1] for command, _ in DUPES_EXAMPLES] == ["dupes", "count"]


@pytest.mark.parametrize("command, printed", DUPES_EXAMPLES, ids=[c for c, _ in DUPES_EXAMPLES])
def test_a_readme_example_prints_what_the_readme_shows(command, printed):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100"}
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [line for line in printed if line.startswith("policyterms:")]
    assert done.stdout.splitlines() == [line for line in printed if not line.startswith("policyterms:")]
