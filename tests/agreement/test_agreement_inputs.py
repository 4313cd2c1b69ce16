"""Input formats, undefined cases (nan + UndefinedStatisticWarning) and bad input (one-line errors)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import npt_coder.agreement as ag
from npt_coder.errors import NptCoderError, UndefinedStatisticWarning

ALL = [ag.percent_agreement, ag.cohen_kappa, ag.scott_pi, ag.fleiss_kappa, ag.krippendorff_alpha, ag.gwet_ac1,
       ag.brennan_prediger]
MULTI = [f for f in ALL if f is not ag.cohen_kappa]


# --- input formats ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("f", ALL)
def test_dataframe_array_and_lists_give_the_same_float(f, grant_readers):
    as_list = grant_readers.values.tolist()
    as_array = np.array(as_list, dtype=object)
    values = [f(grant_readers), f(as_list), f(as_array)]
    assert all(type(v) is float for v in values)
    assert values[0] == values[1] == values[2]


@pytest.mark.parametrize("f", MULTI)
def test_every_missing_marker_means_not_rated(f):
    base = [["a", "a", None], ["a", "b", "b"], ["b", "b", "b"], [None, "a", "a"], ["a", "a", "a"]]
    reference_value = f(base)
    for marker in (np.nan, pd.NA, pd.NaT, float("nan")):
        data = [[marker if v is None else v for v in row] for row in base]
        assert f(data) == pytest.approx(reference_value, abs=1e-15)
        assert f(pd.DataFrame(data)) == pytest.approx(reference_value, abs=1e-15)


def test_nullable_and_string_dtypes(k2011):
    frame = pd.DataFrame(k2011).astype("Int64")  # pd.NA for missing
    assert ag.krippendorff_alpha(frame, level="interval") == pytest.approx(.849, abs=5e-4)
    text = pd.DataFrame(k2011).apply(lambda c: c.map(lambda v: None if pd.isna(v) else f"v{int(v)}"))
    assert ag.krippendorff_alpha(text.astype("string")) == pytest.approx(.743, abs=5e-4)


def test_numpy_string_array_treats_nan_string_as_missing(k2011):
    # np.asarray turns nan into the string 'nan' in a str array; it is read as missing, as `krippendorff` does.
    as_str = np.where(np.isnan(k2011), np.nan, k2011).astype(str)
    assert ag.krippendorff_alpha(as_str) == pytest.approx(.743, abs=5e-4)


def test_booleans_and_mixed_labels_are_categories():
    flags = np.array([[True, True], [True, False], [False, False], [False, False]])
    assert ag.cohen_kappa(flags) == pytest.approx(ag.cohen_kappa([[1, 1], [1, 0], [0, 0], [0, 0]]))
    mixed = [["x", 1], ["x", "x"], [1, 1], [("t", 1), ("t", 1)]]
    assert 0 <= ag.percent_agreement(mixed) <= 1


def test_units_nobody_rated_are_ignored(k2011):
    padded = np.vstack([k2011, np.full((5, 4), np.nan)])
    for f in MULTI:
        assert f(padded) == pytest.approx(f(k2011), abs=1e-15)


def test_listwise_uses_only_complete_units(k2011):
    # The category set stays the one observed in all the data (q matters for AC1 and Brennan-Prediger): here
    # category 5 occurs only in units that are dropped.
    complete = k2011[~np.isnan(k2011).any(axis=1)]
    for f in MULTI:
        assert f(k2011, missing="listwise") == pytest.approx(f(complete, categories=[1, 2, 3, 4, 5]), abs=1e-15)
    assert ag.gwet_ac1(k2011, missing="listwise") != pytest.approx(ag.gwet_ac1(complete))


def test_available_is_the_default_and_single_rated_units_change_only_the_chance_term(k2011):
    # Unit 12 has a single rating: it enters the chance term of AC1, Fleiss' kappa and Conger's kappa (Gwet,
    # 2014), nothing else; dropping it first changes exactly those.
    pairable = k2011[np.count_nonzero(~np.isnan(k2011), axis=1) >= 2]
    for f in (ag.percent_agreement, ag.brennan_prediger, ag.krippendorff_alpha):
        assert f(k2011) == f(k2011, missing="available") == pytest.approx(f(pairable, categories=[1, 2, 3, 4, 5]))
    for f in (ag.gwet_ac1, ag.fleiss_kappa, ag.scott_pi, ag.conger_kappa):
        assert f(k2011) == f(k2011, missing="available")
        assert f(k2011) != pytest.approx(f(pairable, categories=[1, 2, 3, 4, 5]), abs=1e-6)


def test_pairable_is_deprecated_and_keeps_its_old_values(k2011):
    # The default before 0.2 left single-rated units out of everything: AC1 0.77515, Fleiss 0.76248 on this data
    # (Gwet prints 0.77544 and 0.76117, the new default). It still works until 0.3, with a warning naming both.
    with pytest.warns(DeprecationWarning, match="missing='pairable' is deprecated.*missing='available'"):
        old = ag.gwet_ac1(k2011, missing="pairable")
    assert old == pytest.approx(0.77515, abs=5e-6)
    with pytest.warns(DeprecationWarning, match="goes in 0.3"):
        assert ag.fleiss_kappa(k2011, missing="pairable") == pytest.approx(0.76248, abs=5e-6)


def test_cohen_kappa_available_uses_each_coders_own_marginals():
    data = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"], ["a", None], ["a", None], [None, "b"]]
    # p_o = 3/4; A: a 4/6, b 2/6; B: a 1/5, b 4/5; p_e = 4/30 + 8/30 = 0.4; kappa = 0.35 / 0.6
    assert ag.cohen_kappa(data) == pytest.approx(0.35 / 0.6, abs=1e-12)
    assert ag.cohen_kappa(data, missing="available") == ag.cohen_kappa(data)
    assert ag.cohen_kappa(data, missing="listwise") == ag.cohen_kappa(data[:4])


def test_ordinal_categories_give_the_rank_order():
    data = [["low", "mid"], ["mid", "mid"], ["high", "mid"], ["high", "high"], ["low", "low"]]
    as_numbers = [[{"low": 1, "mid": 2, "high": 3}[v] for v in row] for row in data]
    assert ag.krippendorff_alpha(data, level="ordinal", categories=["low", "mid", "high"]) == pytest.approx(
        ag.krippendorff_alpha(as_numbers, level="ordinal"), abs=1e-15)


# --- undefined: nan plus a warning that says why ----------------------------------------------------------------

@pytest.mark.parametrize("f", ALL)
def test_no_pairable_units_is_nan_with_warning(f):
    with pytest.warns(UndefinedStatisticWarning, match="undefined: no unit was rated by|fewer than two pairable"):
        value = f([["a", None], [None, "b"], [None, None]])
    assert math.isnan(value)


@pytest.mark.parametrize("f", [ag.cohen_kappa, ag.scott_pi, ag.fleiss_kappa, ag.krippendorff_alpha])
def test_no_variation_is_nan_with_warning(f):
    with pytest.warns(UndefinedStatisticWarning, match=r"'absent'.*(p_e = 1|D_e = 0)"):
        value = f([["absent", "absent"]] * 6)
    assert math.isnan(value)


@pytest.mark.parametrize("f", [ag.gwet_ac1, ag.brennan_prediger])
def test_one_known_category_is_nan_unless_categories_given(f):
    with pytest.warns(UndefinedStatisticWarning, match="pass categories="):
        assert math.isnan(f([["absent", "absent"]] * 6))
    assert f([["absent", "absent"]] * 6, categories=["present", "absent"]) == 1.0


def test_percent_agreement_is_defined_without_variation():
    assert ag.percent_agreement([["absent", "absent"]] * 6) == 1.0


def test_one_coder_is_nan_with_warning():
    for f in MULTI:
        with pytest.warns(UndefinedStatisticWarning):
            assert math.isnan(f([["a"], ["b"]]))


def test_empty_data_is_nan_with_warning():
    with pytest.warns(UndefinedStatisticWarning):
        assert math.isnan(ag.krippendorff_alpha(np.empty((0, 3))))


@pytest.mark.parametrize("f", [ag.cohen_kappa_from_counts, ag.krippendorff_alpha_from_counts])
def test_count_functions_nan_where_undefined(f):
    with pytest.warns(UndefinedStatisticWarning, match="2 of 3 count vectors"):
        out = f([[0, 0, 0, 10], [10, 0, 0, 0], [3, 1, 1, 5]])
    assert np.isnan(out[:2]).all() and np.isfinite(out[2])
    assert math.isnan(f([0, 0, 0, 10], warn=False))


def test_count_functions_nan_for_no_units():
    for f in (ag.percent_agreement_from_counts, ag.gwet_ac1_from_counts, ag.brennan_prediger_from_counts):
        with pytest.warns(UndefinedStatisticWarning, match="no units"):
            assert math.isnan(f([0, 0, 0, 0]))


# --- bad input: one-line errors naming rule, value and fix -------------------------------------------------------

def _error(f, *args, **kwargs) -> str:
    with pytest.raises(ag.AgreementInputError) as info:
        f(*args, **kwargs)
    assert isinstance(info.value, NptCoderError) and isinstance(info.value, ValueError)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("f", ALL)
def test_one_dimensional_data_is_an_error(f):
    message = _error(f, ["a", "b", "a"])
    assert "2-D" in message and "shape (3,)" in message and "column_stack" in message


def test_level_must_be_one_of_four():
    message = _error(ag.krippendorff_alpha, [[1, 2]], level="categorical")
    assert message == ("level must be one of 'nominal', 'ordinal', 'interval', 'ratio'; got 'categorical' "
                       "(use 'nominal' for unordered codes).")


def test_categories_must_cover_the_data():
    message = _error(ag.gwet_ac1, [["present", "maybe"]], categories=("present", "absent"))
    assert "'maybe' is not among 'present', 'absent'" in message and "add this value to categories" in message and "blank it in" in message


@pytest.mark.parametrize("bad, fragment", [
    ("present", "sequence of category labels"),
    ({"a", "b"}, "not a set"),
    ([], "at least one label"),
    (["a", "a"], "distinct"),
    (["a", None], "missing value"),
])
def test_categories_must_be_a_sequence_of_distinct_labels(bad, fragment):
    assert fragment in _error(ag.brennan_prediger, [["a", "a"]], categories=bad)


def test_cohen_kappa_needs_exactly_two_coders(k2011):
    message = _error(ag.cohen_kappa, k2011)
    assert "exactly two coders" in message and "got 4" in message and "fleiss_kappa" in message


def test_missing_policy_vocabulary():
    message = _error(ag.fleiss_kappa, [[1, 1]], missing="drop")
    assert "'available', 'listwise'" in message and "'drop'" in message


@pytest.mark.parametrize("level, data, fragment", [
    ("interval", [["low", "high"]], "needs numbers"),
    ("ratio", [[1, -2]], "values >= 0"),
    ("ordinal", [["low", "high"]], "pass categories= in rank order"),
    ("interval", [[1, float("inf")]], "finite"),
])
def test_values_must_suit_the_level(level, data, fragment):
    assert fragment in _error(ag.krippendorff_alpha, data, level=level)


def test_ragged_rows_and_unhashable_values():
    assert "different lengths" in _error(ag.percent_agreement, [["a", "b"], ["a"]])
    assert "hashable" in _error(ag.percent_agreement, [[{"a"}, {"b"}], [{"a"}, {"a"}]])


def test_counts_need_four_types():
    assert "length 4" in _error(ag.cohen_kappa_from_counts, [1, 2, 3])
    assert "non-negative" in _error(ag.cohen_kappa_from_counts, [1, -2, 3, 4])
    assert "same shape" in _error(ag.unit_types, [True, False], [True])
    assert "booleans" in _error(ag.unit_types, ["yes"], ["no"])
