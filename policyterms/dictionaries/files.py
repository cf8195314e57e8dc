"""A vocabulary file, of any format, read into a ``Vocabulary``: found (the default one when no
path is given), size-limited, decoded, then read by its format's reader (``parse_dictionary``).

A file may have at most ``MAX_VOCABULARY_MB`` (1 MB) unless the caller allows more
(``max_mb``; the CLI's ``--max-vocab-mb``). The limit is a guard against a wrong file, not against
dictionaries: the project's YAML loads at 1.5-3 s per MB with libyaml, the line-based formats
(a jieba ``dict.txt`` of 349,046 entries, 5 MB) much faster; a larger file is refused before it
is parsed, with a message that names the option.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
from pathlib import Path

from ..errors import InputError, VocabularyError
from ..readers.limits import MB
from ..readers.text import open_binary
from ..vocab import DEFAULT_VOCABULARY, Vocabulary
from .entries import Wildcards
from .reading import parse_dictionary

MAX_VOCABULARY_MB = 1


def default_vocabulary_path() -> Path:
    """The vocabulary installed with the package (``vocab/`` at the repository root). Found
    with find_spec, not importlib.resources, whose import takes 4 ms of every start."""
    try:
        spec = importlib.util.find_spec("policyterms.vocabularies")
    except (ModuleNotFoundError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        candidate = Path(folder) / DEFAULT_VOCABULARY
        if candidate.is_file():
            return candidate
    return Path(__file__).resolve().parent.parent.parent / "vocab" / DEFAULT_VOCABULARY


def load_vocabulary(
    path: str | Path | None = None,
    *,
    max_mb: float = MAX_VOCABULARY_MB,
    wildcards: Wildcards = "glob",
    category: str | None = None,
) -> Vocabulary:
    """Load and validate a vocabulary file; the default one when ``path`` is None. Dictionaries of
    other tools (LIWC, WordStat, cntext …) are read too: ``wildcards`` says what becomes of their
    ``econom*`` entries, ``category`` (default: the file's name) is the category of formats that
    have none; what could not be honoured is in the result's ``warnings``."""
    vocab_path = Path(path) if path is not None else default_vocabulary_path()
    data = read_dictionary_file(vocab_path, max_mb=max_mb)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VocabularyError([f"{vocab_path}: not UTF-8 (byte {exc.start})"]) from None
    vocabulary = parse_dictionary(
        text, source=str(vocab_path), suffix=vocab_path.suffix, wildcards=wildcards, category=category
    )
    return dataclasses.replace(
        vocabulary, name=vocabulary.name or vocab_path.stem, source=str(vocab_path),
        digest=hashlib.sha256(data).hexdigest(),
    )


def read_dictionary_file(path: Path, *, max_mb: float = MAX_VOCABULARY_MB) -> bytes:
    """The file's bytes (a pipe too: ``--vocab <(…)``), or a one-line ``VocabularyError``."""
    if not path.exists():
        raise VocabularyError([f"{path}: no such vocabulary file"])
    if path.is_dir():
        raise VocabularyError([f"{path}: is a directory, not a vocabulary file"])
    max_bytes = int(max_mb * MB)
    try:
        with open_binary(str(path), fifo=True) as handle:
            if handle.seekable() and (size := os.fstat(handle.fileno()).st_size) > max_bytes:
                raise _too_large(path, f"{size / MB:,.1f} MB, more", max_bytes)  # refused unread
            data = handle.read(max_bytes + 1)
    except InputError as exc:
        raise VocabularyError([str(exc)]) from None
    except OSError as exc:
        raise VocabularyError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    if len(data) > max_bytes:
        raise _too_large(path, "more", max_bytes)
    return data


def _too_large(path: Path, size: str, max_bytes: int) -> VocabularyError:
    return VocabularyError([
        f"{path}: too large for a vocabulary: {size} than its limit of {max_bytes / MB:g} MB "
        "(--max-vocab-mb N allows more; from Python, load_vocabulary(path, max_mb=N))"
    ])


def check_vocabulary(path: str | Path) -> list[str]:
    """Every problem of a vocabulary file as ``file:line: message`` (empty when it is valid)."""
    try:
        load_vocabulary(path)
    except VocabularyError as exc:
        return exc.problems
    return []
