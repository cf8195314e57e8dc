"""Property tests (hypothesis) of the normalizer, the matcher and the readers.

- normalize: no exception escapes; every normalized position maps back inside the original,
  monotonically, onto the character it came from.
- Matcher: hits and shadowed counts equal those of a brute-force matcher (conftest.py) written from
  DESIGN.md's counting rules (leftmost-longest, non-overlapping, ASCII boundaries), over small
  vocabularies drawn from an alphabet that makes overlaps likely.
- readers: any bytes become a Document or an InputError, nothing else.

The examples are derandomized (the same on every run) and bounded: the file runs in about 15 s.
"""

import os
import re
import tempfile
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NORMALIZERS, normalized_by_definition, reference_matches

from policyterms import Document, InputError, Term, Vocabulary
from policyterms.match import Matcher
from policyterms.normalize import fold_character, non_space_length, normalize, normalize_term
from policyterms.pipeline import DocumentCounter
from policyterms.readers import iter_table_documents
from policyterms.readers.text import document_from_bytes

FUZZ = settings(
    max_examples=300, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters the normalizer treats specially: Han, full-width forms, ligatures and ellipses that
# expand, invisible ones that vanish, whitespace of every kind, astral and case-changing letters.
SPECIAL = list("量子科技信息平台\n\r\t \u3000\u200b\u00ad\ufeff６Ｇ…ﬁ㈱İẞΩ𠀀\U0002a6a5。！?;#-—")
TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL)), max_size=80)


# normalize ------------------------------------------------------------------------------------


@FUZZ
@given(TEXT)
def test_normalized_positions_map_back_inside_the_original_monotonically(text):
    normalized = normalize(text)
    positions = [normalized.to_original(p) for p in range(len(normalized.text) + 1)]
    assert all(0 <= position <= len(text) for position in positions)
    assert positions == sorted(positions)
    for p, char in enumerate(normalized.text):  # each character comes from the one it maps to
        assert char in fold_character(text[positions[p]])
    for start in range(len(normalized.text)):
        for end in range(start, len(normalized.text) + 1):
            original_start, original_end = normalized.original_span(start, end)
            assert 0 <= original_start <= original_end <= len(text)


@FUZZ
@given(TEXT)
def test_normalized_text_is_each_character_folded_then_han_gaps_removed(text):
    expected = normalized_by_definition(text)  # the normalizer's fast paths must give the same text
    for implementation in NORMALIZERS.values():  # with normalize.py's C loops, and in Python
        with implementation():
            assert normalize(text).text == expected
            assert normalize(text, offsets=False).text == expected
            assert non_space_length(expected) == len(re.sub(r"\s", "", expected))


# The matcher against a brute-force reference ----------------------------------------------------

ALPHABET = "量子科技信息6G5 A"  # overlapping Han terms, ASCII boundaries, a space inside a term
TEXT_ALPHABET = ALPHABET + "a６Ｇ\n。"


@st.composite
def vocabularies(draw) -> Vocabulary:
    """2-7 surfaces from ALPHABET, distinct once normalized; the first few are terms, the rest
    aliases of one of them."""
    raw = draw(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=4), min_size=2, max_size=7))
    surfaces: dict[str, str] = {}
    for surface in raw:
        key = normalize_term(surface)
        if surface == surface.strip() and key and key not in surfaces:
            surfaces[key] = surface
    names = list(surfaces.values())
    if not names:
        names = ["量子"]
    count = draw(st.integers(1, len(names)))
    aliases: dict[int, list[str]] = {i: [] for i in range(count)}
    for alias in names[count:]:
        aliases[draw(st.integers(0, count - 1))].append(alias)
    return Vocabulary.from_terms([Term(names[i], "", tuple(aliases[i])) for i in range(count)])


@st.composite
def vocabulary_and_text(draw) -> tuple[Vocabulary, str]:
    """A vocabulary and a text pieced together from its surfaces and from the alphabet, so that
    surfaces meet, overlap and touch ASCII letters and digits (random text alone rarely holds one)."""
    vocabulary = draw(vocabularies())
    surfaces = [surface for term in vocabulary.terms for surface in term.surfaces]
    pieces = st.one_of(st.sampled_from(surfaces), st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=2))
    return vocabulary, "".join(draw(st.lists(pieces, min_size=1, max_size=12)))


@FUZZ
@given(vocabulary_and_text())
def test_matcher_counts_equal_a_brute_force_reference(example):
    vocabulary, raw = example
    text = normalize(raw).text
    matcher = Matcher(vocabulary)
    hits, shadowed = reference_matches(vocabulary, text)
    # Both ways to the hits (match.py): the automaton's leftmost-longest matches, and every match
    # selected one by one (which the shadowed matches need).
    fast, careful = matcher.find(text), matcher.find(text, shadowed=True)
    assert [(hit.term, hit.start, hit.end) for hit in fast.hits] == hits
    assert [(hit.term, hit.start, hit.end) for hit in careful.hits] == hits
    assert Counter(hit.term for hit in careful.shadowed) == shadowed
    assert fast.shadowed == []
    assert matcher.term_counts(text) == Counter(term for term, _, _ in hits)


def test_the_reference_itself_on_the_designs_examples():
    # The reference must fail where the rules say so, or the property above proves nothing.
    vocabulary = Vocabulary.from_terms([Term("核聚变"), Term("核聚变能"), Term("第六代移动通信", "", ("6G",)), Term("5G")])
    hits, shadowed = reference_matches(vocabulary, normalize("核聚变能，16GB，6G，5G-A").text)
    assert hits == [(1, 0, 4), (2, 10, 12), (3, 13, 15)]  # 核聚变能 | 16gb | 6g | 5g-a
    assert shadowed == Counter({0: 1})


# readers: bytes → Document or InputError ---------------------------------------------------------

ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
BYTES = st.one_of(
    st.binary(max_size=200),
    st.tuples(TEXT, ENCODINGS).map(lambda pair: pair[0].encode(pair[1], "replace")),
    st.tuples(TEXT, TEXT).map(lambda pair: f"---\n{pair[0]}\n---\n{pair[1]}".encode()),  # front matter
    st.tuples(st.binary(max_size=40), TEXT, st.binary(max_size=8)).map(  # GB18030 broken in the middle
        lambda parts: parts[1].encode("gb18030", "replace")[:30] + parts[2] + parts[1].encode("gb18030", "replace")),
)


@FUZZ
@given(BYTES, st.sampled_from([None, None, "utf-8", "gb18030", "big5", "no-such-codec"]))
def test_any_bytes_become_a_document_or_an_input_error(data, encoding):
    try:
        document = document_from_bytes(data, source="fuzz.txt", encoding=encoding)
    except InputError as error:
        assert error.source == "fuzz.txt" and "\n" not in str(error)
        return
    assert isinstance(document, Document) and document.text.strip()
    assert all(isinstance(value, str) for value in document.metadata.values())


@FUZZ
@given(BYTES, st.sampled_from([".csv", ".tsv", ".jsonl"]))
def test_any_table_bytes_become_documents_or_input_errors(data, suffix):
    descriptor, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        for item in iter_table_documents(path):
            assert isinstance(item, (Document, InputError))
    finally:
        os.unlink(path)


@FUZZ
@given(TEXT, st.sampled_from(["sentence", "paragraph", "document"]))
def test_any_text_is_counted_without_an_exception(text, unit):
    counts = COUNTERS[unit].count_document(Document("fuzz.txt", text))
    assert sum(counts.term_counts.values()) >= 0 and counts.chars <= len(normalize(text).text)


COUNTERS = {
    unit: DocumentCounter(Vocabulary.from_terms([Term("量子科技"), Term("信息", "", ("6G",)), Term("平台")]), unit=unit)
    for unit in ("sentence", "paragraph", "document")
}
