"""Symmetry: swapping coders or reordering units changes no statistic (property tests with hypothesis)."""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import npt_coder.agreement as ag
from npt_coder.errors import UndefinedStatisticWarning

STATISTICS = {
    "percent_agreement": ag.percent_agreement,
    "scott_pi": ag.scott_pi,
    "fleiss_kappa": ag.fleiss_kappa,
    "gwet_ac1": ag.gwet_ac1,
    "brennan_prediger": ag.brennan_prediger,
    "alpha_nominal": ag.krippendorff_alpha,
    "alpha_ordinal": functools.partial(ag.krippendorff_alpha, level="ordinal"),
    "alpha_interval": functools.partial(ag.krippendorff_alpha, level="interval"),
    "alpha_ratio": functools.partial(ag.krippendorff_alpha, level="ratio"),
}


def value(f, x, **kwargs) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        return f(x, **kwargs)


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=0, abs_tol=1e-12)


@st.composite
def matrix_and_permutations(draw, min_coders=2, max_coders=6):
    n_units = draw(st.integers(1, 30))
    n_coders = draw(st.integers(min_coders, max_coders))
    q = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, q, size=(n_units, n_coders)).astype(float) * 2.0
    x[rng.random(x.shape) < draw(st.sampled_from([0.0, 0.2, 0.4]))] = np.nan
    rows = draw(st.permutations(range(n_units)))
    cols = draw(st.permutations(range(n_coders)))
    return x, list(rows), list(cols)


@pytest.mark.parametrize("name", list(STATISTICS))
@settings(max_examples=100, deadline=None)
@given(case=matrix_and_permutations(), missing=st.sampled_from(["available", "listwise"]))
def test_swapping_coders_and_reordering_units_changes_nothing(name, case, missing):
    x, rows, cols = case
    f = STATISTICS[name]
    base = value(f, x, missing=missing)
    assert same(base, value(f, x[:, cols], missing=missing))
    assert same(base, value(f, x[rows], missing=missing))
    assert same(base, value(f, x[rows][:, cols], missing=missing))


@settings(max_examples=200, deadline=None)
@given(case=matrix_and_permutations(min_coders=2, max_coders=2), missing=st.sampled_from(["available", "listwise"]))
def test_cohen_kappa_is_symmetric_in_the_two_coders(case, missing):
    x, rows, _ = case
    base = value(ag.cohen_kappa, x, missing=missing)
    assert same(base, value(ag.cohen_kappa, x[:, ::-1], missing=missing))
    assert same(base, value(ag.cohen_kappa, x[rows], missing=missing))


@settings(max_examples=200, deadline=None)
@given(counts=st.tuples(*[st.integers(0, 30)] * 4))
def test_count_functions_symmetric_in_the_two_coders(counts):
    b, x, y, z = counts
    for f in (ag.percent_agreement_from_counts, ag.cohen_kappa_from_counts, ag.krippendorff_alpha_from_counts,
              ag.gwet_ac1_from_counts, ag.brennan_prediger_from_counts):
        assert same(value(f, counts), value(f, (b, y, x, z)))


@pytest.mark.parametrize("stat", [ag.percent_agreement, ag.cohen_kappa, ag.krippendorff_alpha])
def test_swapping_coders_keeps_value(stat, grant_readers):  # 2 coders, 20/5/10/15 table, kappa 0.40
    assert stat(grant_readers[["B", "A"]]) == pytest.approx(stat(grant_readers))
