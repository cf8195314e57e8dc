"""The example outputs of README.md and docs/*.md are what the commands print today: each
```console block is run again by docs/examples.py (which rewrites them: python docs/examples.py),
and every other fenced block must be source of a named language, so that no output goes unchecked."""

import difflib
import functools
import importlib.util
import sys

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("docs_examples", ROOT / "docs" / "examples.py")
examples = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = examples  # dataclasses look their module up there
_spec.loader.exec_module(examples)

PAGES = examples.documents()
CONSOLE_BLOCKS = [
    (path, block.line)
    for path in PAGES
    for block in examples.blocks(path.read_text(encoding="utf-8"))
    if block.info == examples.OUTPUT_KIND
]


@functools.cache
def made(path):
    """Every console block of the page, run (once per test session: a page's blocks share a scratch directory)."""
    return {outcome.block.line: outcome for outcome in examples.made(path.read_text(encoding="utf-8"))}


def test_console_blocks_are_split_into_commands_with_their_continuation_lines():
    body = "$ policyterms count a \\\n    --what totals\ntotals…\n$ head -n 1 x.csv\ndoc_id\n"
    assert examples.commands(body) == ["policyterms count a \\\n    --what totals", "head -n 1 x.csv"]
    assert examples.shown_outputs(body) == [["totals…"], ["doc_id"]]


def test_the_pages_have_their_examples_as_console_blocks():
    shown = {
        command.split()[1]
        for path in PAGES
        for block in examples.blocks(path.read_text(encoding="utf-8"))
        if block.info == examples.OUTPUT_KIND
        for command in examples.commands(block.body)
        if command.startswith("policyterms ")
    }
    for command in ("count", "kwic", "cooc", "dupes", "audit", "vocab", "index", "plot"):
        assert command in shown, command


@pytest.mark.parametrize(("path", "line"), CONSOLE_BLOCKS, ids=[f"{path.name}:{line}" for path, line in CONSOLE_BLOCKS])
def test_every_example_prints_what_the_page_shows(path, line):
    outcome = made(path)[line]
    if outcome.skipped:
        pytest.skip(f"{path.name}:{line} not run: {outcome.skipped}")
    if outcome.block.excerpt:
        problems = examples.excerpt_problems(outcome.block.body, outcome.body)
        assert not problems, f"{path.name}:{line}: excerpt not drawn from the output: {problems}"
    elif not outcome.agrees:
        diff = "".join(difflib.unified_diff(outcome.block.body.splitlines(True), outcome.body.splitlines(True),
                                            "page", "commands now", n=1))
        pytest.fail(f"{path.name}:{line}: example out of date; run python docs/examples.py\n{diff[:4000]}")


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_every_fenced_block_is_a_checked_output_or_source_of_a_named_kind(path):
    problems = [f"{path.name}:{block.line}: {problem}"
                for block in examples.blocks(path.read_text(encoding="utf-8"))
                for problem in examples.kind_problems(block)]
    assert not problems, "\n".join(problems)


# ── the checks themselves, on made-up pages: each must be able to fail ───────────────────────────

def kinds(markdown):
    return [problem for block in examples.blocks(markdown) for problem in examples.kind_problems(block)]


def test_blocks_are_found_with_their_line_kind_and_markers():
    page = "text\n<!-- setup: touch a -->\n<!-- excerpt -->\n```console\n$ ls\na\n```\n\n```\nout\n```\n"
    first, second = examples.blocks(page)
    assert (first.line, first.info, first.body, first.setup, first.excerpt) == (4, "console", "$ ls\na\n", "touch a", True)
    assert (second.line, second.info, second.body, second.setup, second.excerpt) == (9, "", "out\n", None, False)
    assert page[first.start:first.end] == "$ ls\na\n"


@pytest.mark.parametrize("page", [
    "```\nregion,year\n江苏,2023\n```\n",  # an output with no kind
    "```text\npolicyterms: error: no font\n```\n",  # an output under a kind that is not source
    "```sh\npolicyterms: error: no installed font has the Chinese characters\n```\n",  # an output pasted as sh
    "```sh\nregion,year,documents\n```\n",
    "```sh\n$ policyterms count seeds/\nterm,count\n```\n",  # a console block labelled sh
    "```yaml\n  # Candidates\n  - {term: 前瞻布局, category: 政策概念}\n```\n",  # what --yaml writes
    "```yaml\nterms:\n  - {term: 6G}\n  - {term: 6G}\n```\n",  # a vocabulary that does not load
    "```python\n 未来产业  225\n```\n",  # a table labelled python
    "```console\nterm,count\n```\n",  # a console block with no command
    "<!-- excerpt -->\n```python\nprint(1)\n```\n",  # markers on a block that is never run
    "The totals:\n\n    term,count\n    未来产业,225\n",  # an indented code block
    "- a list:\n\n  ```console\n  $ ls\n  ```\n",  # an indented fence, which the runner does not read
])
def test_a_block_that_is_neither_a_checked_output_nor_source_is_named(page):
    assert kinds(page), page


def test_source_blocks_of_every_named_kind_pass():
    page = ("```sh\n# a comment\npolicyterms count seeds/ \\\n    --what totals | head\n"
            "cat > Dockerfile <<'EOF'\nFROM x\nEOF\n0 6 * * * cd /data && policyterms count news/\n```\n"
            "```python\nimport policyterms\n```\n```toml\n[project]\nname = \"x\"\n```\n"
            "```yaml\nterms:\n  - {term: 第六代移动通信, aliases: [6G]}\n```\n```console\n$ ls\n```\n")
    assert kinds(page) == []
    # a list item's second paragraph is indented, and is not code
    assert kinds("- `--top N`: the best N\n\n    (default 30)\n") == []


def test_a_yaml_block_said_to_show_a_file_must_hold_its_data():
    fixture = "tests/fixtures/dictionaries/digital-cntext.yaml"
    shown = (ROOT / fixture).read_text(encoding="utf-8")
    assert kinds(f"<!-- file: {fixture} -->\n```yaml\n{shown}```\n") == []
    changed = shown.replace("数据挖掘", "数据分析")
    assert changed != shown
    assert kinds(f"<!-- file: {fixture} -->\n```yaml\n{changed}```\n") == [f"it is said to show {fixture}, whose data differ"]


def test_an_excerpt_must_show_lines_of_the_output_in_their_order():
    printed = "$ policyterms count seeds/\nterm,count\n未来产业,225\n十五五,12\npolicyterms: 13 documents read\n"
    assert examples.excerpt_problems("$ policyterms count seeds/\nterm,count\n十五五,12\n", printed) == []
    assert examples.excerpt_problems("$ policyterms count seeds/\n十五五,12\nterm,count\n", printed)  # order
    assert examples.excerpt_problems("$ policyterms count seeds/\n未来产业,226\n", printed)  # a wrong number
    assert examples.excerpt_problems("$ policyterms count seeds/ -q\nterm,count\n", printed)  # another command
    assert examples.excerpt_problems("未来产业,225\n$ policyterms count seeds/\n", printed)  # a line of no command


def test_a_page_is_run_in_order_in_one_scratch_directory_with_its_setup():
    page = ("<!-- setup: printf '6G\\n' > a.txt -->\n```console\n$ cat a.txt\nwrong\n```\n"
            "<!-- excerpt -->\n```console\n$ cat a.txt; echo end\nend\n```\n"
            "<!-- excerpt -->\n```console\n$ cat a.txt\n5G\n```\n")
    whole, excerpt, wrong_excerpt = examples.made(page)
    assert (whole.body, whole.agrees) == ("$ cat a.txt\n6G\n", False)
    assert (excerpt.body, excerpt.agrees) == ("$ cat a.txt; echo end\n6G\nend\n", True)
    assert not wrong_excerpt.agrees
    # the rewrite fixes whole blocks and leaves excerpts to their writer
    assert examples.regenerated(page) == page.replace("$ cat a.txt\nwrong\n", "$ cat a.txt\n6G\n")


def test_a_block_whose_fonts_are_not_here_is_left_alone_and_says_why(monkeypatch):
    page = "<!-- needs: a CJK font -->\n```console\n$ echo drawn\nshown\n```\n"
    monkeypatch.setattr(examples, "cjk_font", lambda: None)
    (outcome,) = examples.made(page)
    assert outcome.body is None and "needs a CJK font, and none is installed" in outcome.skipped
    assert examples.regenerated(page) == page
    monkeypatch.setattr(examples, "cjk_font", lambda: "Noto Sans CJK SC")
    (outcome,) = examples.made(page)
    assert (outcome.body, outcome.skipped) == ("$ echo drawn\ndrawn\n", None)
    assert examples.unmet("no CJK font") == "it shows what happens without a CJK font, and Noto Sans CJK SC is installed"
    with pytest.raises(ValueError, match="not a need"):
        examples.unmet("a GPU")
