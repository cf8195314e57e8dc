"""The example outputs of README.md and docs/*.md, made from real runs (and checked by the tests).

    python docs/examples.py            # rewrite every example output from what the commands print now
    python docs/examples.py --check    # exit 1 and name the blocks whose output differs

Every fenced block of a page is one of these (tests/test_readme.py fails on any other):

- ```console: commands — lines that start with "$ " (a line ending in "\\" goes on on the next) —
  each followed by what it prints: its stdout's lines, then its stderr's. The whole block is made
  by running its commands, and checked so.
- ```console under ``<!-- excerpt -->``: the same, except that it shows only some lines of what
  each command prints; those lines must appear, in that order, in the command's real output.
  Excerpts are checked, never rewritten.
- source, not output: ```sh (commands shown without their output), ```python, ```yaml (a whole
  file; a vocabulary must load), ```toml. Each must parse as its language, and each line of a
  ```sh block must start with a program the docs use, so that output pasted as source is caught.

Each command runs under bash in a scratch directory that holds links to the repository's seeds/,
vocab/, examples/ and tests/ (so commands read as run from the repository's root, doc_ids read
"seeds/…", and nothing is written into the repository), with this Python environment's
``policyterms`` first on PATH. HTML comments on the lines just before a block's fence:

- ``<!-- setup: COMMAND -->`` runs COMMAND there first, unseen (it makes the files an example needs);
- ``<!-- needs: a CJK font -->`` / ``<!-- needs: no CJK font -->``: the output depends on the fonts
  installed (``plot`` draws, or stops with a one-line error); where the need is not met the block
  (its setup too) is neither run nor changed, and the check says so;
- ``<!-- excerpt -->`` as above;
- ``<!-- file: PATH -->`` on a ```yaml block: it shows the file PATH (checked: the same data).

Trailing spaces are dropped: rich pads its tables to their width.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINKED = ("seeds", "vocab", "examples", "tests")
COMMAND_TIMEOUT_S = 120

OUTPUT_KIND = "console"
SOURCE_KINDS = ("sh", "python", "yaml", "toml")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<info>[^`]*)$")
INDENTED = "(indented)"  # the kind of an indented code block: Markdown shows it as a fenced one
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)]) ")
MARKER = re.compile(r"^<!-- (?P<key>setup|needs|file|excerpt)(?:: (?P<value>.*?))? -->$")
NEEDS = ("a CJK font", "no CJK font")


@dataclass(frozen=True)
class Block:
    """A fenced block of a page: where it is, what kind, the markers above it and its text."""

    line: int  # the opening fence's line, counted from 1
    info: str  # the fence's info string: "console", "sh", "" …
    body: str  # the lines between the fences, each ending in "\n"
    start: int  # character offsets of the body in the page
    end: int
    setup: str | None = None
    needs: str | None = None
    file: str | None = None
    excerpt: bool = False


@dataclass(frozen=True)
class Made:
    """What a console block's commands print now (``body``), or why they were not run (``skipped``)."""

    block: Block
    body: str | None
    skipped: str | None = None

    @property
    def agrees(self) -> bool:
        if self.body is None:
            return True
        if self.block.excerpt:
            return not excerpt_problems(self.block.body, self.body)
        return self.body == self.block.body


def documents() -> list[Path]:
    """The files whose examples are made here: the README and every page of docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(markdown: str) -> list[Block]:
    """Every fenced block of ``markdown``, with the markers on the lines just above its fence."""
    found: list[Block] = []
    lines = markdown.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number].rstrip("\n"))
        if not opening:
            if indented_code_starts(lines, number):
                end = number
                while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                    end += 1
                found.append(Block(number + 1, INDENTED, "".join(lines[number:end]), offsets[number], offsets[end]))
                number = end
            else:
                number += 1
            continue
        close = number + 1
        # a closing fence is at least as long as the opening one and has no info string
        while close < len(lines) and not re.fullmatch(f"`{{{len(opening['fence'])},}}", lines[close].rstrip("\n")):
            close += 1
        markers: dict[str, str | bool] = {}
        above = number - 1
        while above >= 0 and (marker := MARKER.match(lines[above].rstrip("\n"))):
            markers[marker["key"]] = marker["value"] if marker["key"] != "excerpt" else True
            above -= 1
        info = opening["info"].strip() if not opening["indent"] else INDENTED  # not read as an example
        found.append(Block(number + 1, info, "".join(lines[number + 1:close]), offsets[number + 1], offsets[close],
                           **markers))
        number = close + 1
    return found


def indented_code_starts(lines: list[str], number: int) -> bool:
    """Whether an indented code block starts at ``lines[number]``: a line indented by 4 spaces after a
    blank line, and not the continuation of a list item (the last line of text above starts one)."""
    if not lines[number].startswith("    ") or not lines[number].strip() or (number and lines[number - 1].strip()):
        return False
    above = next((line for line in reversed(lines[:number]) if line.strip()), "")
    return not (above.startswith(" ") or LIST_ITEM.match(above))


def commands(body: str) -> list[str]:
    """The commands of a console block, continuation lines joined as bash reads them."""
    found: list[str] = []
    continuing = False
    for line in body.splitlines():
        if continuing:
            found[-1] += "\n" + line
        elif line.startswith("$ "):
            found.append(line[2:])
        else:
            continue
        continuing = line.endswith("\\")
    return found


def shown_outputs(body: str) -> list[list[str]]:
    """The output lines a console block shows under each of its commands, one list per command."""
    outputs: list[list[str]] = []
    continuing = False
    for line in body.splitlines():
        if continuing or line.startswith("$ "):
            if not continuing:
                outputs.append([])
            continuing = line.endswith("\\")
        elif outputs:
            outputs[-1].append(line)
    return outputs


def excerpt_problems(shown: str, made: str) -> list[str]:
    """Why the excerpt ``shown`` is not drawn from ``made`` (both console block bodies): each
    command must be the same, and the lines shown under it must appear in its output in order."""
    if not shown.startswith("$ "):
        return ["it does not start with a command: the lines above the first one come from nothing"]
    if commands(shown) != commands(made):
        return [f"the commands differ: {commands(shown)} is not {commands(made)}"]
    problems = []
    for command, wanted, printed in zip(commands(shown), shown_outputs(shown), shown_outputs(made)):
        rest = iter(printed)
        for line in wanted:
            if not any(line == candidate for candidate in rest):  # consumes ``rest`` up to the match
                problems.append(f"$ {command.splitlines()[0]}: {line!r} is not in what it prints (in this order)")
                break
    return problems


# The programs a ```sh block's lines start with: a line starting otherwise is likely an output
# pasted as source (`policyterms: error: …`, a CSV header), which nothing would check.
PROGRAMS = frozenset({"policyterms", "make", "pip", "python", "find", "cat", "cd", "dask", "helm", "docker", "kubectl"})
CRON_TIMES = re.compile(r"^(?:[0-9*/,-]+\s+){5}")  # a crontab line: five time fields, then its command
HEREDOC = re.compile(r"<<-?\s*'?(?P<end>\w+)'?")


def kind_problems(block: Block) -> list[str]:
    """Why ``block`` is neither a checked output nor source of a kind named at its fence."""
    if block.info == OUTPUT_KIND:
        if not commands(block.body):
            return ["a console block with no command ($ …): nothing makes its lines"]
        return []
    if block.info == INDENTED:
        return ["an indented code block (or an indented fence), which is not checked: an output must be a ```console "
                "block at the start of its lines"]
    if block.info not in SOURCE_KINDS:
        return [f"a ```{block.info} block: an output must be a ```console block with its command (checked whole, or "
                f"marked <!-- excerpt -->); source must name its language ({', '.join(SOURCE_KINDS)})"]
    if block.excerpt or block.needs or block.setup:
        return ["excerpt, needs and setup are for console blocks; this one is not run"]
    if block.info == "sh":
        return sh_problems(block.body)
    if block.info == "python":
        try:
            compile(block.body, f"<block at line {block.line}>", "exec")
        except SyntaxError as error:
            return [f"not Python: {error}"]
    if block.info == "toml":
        import tomllib

        try:
            tomllib.loads(block.body)
        except tomllib.TOMLDecodeError as error:
            return [f"not TOML: {error}"]
    if block.info == "yaml":
        import yaml

        try:
            data = yaml.safe_load(block.body)
        except yaml.YAMLError as error:
            return [f"not YAML: {error}"]
        if block.file and data != yaml.safe_load((ROOT / block.file).read_text(encoding="utf-8")):
            return [f"it is said to show {block.file}, whose data differ"]
        if not isinstance(data, dict):  # an indented list of entries is what `vocab suggest --yaml` writes
            return ["YAML that is not a whole file (a mapping): an output? Show it in a console block"]
        if "terms" in data:
            from policyterms.errors import PolicytermsError
            from policyterms.vocab import parse_vocabulary

            try:
                parse_vocabulary(block.body, source=f"block at line {block.line}")
            except PolicytermsError as error:
                return [f"a vocabulary policyterms refuses: {error}"]
    elif block.file:
        return ["<!-- file: … --> is checked on yaml blocks only"]
    return []


def sh_problems(body: str) -> list[str]:
    """Why ``body`` is not shell commands: bash cannot parse it, or a line starts with a word that
    is not one of PROGRAMS."""
    parsed = subprocess.run(["bash", "-n"], input=body, capture_output=True, text=True, check=False)
    if parsed.returncode:
        return [f"bash cannot parse it: {parsed.stderr.strip()}"]
    problems = []
    continuing, heredoc_end = False, None
    for line in body.splitlines():
        if heredoc_end is not None:
            heredoc_end = None if line.strip() == heredoc_end else heredoc_end
            continue
        command = CRON_TIMES.sub("", line.strip())
        if command and not continuing and not command.startswith("#"):
            if command.startswith("$ "):
                problems.append(f"{line!r}: a prompt and what follows it are a ```console block (checked)")
            elif command.split()[0] not in PROGRAMS:
                problems.append(f"{line!r} does not start with a command ({', '.join(sorted(PROGRAMS))}): an output?")
        continuing = line.endswith("\\")
        if heredoc := HEREDOC.search(line):
            heredoc_end = heredoc["end"]
    return problems


def run(command: str, *, cwd: Path) -> list[str]:
    """What ``command`` prints, stdout's lines then stderr's, trailing spaces dropped."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "LC_ALL": "C.UTF-8"}
    env.pop("POLICYTERMS_SCREENSHOT", None)
    done = subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, errors="replace", env=env,
                          timeout=COMMAND_TIMEOUT_S, check=False)
    return [line.rstrip() for line in (done.stdout + done.stderr).splitlines()]


def regenerated_block(body: str, *, cwd: Path) -> str:
    lines: list[str] = []
    for command in commands(body):
        lines += [f"$ {line}" if number == 0 else line for number, line in enumerate(command.split("\n"))]
        lines += run(command, cwd=cwd)
    return "\n".join(lines) + "\n"


@functools.cache
def cjk_font() -> str | None:
    """The font ``plot`` would draw Chinese labels in here, or None (it stops with an error then)."""
    from policyterms import plots
    from policyterms.errors import PolicytermsError

    try:
        return plots.find_cjk_font(["未来产业"]).name  # as tests/conftest.py's has_cjk_font asks
    except PolicytermsError:
        return None


def unmet(need: str | None) -> str | None:
    """Why a block that needs ``need`` cannot be checked on this machine, or None."""
    if need is None:
        return None
    if need not in NEEDS:
        raise ValueError(f"<!-- needs: {need} -->: not a need this script knows ({', '.join(NEEDS)})")
    font = cjk_font()
    if need == "a CJK font" and font is None:
        return "it needs a CJK font, and none is installed (Debian/Ubuntu: apt-get install fonts-noto-cjk)"
    if need == "no CJK font" and font is not None:
        return f"it shows what happens without a CJK font, and {font} is installed"
    return None


def made(markdown: str) -> list[Made]:
    """Every console block of ``markdown`` with what its commands print now, run in page order in
    one scratch directory (a setup may make files that a later block reads)."""
    with tempfile.TemporaryDirectory(prefix="policyterms-examples-") as scratch:
        for name in LINKED:
            os.symlink(ROOT / name, Path(scratch) / name)
        outcomes = []
        for block in blocks(markdown):
            if block.info != OUTPUT_KIND:
                continue
            if why := unmet(block.needs):
                outcomes.append(Made(block, None, why))
                continue
            if block.setup:
                subprocess.run(["bash", "-c", block.setup], cwd=scratch, check=True, timeout=COMMAND_TIMEOUT_S)
            outcomes.append(Made(block, regenerated_block(block.body, cwd=Path(scratch))))
        return outcomes


def regenerated(markdown: str, outcomes: list[Made] | None = None) -> str:
    """``markdown`` with every console block's output made again (excerpts and blocks that could
    not be run here are left as they are)."""
    for outcome in reversed(outcomes if outcomes is not None else made(markdown)):
        if outcome.body is not None and not outcome.block.excerpt:
            markdown = markdown[:outcome.block.start] + outcome.body + markdown[outcome.block.end:]
    return markdown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if an example is out of date")
    options = parser.parse_args()
    failed = False
    for path in documents():
        name = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        for block in blocks(text):
            for problem in kind_problems(block):
                failed = True
                print(f"{name}:{block.line}: {problem}", file=sys.stderr)
        outcomes = made(text)
        for outcome in outcomes:
            where = f"{name}:{outcome.block.line}"
            if outcome.skipped:
                print(f"{where}: not run: {outcome.skipped}", file=sys.stderr)
            elif not outcome.agrees:
                failed = failed or options.check or outcome.block.excerpt
                if outcome.block.excerpt:  # which lines to keep is the writer's choice: say what is wrong
                    for problem in excerpt_problems(outcome.block.body, outcome.body):
                        print(f"{where}: excerpt: {problem}; edit it by hand", file=sys.stderr)
                else:
                    print(f"{where}: {'out of date' if options.check else 'rewritten'}", file=sys.stderr)
        fresh = regenerated(text, outcomes)
        if fresh != text and not options.check:
            path.write_text(fresh, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
