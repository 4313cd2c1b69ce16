"""Shared data for the agreement tests: published worked examples, typed in from their sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

NAN = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability, pp. 3-4 ("C. Nominal data, any number of
# observers, missing values"): 4 observers (rows there) x 12 units. Here rows = units, columns = observers.
K2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]).T

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychol. Bull. 76(5), Table 1:
# 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression, 2 personality disorder, 3 schizophrenia,
# 4 neurosis, 5 other). Fleiss prints the counts per patient and category; this raw form (one column per rating)
# is the `diagnoses` data of the R package irr, also in statsmodels' test suite. Fleiss reports P-bar = .556,
# P-bar_e = .220, kappa = .430.
FLEISS1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
])

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories, counts n_ij per subject.
# Published: P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
WIKIPEDIA_FLEISS_COUNTS = np.array([
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
])


def counts_to_ratings(counts: np.ndarray) -> np.ndarray:
    """Units x categories counts -> units x raters matrix of category numbers 1..q (rater order arbitrary)."""
    return np.array([np.repeat(np.arange(1, counts.shape[1] + 1), row) for row in counts])


def two_by_two(both: int, only_a: int, only_b: int, neither: int, *, yes="yes", no="no") -> pd.DataFrame:
    """Two-coder presence table as a reliability matrix with columns A and B."""
    rows = [[yes, yes]] * both + [[yes, no]] * only_a + [[no, yes]] * only_b + [[no, no]] * neither
    return pd.DataFrame(rows, columns=["A", "B"])


@pytest.fixture(scope="session")
def k2011() -> np.ndarray:
    return K2011.copy()


@pytest.fixture(scope="session")
def fleiss1971() -> np.ndarray:
    return FLEISS1971.copy()


@pytest.fixture(scope="session")
def wikipedia_fleiss() -> np.ndarray:
    return counts_to_ratings(WIKIPEDIA_FLEISS_COUNTS)


@pytest.fixture(scope="session")
def make_two_by_two():
    return two_by_two


@pytest.fixture(scope="session")
def grant_readers() -> pd.DataFrame:
    # Cohen (1960)-style 2 x 2 table (the Wikipedia "Cohen's kappa" example): 50 grant proposals read by A and B,
    # 20 yes/yes, 5 yes(A)/no(B), 10 no(A)/yes(B), 15 no/no. p_o = .70, p_e = .50, kappa = .40.
    return two_by_two(20, 5, 10, 15)
