"""Association measures against values worked out by hand (see measures.py for the table)."""

import math

import numpy as np
import pytest

from policyterms.measures import association


def one(n_ab, n_a, n_b, n):
    return {name: float(values[0]) for name, values in association([n_ab], [n_a], [n_b], [n]).items()}


def test_a_pair_at_chance_level():
    # 4 units; a in 2, b in 2, both in 1: every cell of the table is 1 and equals its expectation.
    assert one(1, 2, 2, 4) == {"jaccard": 0.333333, "dice": 0.5, "pmi": 0.0, "npmi": 0.0, "g2": 0.0}


def test_a_pair_above_chance():
    # 4 units; a in 2, b in 1, both in 1. Table 1 1 / 0 2, expected 0.5 1.5 / 0.5 1.5.
    # PMI = log2(1·4 / (2·1)) = 1; NPMI = 1 / −log2(1/4) = 0.5;
    # G² = 2(1·ln 2 + 1·ln(2/3) + 0 + 2·ln(4/3)) = 2(0.693147 − 0.405465 + 0.575364) = 1.726092.
    assert one(1, 2, 1, 4) == {"jaccard": 0.5, "dice": 0.666667, "pmi": 1.0, "npmi": 0.5, "g2": 1.726092}


def test_a_pair_in_every_unit_has_npmi_one():
    # both in the only unit: −log2(1/1) = 0, so NPMI is its limit, 1 (perfect association).
    assert one(1, 1, 1, 1) == {"jaccard": 1.0, "dice": 1.0, "pmi": 0.0, "npmi": 1.0, "g2": 0.0}


def test_vectorised_and_impossible_tables():
    values = association(np.array([1, 1]), np.array([2, 2]), np.array([2, 1]), np.array([4, 4]))
    assert list(values["pmi"]) == [0.0, 1.0]
    for table in ((0, 1, 1, 4), (2, 1, 2, 4), (1, 3, 3, 4)):
        with pytest.raises(ValueError):
            association(*([x] for x in table))


def test_g2_is_unsigned_for_a_pair_below_chance():
    # 10 units; a in 5, b in 5, both in 1: fewer than the 2.5 expected. PMI < 0, G² > 0.
    # G² = 2(1·ln(1/2.5) + 4·ln(4/2.5) + 4·ln(4/2.5) + 1·ln(1/2.5)) = 2(−1.832581 + 3.760029) = 3.854895
    values = one(1, 5, 5, 10)
    assert values["pmi"] == round(math.log2(0.4), 6) and values["g2"] == 3.854895
