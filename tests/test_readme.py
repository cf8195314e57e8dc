"""The example outputs of README.md and docs/*.md are what the commands print today: each
```console block is run again by docs/examples.py (which rewrites them: python docs/examples.py)."""

import difflib
import importlib.util

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("docs_examples", ROOT / "docs" / "examples.py")
examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(examples)


def test_console_blocks_are_split_into_commands_with_their_continuation_lines():
    body = "$ policyterms count a \\\n    --what totals\ntotals…\n$ head -n 1 x.csv\ndoc_id\n"
    assert examples.commands(body) == ["policyterms count a \\\n    --what totals", "head -n 1 x.csv"]


def test_the_pages_have_their_examples_as_console_blocks():
    pages = "".join(path.read_text(encoding="utf-8") for path in examples.documents())
    shown = [command.split()[1] for match in examples.BLOCK.finditer(pages) for command in examples.commands(match["body"])]
    for command in ("count", "kwic", "cooc", "dupes", "audit", "vocab"):
        assert command in shown, command


@pytest.mark.parametrize("path", examples.documents(), ids=lambda path: path.name)
def test_every_example_prints_what_the_page_shows(path):
    text = path.read_text(encoding="utf-8")
    fresh = examples.regenerated(text)
    if fresh != text:
        diff = "".join(difflib.unified_diff(text.splitlines(True), fresh.splitlines(True), "page", "commands now", n=1))
        pytest.fail(f"{path.name}: examples out of date; run python docs/examples.py\n{diff[:4000]}")
