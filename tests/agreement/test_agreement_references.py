"""Agreement with independent implementations on hundreds of random reliability matrices (hypothesis).

References: ``krippendorff`` (alpha, all levels), statsmodels (Fleiss' kappa, Cohen's kappa, Randolph's
free-marginal kappa = Brennan-Prediger; complete data, because ``aggregate_raters`` counts NaN as a category) and
NLTK's ``AnnotationTask`` (alpha with missing values; pi, S, kappa and observed agreement on complete data, where
its definitions coincide with the published ones). The irrCAC comparisons live in ``tests/reference_irrcac/``:
irrCAC pins ``pandas<3`` and an old SciPy, so ``make test`` runs them in an environment of their own and the main
suite runs on what users get. Matrices include missing ratings, rare categories, two-category data and one-category
data (undefined cases are compared in test_agreement_undefined.py, so they are skipped here).
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa, to_table

import npt_coder.agreement as ag
from npt_coder.errors import UndefinedStatisticWarning

TOL = 1e-9
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ours(f, *args, **kwargs) -> float:
    """Our value, or nan (undefined cases are tested elsewhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        return f(*args, **kwargs)


def reference(f, *args, **kwargs):
    """A reference package's value, with its own warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return f(*args, **kwargs)


@st.composite
def matrices(draw, *, min_coders=2, max_coders=5, min_units=1, max_units=25, missing=True, max_q=5,
             numeric_values=False):
    """Units x coders float matrix of category values with NaN for missing ratings.

    Category frequencies are drawn from skewed weights, so rare categories and near-constant codes are common;
    q = 2 is the most likely category count.
    """
    q = draw(st.sampled_from([1, 2, 2, 2, 3, 4, 5][: max_q + 2 if max_q < 5 else 7]))
    q = min(q, max_q)
    n_coders = draw(st.integers(min_coders, max_coders))
    n_units = draw(st.integers(min_units, max_units))
    weights = np.array(draw(st.lists(st.sampled_from([1, 1, 3, 10, 40]), min_size=q, max_size=q)), float)
    p_missing = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5])) if missing else 0.0
    if numeric_values:
        values = np.array(sorted(draw(st.sets(st.integers(0, 30), min_size=q, max_size=q))), float)
    else:
        values = np.arange(q, dtype=float)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = values[rng.choice(q, size=(n_units, n_coders), p=weights / weights.sum())]
    if p_missing:
        x[rng.random(x.shape) < p_missing] = np.nan
    return x


def close(a: float, b: float, tol: float = TOL) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=tol)


def triples(x: np.ndarray) -> list[tuple[str, str, float]]:
    return [(f"c{j}", f"u{i}", x[i, j]) for i in range(x.shape[0]) for j in range(x.shape[1]) if not np.isnan(x[i, j])]


# --- krippendorff package --------------------------------------------------------------------------------------

@SETTINGS
@given(x=matrices(numeric_values=True), level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff_package(x, level):
    value = ours(ag.krippendorff_alpha, x, level=level)
    assume(not math.isnan(value))
    expected = reference(krippendorff.alpha, reliability_data=x.T, level_of_measurement=level)
    assert close(value, float(expected))


@SETTINGS
@given(x=matrices(min_coders=6, max_coders=14, max_units=40, max_q=5))
def test_nominal_alpha_and_fleiss_match_references_with_many_coders(x):
    # Up to 8 coders, agreeing pairs are counted column pair by column pair; beyond, by sorting each row.
    value = ours(ag.krippendorff_alpha, x)
    assume(not math.isnan(value))
    assert close(value, float(reference(krippendorff.alpha, reliability_data=x.T, level_of_measurement="nominal")))
    complete = x[~np.isnan(x).any(axis=1)]
    fleiss = ours(ag.fleiss_kappa, complete)
    if not math.isnan(fleiss):
        assert close(fleiss, float(reference(fleiss_kappa, aggregate_raters(complete)[0])))


def forty_coders() -> np.ndarray:
    rng = np.random.default_rng(5)
    truth = rng.integers(0, 3, size=60)
    x = np.where(rng.random((60, 40)) < 0.7, truth[:, None], rng.integers(0, 3, size=(60, 40))).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan
    return x


def test_forty_coders():
    # More than 32 coders: units' rating counts come from one reduction instead of a sum over columns.
    x = forty_coders()
    for level in ("nominal", "ordinal", "interval"):
        expected = reference(krippendorff.alpha, reliability_data=x.T, level_of_measurement=level)
        assert close(ag.krippendorff_alpha(x, level=level), float(expected))


@SETTINGS
@given(x=matrices(numeric_values=True), level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_listwise_equals_alpha_on_complete_units(x, level):
    complete = x[~np.isnan(x).any(axis=1)]
    value = ours(ag.krippendorff_alpha, x, level=level, missing="listwise")
    assume(not math.isnan(value))
    assert close(value, float(reference(krippendorff.alpha, reliability_data=complete.T,
                                        level_of_measurement=level)))


@pytest.mark.parametrize("block", [1, 3, 512])
@pytest.mark.parametrize("level", ["ordinal", "ratio"])
def test_alpha_expected_term_summed_in_blocks(monkeypatch, block, level):
    # The expected disagreement of ordinal and ratio alpha is summed over category pairs in blocks of rows;
    # the block size must not change the value.
    import npt_coder.agreement._alpha as alpha_module

    monkeypatch.setattr(alpha_module, "_BLOCK", block)
    rng = np.random.default_rng(7)
    x = rng.integers(0, 60, size=(80, 3)).astype(float)
    x[:, 1] = np.clip(x[:, 0] + rng.integers(-5, 5, size=80), 0, None)
    x[rng.random(x.shape) < 0.1] = np.nan
    expected = reference(krippendorff.alpha, reliability_data=x.T, level_of_measurement=level)
    assert close(ag.krippendorff_alpha(x, level=level), float(expected))


# --- NLTK AnnotationTask ---------------------------------------------------------------------------------------

@SLOW_SETTINGS
@given(x=matrices(max_units=15, max_coders=4, numeric_values=True))
def test_alpha_matches_nltk_with_missing_values(x):
    # NLTK's alpha drops items with fewer than two labels, as Krippendorff does.
    nominal = ours(ag.krippendorff_alpha, x)
    assume(not math.isnan(nominal))
    data = triples(x)
    assert close(nominal, reference(AnnotationTask(data=data).alpha))
    interval = ours(ag.krippendorff_alpha, x, level="interval")
    assert close(interval, reference(AnnotationTask(data=data, distance=interval_distance).alpha))


@SLOW_SETTINGS
@given(x=matrices(max_units=15, max_coders=4, missing=False))
def test_pi_s_and_observed_agreement_match_nltk_on_complete_data(x):
    task = AnnotationTask(data=triples(x))
    assert close(ours(ag.percent_agreement, x), reference(task.avg_Ao))
    bp = ours(ag.brennan_prediger, x)
    if not math.isnan(bp):  # q = 1: NLTK divides by zero
        assert close(bp, reference(task.S))
    pi = ours(ag.fleiss_kappa, x)
    if not math.isnan(pi):  # p_e = 1: NLTK returns 1.0 or raises
        assert close(pi, reference(task.pi))
        assert close(ours(ag.scott_pi, x), pi, 0)


@SLOW_SETTINGS
@given(x=matrices(max_units=20, min_coders=2, max_coders=2, missing=False))
def test_cohen_kappa_matches_nltk_for_two_coders(x):
    # For two coders NLTK's kappa (Light's mean of pairwise Cohen kappas) is Cohen's kappa.
    value = ours(ag.cohen_kappa, x)
    assume(not math.isnan(value))
    assert close(value, reference(AnnotationTask(data=triples(x)).kappa))


# --- statsmodels -----------------------------------------------------------------------------------------------

@SETTINGS
@given(x=matrices(max_units=30, max_coders=6, missing=False))
def test_fleiss_and_randolph_match_statsmodels_on_complete_data(x):
    table, _ = aggregate_raters(x)
    value = ours(ag.fleiss_kappa, x)
    if not math.isnan(value):
        assert close(value, float(reference(fleiss_kappa, table, method="fleiss")))
    bp = ours(ag.brennan_prediger, x)
    if not math.isnan(bp):  # statsmodels' "randolph" is the free-marginal kappa with q = observed categories
        assert close(bp, float(reference(fleiss_kappa, table, method="randolph")))


@SETTINGS
@given(x=matrices(max_units=30, min_coders=2, max_coders=2, missing=False))
def test_cohen_kappa_matches_statsmodels_on_complete_data(x):
    value = ours(ag.cohen_kappa, x)
    assume(not math.isnan(value))
    table, _ = to_table(x)
    assert close(value, float(reference(cohens_kappa, table).kappa))


@SETTINGS
@given(x=matrices(max_units=30, max_coders=5), categories_extra=st.integers(0, 3))
def test_categories_option_changes_q_only_where_published(x, categories_extra):
    # Extra (unused) categories change q for AC1 and Brennan-Prediger only.
    observed = sorted(set(x[~np.isnan(x)].tolist()))
    assume(observed)
    cats = observed + [100.0 + k for k in range(categories_extra)]
    for f in (ag.percent_agreement, ag.fleiss_kappa, ag.scott_pi, ag.krippendorff_alpha):
        a, b = ours(f, x), ours(f, x, categories=cats)
        assert (math.isnan(a) and math.isnan(b)) or close(a, b, 1e-12)
    q = len(cats)
    pa = ours(ag.percent_agreement, x)
    if not math.isnan(pa) and q >= 2:
        assert close(ours(ag.brennan_prediger, x, categories=cats), (pa - 1 / q) / (1 - 1 / q))


# --- the count-based fast paths equal the general functions -------------------------------------------------------

@SETTINGS
@given(counts=st.tuples(*[st.integers(0, 40)] * 4))
def test_count_functions_equal_matrix_functions(counts):
    b, x, y, z = counts
    assume(sum(counts) > 0)
    matrix = [["present", "present"]] * b + [["present", "absent"]] * x + [["absent", "present"]] * y + \
        [["absent", "absent"]] * z
    cats = ("present", "absent")
    pairs = [
        (ag.percent_agreement_from_counts, ag.percent_agreement),
        (ag.cohen_kappa_from_counts, ag.cohen_kappa),
        (ag.krippendorff_alpha_from_counts, ag.krippendorff_alpha),
        (ag.gwet_ac1_from_counts, ag.gwet_ac1),
        (ag.brennan_prediger_from_counts, ag.brennan_prediger),
    ]
    for fast, general in pairs:
        a = ours(fast, counts)
        g = ours(general, matrix, categories=cats)
        assert type(a) is float
        assert (math.isnan(a) and math.isnan(g)) or close(a, g, 1e-12), fast.__name__


@pytest.mark.parametrize("f", [ag.percent_agreement_from_counts, ag.cohen_kappa_from_counts,
                               ag.krippendorff_alpha_from_counts, ag.gwet_ac1_from_counts,
                               ag.brennan_prediger_from_counts])
def test_count_functions_broadcast_over_codes_and_resamples(f):
    rng = np.random.default_rng(3)
    counts = rng.integers(1, 50, size=(7, 24, 4))
    out = f(counts)
    assert out.shape == (7, 24)
    assert out[3, 5] == pytest.approx(f(counts[3, 5]), abs=1e-15)


# --- custom distance and weights ------------------------------------------------------------------------------

@SETTINGS
@given(x=matrices(numeric_values=True), power=st.sampled_from([0.5, 1.0, 3.0]))
def test_alpha_with_a_custom_distance_matches_krippendorff_package(x, power):
    value = ours(ag.krippendorff_alpha, x, distance=lambda a, b: np.abs(a - b) ** power)
    assume(not math.isnan(value))

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        return (np.abs(v1 - v2) ** power).astype(dtype)

    assert close(value, float(reference(krippendorff.alpha, reliability_data=x.T, level_of_measurement=metric)))


@SETTINGS
@given(x=matrices(numeric_values=True), level=st.sampled_from(["interval", "ratio"]))
def test_alpha_distance_matrix_reproduces_the_levels(x, level):
    # The level's own difference function given as a matrix gives the level's alpha.
    labels = np.unique(x[~np.isnan(x)])
    a, b = labels[:, None], labels[None, :]
    d = (a - b) ** 2 if level == "interval" else np.divide(a - b, a + b, out=np.zeros((labels.size,) * 2),
                                                           where=(a + b) != 0) ** 2
    value = ours(ag.krippendorff_alpha, x, level=level)
    assume(not math.isnan(value))
    assert close(ours(ag.krippendorff_alpha, x, distance=d), value)


@SETTINGS
@given(x=matrices(max_units=30, min_coders=2, max_coders=2, missing=False, max_q=5),
       wt=st.sampled_from(["linear", "quadratic"]))
def test_weighted_cohen_kappa_matches_statsmodels(x, wt):
    # statsmodels weights by category index, ours by category value: equal when the values are 0..q-1, all used.
    labels = np.unique(x)
    assume(labels.size >= 2 and np.array_equal(labels, np.arange(labels.size)))
    value = ours(ag.cohen_kappa, x, weights=wt)
    assume(not math.isnan(value))
    table, _ = to_table(x)
    assert close(value, float(reference(cohens_kappa, table, wt=wt).kappa))


def test_weights_validation_names_the_rule():
    with pytest.raises(ag.AgreementInputError, match="weights must be one of .*'quadratic'"):
        ag.cohen_kappa([[1, 2], [2, 2]], weights="squared")
    with pytest.raises(ag.AgreementInputError, match=r"q x q = 2 x 2"):
        ag.fleiss_kappa([[1, 2], [2, 2]], weights=np.eye(3))
    with pytest.raises(ag.AgreementInputError, match="agreement weights .*disagreement weights"):
        ag.gwet_ac1([[1, 2], [2, 2]], weights=[[0.5, 0], [0, 1]])
    with pytest.raises(ag.AgreementInputError, match="needs ordered categories.*categories= in rank order"):
        ag.gwet_ac1([["low", "high"], ["high", "high"]], weights="linear")
    assert ag.gwet_ac1([["low", "high"], ["high", "high"]], weights="linear", categories=("low", "high")) == \
        pytest.approx(ag.gwet_ac1([[1, 2], [2, 2]], weights="linear"))
    with pytest.raises(ag.AgreementInputError, match="distance must be finite"):
        ag.krippendorff_alpha([[1, 2], [2, 2]], distance=[[0, 1], [2, 0]])
    with pytest.raises(ag.AgreementInputError, match="either level= or distance="):
        ag.krippendorff_alpha([[1, 2], [2, 2]], level="interval", distance=lambda a, b: abs(a - b))
    with pytest.raises(ag.AgreementInputError, match="no variance for ordinal alpha"):
        ag.analytic_se([[1, 2], [2, 2], [1, 1]], "krippendorff_alpha", level="ordinal")
