"""Finding inputs: paths as given → the sources to read, in a stable order.

- a file is read whatever its suffix (``.csv``/``.tsv``/``.jsonl``/``.parquet`` as tables, one
  document per row; ``.docx``/``.pdf``/``.html`` extracted; anything else as text);
- a directory is walked recursively, in sorted order, for files matching ``globs`` (default
  ``*.txt``, ``*.md``, ``*.docx``, ``*.pdf``, ``*.html``, ``*.htm``), hidden files and
  directories skipped, symlinked directories not followed (so a link loop cannot trap the walk),
  FIFOs, sockets and devices skipped with a warning (reading one would block or never end;
  named on the command line, a FIFO is read);
- ``-`` reads stdin: by default a list of paths, one per line or NUL-separated
  (``find … -print0 | policyterms count -``), each expanded as above; with ``stdin="text"`` one
  document (its doc_id is ``-``).

A file reached twice (named twice, or in two directories given) is read once; the repeat is
reported as an ``InputWarning``.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal, TextIO, get_args

from ..errors import InputError, InputWarning, UsageError
from .feeds import FEED_GLOBS
from .formats import FORMAT_GLOBS
from .tables import is_table
from .text import STDIN, file_kind, os_cause

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", *FORMAT_GLOBS, *FEED_GLOBS)
StdinMode = Literal["paths", "text"]
STDIN_MODES: tuple[str, ...] = get_args(StdinMode)


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: ``path`` as given (``-`` for stdin's text); a table holds many documents."""

    path: str
    is_table: bool = False


def iter_sources(
    paths: Iterable[str | os.PathLike],
    *,
    globs: Iterable[str] = DEFAULT_GLOBS,
    stdin: StdinMode = "paths",
    stdin_stream: TextIO | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Source | InputError | InputWarning]:
    """Expand ``paths`` into sources, in order; a path that cannot be used is an ``InputError``
    in the stream (the batch goes on)."""
    if stdin not in STDIN_MODES:
        raise ValueError(f"stdin must be one of {STDIN_MODES}, not {stdin!r}")
    patterns = tuple(globs) or DEFAULT_GLOBS
    names = [os.fspath(given) for given in paths]
    # Read first, so that stdin holding text is a usage error before any input is counted.
    piped = _stdin_paths(stdin_stream) if stdin == "paths" and STDIN in names else []
    seen: dict[object, str] = {}  # the file's identity -> the path it was first reached as
    for name in names:
        if name == STDIN and stdin == "text":
            yield Source(STDIN)
            continue
        if name == STDIN:
            expanded, piped = piped, []  # stdin is read once: a second "-" names nothing more
        else:
            expanded = [name]
        for path in expanded:
            for found in _expand(path, patterns, follow_symlinks=follow_symlinks):
                if isinstance(found, (InputError, InputWarning)):
                    yield found
                    continue
                found_path, identity = found
                if identity in seen:
                    yield InputWarning(found_path, f"already read as {seen[identity]}; counted once")
                    continue
                seen[identity] = found_path
                yield Source(found_path, is_table(found_path))


# A path's component is at most 255 bytes (NAME_MAX on Linux, macOS and Windows); 。，！？ end
# sentences and clauses, and do not appear in lists of file names.
_NAME_MAX_BYTES = 255
_PROSE_PUNCTUATION = re.compile("[。，！？；]")


def _stdin_paths(stream: TextIO | None) -> list[str]:
    data = (stream or sys.stdin).read()
    separator = "\0" if "\0" in data else "\n"
    paths = [line.rstrip("\r") for line in data.split(separator) if line.strip()]
    if paths and looks_like_text(paths):
        raise UsageError(
            "stdin holds text, not a list of paths: to count the text itself, add --stdin text "
            "(cat article.txt | policyterms count - --stdin text)"
        )
    return paths


def looks_like_text(lines: list[str]) -> bool:
    """True when the lines piped to ``-`` are a document's text rather than paths: none of them
    names a file, and one has a component too long for a file name or a sentence's punctuation.
    (One hint, instead of a "no such file" error per paragraph.)"""
    if any(os.path.lexists(line) for line in lines):
        return False
    return any(
        _PROSE_PUNCTUATION.search(line) or any(len(part.encode("utf-8", "replace")) > _NAME_MAX_BYTES for part in line.split("/"))
        for line in lines
    )


TABLE_GLOBS: tuple[str, ...] = ("*.parquet", "*.jsonl", "*.ndjson")  # a directory that is a dataset
_GLOB_CHARACTERS = re.compile(r"[*?[]")


def _expand(
    path: str, patterns: tuple[str, ...], *, follow_symlinks: bool = False,
) -> Iterator[tuple[str, object] | InputError | InputWarning]:
    """(path, identity) of each file ``path`` names, or the ``InputError`` why it names none
    (and an ``InputWarning`` for each file a directory walk skipped). ``path`` may be a glob the
    shell did not expand (quoted: ``'ds/*.parquet'``). A directory with none of the default
    files but Parquet or JSON Lines files is read as a dataset of those."""
    if not os.path.lexists(path) and _GLOB_CHARACTERS.search(path):
        matched = sorted(glob.glob(path, recursive=True))
        if not matched:
            yield InputError(path, "no file matches this pattern")
        for match in matched:
            yield from _expand(match, patterns, follow_symlinks=follow_symlinks)
        return
    if os.path.isdir(path):
        problems: list[OSError] = []
        skipped: list[tuple[str, str]] = []
        found = False
        chosen = patterns
        for file in _walk(path, _name_matcher(patterns), problems, skipped, follow_symlinks=follow_symlinks):
            found = True
            yield file
        if not found and not problems and patterns == DEFAULT_GLOBS:
            chosen = (*patterns, *TABLE_GLOBS)
            for file in _walk(path, _name_matcher(TABLE_GLOBS), problems, skipped, follow_symlinks=follow_symlinks):
                found = True
                yield file
        if not found and not problems:
            yield InputError(path, f"directory has no files matching {' or '.join(chosen)}")
        for problem in sorted(problems, key=lambda error: str(error.filename)):  # named, not silently skipped
            yield InputError(problem.filename or path, os_cause(problem))
        for skipped_path, why in sorted(skipped):
            yield InputWarning(skipped_path, why)
    elif os.path.lexists(path):
        yield path, _identity(path)
    else:
        yield InputError(path, "no such file or directory")


def _identity(path: str) -> object:
    """What makes two paths the same file: device and inode (a symlink's target's), else the real path."""
    try:
        info = os.stat(path)
    except OSError:  # a broken link: reading it will say why
        return os.path.realpath(path)
    return info.st_dev, info.st_ino


def _name_matcher(patterns: tuple[str, ...]) -> Callable[[str, str], bool]:
    """A test of a file (its folder relative to the walked directory, its name) against
    ``patterns``, case-insensitive (file names from Windows machines come as .TXT as often as
    .txt). A pattern without "/" matches the file's name at any depth; one with "/" matches the
    end of the relative path."""
    lowered = [pattern.lower() for pattern in patterns]
    by_name = re.compile("|".join(fnmatch.translate(p) for p in lowered if "/" not in p) or "(?!)")
    by_path = [p for p in lowered if "/" in p]

    def matches(folder: str, name: str) -> bool:
        if by_name.match(name.lower()):
            return True
        relative = (os.path.join(folder, name) if folder else name).lower()  # only for patterns with "/"
        return any(PurePath(relative).match(pattern) for pattern in by_path)

    return matches


def _walk(
    top: str, matches: Callable[[str, str], bool], problems: list[OSError], skipped: list[tuple[str, str]],
    *, follow_symlinks: bool = False,
) -> Iterator[tuple[str, object]]:
    """(path, identity) of the matching regular files under ``top``, in the order of their paths
    (as ``sorted`` gives them) and as they are found: the first files come before the rest of
    the tree is walked (a run starts counting them at once). Hidden entries are skipped and
    symlinked directories not followed (a link loop cannot trap the walk); a symlinked file that
    lies outside ``top`` is skipped with a warning unless ``follow_symlinks`` (a link in a shared
    folder must not make a run read the user's other files). A FIFO, socket or
    device that matches is put in ``skipped``: reading one would block or never end. The walk
    keeps its own stack, so a tree thousands of levels deep does not exhaust Python's recursion.
    scandir gives each entry's type and inode without a stat call: 10,000 files are walked in a
    few milliseconds."""
    pending: list[tuple[Iterator[os.DirEntry], str, int]] = []  # a folder's entries yet to see, its path, its device
    _enter(top, "", pending, problems)
    while pending:
        entries, relative, device = pending[-1]
        entry = next(entries, None)
        if entry is None:
            pending.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _enter(entry.path, os.path.join(relative, entry.name) if relative else entry.name, pending, problems)
            elif not matches(relative, entry.name):
                continue
            elif entry.is_symlink():
                # A link to a regular file counts; a link to a directory is not followed; a
                # broken link (or a loop of links) is kept so that reading it says why.
                if entry.is_file() and not follow_symlinks and not _inside(entry.path, top):
                    skipped.append((entry.path, "skipped: a link to a file outside the folder "
                                                "(--follow-symlinks reads it)"))
                elif entry.is_file() or not os.path.exists(entry.path):
                    yield entry.path, _identity(entry.path)
                elif not entry.is_dir():
                    skipped.append((entry.path, f"skipped: {file_kind(os.stat(entry.path).st_mode)}, not a regular file"))
            elif entry.is_file(follow_symlinks=False):
                yield entry.path, (device, entry.inode())
            else:
                kind = file_kind(entry.stat(follow_symlinks=False).st_mode)
                skipped.append((entry.path, f"skipped: {kind}, not a regular file"))
        except OSError as error:
            problems.append(error)


def _inside(path: str, top: str) -> bool:
    """True when ``path``, its links resolved, is ``top`` (resolved) or under it."""
    real, root = os.path.realpath(path), os.path.realpath(top)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _enter(
    directory: str, relative: str, pending: list[tuple[Iterator[os.DirEntry], str, int]], problems: list[OSError]
) -> None:
    """Put ``directory``'s entries (but hidden ones) on the walk's stack, in the order their paths
    sort in — a folder sorts as its name followed by "/", as the paths of everything in it do —
    with its path relative to the walk's top and its device; or its error in ``problems``."""
    try:
        with os.scandir(directory) as found:
            entries = [entry for entry in found if not entry.name.startswith(".")]
        device = os.stat(directory).st_dev
    except OSError as error:
        problems.append(error)
        return
    entries.sort(key=_path_order)
    pending.append((iter(entries), relative, device))


def _path_order(entry: os.DirEntry) -> str:
    try:
        return entry.name + "/" if entry.is_dir(follow_symlinks=False) else entry.name
    except OSError:  # gone since it was listed: the walk says so where it reads the entry
        return entry.name
