"""bootstrap_ci: reproducible, NaN-aware percentile intervals from counts, unit types or reliability matrices."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import pytest

import npt_coder.agreement as ag
from npt_coder.errors import UndefinedStatisticWarning


@pytest.fixture(scope="module")
def codebook_pair():
    """Two coders, 2,000 segments x 24 codes, 40 transcripts of 50 segments; B copies A 85% of the time."""
    rng = np.random.default_rng(11)
    n, k = 2000, 24
    prevalence = rng.uniform(0.05, 0.3, k)
    a = rng.random((n, k)) < prevalence
    b = np.where(rng.random((n, k)) < 0.85, a, rng.random((n, k)) < prevalence)
    return a, b, np.repeat(np.arange(40), 50)


def test_same_seed_same_interval_other_seed_other_interval():
    first = ag.bootstrap_ci([20, 5, 10, 15], "cohen_kappa", seed=3)
    assert first == ag.bootstrap_ci([20, 5, 10, 15], "cohen_kappa", seed=3)
    assert first != ag.bootstrap_ci([20, 5, 10, 15], "cohen_kappa", seed=4)
    assert all(type(v) is float for v in first)


@pytest.mark.parametrize("statistic", ["percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1",
                                       "brennan_prediger"])
def test_interval_brackets_the_estimate(statistic):
    counts = [40, 6, 9, 45]
    low, high = ag.bootstrap_ci(counts, statistic, seed=0)
    estimate = getattr(ag, f"{statistic}_from_counts")(counts)
    assert low < estimate < high


def test_one_interval_per_code(codebook_pair):
    a, b, _ = codebook_pair
    counts = ag.type_counts(a, b)
    assert counts.shape == (24, 4)
    low, high = ag.bootstrap_ci(counts, "cohen_kappa", n_resamples=500, seed=1)
    kappa = ag.cohen_kappa_from_counts(counts)
    assert low.shape == high.shape == (24,)
    assert np.all(low <= kappa) and np.all(kappa <= high)


def test_counts_and_types_resample_the_same_way(codebook_pair):
    # For one code, drawing unit types (kind="types") and the multinomial on counts (kind="counts") are the
    # same distribution.
    a, b, _ = codebook_pair
    types = ag.unit_types(a[:, 0], b[:, 0])
    by_counts = ag.bootstrap_ci(np.bincount(types, minlength=4), "cohen_kappa", n_resamples=4000, seed=1)
    by_types = ag.bootstrap_ci(types, "cohen_kappa", kind="types", n_resamples=4000, seed=2)
    assert by_counts == pytest.approx(by_types, abs=0.02)


def test_types_mode_joint_over_codes_matches_per_code(codebook_pair):
    a, b, _ = codebook_pair
    types = ag.unit_types(a, b)
    per_code = ag.bootstrap_ci(ag.type_counts(a, b), "gwet_ac1", n_resamples=3000, seed=5)
    joint = ag.bootstrap_ci(types, "gwet_ac1", kind="types", n_resamples=3000, seed=6)
    np.testing.assert_allclose(joint[0], per_code[0], atol=0.02)
    np.testing.assert_allclose(joint[1], per_code[1], atol=0.02)


def test_pooled_statistic_with_a_callable(codebook_pair):
    a, b, _ = codebook_pair
    types = ag.unit_types(a, b)

    def pooled_kappa(counts):  # (n_resamples, 24, 4) -> (n_resamples,)
        return ag.cohen_kappa_from_counts(counts.sum(axis=-2), warn=False)

    low, high = ag.bootstrap_ci(types, pooled_kappa, kind="types", n_resamples=300, seed=0)
    assert type(low) is float and low < ag.cohen_kappa_from_counts(ag.type_counts(a, b).sum(axis=0)) < high


def test_cluster_bootstrap_is_wider_when_transcripts_differ():
    # Agreement differs a lot between transcripts (clusters): resampling transcripts must widen the interval.
    rng = np.random.default_rng(2)
    sizes = 40
    per_transcript_agreement = np.repeat(rng.uniform(0.5, 1.0, 30), sizes)
    a = rng.random(30 * sizes) < 0.4
    b = np.where(rng.random(a.size) < per_transcript_agreement, a, ~a)
    types = ag.unit_types(a, b)
    clusters = np.repeat([f"T{i:02d}" for i in range(30)], sizes)
    low_u, high_u = ag.bootstrap_ci(types, "cohen_kappa", kind="types", n_resamples=2000, seed=1)
    low_c, high_c = ag.bootstrap_ci(types, "cohen_kappa", kind="types", clusters=clusters, n_resamples=2000, seed=1)
    assert high_c - low_c > 1.5 * (high_u - low_u)


def test_one_unit_per_cluster_is_the_unit_bootstrap(codebook_pair):
    a, b, _ = codebook_pair
    types = ag.unit_types(a[:, 3], b[:, 3])
    units = ag.bootstrap_ci(types, "krippendorff_alpha", kind="types", n_resamples=4000, seed=1)
    singletons = ag.bootstrap_ci(types, "krippendorff_alpha", kind="types", clusters=np.arange(types.size),
                                 n_resamples=4000, seed=2)
    assert units == pytest.approx(singletons, abs=0.02)


def test_matrix_mode_with_any_statistic_and_clusters(k2011):
    low, high = ag.bootstrap_ci(k2011, functools.partial(ag.krippendorff_alpha, level="interval"), kind="matrix",
                                n_resamples=200, seed=0)
    assert low <= ag.krippendorff_alpha(k2011, level="interval") <= high
    seen = []

    def spy(frame):
        seen.append(type(frame))
        return ag.percent_agreement(frame)

    frame = pd.DataFrame(k2011, columns=list("ABCD"))
    clusters = np.repeat(["t1", "t2", "t3", "t4"], 3)
    ag.bootstrap_ci(frame, spy, kind="matrix", clusters=clusters, n_resamples=20, seed=0)
    assert set(seen) == {pd.DataFrame}


def test_cluster_rows_are_drawn_whole():
    # Each cluster holds identical rows, different between clusters; a resample of whole clusters holds each
    # cluster's rows together, so its size is always a multiple of the cluster size.
    data = np.repeat(np.array([[1, 1], [1, 2], [2, 2]]), 4, axis=0)
    sizes = []

    def size(x):
        sizes.append(len(x))
        return 0.5

    ag.bootstrap_ci(data, size, kind="matrix", clusters=np.repeat([0, 1, 2], 4), n_resamples=50, seed=0)
    assert set(sizes) == {12}


def test_undefined_resamples_are_left_out_with_one_warning():
    # A rare code: many resamples contain no "present" unit, where kappa is undefined.
    with pytest.warns(UndefinedStatisticWarning, match="undefined in up to .* of 1000 resamples"):
        low, high = ag.bootstrap_ci([1, 0, 1, 98], "cohen_kappa", seed=0)
    assert math.isfinite(low) and math.isfinite(high) and low <= high
    low, high = ag.bootstrap_ci([1, 0, 1, 98], "cohen_kappa", seed=0, warn=False)
    assert math.isfinite(low)


def test_all_undefined_gives_nan():
    with pytest.warns(UndefinedStatisticWarning):
        low, high = ag.bootstrap_ci([[0, 0, 0, 50], [10, 2, 2, 10]], "krippendorff_alpha", seed=0)
    assert math.isnan(low[0]) and math.isnan(high[0]) and np.isfinite(low[1])


def test_ac1_never_undefined_for_constant_codes():
    low, high = ag.bootstrap_ci([0, 0, 0, 50], "gwet_ac1", seed=0)
    assert low == high == 1.0


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(kind="rows"), "kind must be one of"),
    (dict(confidence=95), "strictly between 0 and 1"),
    (dict(n_resamples=0), "positive whole number"),
    (dict(clusters=[1, 2]), "clusters need unit-level data"),
])
def test_bad_options(kwargs, fragment):
    with pytest.raises(ag.AgreementInputError, match=fragment):
        ag.bootstrap_ci([1, 2, 3, 4], "cohen_kappa", **kwargs)


def test_bad_data_and_statistics():
    with pytest.raises(ag.AgreementInputError, match="statistic must be a callable or one of"):
        ag.bootstrap_ci([1, 2, 3, 4], "fleiss_kappa")
    with pytest.raises(ag.AgreementInputError, match="one value per resample"):
        ag.bootstrap_ci([1, 2, 3, 4], lambda c: 0.5)
    with pytest.raises(ag.AgreementInputError, match="type codes 0-3"):
        ag.bootstrap_ci([0, 1, 4], "cohen_kappa", kind="types")
    with pytest.raises(ag.AgreementInputError, match="one cluster id per unit"):
        ag.bootstrap_ci([0, 1, 3], "cohen_kappa", kind="types", clusters=[1, 2])
    with pytest.raises(ag.AgreementInputError, match="missing ids"):
        ag.bootstrap_ci([0, 1, 3], "cohen_kappa", kind="types", clusters=["a", None, "b"])
    with pytest.raises(ag.AgreementInputError, match="whole numbers"):
        ag.bootstrap_ci([1.5, 2, 3, 4], "cohen_kappa")
