"""Agreement against irrCAC, the Python port of Gwet's R package, on random reliability matrices (hypothesis).

irrCAC implements Gwet's (2014) formulas for AC1, Brennan-Prediger, Fleiss' kappa, Krippendorff's alpha, percent
agreement and Conger's kappa (= Cohen's for two raters); it is run with ``digits=15`` so nothing is rounded. irrCAC
pins ``pandas<3`` and ``scipy==1.12.0``, so these tests run in a separate environment that ``make test`` builds
(``.venv-ref``: the installed wheel, the test tools and irrCAC); the main suite never has irrCAC installed, and what
users get is never shaped by its pins. The matrix strategy is shared with
``tests/agreement/test_agreement_references.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import assume, given
from irrCAC.raw import CAC

import npt_coder.agreement as ag

from ..agreement.test_agreement_references import SLOW_SETTINGS, close, forty_coders, matrices, ours, reference


def irr(x: np.ndarray, method: str, categories=None) -> float:
    frame = pd.DataFrame(x, columns=[f"r{j}" for j in range(x.shape[1])])
    cac = reference(CAC, frame, digits=15, categories=categories) if categories is not None else reference(
        CAC, frame, digits=15)
    return float(reference(getattr(cac, method))["est"]["coefficient_value"])


def irr_pa(x: np.ndarray) -> float:
    cac = reference(CAC, pd.DataFrame(x), digits=15)
    return float(reference(cac.gwet)["est"]["pa"])


def test_forty_coders_gwet_family():
    # More than 32 coders: the rating counts come from one reduction (see test_forty_coders for alpha).
    x = forty_coders()
    assert close(ag.fleiss_kappa(x, missing="available"), irr(x, "fleiss"))
    assert close(ag.gwet_ac1(x, missing="available"), irr(x, "gwet"))


@SLOW_SETTINGS
@given(x=matrices(min_units=3, max_units=20, max_coders=4))
def test_gwet_family_matches_irrcac_with_missing_ratings(x):
    x = x[~np.isnan(x).all(axis=1)]
    assume(x.shape[0] >= 2)
    pa = ours(ag.percent_agreement, x)
    assume(not math.isnan(pa))
    assert close(pa, irr_pa(x))
    for ours_f, method in [(ag.gwet_ac1, "gwet"), (ag.brennan_prediger, "bp")]:
        value = ours(ours_f, x, missing="available")
        if not math.isnan(value):  # q = 1: irrCAC substitutes p_e = 1 - 1e-15
            assert close(value, irr(x, method))
    fleiss = ours(ag.fleiss_kappa, x, missing="available")
    if not math.isnan(fleiss):
        assert close(fleiss, irr(x, "fleiss"))
    alpha = ours(ag.krippendorff_alpha, x)
    if not math.isnan(alpha) and np.sum(np.count_nonzero(~np.isnan(x), axis=1) >= 2) >= 2:
        assert close(alpha, irr(x, "krippendorff"))  # irrCAC divides by zero with one pairable unit


@SLOW_SETTINGS
@given(x=matrices(min_units=3, max_units=20, max_coders=4))
def test_pairable_policy_matches_irrcac_on_pairable_units(x):
    # "pairable" = Gwet's formulas applied to the units with two or more ratings, over the same category set.
    categories = sorted(set(x[~np.isnan(x)].tolist()))
    pairable = x[np.count_nonzero(~np.isnan(x), axis=1) >= 2]
    assume(pairable.shape[0] >= 2 and len(categories) >= 2)
    for ours_f, method in [(ag.gwet_ac1, "gwet"), (ag.fleiss_kappa, "fleiss")]:
        value = ours(ours_f, x)
        if not math.isnan(value):
            assert close(value, irr(pairable, method, categories=categories))


@SLOW_SETTINGS
@given(x=matrices(min_units=3, max_units=20, min_coders=2, max_coders=2))
def test_cohen_kappa_available_matches_irrcac_conger(x):
    # Conger's kappa for two raters is Cohen's kappa; irrCAC uses each rater's marginals over every unit they
    # rated (Gwet, 2014), i.e. missing="available".
    x = x[~np.isnan(x).all(axis=1)]
    assume(x.shape[0] >= 2)
    value = ours(ag.cohen_kappa, x, missing="available")
    assume(not math.isnan(value))
    assert close(value, irr(x, "conger"))
