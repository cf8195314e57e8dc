"""The example outputs of README.md and docs/*.md, made from real runs (and checked by the tests).

    python docs/examples.py            # rewrite every example output from what the commands print now
    python docs/examples.py --check    # exit 1 and name the files whose examples differ

A ```console block holds commands — lines that start with "$ " (a line ending in "\\" goes on on
the next) — each followed by what it prints: its stdout's lines, then its stderr's. Each command
runs under bash in a scratch directory that holds links to the repository's seeds/, vocab/ and
examples/ (so doc_ids read "seeds/…" and nothing is written into the repository), with this
Python environment's ``policyterms`` first on PATH. An HTML comment ``<!-- setup: COMMAND -->``
on the line before a block runs COMMAND there first, unseen (it makes the files an example needs).
Trailing spaces are dropped: rich pads its tables to their width.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINKED = ("seeds", "vocab", "examples")
BLOCK = re.compile(r"(?:<!-- setup: (?P<setup>.*?) -->\n)?```console\n(?P<body>.*?)```", re.S)
COMMAND_TIMEOUT_S = 120


def documents() -> list[Path]:
    """The files whose examples are made here: the README and every page of docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


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


def regenerated(markdown: str) -> str:
    """``markdown`` with the output of every console block made again, by running its commands."""
    with tempfile.TemporaryDirectory(prefix="policyterms-examples-") as scratch:
        for name in LINKED:
            os.symlink(ROOT / name, Path(scratch) / name)

        def again(match: re.Match) -> str:
            if match["setup"]:
                subprocess.run(["bash", "-c", match["setup"]], cwd=scratch, check=True, timeout=COMMAND_TIMEOUT_S)
            head = f"<!-- setup: {match['setup']} -->\n" if match["setup"] else ""
            return f"{head}```console\n{regenerated_block(match['body'], cwd=Path(scratch))}```"

        return BLOCK.sub(again, markdown)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if an example is out of date")
    options = parser.parse_args()
    stale = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        fresh = regenerated(text)
        if fresh != text:
            stale.append(path)
            if not options.check:
                path.write_text(fresh, encoding="utf-8")
    for path in stale:
        print(f"{path.relative_to(ROOT)}: {'out of date' if options.check else 'examples rewritten'}", file=sys.stderr)
    return 1 if stale and options.check else 0


if __name__ == "__main__":
    sys.exit(main())
