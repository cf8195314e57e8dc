"""Default values that ``policyterms --help`` shows, apart from the modules that use them: the
help is built from every command's signature, and must not import those modules to get them."""

DEFAULT_THRESHOLD = 0.8  # dedup: the least estimated Jaccard similarity of two documents' shingles
DEFAULT_TOP = 30  # vocab suggest: candidates listed
DEFAULT_MIN_COUNT = 3  # vocab suggest: the least count of a candidate
DEFAULT_CATEGORY = "待审"  # vocab suggest --yaml: the category of candidates near no vocabulary term
DEFAULT_WIDTH = 20  # kwic: characters of context on each side, as AntConc's default of 10 words reads in Chinese
