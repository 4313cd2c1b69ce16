"""Published worked examples, reproduced to the published precision (sources cited per test)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import npt_coder.agreement as ag


# --- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" ---------------------------------------

@pytest.mark.parametrize("level, alpha", [("nominal", .743), ("ordinal", .815), ("interval", .849), ("ratio", .797)])
def test_alpha_matches_krippendorff_2011_example(k2011, level, alpha):
    # Section C: 4 observers x 12 units with missing values; published alpha for each level (3 decimals).
    assert ag.krippendorff_alpha(k2011, level=level) == pytest.approx(alpha, abs=5e-4)


def test_alpha_2011_example_as_dataframe_with_strings_and_rank_order(k2011):
    # The same data as ordered labels: ordinal alpha needs the rank order (categories=), nominal does not.
    names = {1.0: "very low", 2.0: "low", 3.0: "mid", 4.0: "high", 5.0: "very high"}
    frame = pd.DataFrame(k2011).apply(lambda col: col.map(names))
    order = ("very low", "low", "mid", "high", "very high")
    assert ag.krippendorff_alpha(frame, level="ordinal", categories=order) == pytest.approx(.815, abs=5e-4)
    assert ag.krippendorff_alpha(frame) == pytest.approx(.743, abs=5e-4)


def test_alpha_matches_krippendorff_2011_binary_two_observers():
    # Section A: two observers, binary data, 10 units: alpha = 1 - 19 * 4 / (14 * 6) = .095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert ag.krippendorff_alpha(np.column_stack([a, b])) == pytest.approx(.095, abs=5e-4)
    assert ag.krippendorff_alpha_from_counts(ag.type_counts(a, b)) == pytest.approx(.095, abs=5e-4)


def test_alpha_matches_krippendorff_2011_nominal_two_observers():
    # Section B: two observers, nominal data (a-e), 12 units, no missing data: alpha = .692.
    a = "a a b b d c c c e d d a".split()
    b = "b a b b b c c c e d d d".split()
    assert ag.krippendorff_alpha(list(zip(a, b))) == pytest.approx(.692, abs=5e-4)


# --- Fleiss (1971) and the Wikipedia worked example ------------------------------------------------------------

def test_fleiss_kappa_matches_fleiss_1971(fleiss1971):
    # Fleiss (1971), Table 1 / p. 380: 30 patients x 6 psychiatrists x 5 diagnoses; P-bar = .556, kappa = .430.
    assert ag.fleiss_kappa(fleiss1971) == pytest.approx(.430, abs=5e-4)
    assert ag.percent_agreement(fleiss1971) == pytest.approx(.556, abs=5e-4)


def test_fleiss_kappa_matches_wikipedia_example(wikipedia_fleiss):
    # Wikipedia "Fleiss' kappa" worked example: 10 subjects x 14 raters x 5 categories; P-bar = 0.378,
    # kappa = 0.210.
    assert wikipedia_fleiss.shape == (10, 14)
    assert ag.fleiss_kappa(wikipedia_fleiss) == pytest.approx(.210, abs=5e-4)
    assert ag.percent_agreement(wikipedia_fleiss) == pytest.approx(.378, abs=5e-4)


# --- Cohen (1960)-style 2 x 2 table -----------------------------------------------------------------------------

def test_cohen_style_two_by_two(grant_readers):
    # 20/5/10/15: p_o = .70, p_e = .5 * .6 + .5 * .4 = .50, kappa = .40 (Cohen, 1960, formula; Wikipedia
    # "Cohen's kappa" example). PABAK = 2 * .70 - 1 = .40 (Byrt et al., 1993). Scott: pooled p(yes) = .55,
    # p_e = .55^2 + .45^2 = .505, pi = .195 / .495 = .3939. AC1: p_e = 2 * .55 * .45 = .495,
    # AC1 = .205 / .505 = .4059 (Gwet, 2008). Alpha: 1 - 99 * 15 / (45 * 55) = .40 (Krippendorff, 2011).
    assert ag.cohen_kappa(grant_readers) == pytest.approx(.40, abs=1e-12)
    assert ag.percent_agreement(grant_readers) == pytest.approx(.70, abs=1e-12)
    assert ag.brennan_prediger(grant_readers) == pytest.approx(.40, abs=1e-12)
    assert ag.scott_pi(grant_readers) == pytest.approx(.195 / .495, abs=1e-12)
    assert ag.gwet_ac1(grant_readers) == pytest.approx(.205 / .505, abs=1e-12)
    assert ag.krippendorff_alpha(grant_readers) == pytest.approx(.40, abs=1e-12)


# --- Gwet, Handbook of Inter-Rater Reliability (4th ed., 2014) ----------------------------------------------------

@pytest.fixture(scope="module")
def abstractors() -> list[list[str]]:
    # Gwet (2014), ch. 2: 100 pregnant women classified by two abstractors into Ectopic, AIU (abnormal
    # intrauterine) and NIU (normal intrauterine) pregnancy. Contingency table (rows abstractor 1, columns
    # abstractor 2): Ectopic 13/0/0, AIU 0/20/7, NIU 0/4/56. Rebuilt unit by unit from that table (it is also
    # the `cont3x3abstractors` data of Gwet's irrCAC package).
    cells = {("E", "E"): 13, ("A", "A"): 20, ("A", "N"): 7, ("N", "A"): 4, ("N", "N"): 56}
    return [list(pair) for pair, k in cells.items() for _ in range(k)]


def test_gwet_handbook_abstractors(abstractors):
    # Published for this table (Gwet's irrCAC documentation of cont3x3abstractors): p_a = 0.89, AC1 = 0.8493
    # (p_e = 0.2699), Cohen's kappa = 0.7964, Brennan-Prediger = 0.8350 [= (0.89 - 1/3) / (2/3)], Scott's pi
    # = 0.7962, Krippendorff's alpha = 0.7973. Each was also recomputed by hand from the marginals.
    assert ag.percent_agreement(abstractors) == pytest.approx(0.89, abs=5e-5)
    assert ag.gwet_ac1(abstractors) == pytest.approx(0.8493, abs=5e-5)
    assert ag.cohen_kappa(abstractors) == pytest.approx(0.7964, abs=5e-5)
    assert ag.brennan_prediger(abstractors) == pytest.approx(0.8350, abs=5e-5)
    assert ag.scott_pi(abstractors) == pytest.approx(0.7962, abs=5e-5)
    assert ag.krippendorff_alpha(abstractors) == pytest.approx(0.7973, abs=5e-5)


def test_gwet_handbook_four_raters_with_missing_ratings(k2011):
    # Gwet (2014) reuses Krippendorff's 12 x 4 data with missing ratings; published: AC1 = 0.77544 (p_a = 0.81818,
    # p_e = 0.19032), Fleiss' kappa = 0.76117 (p_e = 0.23872). His chance agreement uses every unit with a rating,
    # including unit 12, which only one rater rated: the default, missing="available". (More of his printed
    # values, with standard errors and weights, are in test_agreement_gwet_published.py.)
    assert ag.gwet_ac1(k2011) == pytest.approx(0.77544, abs=5e-6)
    assert ag.fleiss_kappa(k2011) == pytest.approx(0.76117, abs=5e-6)
    assert ag.percent_agreement(k2011) == pytest.approx(0.81818, abs=5e-6)


def test_presence_absence_uses_two_categories_even_when_a_code_is_constant():
    # Issue 5: per-code presence/absence has categories {present, absent} even when one never occurs.
    data = [["absent", "absent"]] * 9 + [["absent", "present"]]
    both_cats = ("present", "absent")
    assert ag.brennan_prediger(data, categories=both_cats) == pytest.approx(2 * 0.9 - 1)
    assert ag.gwet_ac1([["absent", "absent"]] * 10, categories=both_cats) == 1.0
    assert ag.brennan_prediger([["absent", "absent"]] * 10, categories=both_cats) == 1.0
