"""Agreement against irrCAC, the Python port of Gwet's R package, on random reliability matrices (hypothesis).

irrCAC implements Gwet's (2014) formulas for AC1/AC2, Brennan-Prediger, Fleiss' kappa, Conger's kappa (= Cohen's for
two raters), Krippendorff's alpha and their variances; it is run with ``digits=15`` so nothing is rounded. The
matrices have missing ratings *and* units only one coder rated (where Gwet's convention and the old "pairable" one
part), two to five coders, every named weight and random custom weights.

irrCAC pins ``pandas<3`` and ``scipy==1.12.0``, so these tests run in a separate environment that ``make test`` builds
(``.venv-ref``: the installed wheel, the test tools and irrCAC); the main suite never has irrCAC installed, and what
users get is never shaped by its pins. The matrix strategy is shared with
``tests/agreement/test_agreement_references.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import assume, given
from hypothesis import strategies as st
from irrCAC.raw import CAC

import npt_coder.agreement as ag

from ..agreement.test_agreement_references import SLOW_SETTINGS, close, forty_coders, matrices, ours, reference

NAMED = ("identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar")
METHODS = {"gwet_ac1": "gwet", "fleiss_kappa": "fleiss", "brennan_prediger": "bp", "conger_kappa": "conger"}


def irr(x: np.ndarray, method: str, *, weights="identity", categories=None) -> dict:
    frame = pd.DataFrame(x, columns=[f"r{j}" for j in range(x.shape[1])])
    kwargs = {"digits": 15, "weights": weights}
    if categories is not None:
        kwargs["categories"] = categories
    cac = reference(CAC, frame, **kwargs)
    return reference(getattr(cac, method))["est"]


@st.composite
def gappy(draw, *, min_coders=2, max_coders=5, numeric_values=True):
    """A matrix with missing ratings plus one to three units that exactly one coder rated."""
    x = draw(matrices(min_units=3, max_units=18, min_coders=min_coders, max_coders=max_coders,
                      numeric_values=numeric_values))
    observed = x[~np.isnan(x)]
    assume(observed.size)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    extra = np.full((draw(st.integers(1, 3)), x.shape[1]), np.nan)
    for row in extra:
        row[rng.integers(x.shape[1])] = rng.choice(observed)
    x = np.vstack([x, extra])
    x = x[~np.isnan(x).all(axis=1)]
    return x[rng.permutation(x.shape[0])]


def _weights(draw_name, x, rng_seed):
    if draw_name != "custom":
        return draw_name
    q = len(np.unique(x[~np.isnan(x)]))
    rng = np.random.default_rng(rng_seed)
    w = rng.random((q, q))
    np.fill_diagonal(w, 1.0)
    return w


def _pairable_units(x: np.ndarray) -> int:
    return int(np.sum(np.count_nonzero(~np.isnan(x), axis=1) >= 2))


@SLOW_SETTINGS
@given(x=gappy(), weights=st.sampled_from(NAMED + ("custom",)), seed=st.integers(0, 2**16))
def test_kappa_family_values_and_standard_errors_match_irrcac(x, weights, seed):
    assume(_pairable_units(x) >= 2)
    if weights == "ratio":
        x = x + 1.0  # irrCAC refuses 0 as a ratio category
    w = _weights(weights, x, seed)
    assume(len(np.unique(x[~np.isnan(x)])) >= 2)
    for statistic, method in METHODS.items():
        if statistic == "conger_kappa" and np.isnan(x).all(axis=0).any():
            continue  # a coder with no rating: irrCAC divides by zero
        value = ours(ag.analytic_se, x, statistic, weights=w)
        if math.isnan(value.value):
            continue
        est = irr(x, method, weights=w)
        assert close(value.value, float(est["coefficient_value"])), statistic
        assert close(getattr(ag, statistic)(x, weights=w), value.value, 1e-12)
        if est["se"] > 1e-12:  # irrCAC writes 1e-15 for a zero standard error
            assert close(value.se, float(est["se"])), statistic
            low, high = est["confidence_interval"]
            assert close(value.ci_low, float(low)) and close(value.ci_high, float(high)), statistic
    pa = ours(ag.percent_agreement, x, weights=w)
    assert close(pa, float(irr(x, "gwet", weights=w)["pa"]))


@SLOW_SETTINGS
@given(x=gappy(min_coders=2, max_coders=2), weights=st.sampled_from(NAMED))
def test_weighted_cohen_kappa_is_irrcac_conger_for_two_raters(x, weights):
    assume(_pairable_units(x) >= 1 and not np.isnan(x).all(axis=0).any())
    if weights == "ratio":
        x = x + 1.0
    assume(len(np.unique(x[~np.isnan(x)])) >= 2)
    value = ours(ag.cohen_kappa, x, weights=weights)
    assume(not math.isnan(value))
    assert close(value, float(irr(x, "conger", weights=weights)["coefficient_value"]))


@SLOW_SETTINGS
@given(x=gappy(), weights=st.sampled_from(NAMED))
def test_alpha_with_weights_matches_irrcac(x, weights):
    # Krippendorff's alpha with agreement weights w is alpha with the distance 1 - w; the value matches irrCAC on
    # any data, the standard error where every unit has the same number of ratings (irrCAC 0.4.4 and Gwet's R
    # code, which analytic_se follows, differ otherwise; see _chance.alpha_terms).
    assume(_pairable_units(x) >= 2)
    if weights == "ratio":
        x = x + 1.0
    assume(len(np.unique(x[~np.isnan(x)])) >= 2)
    e = ours(ag.analytic_se, x, "krippendorff_alpha", weights=weights)
    assume(not math.isnan(e.value))
    try:
        est = irr(x, "krippendorff", weights=weights)
    except ZeroDivisionError:  # irrCAC with p_e = 1
        return
    assert close(e.value, float(est["coefficient_value"]))
    labels = np.unique(x[~np.isnan(x)])
    from npt_coder.agreement._weights import weight_matrix

    assert close(ours(ag.krippendorff_alpha, x, distance=1.0 - weight_matrix(weights, tuple(labels), labels)), e.value)
    complete = x[~np.isnan(x).any(axis=1)]
    if complete.shape[0] >= 3 and len(np.unique(complete)) >= 2:
        c = ours(ag.analytic_se, complete, "krippendorff_alpha", weights=weights, categories=list(labels))
        ref = irr(complete, "krippendorff", weights=weights, categories=list(labels))
        if not math.isnan(c.se) and ref["se"] > 1e-12:
            assert close(c.se, float(ref["se"]))


def test_forty_coders_gwet_family():
    # More than 32 coders: the rating counts come from one reduction (see test_forty_coders for alpha).
    x = forty_coders()
    for statistic, method in METHODS.items():
        e = ag.analytic_se(x, statistic)
        est = irr(x, method)
        assert close(e.value, float(est["coefficient_value"])) and close(e.se, float(est["se"])), statistic


@SLOW_SETTINGS
@given(x=matrices(min_units=3, max_units=20, max_coders=4))
def test_nominal_alpha_matches_irrcac_with_missing_ratings(x):
    x = x[~np.isnan(x).all(axis=1)]
    alpha = ours(ag.krippendorff_alpha, x)
    if not math.isnan(alpha) and _pairable_units(x) >= 2:
        assert close(alpha, float(irr(x, "krippendorff")["coefficient_value"]))


def test_study_table_standard_errors_match_irrcac():
    # The study table's analytic se (from the four unit-type counts) is irrCAC's on the presence/absence matrix.
    from npt_coder.agreement._variance import counts_se

    counts = np.array([[7, 3, 2, 40], [1, 0, 4, 47], [12, 5, 6, 29]])
    for k in range(3):
        b, x_, y, z = counts[k]
        m = np.array([[1, 1]] * b + [[1, 0]] * x_ + [[0, 1]] * y + [[0, 0]] * z, dtype=float)
        for statistic, method in (("cohen_kappa", "conger"), ("gwet_ac1", "gwet"), ("krippendorff_alpha",
                                                                                       "krippendorff")):
            value, se, low, high = counts_se(counts, statistic)
            est = irr(m, method)
            assert close(value[k], float(est["coefficient_value"])) and close(se[k], float(est["se"]))
