"""policyterms: count a curated vocabulary's terms in Chinese policy documents.

    import policyterms
    result = policyterms.count(["seeds/"])   # the default vocabulary, sentence co-occurrence
    result.frequencies                        # pandas DataFrame: doc_id, term, category, count, per_10k_chars
"""

from .batch import InputOptions
from .dedup import find_duplicates
from .dictionaries import export_dictionary
from .discover import suggest
from .errors import InputError, InputWarning, OutputError, PolicytermsError, StoreError, UsageError, VocabularyError
from .match import Matcher
from .normalize import normalize
from .pipeline import TABLES, UNITS, Result, Summary, cooc, count, export, kwic
from .readers import Document, TableColumns, read_document, read_documents
from .vocab import Term, Vocabulary, load_vocabulary

__version__ = "0.1.0"

__all__ = [
    "Document", "InputError", "InputOptions", "InputWarning", "Matcher", "OutputError", "PolicytermsError", "Result",
    "StoreError", "Summary", "TABLES", "UsageError", "TableColumns", "Term", "UNITS", "Vocabulary", "VocabularyError",
    "cooc", "count", "export", "export_dictionary", "find_duplicates", "kwic", "suggest", "load_vocabulary", "normalize",
    "read_document", "read_documents", "__version__",
]
