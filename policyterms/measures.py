"""Association measures of two terms over units (sentences, paragraphs or documents).

Every measure comes from one 2×2 contingency table over the N units of a scope (a document, or
the whole corpus), for terms a and b:

                 b in unit          b not in unit
    a in unit    O11 = n_ab         O12 = n_a − n_ab         | n_a
    a not        O21 = n_b − n_ab   O22 = N − n_a − n_b + n_ab
                 n_b                                           N

    Jaccard = n_ab / (n_a + n_b − n_ab)          Dice = 2·n_ab / (n_a + n_b)
    PMI     = log2(n_ab · N / (n_a · n_b))       NPMI = PMI / −log2(n_ab / N)   (1 when n_ab = N)
    G²      = 2 · Σ O_ij · ln(O_ij / E_ij),  E_ij = row_i · column_j / N,  0 · ln 0 = 0

G² is Dunning's log-likelihood ratio, unsigned as AntConc and KH Coder print it: a pair seen
less often than chance also scores high; PMI's sign tells the direction. Functions take numpy
arrays (one element per pair) so a corpus of many pairs is one vectorised call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when measures are computed: cli.py needs only the names
    import numpy as np

MEASURES: tuple[str, ...] = ("jaccard", "dice", "pmi", "npmi", "g2")
DECIMALS = 6  # enough for any ranking; keeps CSV readable and output identical across machines


def association(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray]:
    """Every measure for pairs with ``n_ab`` units holding both, ``n_a`` and ``n_b`` units holding
    each, out of ``n`` units. Each pair must occur (n_ab ≥ 1), so no measure is undefined."""
    import numpy as np

    n_ab, n_a, n_b, n = (np.asarray(x, dtype=np.float64) for x in (n_ab, n_a, n_b, n))
    if np.any(n_ab < 1) or np.any(n_a < n_ab) or np.any(n_b < n_ab) or np.any(n < n_a + n_b - n_ab):
        raise ValueError("impossible contingency table: need 1 ≤ n_ab ≤ n_a, n_b and n_a + n_b − n_ab ≤ n")
    pmi = np.log2(n_ab * n / (n_a * n_b))
    self_information = -np.log2(n_ab / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(self_information > 0, pmi / np.where(self_information > 0, self_information, 1), 1.0)
    measures = {
        "jaccard": n_ab / (n_a + n_b - n_ab),
        "dice": 2 * n_ab / (n_a + n_b),
        "pmi": pmi,
        "npmi": npmi,
        "g2": log_likelihood(n_ab, n_a, n_b, n),
    }
    return {name: np.round(values, DECIMALS) + 0.0 for name, values in measures.items()}  # + 0.0: no -0.0


def log_likelihood(n_ab: np.ndarray, n_a: np.ndarray, n_b: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Dunning's G² over the 2×2 table (unsigned)."""
    import numpy as np

    observed = (n_ab, n_a - n_ab, n_b - n_ab, n - n_a - n_b + n_ab)
    rows = (n_a, n_a, n - n_a, n - n_a)
    columns = (n_b, n - n_b, n_b, n - n_b)
    total = np.zeros_like(n_ab, dtype=np.float64)
    for o, row, column in zip(observed, rows, columns):
        expected = row * column / n
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(expected > 0, expected, 1)), 0.0)
        total += term
    return np.maximum(2 * total, 0.0)  # rounding can leave -1e-16 for independent pairs
