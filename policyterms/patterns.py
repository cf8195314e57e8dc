"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern takes 0.1–1 ms, and ``readers/formats.py`` holds 15 of them for inputs a
run of text files never sees (Markdown, page numbers of PDF and .docx): 5 ms of every start
(issue 12, lean start-up). A ``LazyPattern`` compiles on
the first attribute used, then holds the compiled pattern's methods as its own attributes, so
using it costs what using the compiled pattern does.
"""

from __future__ import annotations

import re

_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:  # only for attributes not yet set: the first use
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r})"
