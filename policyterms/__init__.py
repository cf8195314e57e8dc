"""policyterms: count a curated vocabulary's terms in Chinese policy documents.

    import policyterms
    result = policyterms.count(["seeds/"])   # the default vocabulary, sentence co-occurrence
    result.frequencies                        # pandas DataFrame: doc_id, term, category, count, per_10k_chars
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Eager: the function must win over the submodule of the same name, which importing
# policyterms.normalize binds here (a lazy name would then read as the module).
from .normalize import normalize

__version__ = "0.1.0"

# The public names and the module each comes from. They are imported on first use (PEP 562), so
# that `policyterms --version` or a CSV count does not import the modules of every other command.
_EXPORTS = {
    "InputOptions": "batch",
    "find_duplicates": "dedup",
    **dict.fromkeys(("export_dictionary", "load_vocabulary"), "dictionaries"),
    "suggest": "discover",
    **dict.fromkeys(
        ("InputError", "InputWarning", "OutputError", "PolicytermsError", "StoreError", "UsageError", "VocabularyError"),
        "errors",
    ),
    "Matcher": "match",
    **dict.fromkeys(("TABLES", "UNITS", "Result", "Summary", "cooc", "count", "export", "kwic"), "pipeline"),
    **dict.fromkeys(("Document", "TableColumns", "read_document", "read_documents"), "readers"),
    **dict.fromkeys(("Term", "Vocabulary"), "vocab"),
}

__all__ = [
    "Document", "InputError", "InputOptions", "InputWarning", "Matcher", "OutputError", "PolicytermsError", "Result",
    "StoreError", "Summary", "TABLES", "UsageError", "TableColumns", "Term", "UNITS", "Vocabulary", "VocabularyError",
    "cooc", "count", "export", "export_dictionary", "find_duplicates", "kwic", "suggest", "load_vocabulary", "normalize",
    "read_document", "read_documents", "__version__",
]


def __getattr__(name: str) -> object:
    """A public name (from its module), or a submodule (``policyterms.plots``), imported now."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    elif not name.startswith("__"):
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see: the names above, eagerly
    from .batch import InputOptions
    from .dedup import find_duplicates
    from .dictionaries import export_dictionary, load_vocabulary
    from .discover import suggest
    from .errors import InputError, InputWarning, OutputError, PolicytermsError, StoreError, UsageError, VocabularyError
    from .match import Matcher
    from .pipeline import TABLES, UNITS, Result, Summary, cooc, count, export, kwic
    from .readers import Document, TableColumns, read_document, read_documents
    from .vocab import Term, Vocabulary
