"""AgreementResult, interpret, the public API and the docstring examples."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import math

import numpy as np
import pytest

import npt_coder.agreement as ag


def test_agreement_result_is_frozen_and_tidy():
    with pytest.warns(DeprecationWarning, match="AgreementResult is deprecated"):  # returned by nothing: goes in 0.3
        AgreementResult = ag.AgreementResult
    result = AgreementResult("krippendorff_alpha", 0.743, n_units=11, n_coders=4)
    assert math.isnan(result.ci_low) and math.isnan(result.ci_high)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 1.0  # type: ignore[misc]
    frame = dataclasses.replace(result, ci_low=0.6, ci_high=0.85).to_frame()
    assert frame.columns.tolist() == ["statistic", "value", "n_units", "n_coders", "ci_low", "ci_high"]
    assert frame.iloc[0].to_dict() == {"statistic": "krippendorff_alpha", "value": 0.743, "n_units": 11,
                                       "n_coders": 4, "ci_low": 0.6, "ci_high": 0.85}


@pytest.mark.parametrize("value, label", [
    (-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.2001, "fair"), (0.4, "fair"), (0.41, "moderate"),
    (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
    (float("nan"), "undefined"),
])
def test_landis_koch_scale(value, label):
    # Landis & Koch (1977), p. 165: <0 poor, .00-.20 slight, .21-.40 fair, .41-.60 moderate, .61-.80
    # substantial, .81-1.00 almost perfect.
    assert ag.interpret(value) == label
    assert ag.interpret([value]).tolist() == [label]


@pytest.mark.parametrize("value, label", [
    (0.5, "unreliable"), (0.6669, "unreliable"), (0.667, "tentative"), (0.7999, "tentative"), (0.8, "reliable"),
    (1.0, "reliable"), (float("nan"), "undefined"),
])
def test_krippendorff_scale(value, label):
    # Krippendorff (2004), p. 241: rely on alpha >= .800; .667 <= alpha < .800 for tentative conclusions only.
    assert ag.interpret(value, scale="krippendorff") == label
    assert ag.interpret(np.array([value]), scale="krippendorff").tolist() == [label]


def test_interpret_table_shape_and_bad_scale():
    labels = ag.interpret(np.array([[0.1, 0.9], [0.5, np.nan]]))
    assert labels.shape == (2, 2) and labels.dtype == object
    with pytest.raises(ag.AgreementInputError, match="scale must be one of 'landis_koch', 'krippendorff'"):
        ag.interpret(0.5, scale="fleiss")


def test_public_api_is_explicit():
    assert sorted(ag.__all__) == sorted(set(ag.__all__))
    for name in ag.__all__:
        assert hasattr(ag, name), name
    for name in ("percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
                 "brennan_prediger", "bootstrap_ci", "interpret"):
        assert name in ag.__all__


@pytest.mark.parametrize("module", ["npt_coder.agreement", "npt_coder.agreement._kappa",
                                    "npt_coder.agreement._alpha", "npt_coder.agreement._counts",
                                    "npt_coder.agreement._bootstrap", "npt_coder.agreement._result"])
def test_docstring_examples_run(module):
    # The same examples also run under `pytest --doctest-modules npt_coder/agreement`.
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa",
                                  "krippendorff_alpha", "gwet_ac1", "brennan_prediger"])
def test_statistic_docstrings_give_formula_missing_data_references_and_packages(name):
    doc = getattr(ag, name).__doc__
    for section in (".. math::", "missing :", "References", "Examples", "Notes"):
        assert section in doc, (name, section)
    assert any(pkg in doc for pkg in ("irrCAC", "statsmodels", "NLTK", "krippendorff"))
