import contextlib
import functools
import importlib
import os
from collections import Counter
from pathlib import Path

import pytest

from policyterms import Term, Vocabulary
from policyterms.normalize import HAN, fold_character, is_ascii_alnum, normalize_term

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# Tests that need what the package alone does not bring: Debian's Chromium (the report in a real
# browser) and a CJK font (plots' labels: the fonts extra, which make test installs, or a system
# one). Without them they skip, naming the install; POLICYTERMS_REQUIRE_BROWSER=1 (.ci/run sets it)
# makes them run, and fail without it.
REQUIRE_SYSTEM_PACKAGES = os.environ.get("POLICYTERMS_REQUIRE_BROWSER") == "1"


@functools.cache
def has_chromium() -> bool:
    import browser

    return browser.available()


@functools.cache
def has_cjk_font() -> bool:
    from policyterms import plots
    from policyterms.errors import PolicytermsError

    try:
        plots.find_cjk_font(["未来产业"])
    except PolicytermsError:
        return False
    return True


SYSTEM_NEEDS = {  # marker: (is it there, why skipped)
    "needs_browser": (has_chromium, "needs Chromium and its driver: apt-get install chromium chromium-driver"),
    "needs_cjk_font": (has_cjk_font, "needs a CJK font: pip install -e '.[fonts]' (make test does)"),
}


def pytest_configure(config):
    for marker, (_, reason) in SYSTEM_NEEDS.items():
        config.addinivalue_line("markers", f"{marker}: {reason} (skipped without it unless POLICYTERMS_REQUIRE_BROWSER=1)")


def pytest_runtest_setup(item):
    if REQUIRE_SYSTEM_PACKAGES:
        return
    for marker, (available, reason) in SYSTEM_NEEDS.items():
        if item.get_closest_marker(marker) is not None and not available():
            pytest.skip(f"{reason} (POLICYTERMS_REQUIRE_BROWSER=1 runs it anyway)")


def seed_text(name: str) -> str:
    """A seed document's text, read as the tool reads it (UTF-8)."""
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture
def small_vocab() -> Vocabulary:
    """A vocabulary with the overlaps the counting rules are about."""
    return Vocabulary.from_terms([
        Term("量子科技", "未来信息"),
        Term("氢能", "未来能源"),
        Term("核聚变能", "未来能源"),
        Term("核聚变", "未来能源"),
        Term("第六代移动通信", "未来信息", ("6G",)),
        Term("5G", "通信"),
        Term("十五五", "规划"),
        Term("未来产业", "政策"),
        Term("人工智能", "数字技术", ("AI",)),
    ])


# The matcher's reference, for test_match.py and test_fuzz.py.
def normalized_by_definition(text: str) -> str:
    """DESIGN.md's counting rule 1 written the slow way, for the normalizer's fast paths
    (its C loops, str.replace, str.split) to be checked against: each character folded alone,
    then the whitespace between two Han characters removed."""
    import re

    folded = "".join(fold_character(char) for char in text)
    return re.sub(rf"(?<=[{HAN}])\s+(?=[{HAN}])", "", folded)


@contextlib.contextmanager
def python_normalizer():
    """normalize.py without its C loops (policyterms/_speedups.c), as where they could not be built."""
    module = importlib.import_module("policyterms.normalize")  # (the package exports a function of that name)
    compiled, module._speedups = module._speedups, None
    try:
        yield
    finally:
        module._speedups = compiled


# Both ways normalize.py does its work: with its C loops, and in Python.
NORMALIZERS = {"compiled": contextlib.nullcontext, "python": python_normalizer}


@pytest.fixture(params=list(NORMALIZERS))
def normalizer(request):
    """Runs the test once with normalize.py's C loops and once without them."""
    with NORMALIZERS[request.param]():
        yield request.param


def reference_matches(vocabulary: Vocabulary, text: str) -> tuple[list[tuple[int, int, int]], Counter]:
    """DESIGN.md's rules, by brute force: at each position, from left to right, the longest
    surface that starts there and whose ASCII ends do not touch ASCII letters or digits; after a
    hit, go on from its end. Shadowed: every other valid match whose start lies inside a hit of
    another term."""
    surfaces = [(normalize_term(surface), index) for index, term in enumerate(vocabulary.terms)
                for surface in term.surfaces]

    def valid(surface: str, start: int) -> bool:
        end = start + len(surface)
        if not text.startswith(surface, start):
            return False
        if is_ascii_alnum(surface[0]) and start > 0 and is_ascii_alnum(text[start - 1]):
            return False
        return not (is_ascii_alnum(surface[-1]) and end < len(text) and is_ascii_alnum(text[end]))

    candidates = sorted({(index, start, start + len(surface)) for start in range(len(text))
                         for surface, index in surfaces if valid(surface, start)}, key=lambda c: (c[1], -c[2]))
    hits: list[tuple[int, int, int]] = []
    position = 0
    while position < len(text):
        here = [c for c in candidates if c[1] == position]
        if here:
            hits.append(here[0])  # the longest
            position = here[0][2]
        else:
            position += 1
    shadowed = Counter(
        index for index, start, end in candidates if (index, start, end) not in hits
        and any(h_start <= start < h_end and h_index != index for h_index, h_start, h_end in hits)
    )
    return hits, shadowed
