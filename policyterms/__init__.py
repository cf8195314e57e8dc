"""policyterms: count a curated vocabulary's terms in Chinese policy documents.

    import policyterms
    result = policyterms.count(["seeds/"])   # the default vocabulary, sentence co-occurrence
    result.frequencies                        # pandas DataFrame: doc_id, term, category, count, per_10k_chars
"""

from .documents import Document, read_document
from .errors import InputError, OutputError, PolicytermsError, VocabularyError
from .match import Matcher
from .normalize import normalize
from .pipeline import TABLES, UNITS, Result, count
from .vocab import Term, Vocabulary, load_vocabulary

__version__ = "0.1.0"

__all__ = [
    "Document", "InputError", "Matcher", "OutputError", "PolicytermsError", "Result", "TABLES",
    "Term", "UNITS", "Vocabulary", "VocabularyError", "count", "load_vocabulary", "normalize",
    "read_document", "__version__",
]
