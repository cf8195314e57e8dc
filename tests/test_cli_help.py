"""Every command's --help, rendered at 60, 80 and 120 columns: no word, option type or default
broken over two lines or cut with …, no line wider than the terminal, and every docs/ link in it
leads to a file and a heading that exist."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from policyterms.cli import app, command_line

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (60, 80, 120)
BOX = "│╭╮╰╯─"
CHINESE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
LINK = re.compile(r"(docs/[\w-]+\.md|README\.md)(?:#([\w-]+))?")


def command_paths(command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the app, as the words that name it."""
    found = [path]
    if hasattr(command, "commands"):  # a group (Typer brings its own click)
        for name, sub in sorted(command.commands.items()):
            found += command_paths(sub, (*path, name))
    return found


ROOT_COMMAND = typer.main.get_command(app)
PATHS = command_paths(ROOT_COMMAND)


def command_at(path: tuple[str, ...]):
    command = ROOT_COMMAND
    for name in path:
        command = command.commands[name]
    return command


def rendered_help(path: tuple[str, ...], width: int) -> list[str]:
    arguments = [*path, "--help"]  # through command_line, as main() runs it
    result = CliRunner().invoke(command_line(arguments), arguments, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def source_words(command) -> Counter:
    """The words the help is made of, each as often as it is written: the command's text, each
    parameter's names, type, help and default. Runs of Chinese may break anywhere (as Chinese is
    set), so words with Chinese in them are left out."""
    context = typer.Context(command)
    texts = [command.help or ""]
    for param in command.params:
        if param.param_type_name == "argument":  # shown as its metavar and its type
            metavar = f"{param.metavar or ''} {param.type.get_metavar(param=param, ctx=context) or ''}"
        else:
            metavar = f"{' '.join(param.opts)} {param.make_metavar(context)}"
        texts += ["" if "bool" in metavar.lower() else metavar, getattr(param, "help", None) or ""]
        if getattr(param, "show_default", False) and param.default not in (None, False, True):
            texts.append(f"[default: {param.default.value if hasattr(param.default, 'value') else param.default}]")
    text = " ".join(texts).replace("\\[", "[")  # rich markup's escape, not shown
    return Counter(word for word in text.split() if len(word) > 1 and not CHINESE.search(word))


def broken_words(lines: list[str], words: Counter) -> list[str]:
    """The words not shown whole as often as they are written: a word broken over two lines
    (--all-/of) is not shown whole there, though it may be whole elsewhere on the page."""
    shown = Counter(word for line in lines for word in line.strip(BOX + " ").split())
    return sorted(word for word, times in words.items() if shown[word] < times)


def test_every_command_is_covered():
    assert ("count",) in PATHS and ("vocab", "suggest") in PATHS and ("db", "export") in PATHS
    assert len(PATHS) >= 17


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "policyterms")
def test_help_breaks_no_word_and_fits_the_width(path, width):
    lines = rendered_help(path, width)
    too_wide = [line for line in lines if display_width(line) > width]
    assert not too_wide
    text = "\n".join(line.strip(BOX + " ") for line in lines)
    command = command_at(path)
    written = (command.help or "") + "".join(getattr(param, "help", None) or "" for param in command.params)
    assert text.count("…") <= written.count("…"), "a cell was cut short"
    broken = broken_words(lines, source_words(command))
    assert not broken, f"broken over two lines at {width} columns: {broken}"


def test_count_help_fits_about_eighty_lines():
    assert len(rendered_help(("count",), 80)) <= 85


def test_options_come_in_panels_after_the_examples():
    lines = rendered_help(("count",), 80)
    panels = [re.sub(r"[─╭╮ ]", "", line) for line in lines if line.startswith("╭")]
    assert panels == ["Arguments", "Options", "Input", "Counting", "Output", "Batch"]


@pytest.mark.parametrize("path", [path for path in PATHS if not hasattr(command_at(path), "commands")],
                         ids=" ".join)
def test_every_command_shows_an_example_right_under_its_summary(path):
    lines = [line.strip() for line in rendered_help(path, 80)]
    summary = next(index for index, line in enumerate(lines) if line and not line.startswith("Usage:"))
    assert lines[summary + 1] == "" and lines[summary + 2].startswith(f"policyterms {' '.join(path)} ")


def headings(markdown: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    anchors = set()
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"#+\s+(.*)", line):
            anchors.add(re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "policyterms")
def test_every_link_in_the_help_leads_somewhere(path):
    text = "\n".join(rendered_help(path, 120))
    for file, anchor in LINK.findall(text):
        assert (ROOT / file).is_file(), f"{' '.join(path)} --help links to {file}, which does not exist"
        if anchor:
            assert anchor in headings(ROOT / file), f"{file} has no heading #{anchor}"


def test_the_broken_word_check_catches_a_word_broken_where_it_is_also_whole():
    """The check above, on a help it must refuse: a type folded over two lines, and an option
    name broken in the text while the options panel shows it whole."""
    words = Counter(["--unit", "<document|paragraph|sentence|window>", "--all-of", "--all-of", "epu:"])
    lines = ["│ --unit  <document|paragraph|se  │", "│         ntence|window>          │",
             " epu: a term of every --all-", " of category", "│ --all-of  NAMES │"]
    assert broken_words(lines, words) == ["--all-of", "<document|paragraph|sentence|window>"]
